"""Headers first, bodies later: rows from headers alone, whole messages in place, indexing."""

from pathlib import Path

import pytest

from mailclient.core.search_query import parse_query
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.messages import NewMessage
from mailclient.services.store.search import search_messages

HEADER = (b"From: =?utf-8?q?J=C3=BCrgen?= <j@example.org>\r\nTo: b@example.org\r\n"
          b"Subject: Quarterly figures\r\nMessage-ID: <q1@x>\r\n"
          b"Date: Tue, 03 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
          b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n')
BODY = (b"--b\r\nContent-Type: text/plain\r\n\r\nthe turnover grew\r\n--b\r\n"
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; "
        b"filename=figures.pdf\r\n\r\nxx\r\n--b--\r\n")


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    return MessageStore(Database(tmp_path / "m.db"), BlobStore(tmp_path / "b"))


def found(store: MessageStore, query: str) -> int:
    return len(search_messages(store.db, parse_query(query)))


def test_header_only_then_body_then_index(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    [ident] = store.add_messages([NewMessage("a", inbox, HEADER, ["seen"], 9, 4,
                                             header_only=True, size=5000)], index=False)
    row = store.message(ident)
    assert (row.subject, row.sender, row.size, row.has_body) == (
        "Quarterly figures", "Jürgen <j@example.org>", 5000, False)
    assert store.raw(ident) == HEADER
    assert store.missing_bodies(inbox, 9) == [4]
    assert found(store, "quarterly") == 1 and found(store, "turnover") == 0

    assert store.store_bodies(inbox, 9, [(4, HEADER + BODY), (99, b"unknown uid")]) == 1
    assert store.missing_bodies(inbox, 9) == []
    assert store.raw(ident) == HEADER + BODY and store.message(ident).has_body
    assert found(store, "turnover") == 0  # not indexed yet
    assert store.index_pending() == 1
    assert found(store, "turnover") == 1 and found(store, "has:attachment") == 1
    assert found(store, "filename:figures.pdf") == 1
    assert store.index_pending() == 0


def test_missing_bodies_since(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    old = HEADER.replace(b"Tue, 03 Mar 2026", b"Mon, 02 Mar 2020").replace(b"q1@", b"q0@")
    store.add_messages([NewMessage("a", inbox, HEADER, [], 9, 2, header_only=True),
                        NewMessage("a", inbox, old, [], 9, 1, header_only=True)], index=False)
    assert store.missing_bodies(inbox, 9) == [2, 1]
    cutoff = 1_700_000_000.0  # 2023
    assert store.missing_bodies(inbox, 9, since_epoch=cutoff) == [2]


def test_whole_messages_without_index_are_listed_then_indexed(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    store.add_messages([NewMessage("a", inbox, HEADER + BODY, [], uidl="u1")], index=False)
    assert found(store, "quarterly") == 1 and found(store, "turnover") == 0
    assert store.index_pending() == 1
    assert found(store, "turnover") == 1


def test_parse_defects_are_recorded(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    broken = b"Subject: no boundary\r\nContent-Type: multipart/mixed\r\n\r\nbody\r\n"
    store.add_messages([NewMessage("a", inbox, broken, [], 1, 1)], index=False)
    assert store.db.query("SELECT defects FROM messages")[0]["defects"] == 0  # not parsed yet
    store.index_pending()
    assert store.db.query("SELECT defects FROM messages")[0]["defects"] >= 1
