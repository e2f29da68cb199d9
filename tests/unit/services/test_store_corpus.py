"""Every message of ../shared/corpus is stored and listed, by each way messages come in."""

from pathlib import Path

import pytest

from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.messages import NewMessage

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def header_block(raw: bytes) -> bytes:
    for end in (b"\r\n\r\n", b"\n\n"):
        if (cut := raw.find(end)) >= 0:
            return raw[:cut + len(end)]
    return raw


@pytest.fixture(scope="module")
def corpus() -> list[bytes]:
    return [path.read_bytes() for path in sorted(CORPUS.rglob("*.eml"))]


def test_corpus_whole_and_headers_first(corpus: list[bytes], tmp_path: Path) -> None:
    store = MessageStore(Database(tmp_path / "m.db"), BlobStore(tmp_path / "b"))
    staged = store.ensure_folder("a", "INBOX", "inbox")
    pop = store.ensure_folder("p", "INBOX", "inbox")
    numbered = list(enumerate(corpus, start=1))
    store.add_messages([NewMessage("a", staged, header_block(raw), [], 1, uid, header_only=True,
                                   size=len(raw)) for uid, raw in numbered], index=False)
    assert len(store.list_messages(account="a")) == len(corpus)  # listed from headers alone
    assert store.store_bodies(staged, 1, numbered) == len(corpus)
    store.add_messages([NewMessage("p", pop, raw, [], uidl=str(uid)) for uid, raw in numbered],
                       index=False)  # POP3: whole messages, indexed later
    assert store.index_pending() == 2 * len(corpus)  # each parsed in full once
    for account in ("a", "p"):
        listed = store.list_messages(account=account)
        assert len(listed) == len(corpus)
        assert sorted(store.raw(m.id) for m in listed) == sorted(corpus)
    assert len(store.list_threads(account="a")) >= 1

