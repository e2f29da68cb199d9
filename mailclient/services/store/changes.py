"""Changes the user makes here (flags, move, delete): applied to the store at once and queued.

Each change to an IMAP message is shown locally in the same transaction that records it in
``pending_changes``; the sync replays the queue on the server before fetching (so it also
works offline: the queue waits). POP3 and local messages change only here.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass

from mailclient.core.errors import ConfigError, NotFoundError
from mailclient.services.store.database import Database
from mailclient.services.store.rows import delete_where

ACTIONS = ("add_flags", "remove_flags", "move", "expunge")


@dataclass(frozen=True)
class PendingChange:
    """One queued change to replay on the server (``uid`` in ``folder`` as of
    ``uidvalidity``); ``argument`` holds flag words or the target folder name."""

    id: int
    account: str
    folder_id: int
    folder: str
    uidvalidity: int
    uid: int
    action: str
    argument: str
    message_pk: int | None


def _rows(tx: sqlite3.Connection, idents: Iterable[str]) -> list[sqlite3.Row]:
    found = []
    for ident in dict.fromkeys(idents):
        row = tx.execute(
            "SELECT m.pk, m.account, m.folder_id, m.uidvalidity, m.uid, m.flags, f.role "
            "FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id = ?",
            (ident,)).fetchone()
        if row is None:
            raise NotFoundError(f"no message with id {ident!r}")
        found.append(row)
    return found


def _queue(tx: sqlite3.Connection, row: sqlite3.Row | dict[str, object], action: str,
           argument: str = "", message_pk: int | None = None) -> None:
    tx.execute(
        "INSERT INTO pending_changes (account, folder_id, uidvalidity, uid, action, argument, "
        "message_pk, created_epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row["account"], row["folder_id"], row["uidvalidity"], row["uid"], action, argument,
         message_pk, time.time()))


def _pending_move(tx: sqlite3.Connection, pk: int) -> sqlite3.Row | None:
    """The queued move of a message moved here but not yet on the server."""
    row: sqlite3.Row | None = tx.execute(
        "SELECT id, folder_id, uidvalidity, uid FROM pending_changes "
        "WHERE action = 'move' AND message_pk = ?", (pk,)
    ).fetchone()
    return row


def _queue_flags(tx: sqlite3.Connection, row: sqlite3.Row, old: set[str],
                 new: set[str]) -> None:
    """Queue a flag change; for a message whose move is still queued, on its first folder and
    ahead of the move, so that it travels with the message."""
    where: sqlite3.Row | dict[str, object] = row
    pending = _pending_move(tx, row["pk"]) if row["uid"] is None else None
    if pending is not None:
        where = {"account": row["account"], "folder_id": pending["folder_id"],
                 "uidvalidity": pending["uidvalidity"], "uid": pending["uid"]}
    elif row["uid"] is None:
        return  # POP3 or local: nothing on a server
    if new - old:
        _queue(tx, where, "add_flags", " ".join(sorted(new - old)))
    if old - new:
        _queue(tx, where, "remove_flags", " ".join(sorted(old - new)))
    if pending is not None:  # the move goes last again
        tx.execute("UPDATE pending_changes SET id = (SELECT MAX(id) + 1 FROM pending_changes) "
                   "WHERE id = ?", (pending["id"],))


class LocalChanges:
    """The change half of ``MessageStore`` (a mixin: it needs ``self.db``)."""

    db: Database

    def change_flags(self, idents: Iterable[str], *, add: Iterable[str] = (),
                     remove: Iterable[str] = ()) -> int:
        """Add and remove flag words (``seen``, ``flagged``, ...); returns how many changed."""
        plus, minus = set(add), set(remove)
        changed = 0
        with self.db.transaction() as tx:
            for row in _rows(tx, idents):
                old = set(row["flags"].split())
                new = (old | plus) - minus
                if new == old:
                    continue
                changed += 1
                tx.execute("UPDATE messages SET flags = ? WHERE pk = ?",
                           (" ".join(sorted(new)), row["pk"]))
                _queue_flags(tx, row, old, new)
        return changed

    def move_messages(self, idents: Iterable[str], target_folder_id: int) -> int:
        """Move messages to another folder of the same account; returns how many moved."""
        moved = 0
        with self.db.transaction() as tx:
            target = tx.execute("SELECT account, name FROM folders WHERE id = ?",
                                (target_folder_id,)).fetchone()
            if target is None:
                raise NotFoundError(f"no folder with id {target_folder_id} in the store")
            for row in _rows(tx, idents):
                if row["folder_id"] == target_folder_id:
                    continue
                if row["account"] != target["account"]:
                    raise ConfigError("moving messages between accounts is not supported yet")
                moved += 1
                self._move_row(tx, row, target_folder_id, target["name"])
        return moved

    @staticmethod
    def _move_row(tx: sqlite3.Connection, row: sqlite3.Row, target_id: int, target: str) -> None:
        pending = _pending_move(tx, row["pk"]) if row["uid"] is None else None
        if pending is not None and pending["folder_id"] == target_id:  # moved back in time
            tx.execute("DELETE FROM pending_changes WHERE id = ?", (pending["id"],))
            tx.execute("UPDATE messages SET folder_id = ?, uid = ?, uidvalidity = ? "
                       "WHERE pk = ?", (target_id, pending["uid"], pending["uidvalidity"],
                                        row["pk"]))
            return
        if pending is not None:  # moved again before the first move reached the server
            tx.execute("UPDATE pending_changes SET argument = ? WHERE id = ?",
                       (target, pending["id"]))
        elif row["uid"] is not None:
            _queue(tx, row, "move", target, row["pk"])
        keep_uid = row["uid"] is None and pending is None  # POP3 or local: no server side
        tx.execute("UPDATE messages SET folder_id = ?, uid = ?, uidvalidity = ? WHERE pk = ?",
                   (target_id, row["uid"] if keep_uid else None,
                    row["uidvalidity"] if keep_uid else None, row["pk"]))

    def delete_messages(self, idents: Iterable[str]) -> int:
        """Delete as a mail program does: to the account's Trash, or for good from Trash."""
        count = 0
        with self.db.transaction() as tx:
            for row in _rows(tx, idents):
                trash = tx.execute("SELECT id, name FROM folders WHERE account = ? AND "
                                   "role = 'trash'", (row["account"],)).fetchone()
                if trash is None or row["folder_id"] == trash["id"]:
                    self._expunge_row(tx, row)
                else:
                    self._move_row(tx, row, trash["id"], trash["name"])
                count += 1
        return count

    def expunge_messages(self, idents: Iterable[str]) -> int:
        """Delete messages for good, here and (queued) on the server."""
        with self.db.transaction() as tx:
            rows = _rows(tx, idents)
            for row in rows:
                self._expunge_row(tx, row)
        return len(rows)

    def empty_folder(self, folder_id: int) -> int:
        """Delete every message of a folder for good (empty Trash)."""
        ids = [r["id"] for r in self.db.query("SELECT id FROM messages WHERE folder_id = ?",
                                              (folder_id,))]
        return self.expunge_messages(ids)

    @staticmethod
    def _expunge_row(tx: sqlite3.Connection, row: sqlite3.Row) -> None:
        pending = _pending_move(tx, row["pk"]) if row["uid"] is None else None
        if pending is not None:  # still in its first folder on the server: expunge it there
            tx.execute("UPDATE pending_changes SET action = 'expunge', argument = '', "
                       "message_pk = NULL WHERE id = ?", (pending["id"],))
        elif row["uid"] is not None:
            _queue(tx, row, "expunge")
        delete_where(tx, "pk = ?", (row["pk"],))

    # the queue, for the sync's replay ----------------------------------------------------
    def pending_changes(self, account: str) -> list[PendingChange]:
        """Queued changes of an account, oldest first."""
        rows = self.db.query(
            "SELECT c.*, f.name AS folder FROM pending_changes c "
            "JOIN folders f ON f.id = c.folder_id WHERE c.account = ? ORDER BY c.id",
            (account,))
        return [PendingChange(r["id"], r["account"], r["folder_id"], r["folder"],
                              r["uidvalidity"], r["uid"], r["action"], r["argument"],
                              r["message_pk"]) for r in rows]

    def leaving_uids(self, folder_id: int, uidvalidity: int) -> set[int]:
        """UIDs still in a folder on the server that were moved or deleted here (queued):
        a sync must not fetch them again as new."""
        rows = self.db.query(
            "SELECT uid FROM pending_changes WHERE folder_id = ? AND uidvalidity = ? "
            "AND action IN ('move', 'expunge')", (folder_id, uidvalidity))
        return {r["uid"] for r in rows}

    def finish_changes(self, ids: Iterable[int]) -> None:
        """Drop replayed (or no longer applicable) changes from the queue."""
        with self.db.transaction() as tx:
            tx.executemany("DELETE FROM pending_changes WHERE id = ?", [(i,) for i in ids])

    def fail_changes(self, ids: Iterable[int], error: str) -> None:
        """Note a failed replay; the changes stay queued."""
        with self.db.transaction() as tx:
            tx.executemany("UPDATE pending_changes SET attempts = attempts + 1, last_error = ? "
                           "WHERE id = ?", [(error, i) for i in ids])

    def place_moved(self, message_pk: int, uidvalidity: int | None, uid: int | None) -> None:
        """Give a moved message its UID in the target folder; None: forget the local row (the
        next sync of the target fetches it)."""
        with self.db.transaction() as tx:
            row = tx.execute("SELECT folder_id FROM messages WHERE pk = ? AND uid IS NULL",
                             (message_pk,)).fetchone()
            if row is None:
                return
            taken = uid is not None and tx.execute(
                "SELECT 1 FROM messages WHERE folder_id = ? AND uidvalidity = ? AND uid = ?",
                (row["folder_id"], uidvalidity, uid)).fetchone()
            if uid is None or uidvalidity is None or taken:
                delete_where(tx, "pk = ?", (message_pk,))
            else:
                tx.execute("UPDATE messages SET uid = ?, uidvalidity = ? WHERE pk = ?",
                           (uid, uidvalidity, message_pk))
