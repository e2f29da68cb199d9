"""Conversations in the store: by references across folders, merged, by subject for replies."""

from pathlib import Path

import pytest

from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore


def raw(ident: str, subject: str, day: int, *, reply_to: str = "", refs: str = "") -> bytes:
    head = (f"From: a@example.org\r\nTo: b@example.org\r\nSubject: {subject}\r\n"
            f"Message-ID: <{ident}@x>\r\nDate: {day:02d} Mar 2026 10:00:00 +0000\r\n")
    if reply_to:
        head += f"In-Reply-To: <{reply_to}@x>\r\n"
    if refs:
        head += "References: " + " ".join(f"<{r}@x>" for r in refs.split()) + "\r\n"
    return (head + "\r\nbody\r\n").encode()


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    return MessageStore(Database(tmp_path / "m.db"), BlobStore(tmp_path / "b"))


def add(store: MessageStore, folder: str, uid: int, data: bytes) -> str:
    folder_id = store.ensure_folder("a", folder, folder.lower())
    return store.add_message(account="a", folder_id=folder_id, raw=data, flags=[],
                             uidvalidity=1, uid=uid)


def test_reply_in_sent_joins_the_inbox_thread(store: MessageStore) -> None:
    first = add(store, "INBOX", 1, raw("a", "Plans", 1))
    reply = add(store, "Sent", 1, raw("b", "Re: Plans", 2, reply_to="a", refs="a"))
    other = add(store, "INBOX", 2, raw("c", "Other", 3))
    thread = store.message(first).thread_id
    assert store.message(reply).thread_id == thread != store.message(other).thread_id
    assert [m.id for m in store.thread(thread or 0)] == [first, reply]
    listed = store.list_threads(account="a", folder="INBOX")
    assert [(t.latest.id, t.count) for t in listed] == [(other, 1), (first, 1)]
    everywhere = store.list_threads(account="a")
    assert [(t.latest.id, t.count) for t in everywhere] == [(other, 1), (reply, 2)]


def test_a_late_parent_merges_two_threads(store: MessageStore) -> None:
    left = add(store, "INBOX", 1, raw("l", "Re: x", 2, refs="root p1"))
    right = add(store, "INBOX", 2, raw("r", "Re: x", 3, refs="p2"))
    assert store.message(left).thread_id != store.message(right).thread_id
    add(store, "INBOX", 3, raw("p2", "Re: x", 1, refs="root"))  # bridges both
    assert store.message(left).thread_id == store.message(right).thread_id


def test_reply_without_references_joins_by_subject(store: MessageStore) -> None:
    first = add(store, "INBOX", 1, raw("a", "[list] Lunch?", 1))
    bare = add(store, "INBOX", 2, raw("b", "RE: Lunch?", 2))
    same_words = add(store, "INBOX", 3, raw("c", "Lunch?", 3))  # not a reply: its own thread
    assert store.message(bare).thread_id == store.message(first).thread_id
    assert store.message(same_words).thread_id != store.message(first).thread_id


def test_one_batch_threads_like_one_by_one(store: MessageStore) -> None:
    from mailclient.services.store.messages import NewMessage

    inbox = store.ensure_folder("a", "INBOX", "inbox")
    old = add(store, "Sent", 1, raw("root", "Trip", 1))
    batch = [raw("c1", "Re: Trip", 2, refs="root"),
             raw("x", "Re: y", 3, refs="p"),  # joins nothing yet ...
             raw("p", "Re: y", 4, refs="root"),  # ... until its parent, named by p, arrives
             raw("s", "Other", 5), raw("t", "RE: Other", 6)]  # by subject
    ids = store.add_messages([NewMessage("a", inbox, data, [], 1, uid)
                              for uid, data in enumerate(batch, start=1)], index=False)
    threads = [store.message(i).thread_id for i in ids]
    root = store.message(old).thread_id
    assert threads[:3] == [root, root, root]
    assert threads[3] == threads[4] != root
    assert len(store.list_threads(account="a")) == 2
    assert store.db.query("SELECT COUNT(*) FROM threads")[0][0] == 2
