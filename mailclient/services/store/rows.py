"""Rows as the store hands them out: folders and messages, and how they are read from SQL."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from mailclient.core.message_summary import STANDARD_FLAGS


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
    subscribed: bool | None = None  # None: the server was not asked (POP3, local)


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
    thread_id: int | None = None
    has_body: bool = True

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


MESSAGE_COLUMNS = """
    m.id, m.account, f.name AS folder, m.sender, m.recipients, m.subject, m.date_text,
    m.flags, m.size, m.attachments, m.message_id, m.blob, m.uid, m.uidl, m.thread_id,
    m.body_state
"""


def row_to_message(row: sqlite3.Row) -> MessageRow:
    return MessageRow(
        id=row["id"], account=row["account"], folder=row["folder"], sender=row["sender"],
        to=json.loads(row["recipients"]), subject=row["subject"], date=row["date_text"],
        flags=row["flags"].split(), size=row["size"], attachments=row["attachments"],
        message_id=row["message_id"], blob=row["blob"], uid=row["uid"], uidl=row["uidl"],
        thread_id=row["thread_id"], has_body=row["body_state"] == "full",
    )


def delete_where(tx: sqlite3.Connection, where: str, params: tuple[object, ...]) -> None:
    """Delete messages (rows, raw bytes, index entries) matching a WHERE clause."""
    rows = tx.execute(f"SELECT pk FROM messages WHERE {where}", params).fetchall()
    tx.executemany("DELETE FROM messages_fts WHERE rowid = ?", [(r["pk"],) for r in rows])
    tx.executemany("DELETE FROM message_raw WHERE pk = ?", [(r["pk"],) for r in rows])
    tx.execute(f"DELETE FROM messages WHERE {where}", params)
