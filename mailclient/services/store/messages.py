"""The store's facade: folders and messages of one profile, added, listed, read, changed."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import datetime

from mailclient.core.errors import NotFoundError, StoreError
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.changes import LocalChanges
from mailclient.services.store.database import Database
from mailclient.services.store.folders import FolderQueries
from mailclient.services.store.ingest import (
    NewMessage,
    index_pending,
    insert_rows,
    message_key,
    prepare,
    store_bodies,
)
from mailclient.services.store.rows import (
    MESSAGE_COLUMNS,
    FolderRow,
    MessageRow,
    delete_where,
    row_to_message,
)
from mailclient.services.store.threads import ThreadQueries

__all__ = ["MESSAGE_COLUMNS", "FolderRow", "MessageRow", "MessageStore", "NewMessage",
           "message_key", "row_to_message"]



NEWEST_FIRST = "date-desc"
# The message list's orders (a column, then the newest first among equals), done in SQL.
LIST_ORDERS = {
    NEWEST_FIRST: "date_epoch DESC, pk DESC",
    "date-asc": "date_epoch ASC, pk ASC",
    "sender-asc": "sender COLLATE NOCASE ASC, date_epoch DESC, pk DESC",
    "sender-desc": "sender COLLATE NOCASE DESC, date_epoch DESC, pk DESC",
    "subject-asc": "subject COLLATE NOCASE ASC, date_epoch DESC, pk DESC",
    "subject-desc": "subject COLLATE NOCASE DESC, date_epoch DESC, pk DESC",
    "size-asc": "size ASC, date_epoch DESC, pk DESC",
    "size-desc": "size DESC, date_epoch DESC, pk DESC",
}

class MessageStore(FolderQueries, LocalChanges, ThreadQueries):
    """Folders and messages of every account of one profile."""

    def __init__(self, db: Database, blobs: BlobStore) -> None:
        self.db = db
        self.blobs = blobs

    def add_message(self, *, account: str, folder_id: int, raw: bytes, flags: Iterable[str],
                    uidvalidity: int | None = None, uid: int | None = None,
                    uidl: str | None = None, fallback_date: datetime | None = None) -> str:
        """Store one message; see ``add_messages``."""
        return self.add_messages([NewMessage(account, folder_id, raw, list(flags), uidvalidity,
                                             uid, uidl, fallback_date)])[0]

    def add_messages(self, items: list[NewMessage], *, index: bool = True) -> list[str]:
        """Store a batch of messages and return their ids, in order.

        Raw bytes, row, index entry and thread go in one transaction (one fsync for the
        batch), so a crash never leaves a half-written message visible. With ``index``
        false only the headers are parsed now (fast); ``index_pending`` later puts body
        text and attachment names in the search index. A message already stored (same UID
        or UIDL) keeps its row and returns its id.
        """
        if not items:
            return []
        names = self._folder_names({item.folder_id for item in items})
        idents = [item.ident(names[item.folder_id]) for item in items]
        stored = self._existing(idents)
        rows = []
        for item, ident in zip(items, idents, strict=True):
            if ident not in stored:
                stored.add(ident)
                rows.append(prepare(ident, item, index=index))
        if rows:
            with self.db.transaction() as tx:
                insert_rows(tx, rows)
        return idents

    def store_bodies(self, folder_id: int, uidvalidity: int,
                     bodies: list[tuple[int, bytes]]) -> int:
        """Put whole messages in place of header-only rows (by UID); returns how many."""
        return store_bodies(self.db, folder_id, uidvalidity, bodies)

    def index_pending(self, *, limit: int | None = None) -> int:
        """Index body text and attachments of messages stored without (see add_messages)."""
        return index_pending(self.db, limit=limit)

    def missing_bodies(self, folder_id: int, uidvalidity: int, *,
                       since_epoch: float | None = None) -> list[int]:
        """UIDs of the folder's header-only messages, newest first (dated after a time)."""
        rows = self.db.query(
            "SELECT uid FROM messages WHERE folder_id = ?1 AND uidvalidity = ?2 "
            "AND body_state = 'header' AND uid IS NOT NULL "
            "AND (?3 IS NULL OR date_epoch >= ?3) ORDER BY uid DESC",
            (folder_id, uidvalidity, since_epoch),
        )
        return [r["uid"] for r in rows]

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
        """POP3 UIDL -> time it was downloaded (kept after the message is deleted here)."""
        rows = self.db.query(
            "SELECT uidl, added_epoch FROM pop3_uidls WHERE account = ?", (account,)
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
                delete_where(tx, "folder_id = ? AND uid = ?", (folder_id, uid))

    def list_messages(self, *, account: str | None = None, folder: str | None = None,
                      role: str | None = None, limit: int | None = None,
                      offset: int = 0) -> list[MessageRow]:
        """Messages, newest first, optionally of one account, folder, or folder role
        (``role="inbox"`` without an account is the unified inbox)."""
        places = self.scope_folder_ids(account=account, folder=folder, role=role)
        if not places:
            return []
        rows = self.db.query(
            f"""SELECT {MESSAGE_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id
                WHERE m.folder_id IN ({_marks(places)})
                ORDER BY m.date_epoch DESC, m.pk DESC LIMIT ? OFFSET ?""",
            (*places, -1 if limit is None else limit, offset))
        return [row_to_message(r) for r in rows]

    def scope_folder_ids(self, *, account: str | None = None, folder: str | None = None,
                         role: str | None = None) -> list[int]:
        """The ids of the folders whose messages ``list_messages`` lists for these filters
        (queries by folder id use the index on (folder_id, date_epoch))."""
        rows = self.db.query(
            "SELECT id FROM folders WHERE (:account IS NULL OR account = :account) "
            "AND (:folder IS NULL OR name = :folder) AND (:role IS NULL OR role = :role) "
            "ORDER BY id", {"account": account, "folder": folder, "role": role})
        return [int(r[0]) for r in rows]

    def list_keys(self, folder_ids: list[int], order: str = NEWEST_FIRST
                  ) -> tuple[array[int], array[float]]:
        """The row keys (``pk``) of the folders' messages in ``order`` (one of
        ``LIST_ORDERS``; by default ``list_messages`` order), and their dates in the same
        order: the message list's arrays (100,000 keys are 0.8 MB, their dates as much), read
        in one query, sorted there.

        Raises:
            KeyError: not an order of ``LIST_ORDERS``.
        """
        sort = LIST_ORDERS[order]
        if not folder_ids:
            return array("q"), array("d")
        # One string each instead of a row per message: a third faster than 100,000 rows.
        # Both aggregates keep the order of their ordered subquery (SQLite < 3.44 has no
        # group_concat(... ORDER BY); tests check the order).
        keys, dates = self.db.query(
            f"SELECT group_concat(pk), group_concat(COALESCE(date_epoch, 0)) FROM "
            f"(SELECT pk, date_epoch FROM messages WHERE folder_id IN ({_marks(folder_ids)}) "
            f"ORDER BY {sort})", tuple(folder_ids))[0]
        if not keys:
            return array("q"), array("d")
        return array("q", map(int, keys.split(","))), array("d", map(float, dates.split(",")))

    def keys_after(self, folder_ids: list[int], key: int
                   ) -> tuple[list[tuple[int, float]], tuple[int, int]]:
        """(key, date_epoch) of the folders' messages with a key above ``key`` (stored
        since it was the highest), newest first; and how many messages the folders hold and
        the sum of their keys (a cheap check that nothing else changed), both read at the
        same moment (a sync may be storing meanwhile)."""
        if not folder_ids:
            return [], (0, 0)
        marks = _marks(folder_ids)
        # One row each (group_concat): sqlite3 lets go of the GIL at every row it steps to,
        # and during a sync each time back costs a wait behind the sync's thread.
        with self.db.snapshot() as reader:
            keys, dates = reader.execute(  # by rowid range: "+folder_id" keeps the index out
                f"SELECT group_concat(pk), group_concat(COALESCE(date_epoch, 0)) FROM "
                f"(SELECT pk, date_epoch FROM messages WHERE pk > ? AND +folder_id IN ({marks}) "
                f"ORDER BY date_epoch DESC, pk DESC)", (key, *folder_ids)).fetchone()
            census = reader.execute(f"SELECT COUNT(*), TOTAL(pk) FROM messages "
                                    f"WHERE folder_id IN ({marks})", tuple(folder_ids)).fetchone()
        arrived = list(zip(map(int, keys.split(",")), map(float, dates.split(",")),
                           strict=True)) if keys else []
        return arrived, (int(census[0]), int(census[1]))

    def messages_by_key(self, keys: list[int]) -> dict[int, MessageRow]:
        """The messages with these keys (those still stored), by key."""
        if not keys:
            return {}
        rows = self.db.query(
            f"SELECT m.pk, {MESSAGE_COLUMNS} FROM messages m JOIN folders f "
            f"ON f.id = m.folder_id WHERE m.pk IN ({_marks(keys)})", tuple(keys))
        return {int(r["pk"]): row_to_message(r) for r in rows}

    def key_of(self, ident: str) -> int | None:
        """The row key of the message with public id ``ident``, None if there is none."""
        rows = self.db.query("SELECT pk FROM messages WHERE id = ?", (ident,))
        return int(rows[0][0]) if rows else None

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
        """The raw bytes of a stored message (only its header if ``has_body`` is false)."""
        rows = self.db.query(
            "SELECT r.data, m.blob FROM messages m LEFT JOIN message_raw r ON r.pk = m.pk "
            "WHERE m.id = ?", (ident,))
        if not rows:
            raise NotFoundError(f"no message with id {ident!r}")
        if rows[0]["data"] is not None:
            return bytes(rows[0]["data"])
        if not rows[0]["blob"]:
            raise StoreError(f"the stored message {ident} has lost its content")
        return self.blobs.get(rows[0]["blob"])  # stored before raw messages moved into SQLite

    def count(self, account: str | None = None) -> int:
        return int(self.db.query(
            "SELECT COUNT(*) FROM messages WHERE (:a IS NULL OR account = :a)", {"a": account}
        )[0][0])


def _marks(values: list[int]) -> str:
    """``?,?,?``: one parameter per value."""
    return ",".join("?" * len(values))
