"""A connection cut in the middle of a first sync's body download (through the cutting proxy):
a plain ``NetworkError``, then a resync to exactly the state a direct sync gives."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailclient.core.account import Account
from mailclient.core.errors import MailError, NetworkError
from mailclient.services.store import MessageStore
from mailclient.services.sync import sync_account
from tests.helpers.cutting_proxy import CuttingProxy
from tests.helpers.mailservers import MailServers
from tests.helpers.server_truth import (
    account_for,
    assert_store_equals_server,
    compose,
    open_store,
)

pytestmark = pytest.mark.integration

COUNT = 300
BODY_SIZE = 5_000
TIMEOUT = 20.0
Snapshot = dict[str, tuple[str, int | None, tuple[str, ...], str, str]]


def snapshot(store: MessageStore, account: str) -> Snapshot:
    """Public id -> (folder, UID, flags, subject, Message-ID) of every stored message."""
    rows = store.list_messages(account=account)
    state = {m.id: (m.folder, m.uid, tuple(sorted(m.flags)), m.subject, m.message_id)
             for m in rows}
    assert len(state) == len(rows), "a message is stored twice"
    return state


async def synced(account: Account, password: str, store: MessageStore) -> None:
    async with asyncio.timeout(TIMEOUT):
        await sync_account(account, password, store)


async def test_a_cut_mid_download_then_a_resync_equals_a_direct_sync(
        mail_servers: MailServers, tmp_path: Path) -> None:
    user = mail_servers.new_user("cut")
    messages = [compose(n, "bulk", body_size=BODY_SIZE) for n in range(COUNT)]
    mail_servers.load_maildir(user, messages[:COUNT // 3], seen=True)
    mail_servers.load_maildir(user, messages[COUNT // 3:])
    direct, resumed = open_store(tmp_path, "direct"), open_store(tmp_path, "resumed")
    await synced(account_for(mail_servers, user), user.password, direct)
    async with CuttingProxy(mail_servers.host, mail_servers.imaps_port) as proxy:
        account = account_for(mail_servers, user, port=proxy.port)  # TLS end to end
        proxy.cut_after(sum(map(len, messages)) // 2)  # half the mail: well inside the bodies

        with pytest.raises(MailError) as caught:
            await synced(account, user.password, resumed)

        assert proxy.cuts == 1
        error = caught.value
        assert isinstance(error, NetworkError), repr(error)
        text = str(error)
        assert text and "\n" not in text and "Traceback" not in text, text
        assert f"{mail_servers.host}:{proxy.port}" in text, text  # says which server
        connections = proxy.connections

        await synced(account, user.password, resumed)

        assert proxy.connections > connections and proxy.cuts == 1
    expected = snapshot(direct, user.name)
    assert len(expected) == COUNT
    assert snapshot(resumed, user.name) == expected
    for ident in expected:
        assert resumed.raw(ident) == direct.raw(ident), ident
    assert_store_equals_server(resumed, mail_servers, user, raw_samples=5)
