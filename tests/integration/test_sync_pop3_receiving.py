"""POP3 receiving: mail stays on the server and only what is new by UIDL is downloaded (bytes
counted on the wire by a proxy); delete-after-N-days removes only what is that old."""

from __future__ import annotations

import asyncio
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from mailclient.services.sync import SyncReport, sync_account
from tests.helpers.cutting_proxy import CuttingProxy
from tests.helpers.mailservers import MailServers
from tests.helpers.server_truth import account_for, compose, open_store

pytestmark = pytest.mark.integration

DAY = 86_400.0
BODY_SIZE = 50_000  # each message is bigger than a whole session without a download
TIMEOUT = 20.0


class Clock:
    """A ``time.time`` that the test moves forward."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def message_ids(raws: list[bytes]) -> list[str]:
    return sorted(str(message_from_bytes(raw, policy=policy.default)["message-id"])
                  for raw in raws)


async def test_pop3_leaves_mail_on_the_server_and_downloads_only_new_uidls(
        mail_servers: MailServers, tmp_path: Path) -> None:
    user = mail_servers.new_user("pop")
    mail_servers.load_maildir(user, (compose(n, "pop", body_size=BODY_SIZE) for n in range(3)))
    store = open_store(tmp_path)
    async with CuttingProxy(mail_servers.host, mail_servers.pop3s_port) as proxy:
        account = account_for(mail_servers, user, "pop3", port=proxy.port)
        assert account.leave_on_server and account.delete_after_days is None

        async def sync() -> tuple[SyncReport, int]:
            before = proxy.downstream_bytes
            async with asyncio.timeout(TIMEOUT):
                report = await sync_account(account, user.password, store)
            return report, proxy.downstream_bytes - before

        first, first_bytes = await sync()
        again, again_bytes = await sync()
        known = {m.id for m in store.list_messages(account=user.name)}
        mail_servers.load_maildir(user, [compose(7, "pop", body_size=BODY_SIZE)])
        third, third_bytes = await sync()

    assert (first.new, first.removed) == (3, 0) and first_bytes > 3 * BODY_SIZE
    assert (again.new, again.removed) == (0, 0) and again_bytes < BODY_SIZE
    assert (third.new, third.removed) == (1, 0) and BODY_SIZE < third_bytes < 2 * BODY_SIZE
    on_server = mail_servers.delivered(user)
    assert len(on_server) == 4  # nothing was deleted
    stored = store.list_messages(account=user.name)
    assert sorted(m.message_id for m in stored) == message_ids(on_server)
    assert sorted(store.raw(m.id) for m in stored) == sorted(on_server)
    assert [m.message_id for m in stored if m.id not in known] == [
        "<pop-7@receiving.example.test>"]


async def test_pop3_deletes_from_the_server_only_what_was_downloaded_n_days_ago(
        mail_servers: MailServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # There is no API for time travel: the wall clock the engine reads (time.time) is moved
    # instead of the store's rows, whose schema is being rewritten. Timeouts use the
    # monotonic clock and are unaffected.
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    user = mail_servers.new_user("pop")
    mail_servers.load_maildir(user, [compose(1, "old"), compose(2, "old")])
    account = account_for(mail_servers, user, "pop3", delete_after_days=3)
    store = open_store(tmp_path)

    async def sync() -> tuple[int, int, list[str]]:
        async with asyncio.timeout(TIMEOUT):
            report = await sync_account(account, user.password, store)
        return report.new, report.removed, message_ids(mail_servers.delivered(user))

    old = ["<old-1@receiving.example.test>", "<old-2@receiving.example.test>"]
    new = ["<new-3@receiving.example.test>"]
    assert await sync() == (2, 0, old)
    clock.now += 2 * DAY
    mail_servers.load_maildir(user, [compose(3, "new")])
    assert await sync() == (1, 0, sorted(old + new))
    clock.now += 1.5 * DAY  # the first two were downloaded 3.5 days ago, the third 1.5
    assert await sync() == (0, 2, new)
    assert await sync() == (0, 0, new)
    clock.now += 2 * DAY
    assert await sync() == (0, 1, [])
    stored = sorted(m.message_id for m in store.list_messages(account=user.name))
    assert stored == sorted(old + new)  # deleting on the server keeps the local copies
