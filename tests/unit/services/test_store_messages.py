"""The store: adding is idempotent, listing is newest first, flags, expunges, UIDVALIDITY."""

from pathlib import Path

import pytest

from mailclient.core.errors import NotFoundError
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.schema import SCHEMA_VERSION


def message(subject: str, day: int, attachment: bool = False) -> bytes:
    head = (f"From: Älice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: {subject}\r\n"
            f"Date: {day:02d} Mar 2026 10:00:00 +0100\r\nMessage-ID: <{subject}@x>\r\n")
    if not attachment:
        return (head + "\r\nhello\r\n").encode()
    return (head + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\n"
            "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf"
            "\r\n\r\nxx\r\n--b--\r\n").encode()


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    return MessageStore(Database(tmp_path / "mail.sqlite3"), BlobStore(tmp_path / "blobs"))


def test_schema_version_recorded(store: MessageStore) -> None:
    assert store.db.query("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert store.db.query("PRAGMA journal_mode")[0][0] == "wal"


def test_add_list_show(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    first = store.add_message(account="a", folder_id=inbox, raw=message("old", 1), flags=["seen"],
                              uidvalidity=7, uid=1)
    second = store.add_message(account="a", folder_id=inbox, raw=message("new", 2, True),
                               flags=[], uidvalidity=7, uid=2)
    again = store.add_message(account="a", folder_id=inbox, raw=message("new", 2, True),
                              flags=[], uidvalidity=7, uid=2)
    assert again == second and store.count() == 2
    rows = store.list_messages(account="a")
    assert [r.subject for r in rows] == ["new", "old"]
    assert rows[0].to_json() | {"id": "x"} == {
        "id": "x", "account": "a", "folder": "INBOX", "from": "Älice <alice@example.org>",
        "to": ["bob@example.org"], "subject": "new", "date": "2026-03-02T10:00:00+01:00",
        "flags": [], "size": len(message("new", 2, True)), "attachments": 1}
    assert store.raw(first) == message("old", 1)
    folder = store.folders("a")[0]
    assert (folder.total, folder.unread) == (2, 1)


def test_ids_are_stable_and_unique_across_accounts(store: MessageStore) -> None:
    a = store.ensure_folder("a", "INBOX")
    b = store.ensure_folder("b", "INBOX")
    id_a = store.add_message(account="a", folder_id=a, raw=message("x", 1), flags=[],
                             uidvalidity=1, uid=1)
    id_b = store.add_message(account="b", folder_id=b, raw=message("x", 1), flags=[],
                             uidvalidity=1, uid=1)
    pop = store.add_message(account="b", folder_id=b, raw=message("y", 1), flags=[], uidl="U1")
    assert len({id_a, id_b, pop}) == 3
    assert store.known_uidls("b").keys() == {"U1"}


def test_flags_expunge_and_uidvalidity_change(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX")
    for uid in (1, 2, 3):
        store.add_message(account="a", folder_id=inbox, raw=message(f"m{uid}", uid), flags=[],
                          uidvalidity=5, uid=uid)
    store.set_flags(inbox, {2: ["seen", "flagged"]})
    store.remove_uids(inbox, [3])
    assert store.known_uids(inbox, 5) == {1: [], 2: ["flagged", "seen"]}
    hits = store.db.query("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'm3'")
    assert hits == []
    store.clear_folder(inbox)
    assert store.count() == 0


def test_unknown_id(store: MessageStore) -> None:
    with pytest.raises(NotFoundError, match="no message with id"):
        store.message("nope")


def test_search_index_filled(store: MessageStore) -> None:
    inbox = store.ensure_folder("a", "INBOX")
    store.add_message(account="a", folder_id=inbox, raw=message("quarterly", 1, True), flags=[],
                      uidvalidity=1, uid=1)
    rows = store.db.query("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?",
                          ('"a.pdf"',))
    assert len(rows) == 1


def test_blob_written_atomically(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    key = blobs.put(b"data")
    assert blobs.get(key) == b"data"
    assert not list(tmp_path.rglob(".tmp-*"))


def test_ids_survive_an_emptied_store(tmp_path: Path) -> None:
    ids, folder_ids = [], []
    for run, folders in (("first", ["INBOX", "Archive"]), ("second", ["Archive", "INBOX"])):
        store = MessageStore(Database(tmp_path / run / "m.db"), BlobStore(tmp_path / run / "b"))
        created = {name: store.ensure_folder("a", name) for name in folders}
        folder_ids.append(created["INBOX"])
        ids.append(store.add_message(account="a", folder_id=created["INBOX"],
                                     raw=message("x", 1), flags=[], uidvalidity=9, uid=42))
        assert store.add_messages([]) == []
    assert folder_ids[0] != folder_ids[1]
    assert ids[0] == ids[1]


def test_folder_counts_and_the_list_order_read_from_indices(tmp_path) -> None:
    from mailclient.services.store.database import Database

    db = Database(tmp_path / "plans.db")
    plans = [" ".join(str(r[3]) for r in db.query(f"EXPLAIN QUERY PLAN {sql}"))
             for sql in ("SELECT COUNT(*) FROM messages WHERE folder_id = 1 "
                         "AND ' ' || flags || ' ' NOT LIKE '% seen %'",
                         "SELECT id FROM messages WHERE folder_id = 1 "
                         "ORDER BY date_epoch DESC, pk DESC")]
    assert "messages_unread" in plans[0]
    assert "messages_by_date" in plans[1] and "TEMP B-TREE" not in plans[1]
    db.close()
