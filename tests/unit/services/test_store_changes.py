"""Local changes: shown at once, queued for the server, folded together where they meet."""

from pathlib import Path

import pytest

from mailclient.core.errors import ConfigError
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore


def raw(n: int) -> bytes:
    return (f"From: a@example.org\r\nTo: b@example.org\r\nSubject: m{n}\r\n"
            f"Message-ID: <{n}@x>\r\nDate: 0{n} Mar 2026 10:00:00 +0000\r\n\r\nbody {n}\r\n"
            ).encode()


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    store = MessageStore(Database(tmp_path / "m.db"), BlobStore(tmp_path / "b"))
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    store.ensure_folder("a", "Trash", "trash")
    store.ensure_folder("a", "Archive", "archive")
    for n in (1, 2, 3):
        store.add_message(account="a", folder_id=inbox, raw=raw(n), flags=[], uidvalidity=5,
                          uid=n)
    return store


def ids(store: MessageStore, folder: str) -> dict[str, str]:
    return {m.subject: m.id for m in store.list_messages(account="a", folder=folder)}


def test_flags_change_here_and_queue(store: MessageStore) -> None:
    inbox = ids(store, "INBOX")
    assert store.change_flags([inbox["m1"], inbox["m2"]], add=["seen", "flagged"]) == 2
    assert store.change_flags([inbox["m1"]], remove=["flagged"]) == 1
    assert store.change_flags([inbox["m1"]], remove=["flagged"]) == 0  # nothing to do
    assert store.message(inbox["m1"]).flags == ["seen"]
    queued = [(c.uid, c.action, c.argument) for c in store.pending_changes("a")]
    assert queued == [(1, "add_flags", "flagged seen"), (2, "add_flags", "flagged seen"),
                      (1, "remove_flags", "flagged")]


def test_delete_moves_to_trash_then_expunges(store: MessageStore) -> None:
    inbox = ids(store, "INBOX")
    store.delete_messages([inbox["m1"]])
    assert set(ids(store, "INBOX")) == {"m2", "m3"}
    trashed = store.message(inbox["m1"])
    assert trashed.folder == "Trash" and trashed.uid is None  # not on the server there yet
    [move] = store.pending_changes("a")
    assert (move.folder, move.uid, move.action, move.argument) == ("INBOX", 1, "move", "Trash")
    store.delete_messages([inbox["m1"]])  # from Trash, before the move reached the server
    assert ids(store, "Trash") == {}
    [expunge] = store.pending_changes("a")
    assert (expunge.folder, expunge.uid, expunge.action) == ("INBOX", 1, "expunge")


def test_moved_message_gets_its_new_uid(store: MessageStore) -> None:
    archive = store.folder("a", "Archive").id
    inbox = ids(store, "INBOX")
    store.move_messages([inbox["m2"]], archive)
    store.move_messages([inbox["m2"]], archive)  # already there: nothing more queued
    [move] = store.pending_changes("a")
    store.place_moved(move.message_pk or 0, 77, 10)
    store.finish_changes([move.id])
    moved = store.message(inbox["m2"])
    assert (moved.folder, moved.uid) == ("Archive", 10)
    assert store.known_uids(archive, 77) == {10: []}
    assert store.pending_changes("a") == []


def test_move_without_a_new_uid_forgets_the_local_copy(store: MessageStore) -> None:
    inbox = ids(store, "INBOX")
    store.move_messages([inbox["m3"]], store.folder("a", "Archive").id)
    [move] = store.pending_changes("a")
    store.place_moved(move.message_pk or 0, None, None)
    assert store.count() == 2


def test_empty_trash_and_cross_account_refused(store: MessageStore) -> None:
    inbox = ids(store, "INBOX")
    trash = store.folder("a", "Trash").id
    store.move_messages([inbox["m1"], inbox["m2"]], trash)
    assert store.empty_folder(trash) == 2
    assert [c.action for c in store.pending_changes("a")] == ["expunge", "expunge"]
    other = store.ensure_folder("b", "INBOX", "inbox")
    with pytest.raises(ConfigError):
        store.move_messages([inbox["m3"]], other)


def test_pop3_messages_change_only_here(store: MessageStore) -> None:
    pop = store.ensure_folder("p", "INBOX", "inbox")
    ident = store.add_message(account="p", folder_id=pop, raw=raw(4), flags=[], uidl="u4")
    store.change_flags([ident], add=["seen"])
    store.expunge_messages([ident])
    assert store.pending_changes("p") == []
    assert "u4" in store.known_uidls("p")  # never downloaded again


def test_moved_back_before_the_server_saw_it(store: MessageStore) -> None:
    inbox = ids(store, "INBOX")
    store.move_messages([inbox["m1"]], store.folder("a", "Archive").id)
    store.move_messages([inbox["m1"]], store.folder("a", "INBOX").id)
    assert store.pending_changes("a") == []
    back = store.message(inbox["m1"])
    assert (back.folder, back.uid) == ("INBOX", 1)


def test_flags_set_after_a_queued_move_travel_with_the_message(store: MessageStore) -> None:
    inbox = ids(store, "INBOX")
    store.move_messages([inbox["m2"]], store.folder("a", "Archive").id)
    store.change_flags([inbox["m2"]], add=["flagged"])
    queued = [(c.folder, c.uid, c.action, c.argument) for c in store.pending_changes("a")]
    assert queued == [("INBOX", 2, "add_flags", "flagged"), ("INBOX", 2, "move", "Archive")]


def test_a_removed_account_leaves_nothing_behind(store: MessageStore) -> None:
    ident = ids(store, "INBOX")["m1"]
    store.change_flags([ident], add=["seen"])
    other = store.ensure_folder("b", "INBOX", "inbox")
    store.add_message(account="b", folder_id=other, raw=raw(9), flags=[], uidl="u9")
    assert store.forget_account("a") == 3
    for table in ("messages", "message_raw", "messages_fts", "pending_changes", "folders",
                  "threads", "thread_keys"):
        left = store.db.query(f"SELECT COUNT(*) FROM {table}")[0][0]
        assert left == (0 if table == "pending_changes" else 1), table
    assert store.list_messages(role="inbox")[0].account == "b"
