"""Folders and messages in the store: adding, listing, reading, flag and expunge updates."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from mailclient.core.errors import NotFoundError
from mailclient.core.message_summary import STANDARD_FLAGS, Summary, summarize
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.database import Database


@dataclass(frozen=True)
class FolderRow:
    """A folder of an account, with its sync state and counts."""

    id: int
    account: str
    name: str
    role: str | None
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    total: int = 0
    unread: int = 0


@dataclass(frozen=True)
class MessageRow:
    """One stored message as a list shows it."""

    id: str
    account: str
    folder: str
    sender: str
    to: list[str]
    subject: str
    date: str | None
    flags: list[str]
    size: int
    attachments: int
    message_id: str
    blob: str
    uid: int | None
    uidl: str | None

    def to_json(self) -> dict[str, object]:
        """The object ``mailclient list --json`` prints."""
        return {
            "id": self.id,
            "account": self.account,
            "folder": self.folder,
            "from": self.sender,
            "to": self.to,
            "subject": self.subject,
            "date": self.date,
            "flags": [f for f in self.flags if f in STANDARD_FLAGS],
            "size": self.size,
            "attachments": self.attachments,
        }


@dataclass(frozen=True)
class NewMessage:
    """A message to store: where it is on the server, its flags and its raw bytes."""

    account: str
    folder_id: int
    raw: bytes
    flags: list[str]
    uidvalidity: int | None = None
    uid: int | None = None
    uidl: str | None = None
    fallback_date: datetime | None = None

    def ident(self, folder_name: str) -> str:
        """The public id: what identifies the message on its server, so it is the same on
        every resync (even into an emptied store) and unique within the profile."""
        if self.uidl is not None:
            return message_key(self.account, "pop3", self.uidl)
        return message_key(self.account, folder_name, self.uidvalidity, self.uid)


def message_key(*parts: object) -> str:
    """A short, stable public id from the parts that identify a message on its server."""
    digest = hashlib.sha256("\0".join(str(p) for p in parts).encode("utf-8")).digest()
    return base64.b32encode(digest[:10]).decode("ascii").lower()


MESSAGE_COLUMNS = """
    m.id, m.account, f.name AS folder, m.sender, m.recipients, m.subject, m.date_text,
    m.flags, m.size, m.attachments, m.message_id, m.blob, m.uid, m.uidl
