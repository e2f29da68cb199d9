"""Thread ids for a batch of new messages, worked out with a few queries per batch.

Each account maps every Message-ID it has seen (of a message, or named in In-Reply-To or
References) to a thread; a new message joins the thread of any id it names, merging threads
it bridges, so a reply filed in Sent joins the conversation in the Inbox. A reply without
references ("Re: x" from a client that drops them) joins the latest thread with the same
base subject, as JWZ's subject fallback does. A batch is resolved in memory and written at
the end: one lookup of all its ids, one of its subjects, inserts by ``executemany``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from mailclient.core.subjects import split_subject

_CHUNK = 400


@dataclass(frozen=True)
class ThreadKeys:
    """What threading reads of one message."""

    account: str
    message_id: str
    in_reply_to: str
    references: list[str]
    subject: str

    def ids(self) -> list[str]:
        return list(dict.fromkeys(k for k in (self.message_id, self.in_reply_to,
                                              *self.references) if k))

    def subject_key(self) -> tuple[str, bool]:
        """The base subject (case folded) and whether the subject marks a reply."""
        base, replied = split_subject(self.subject)
        return base.casefold(), replied


def assign_threads(tx: sqlite3.Connection, items: list[ThreadKeys]) -> list[int]:
    """The thread of each new message, in order (threads created or merged as needed)."""
    result = [0] * len(items)
    for account in dict.fromkeys(item.account for item in items):
        places = [i for i, item in enumerate(items) if item.account == account]
        batch = _Batch(tx, account, [items[i] for i in places])
        for place, thread in zip(places, batch.assign(), strict=True):
            result[place] = thread
    return result


class _Batch:
    """The threads of one account's messages in one batch."""

    def __init__(self, tx: sqlite3.Connection, account: str, items: list[ThreadKeys]) -> None:
        self.tx, self.account, self.items = tx, account, items
        self.known: dict[str, int] = {}  # Message-ID -> thread, from the store and the batch
        self.new_keys: dict[str, int] = {}  # Message-IDs to record
        self.by_subject: dict[str, int] = {}  # base subject -> latest thread with it
        self.created: dict[int, str] = {}  # threads made by this batch -> their subject key
        self.merged: dict[int, int] = {}  # thread -> the thread it was merged into
        row = tx.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM threads").fetchone()
        self.next_id = int(row[0])
        self.subjects: list[tuple[str, bool]] = []

    def assign(self) -> list[int]:
        self.subjects = [item.subject_key() for item in self.items]
        self._load()
        chosen = [self._assign(item, subject) for item, subject in zip(
            self.items, self.subjects, strict=True)]
        self._write()
        return [self._resolve(thread) for thread in chosen]

    def _load(self) -> None:
        keys = list(dict.fromkeys(k for item in self.items for k in item.ids()))
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            self.known.update(self.tx.execute(
                "SELECT message_id, thread_id FROM thread_keys "
                f"WHERE account = ? AND message_id IN ({marks})", (self.account, *chunk)))
        subjects = list(dict.fromkeys(
            key for item, subject in zip(self.items, self.subjects, strict=True)
            if (key := self._fallback_subject(item, subject))))
        for start in range(0, len(subjects), _CHUNK):
            chunk = subjects[start:start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            self.by_subject.update(self.tx.execute(
                "SELECT subject_key, MAX(id) FROM threads "
                f"WHERE account = ? AND subject_key IN ({marks}) GROUP BY subject_key",
                (self.account, *chunk)))

    @staticmethod
    def _fallback_subject(item: ThreadKeys, subject: tuple[str, bool]) -> str | None:
        """The subject key a message may be threaded by: a reply that names no parent."""
        if item.in_reply_to or item.references:
            return None
        key, replied = subject
        return key if replied and key else None

    def _resolve(self, thread: int) -> int:
        while thread in self.merged:
            thread = self.merged[thread]
        return thread

    def _assign(self, item: ThreadKeys, subject: tuple[str, bool]) -> int:
        keys = item.ids()
        found = {self._resolve(self.known[k]) for k in keys if k in self.known}
        fallback = self._fallback_subject(item, subject)
        if not found and fallback is not None and fallback in self.by_subject:
            found.add(self._resolve(self.by_subject[fallback]))
        if found:
            thread = min(found)
            for other in found - {thread}:
                self.merged[other] = thread
        else:
            thread = self.next_id
            self.next_id += 1
            self.created[thread] = subject[0]
            self.by_subject[subject[0]] = thread
        for key in keys:
            if key not in self.known:
                self.known[key] = self.new_keys[key] = thread
        return thread

    def _write(self) -> None:
        tx = self.tx
        tx.executemany("INSERT INTO threads (id, account, subject_key) VALUES (?, ?, ?)",
                       [(t, self.account, s) for t, s in self.created.items()
                        if t not in self.merged])
        for old in self.merged:
            if old in self.created:
                continue  # never written
            into = self._resolve(old)
            tx.execute("UPDATE messages SET thread_id = ? WHERE thread_id = ?", (into, old))
            tx.execute("UPDATE thread_keys SET thread_id = ? WHERE thread_id = ?", (into, old))
            tx.execute("DELETE FROM threads WHERE id = ?", (old,))
        tx.executemany(
            "INSERT OR IGNORE INTO thread_keys (account, message_id, thread_id) VALUES (?, ?, ?)",
            [(self.account, key, self._resolve(t)) for key, t in self.new_keys.items()])
