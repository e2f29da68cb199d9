"""The store worker's wire format and loop, rows listed first and threaded later, stable ids."""

from __future__ import annotations

import base64
import hashlib
import io
import marshal
import sqlite3
import struct
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from mailclient.core.search_query import parse_query
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.ingest import message_key, prepare, thread_pending
from mailclient.services.store.ingest_worker import (
    decode_message,
    decode_row,
    encode_message,
    encode_row,
    frame,
    serve,
)
from mailclient.services.store.messages import NewMessage
from mailclient.services.store.search import search_messages


def header(n: int, reply_to: int | None = None) -> bytes:
    refs = f"In-Reply-To: <m{reply_to}@x>\r\nReferences: <m{reply_to}@x>\r\n" if reply_to else ""
    return (f"From: =?utf-8?q?J=C3=BCrgen?= <j@example.org>\r\nTo: b@example.org\r\n"
            f"Cc: Carol <c@example.org>\r\nSubject: {'Re: ' if reply_to else ''}Budget {n}\r\n"
            f"Message-ID: <m{n}@x>\r\n{refs}Date: Tue, 03 Mar 2026 10:{n:02d}:00 +0100\r\n"
            "\r\n").encode()


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    return MessageStore(Database(tmp_path / "m.db"), BlobStore(tmp_path / "b"))


def answers(data: bytes) -> list[object]:
    out, at = [], 0
    while at < len(data):
        (size,) = struct.unpack(">I", data[at:at + 4])
        out.append(marshal.loads(data[at + 4:at + 4 + size]))
        at += 4 + size
    return out


def found(store: MessageStore, query: str) -> int:
    return len(search_messages(store.db, parse_query(query)))


def wire(items: list[NewMessage], *, parsed: bool = True) -> bytes:
    """A batch as the parent sends it: parsed there, or left to the worker."""
    if not parsed:
        return frame(("INBOX", [], [encode_message(m) for m in items]))
    return frame(("INBOX", [encode_row(prepare(m.ident("INBOX"), m, index=False))
                            for m in items], []))


def test_a_row_crosses_the_wire_unchanged() -> None:
    date = datetime(2026, 3, 3, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    item = NewMessage("a", 3, header(7, 6), ["seen"], 9, 4, fallback_date=date,
                      header_only=True, modseq=77, size=5000)
    row = prepare("id7", item, index=False)
    assert decode_row(marshal.loads(marshal.dumps(encode_row(row)))) == row
    assert row.fields.date is not None and row.fields.date.utcoffset() == timedelta(hours=1)
    plain = prepare("id5", NewMessage("a", 3, b"Subject: x\r\n\r\nbody", [], 9, 5),
                    index=False)
    assert plain.fields.date is None and decode_row(encode_row(plain)) == plain
    assert decode_message(marshal.loads(marshal.dumps(encode_message(item)))) == item


def test_batches_are_listed_and_searchable_at_once_then_threaded(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    batches = [[NewMessage("a", inbox, header(n, n - 1 if n % 2 else None), ["seen"], 9, n,
                           header_only=True, size=4000) for n in range(s, s + 3)]
               for s in (1, 4)]
    source = io.BytesIO(wire(batches[0]) + wire(batches[1], parsed=False))
    sink = io.BytesIO()
    assert serve(store.db, source, sink) == 0
    assert answers(sink.getvalue()) == [3, 3]

    rows = store.list_messages(folder="INBOX")
    assert [r.uid for r in rows] == [6, 5, 4, 3, 2, 1]
    newest = rows[0]
    assert (newest.subject, newest.sender, newest.date, newest.flags, newest.size) == (
        "Budget 6", "Jürgen <j@example.org>", "2026-03-03T10:06:00+01:00", ["seen"], 4000)
    assert all(r.thread_id is None for r in rows)
    assert found(store, "budget") == 6 and found(store, "carol") == 6

    assert thread_pending(store.db, limit=4) == 4
    assert thread_pending(store.db, limit=4) == 2
    assert thread_pending(store.db, limit=4) == 0
    threads = {r.uid: r.thread_id for r in store.list_messages(folder="INBOX")}
    assert threads[2] == threads[3] and threads[4] == threads[5]  # 3 and 5 reply
    assert len(set(threads.values())) == 4
    assert store.index_pending() == 0


def test_index_pending_threads_rows_and_indexes_bodies(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    source = io.BytesIO(wire([NewMessage("a", inbox, header(1) + b"the turnover grew\r\n", [],
                                         9, 1)]))
    serve(store.db, source, io.BytesIO())
    assert found(store, "turnover") == 0 and found(store, "budget") == 1
    assert store.index_pending() == 2  # threaded, then the body indexed
    assert found(store, "turnover") == 1 and found(store, "budget") == 1
    assert store.list_messages()[0].thread_id is not None


def test_a_failed_batch_is_reported_and_stops_the_worker(store: MessageStore) -> None:
    missing_folder = 999
    source = io.BytesIO(wire([NewMessage("a", missing_folder, header(1), [], 9, 1,
                                         header_only=True)]))
    sink = io.BytesIO()
    assert serve(store.db, source, sink) == 1
    [error] = answers(sink.getvalue())
    assert isinstance(error, str) and "IntegrityError" in error
    assert store.count() == 0


def test_a_transaction_that_is_not_durable_still_commits(store: MessageStore) -> None:
    with store.db.transaction(durable=False) as tx:
        tx.execute("INSERT INTO folders (account, name) VALUES ('a', 'X')")
    assert store.db.query("PRAGMA synchronous")[0][0] == 2  # FULL again
    with pytest.raises(sqlite3.IntegrityError), store.db.transaction(durable=False) as tx:
        tx.execute("INSERT INTO messages (id) VALUES (NULL)")
    assert store.db.query("PRAGMA synchronous")[0][0] == 2
    store.db.commit_durably()
    assert [r["name"] for r in store.db.query("SELECT name FROM folders")] == ["X"]


@pytest.mark.parametrize("parts", [("acc", "INBOX", 1234, 5), ("acc", "pop3", "UIDL-é"),
                                   ("x", "Sent/2026", 1, 4_000_000_000)])
def test_message_keys_stay_what_they_were(parts: tuple[object, ...]) -> None:
    digest = hashlib.sha256("\0".join(str(p) for p in parts).encode("utf-8")).digest()
    assert message_key(*parts) == base64.b32encode(digest[:10]).decode("ascii").lower()