"""


def row_to_message(row: sqlite3.Row) -> MessageRow:
    return MessageRow(
        id=row["id"], account=row["account"], folder=row["folder"], sender=row["sender"],
        to=json.loads(row["recipients"]), subject=row["subject"], date=row["date_text"],
        flags=row["flags"].split(), size=row["size"], attachments=row["attachments"],
        message_id=row["message_id"], blob=row["blob"], uid=row["uid"], uidl=row["uidl"],
    )


class MessageStore:
    """Folders and messages of every account of one profile."""

    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self.db = db
        self.blobs = blobs

    # folders -------------------------------------------------------------------------
    def ensure_folder(self, account: str, name: str, role: str | None = None) -> int:
        """Return the id of a folder, creating it if needed; the role is updated."""
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO folders (account, name, role) VALUES (?, ?, ?) "
                "ON CONFLICT (account, name) DO UPDATE SET role = excluded.role",
                (account, name, role),
            )
            return int(tx.execute(
                "SELECT id FROM folders WHERE account = ? AND name = ?", (account, name)
            ).fetchone()[0])

    def folders(self, account: str | None = None) -> list[FolderRow]:
        """Folders with total and unread counts, INBOX first, then by name."""
        rows = self.db.query(
            """SELECT f.*, COUNT(m.pk) AS total,
                      COALESCE(SUM(m.pk IS NOT NULL AND ' ' || m.flags || ' '
                                   NOT LIKE '% seen %'), 0) AS unread
               FROM folders f LEFT JOIN messages m ON m.folder_id = f.id
               WHERE (:account IS NULL OR f.account = :account)
               GROUP BY f.id
               ORDER BY f.account, f.role IS NOT 'inbox', f.name""",
            {"account": account},
        )
        return [FolderRow(r["id"], r["account"], r["name"], r["role"], r["uidvalidity"],
                          r["uidnext"], r["highestmodseq"], r["total"], r["unread"])
                for r in rows]

    def folder(self, account: str, name: str) -> FolderRow:
        for row in self.folders(account):
            if row.name == name:
                return row
        raise NotFoundError(f"account {account!r} has no folder {name!r}")

    def folder_uidvalidity(self, folder_id: int) -> int | None:
        """The UIDVALIDITY the folder's cached messages belong to (None before a sync)."""
        rows = self.db.query("SELECT uidvalidity FROM folders WHERE id = ?", (folder_id,))
        return rows[0]["uidvalidity"] if rows else None

    def set_folder_state(self, folder_id: int, *, uidvalidity: int | None,
                         uidnext: int | None, highestmodseq: int | None) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ? WHERE id = ?",
                (uidvalidity, uidnext, highestmodseq, folder_id),
            )

    def clear_folder(self, folder_id: int) -> None:
        """Drop every cached message of a folder (its UIDVALIDITY changed)."""
        with self.db.transaction() as tx:
            self._delete_where(tx, "folder_id = ?", (folder_id,))

    def remove_folder_missing(self, account: str, keep: Iterable[str]) -> None:
        """Forget folders of ``account`` that the server no longer lists."""
        names = set(keep)
        with self.db.transaction() as tx:
            for row in tx.execute("SELECT id, name FROM folders WHERE account = ?", (account,)):
                if row["name"] not in names:
                    self._delete_where(tx, "folder_id = ?", (row["id"],))
                    tx.execute("DELETE FROM folders WHERE id = ?", (row["id"],))

    # messages ------------------------------------------------------------------------
    def add_message(self, *, account: str, folder_id: int, raw: bytes, flags: Iterable[str],
                    uidvalidity: int | None = None, uid: int | None = None,
                    uidl: str | None = None, fallback_date: datetime | None = None) -> str:
        """Store one message; see ``add_messages``."""
        return self.add_messages([NewMessage(account, folder_id, raw, list(flags), uidvalidity,
                                             uid, uidl, fallback_date)])[0]

    def add_messages(self, items: list[NewMessage]) -> list[str]:
        """Store a batch of messages and return their ids, in order.

        The raw bytes are written (and made durable) first, then every row and index entry
        in one transaction, so a crash never leaves a half-written message visible. A
        message already stored (same UID or UIDL) keeps its row and returns its id.
        """
        if not items:
            return []
        names = self._folder_names({item.folder_id for item in items})
        idents = [item.ident(names[item.folder_id]) for item in items]
        rows: list[tuple[NewMessage, str, Summary, str]] = []
        stored = self._existing(idents)
        for item, ident in zip(items, idents, strict=True):
            if ident in stored:
                continue
            stored.add(ident)
            rows.append((item, ident, summarize(item.raw), self.blobs.put(item.raw)))
        if not rows:
            return idents
        self.blobs.sync_dirs()
        now = time.time()
        with self.db.transaction() as tx:
            for item, ident, summary, key in rows:
                date = (summary.date or item.fallback_date or datetime.now(UTC)).replace(
                    microsecond=0)
                cursor = tx.execute(
                    """INSERT OR IGNORE INTO messages (id, account, folder_id, uidvalidity, uid,
                           uidl, message_id, flags, date_epoch, date_text, sender, recipients,
                           subject, size, attachments, blob, added_epoch)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (ident, item.account, item.folder_id, item.uidvalidity, item.uid, item.uidl,
                     summary.message_id, " ".join(sorted(set(item.flags))), date.timestamp(),
                     date.isoformat(), summary.sender, json.dumps(summary.to, ensure_ascii=False),
                     summary.subject, len(item.raw), summary.attachment_count, key, now),
                )
                if cursor.rowcount:
                    tx.execute(
                        "INSERT INTO messages_fts (rowid, subject, sender, recipients, body, "
                        "attachment_names) VALUES (?, ?, ?, ?, ?, ?)",
                        (cursor.lastrowid, summary.subject, summary.sender,
                         " ".join(summary.to + summary.cc), summary.body_text,
                         " ".join(summary.attachment_names)),
                    )
        return idents

    def _folder_names(self, folder_ids: set[int]) -> dict[int, str]:
        marks = ",".join("?" * len(folder_ids))
        rows = self.db.query(f"SELECT id, name FROM folders WHERE id IN ({marks})",
                             tuple(folder_ids))
        names = {r["id"]: r["name"] for r in rows}
        missing = folder_ids - names.keys()
        if missing:
            raise NotFoundError(f"no folder with id {min(missing)} in the store")
        return names

    def _existing(self, idents: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(idents), 500):
            chunk = idents[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r["id"] for r in self.db.query(
                f"SELECT id FROM messages WHERE id IN ({marks})", tuple(chunk)))
        return found

    def known_uids(self, folder_id: int, uidvalidity: int) -> dict[int, list[str]]:
        """UID -> flags of the messages stored for a folder."""
        rows = self.db.query(
            "SELECT uid, flags FROM messages WHERE folder_id = ? AND uidvalidity = ?",
            (folder_id, uidvalidity),
        )
        return {r["uid"]: r["flags"].split() for r in rows}

    def known_uidls(self, account: str) -> dict[str, float]:
        """POP3 UIDL -> time it was downloaded."""
        rows = self.db.query(
            "SELECT uidl, added_epoch FROM messages WHERE account = ? AND uidl IS NOT NULL",
            (account,),
        )
        return {r["uidl"]: r["added_epoch"] for r in rows}

    def set_flags(self, folder_id: int, changes: dict[int, list[str]]) -> None:
        """Replace the flags of messages of a folder, by UID."""
        with self.db.transaction() as tx:
            tx.executemany(
                "UPDATE messages SET flags = ? WHERE folder_id = ? AND uid = ?",
                [(" ".join(sorted(set(f))), folder_id, uid) for uid, f in changes.items()],
            )

    def remove_uids(self, folder_id: int, uids: Iterable[int]) -> None:
        """Forget messages expunged on the server."""
        with self.db.transaction() as tx:
            for uid in uids:
                self._delete_where(tx, "folder_id = ? AND uid = ?", (folder_id, uid))

    def _delete_where(self, tx: sqlite3.Connection, where: str, params: tuple[object, ...]) -> None:
        rows = tx.execute(f"SELECT pk FROM messages WHERE {where}", params).fetchall()
        tx.executemany("DELETE FROM messages_fts WHERE rowid = ?", [(r["pk"],) for r in rows])
        tx.execute(f"DELETE FROM messages WHERE {where}", params)

    def list_messages(self, *, account: str | None = None, folder: str | None = None,
                      role: str | None = None, limit: int | None = None,
                      offset: int = 0) -> list[MessageRow]:
        """Messages, newest first, optionally of one account, folder, or folder role
        (``role="inbox"`` without an account is the unified inbox)."""
        rows = self.db.query(
            f"""SELECT {MESSAGE_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id
                WHERE (:account IS NULL OR m.account = :account)
                  AND (:folder IS NULL OR f.name = :folder)
                  AND (:role IS NULL OR f.role = :role)
                ORDER BY m.date_epoch DESC, m.pk DESC LIMIT :limit OFFSET :offset""",
            {"account": account, "folder": folder, "role": role,
             "limit": -1 if limit is None else limit, "offset": offset},
        )
        return [row_to_message(r) for r in rows]

    def message(self, ident: str) -> MessageRow:
        """The message with public id ``ident``; ``NotFoundError`` if none."""
        rows = self.db.query(
            f"SELECT {MESSAGE_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id "
            "WHERE m.id = ?", (ident,),
        )
        if not rows:
            raise NotFoundError(f"no message with id {ident!r}")
        return row_to_message(rows[0])

    def raw(self, ident: str) -> bytes:
        """The raw bytes of a stored message."""
        return self.blobs.get(self.message(ident).blob)

    def count(self, account: str | None = None) -> int:
        return int(self.db.query(
            "SELECT COUNT(*) FROM messages WHERE (:a IS NULL OR account = :a)", {"a": account}
        )[0][0])
