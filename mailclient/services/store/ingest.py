"""Writing messages into the store: new rows (whole or headers only), bodies later, indexing."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from mailclient.core.header_summary import HeaderSummary, summarize_header
from mailclient.core.index_text import IndexText, index_text
from mailclient.services.store.database import Database
from mailclient.services.store.thread_assign import ThreadKeys, assign_threads

INDEX_BATCH = 200
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32, lower case
_BASE32_PAIRS = [a + b for a in _BASE32 for b in _BASE32]
_INSERT_FTS = ("INSERT INTO messages_fts (rowid, subject, sender, recipients, body, "
               "attachment_names) VALUES (?, ?, ?, ?, ?, ?)")


@dataclass(frozen=True)
class NewMessage:
    """A message to store: where it is on the server, its flags and its raw bytes.

    ``header_only``: ``raw`` is just the header block (headers-first sync); ``size`` is then
    the server's RFC822.SIZE of the whole message.
    """

    account: str
    folder_id: int
    raw: bytes
    flags: list[str]
    uidvalidity: int | None = None
    uid: int | None = None
    uidl: str | None = None
    fallback_date: datetime | None = None
    header_only: bool = False
    modseq: int | None = None
    size: int | None = None

    def ident(self, folder_name: str) -> str:
        """The public id: what identifies the message on its server, so it is the same on
        every resync (even into an emptied store) and unique within the profile."""
        if self.uidl is not None:
            return message_key(self.account, "pop3", self.uidl)
        return message_key(self.account, folder_name, self.uidvalidity, self.uid)


def message_key(*parts: object) -> str:
    """A short, stable public id from the parts that identify a message on its server: the
    first 80 bits of their SHA-256 in lower-case base32 (two letters per 10 bits here)."""
    digest = hashlib.sha256("\0".join(map(str, parts)).encode("utf-8")).digest()
    n, pairs = int.from_bytes(digest[:10], "big"), _BASE32_PAIRS
    return "".join((pairs[n >> 70], pairs[n >> 60 & 1023], pairs[n >> 50 & 1023],
                    pairs[n >> 40 & 1023], pairs[n >> 30 & 1023], pairs[n >> 20 & 1023],
                    pairs[n >> 10 & 1023], pairs[n & 1023]))


@dataclass(slots=True)
class RowFields:
    """The row fields of a message, from the full parse or the cheap header parse."""

    message_id: str
    in_reply_to: str
    references: list[str]
    subject: str
    sender: str
    to: list[str]
    cc: list[str]
    date: datetime | None
    attachment_names: list[str] | None  # None: not known until the body is indexed
    body_text: str
    defects: int = 0


def _fields(summary: HeaderSummary, text: IndexText | None) -> RowFields:
    return RowFields(summary.message_id, summary.in_reply_to, summary.references, summary.subject,
                   summary.sender, summary.to, summary.cc, summary.date,
                   None if text is None else text.attachment_names,
                   "" if text is None else text.body_text, 0 if text is None else text.defects)


@dataclass(slots=True)
class PreparedRow:
    """One message ready to insert (parsed outside the write transaction)."""

    ident: str
    account: str
    folder_id: int
    uidvalidity: int | None
    uid: int | None
    uidl: str | None
    modseq: int | None
    flags: str
    size: int
    raw: bytes
    header_only: bool
    fallback_date: datetime | None
    fields: RowFields


def prepare(ident: str, item: NewMessage, *, index: bool) -> PreparedRow:
    """Parse a message for its row: the header fields always (the cheap parse, the same for
    every way a message comes in), body text and attachments too if ``index`` (and whole)."""
    text = index_text(item.raw) if index and not item.header_only else None
    fields = _fields(summarize_header(item.raw), text)
    size = item.size if item.size is not None else len(item.raw)
    return PreparedRow(ident, item.account, item.folder_id, item.uidvalidity, item.uid,
                       item.uidl, item.modseq, " ".join(sorted(set(item.flags))), size,
                       item.raw, item.header_only, item.fallback_date, fields)


def insert_rows(tx: sqlite3.Connection, rows: list[PreparedRow], *,
                unthreaded: bool = False) -> None:
    """Insert prepared rows (inside the caller's write transaction) with their raw bytes,
    index entries and threads; rows already stored (same id or UID) are skipped.

    ``unthreaded``: threads wait for ``thread_pending`` (``thread_id`` NULL until then).
    """
    rows = _unstored(tx, rows)
    if not rows:
        return
    first = int(tx.execute("SELECT COALESCE(MAX(pk), 0) + 1 FROM messages").fetchone()[0])
    threads: list[int | None] = [None] * len(rows) if unthreaded else list(assign_threads(tx, [
        ThreadKeys(row.account, row.fields.message_id, row.fields.in_reply_to,
                   row.fields.references, row.fields.subject) for row in rows]))
    now = time.time()
    values = []
    for pk, row, thread in zip(range(first, first + len(rows)), rows, threads, strict=True):
        fields = row.fields
        date = (fields.date or row.fallback_date or datetime.now(UTC)).replace(microsecond=0)
        values.append((
            pk, row.ident, row.account, row.folder_id, row.uidvalidity, row.uid, row.uidl,
            fields.message_id, fields.in_reply_to, " ".join(fields.references), row.flags,
            date.timestamp(), date.isoformat(), fields.sender,
            _recipients_json(tuple(fields.to)), fields.subject, row.size,
            len(fields.attachment_names or ()), now, row.modseq,
            "header" if row.header_only else "full", int(fields.attachment_names is not None),
            fields.defects, thread))
    tx.executemany(
        """INSERT INTO messages (pk, id, account, folder_id, uidvalidity, uid, uidl,
               message_id, in_reply_to, refs, flags, date_epoch, date_text, sender, recipients,
               subject, size, attachments, blob, added_epoch, modseq, body_state, indexed,
               defects, thread_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)""",
        values)
    pks = range(first, first + len(rows))
    tx.executemany("INSERT INTO message_raw (pk, data) VALUES (?, ?)",
                   [(pk, row.raw) for pk, row in zip(pks, rows, strict=True)])
    tx.executemany(_INSERT_FTS, [
        (pk, r.fields.subject, r.fields.sender, " ".join(r.fields.to + r.fields.cc),
         r.fields.body_text, " ".join(r.fields.attachment_names or ()))
        for pk, r in zip(pks, rows, strict=True)])
    tx.executemany(
        "INSERT OR IGNORE INTO pop3_uidls (account, uidl, added_epoch) VALUES (?, ?, ?)",
        [(row.account, row.uidl, now) for row in rows if row.uidl is not None])


@lru_cache(maxsize=4096)
def _recipients_json(to: tuple[str, ...]) -> str:
    """The ``recipients`` column (a JSON list), remembered: recipient lists recur."""
    return json.dumps(list(to), ensure_ascii=False)


def _unstored(tx: sqlite3.Connection, rows: list[PreparedRow]) -> list[PreparedRow]:
    """The rows whose id, and whose folder UID, the store does not hold yet."""
    taken: set[object] = set()
    idents = [row.ident for row in rows]
    for start in range(0, len(idents), 500):
        chunk = idents[start:start + 500]
        taken.update(r[0] for r in tx.execute(
            f"SELECT id FROM messages WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    places = {(row.folder_id, row.uidvalidity) for row in rows if row.uid is not None}
    for folder_id, uidvalidity in places:
        uids = [row.uid for row in rows
                if (row.folder_id, row.uidvalidity) == (folder_id, uidvalidity)]
        for start in range(0, len(uids), 500):
            some = uids[start:start + 500]
            taken.update((folder_id, uidvalidity, r[0]) for r in tx.execute(
                "SELECT uid FROM messages WHERE folder_id = ? AND uidvalidity = ? "
                f"AND uid IN ({','.join('?' * len(some))})", (folder_id, uidvalidity, *some)))
    return [row for row in rows if row.ident not in taken
            and (row.folder_id, row.uidvalidity, row.uid) not in taken]


def store_bodies(db: Database, folder_id: int, uidvalidity: int,
                 bodies: list[tuple[int, bytes]]) -> int:
    """Replace header-only rows by the whole messages (UID -> raw); returns how many."""
    done = 0
    with db.transaction() as tx:
        for uid, raw in bodies:
            found = tx.execute(
                "SELECT pk FROM messages WHERE folder_id = ? AND uidvalidity = ? AND uid = ? "
                "AND body_state = 'header'", (folder_id, uidvalidity, uid)).fetchone()
            if found is None:
                continue
            tx.execute("UPDATE message_raw SET data = ? WHERE pk = ?", (raw, found["pk"]))
            tx.execute("UPDATE messages SET body_state = 'full', indexed = 0, size = ? "
                       "WHERE pk = ?", (len(raw), found["pk"]))
            done += 1
    return done


def thread_pending(db: Database, *, limit: int) -> int:
    """Thread up to ``limit`` messages stored ``unthreaded``, oldest first, in one
    transaction (from their stored header fields); returns how many it did."""
    with db.transaction(durable=False) as tx:  # derived data: redone if a power cut loses it
        rows = tx.execute(
            "SELECT pk, account, message_id, in_reply_to, refs, subject FROM messages "
            "WHERE thread_id IS NULL ORDER BY pk LIMIT ?", (limit,)).fetchall()
        threads = assign_threads(tx, [
            ThreadKeys(r["account"], r["message_id"], r["in_reply_to"], r["refs"].split(),
                       r["subject"]) for r in rows])
        tx.executemany("UPDATE messages SET thread_id = ? WHERE pk = ?",
                       [(thread, r["pk"]) for thread, r in zip(threads, rows, strict=True)])
    return len(rows)


def index_pending(db: Database, *, limit: int | None = None) -> int:
    """Index what was stored without: threads of rows stored ``unthreaded``
    (``thread_pending``), then body text and attachment names of whole messages. Works in
    batches of ``INDEX_BATCH`` (one transaction each); returns how many it did (a message
    threaded and indexed counts twice).
    """
    done = 0
    while (limit is None or done < limit) and (some := thread_pending(
            db, limit=INDEX_BATCH if limit is None else min(INDEX_BATCH, limit - done))):
        done += some
    while limit is None or done < limit:
        size = INDEX_BATCH if limit is None else min(INDEX_BATCH, limit - done)
        rows = db.query(
            "SELECT m.pk, r.data FROM messages m JOIN message_raw r ON r.pk = m.pk "
            "WHERE m.indexed = 0 AND m.body_state = 'full' LIMIT ?", (size,))
        if not rows:
            break
        parsed = [(row["pk"], index_text(row["data"])) for row in rows]
        with db.transaction() as tx:
            for pk, summary in parsed:
                tx.execute("UPDATE messages SET indexed = 1, attachments = ?, defects = ? "
                           "WHERE pk = ?", (summary.attachment_count, summary.defects, pk))
                tx.execute("UPDATE messages_fts SET body = ?, attachment_names = ? "
                           "WHERE rowid = ?",
                           (summary.body_text, " ".join(summary.attachment_names), pk))
        done += len(rows)
    return done
