"""Conversations in the store, listed: one row per thread, and a thread's messages.

Thread ids are given as messages arrive (``thread_assign``); the order inside a
conversation is for ``core.conversations.thread_messages`` to work out when one is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

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
                    FROM messages m
                    WHERE m.folder_id IN (
                        SELECT id FROM folders WHERE (:account IS NULL OR account = :account)
                          AND (:folder IS NULL OR name = :folder)
                          AND (:role IS NULL OR role = :role))
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
