"""A large first sync stores through the worker process: the newest first, every row listed,
then threaded and searchable when sync_account returns; a worker that fails fails the sync."""

from __future__ import annotations

import pytest

import mailclient.services.sync.imap_folder as imap_folder
import mailclient.services.sync.process_writer as process_writer
from mailclient.core.errors import StoreError
from mailclient.core.search_query import parse_query
from mailclient.services.store import MessageStore
from mailclient.services.store.search import search_messages
from mailclient.services.sync import sync_account
from tests.helpers.mailservers import MailServers
from tests.helpers.sync_support import account_for, sample

pytestmark = pytest.mark.integration
COUNT = 260


def found(store: MessageStore, query: str) -> int:
    return len(search_messages(store.db, parse_query(query), limit=10_000))


def reply(n: int) -> bytes:
    return sample(n).replace(b"Subject: INBOX", b"In-Reply-To: <INBOX-1@example.test>\r\n"
                             b"Subject: Re: INBOX")


@pytest.mark.parametrize("bodies", ["none", "all"])
async def test_a_large_sync_goes_through_the_worker(
        mail_servers: MailServers, store: MessageStore, monkeypatch: pytest.MonkeyPatch,
        bodies: str) -> None:
    monkeypatch.setattr(imap_folder, "PROCESS_MIN", 50)
    started: list[int] = []
    original = process_writer.ProcessStoreWriter.start

    async def start(*args: object, **kwargs: object) -> process_writer.ProcessStoreWriter:
        started.append(1)
        return await original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(process_writer.ProcessStoreWriter, "start", start)
    user = mail_servers.new_user(f"worker{bodies}")
    mail_servers.load_maildir(user, [sample(n) if n % 3 else reply(n)
                                     for n in range(1, COUNT + 1)])
    account = account_for(mail_servers, user, body_download=bodies)
    seen: list[int] = []

    report = await sync_account(account, user.password, store,
                                lambda folder, n: seen.append(n) if folder == "INBOX" else None)
    assert started == [1] and report.new == COUNT
    assert seen[0] == imap_folder.FIRST_CHUNK and seen[-1] == COUNT and seen == sorted(seen)
    rows = store.list_messages(account=user.name, folder="INBOX")
    assert len(rows) == COUNT and all(r.thread_id for r in rows)
    newest = max(rows, key=lambda r: r.uid or 0)
    assert newest.subject == "INBOX message 260" and newest.has_body == (bodies == "all")
    assert found(store, "message") == COUNT  # indexed before sync_account returned
    assert found(store, "body") == (COUNT if bodies == "all" else 0)
    replies = {r.thread_id for r in rows if r.subject.startswith("Re:")}
    assert replies == {next(r.thread_id for r in rows if r.uid == 1)}
    again = await sync_account(account, user.password, store)
    assert (again.new, again.removed, again.flags_changed) == (0, 0, 0)


async def test_a_worker_that_fails_fails_the_sync(mail_servers: MailServers,
                                                  store: MessageStore,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imap_folder, "PROCESS_MIN", 50)
    worker = process_writer.WORKER
    monkeypatch.setattr(process_writer, "WORKER", "mailclient.no_such_worker")
    user = mail_servers.new_user("workerfail")
    mail_servers.load_maildir(user, [sample(n) for n in range(1, 201)])

    with pytest.raises(StoreError, match="storing new messages failed"):
        await sync_account(account_for(mail_servers, user), user.password, store)
    assert store.count(user.name) == imap_folder.FIRST_CHUNK  # the newest, stored in-process
    monkeypatch.setattr(process_writer, "WORKER", worker)
    again = await sync_account(account_for(mail_servers, user), user.password, store)
    assert again.new == 100 and store.count(user.name) == 200
