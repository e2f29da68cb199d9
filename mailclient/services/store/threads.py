"""Conversations in the store: a thread id per message, kept up to date as messages arrive.

Each account maps every Message-ID it has seen (of a message, or named in In-Reply-To or
References) to a thread; a new message joins the thread of any id it names, merging threads
it bridges, so a reply filed in Sent joins the conversation in the Inbox. A reply without
references ("Re: x" from a client that drops them) joins the latest thread with the same
base subject, as JWZ's subject fallback does. The order inside a conversation is for
``core.conversations.thread_messages`` to work out when one is shown.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from mailclient.core.subjects import split_subject
from mailclient.services.store.database import Database
from mailclient.services.store.rows import MESSAGE_COLUMNS, MessageRow, row_to_message

_CHUNK = 400


@dataclass(frozen=True)
class ThreadRow:
    """One conversation in a list: its newest message and how many (unread) it holds in the
    listed scope."""

    thread_id: int
    latest: MessageRow
    count: int
    unread: int


class ThreadQueries:
    """The conversation half of ``MessageStore`` (a mixin: it needs ``self.db``)."""

    db: Database

    def list_threads(self, *, account: str | None = None, folder: str | None = None,
                     role: str | None = None, limit: int | None = None,
                     offset: int = 0) -> list[ThreadRow]:
        """Conversations with a message in the scope, the most recently active first."""
        rows = self.db.query(
            f"""WITH scoped AS (
                    SELECT m.thread_id, m.id, MAX(m.date_epoch) AS latest, COUNT(*) AS n,
                           SUM(' ' || m.flags || ' ' NOT LIKE '% seen %') AS unread
                    FROM messages m JOIN folders f ON f.id = m.folder_id
                    WHERE (:account IS NULL OR m.account = :account)
                      AND (:folder IS NULL OR f.name = :folder)
                      AND (:role IS NULL OR f.role = :role)
                    GROUP BY COALESCE(m.thread_id, -m.pk))
                SELECT {MESSAGE_COLUMNS}, s.n, s.unread
                FROM scoped s JOIN messages m ON m.id = s.id
                JOIN folders f ON f.id = m.folder_id
                ORDER BY s.latest DESC, m.pk DESC LIMIT :limit OFFSET :offset""",
            {"account": account, "folder": folder, "role": role,
             "limit": -1 if limit is None else limit, "offset": offset},
        )
        return [ThreadRow(r["thread_id"] or 0, row_to_message(r), r["n"], r["unread"])
                for r in rows]

    def thread(self, thread_id: int) -> list[MessageRow]:
        """Every message of a conversation, in every folder of its account, oldest first."""
        rows = self.db.query(
            f"SELECT {MESSAGE_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id "
            "WHERE m.thread_id = ? ORDER BY m.date_epoch, m.pk", (thread_id,))
        return [row_to_message(r) for r in rows]


def assign_thread(tx: sqlite3.Connection, account: str, message_id: str, in_reply_to: str,
                  references: list[str], subject: str) -> int:
    """The thread of a new message (creating or merging threads); records its ids."""
    keys = list(dict.fromkeys(k for k in (message_id, in_reply_to, *references) if k))
    found: set[int] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(row[0] for row in tx.execute(
            f"SELECT thread_id FROM thread_keys WHERE account = ? AND message_id IN ({marks})",
            (account, *chunk)))
    base, replied = split_subject(subject)
    subject_key = base.casefold()
    if not found and replied and subject_key and not (in_reply_to or references):
        row = tx.execute("SELECT id FROM threads WHERE account = ? AND subject_key = ? "
                         "ORDER BY id DESC LIMIT 1", (account, subject_key)).fetchone()
        if row is not None:
            found.add(row[0])
    if found:
        thread = min(found)
        _merge(tx, thread, sorted(found - {thread}))
    else:
        cursor = tx.execute("INSERT INTO threads (account, subject_key) VALUES (?, ?)",
                            (account, subject_key))
        thread = int(cursor.lastrowid or 0)
    tx.executemany(
        "INSERT OR IGNORE INTO thread_keys (account, message_id, thread_id) VALUES (?, ?, ?)",
        [(account, key, thread) for key in keys])
    return thread


def _merge(tx: sqlite3.Connection, into: int, others: list[int]) -> None:
    for other in others:
        tx.execute("UPDATE messages SET thread_id = ? WHERE thread_id = ?", (into, other))
        tx.execute("UPDATE thread_keys SET thread_id = ? WHERE thread_id = ?", (into, other))
        tx.execute("DELETE FROM threads WHERE id = ?", (other,))
