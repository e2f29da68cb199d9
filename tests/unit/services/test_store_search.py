"""Search over the store: full-text terms by column, prefixes, phrases, flags and dates."""

from pathlib import Path

import pytest

from mailclient.core.search_query import parse_query
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.search import search_messages


def raw(sender: str, subject: str, body: str, day: int, attachment: str | None = None) -> bytes:
    head = (f"From: {sender}\r\nTo: Ada Lovelace <ada@example.org>\r\nSubject: {subject}\r\n"
            f"Date: {day:02d} Mar 2026 10:00:00 +0000\r\n")
    if attachment is None:
        return (head + f"\r\n{body}\r\n").encode()
    return (head + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
            f"--b\r\nContent-Type: text/plain\r\n\r\n{body}\r\n--b\r\n"
            f"Content-Type: application/pdf\r\nContent-Disposition: attachment; "
            f"filename={attachment}\r\n\r\nxx\r\n--b--\r\n").encode()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MessageStore:
    root: Path = tmp_path_factory.mktemp("search")
    store = MessageStore(Database(root / "m.db"), BlobStore(root / "b"))
    inbox = store.ensure_folder("work", "INBOX", "inbox")
    sent = store.ensure_folder("work", "Sent", "sent")
    messages = [
        (inbox, raw("Charles Babbage <charles@example.net>", "Analytical Engine notes",
                    "The mill and the store.", 1, "mill.pdf"), ["seen"]),
        (inbox, raw("Mary Somerville <mary@example.net>", "Dinner on Thursday?",
                    "Bring the engine drawings.", 5), []),
        (inbox, raw("Michael Faraday <faraday@example.net>", "Induction experiments",
                    "Results attached — Grüße aus Köln.", 9, "results.pdf"), ["flagged"]),
        (sent, raw("Ada Lovelace <ada@example.org>", "Re: Analytical Engine notes",
                   "Note G computes Bernoulli numbers.", 10), ["seen"]),
    ]
    for uid, (folder, data, flags) in enumerate(messages, start=1):
        store.add_message(account="work", folder_id=folder, raw=data, flags=flags,
                          uidvalidity=1, uid=uid)
    return store


def subjects(store: MessageStore, text: str) -> list[str]:
    return [row.subject for row in search_messages(store.db, parse_query(text))]


@pytest.mark.parametrize(("text", "expected"), [
    ("engine", ["Re: Analytical Engine notes", "Dinner on Thursday?", "Analytical Engine notes"]),
    ("subject:engine", ["Re: Analytical Engine notes", "Analytical Engine notes"]),
    ("from:charles", ["Analytical Engine notes"]),
    ("from:mary@example.net", ["Dinner on Thursday?"]),
    ("to:ada", ["Re: Analytical Engine notes", "Induction experiments", "Dinner on Thursday?",
                "Analytical Engine notes"]),
    ("engin", ["Re: Analytical Engine notes", "Dinner on Thursday?", "Analytical Engine notes"]),
    ('"engine drawings"', ["Dinner on Thursday?"]),
    ('"drawings engine"', []),
    ("köln", ["Induction experiments"]),
    ("filename:results.pdf", ["Induction experiments"]),
    ("has:attachment", ["Induction experiments", "Analytical Engine notes"]),
    ("is:unread", ["Induction experiments", "Dinner on Thursday?"]),
    ("is:flagged", ["Induction experiments"]),
    ("engine -subject:re", ["Dinner on Thursday?", "Analytical Engine notes"]),
    ("before:2026-03-05", ["Analytical Engine notes"]),
    ("after:2026-03-09 in:inbox", ["Induction experiments"]),
    ("in:Sent bernoulli", ["Re: Analytical Engine notes"]),
    ('say "hi" ((( AND OR NOT *', []),
])
def test_queries(store: MessageStore, text: str, expected: list[str]) -> None:
    assert subjects(store, text) == expected


def test_empty_query_lists_everything_newest_first(store: MessageStore) -> None:
    assert len(subjects(store, "")) == 4
