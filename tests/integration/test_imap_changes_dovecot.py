"""Two-way sync commands against the private Dovecot: QRESYNC, CHANGEDSINCE, STORE, MOVE, folders.

A second client (stdlib ``imaplib``) makes or checks the changes on the server.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import NotFoundError, ProtocolError
from mailclient.services.imap import ImapConnection, QresyncState

pytestmark = pytest.mark.integration


def sample(n: int) -> bytes:
    return (
        f"From: alice@example.test\r\nTo: sync@example.test\r\nSubject: message {n}\r\n"
        f"Message-ID: <sync-{n}@example.test>\r\n\r\nBody {n}.\r\n"
    ).encode()


async def opened(servers: Any, user: Any) -> ImapConnection:
    server = ServerConfig(servers.host, servers.imaps_port, "ssl", user.name)
    return await ImapConnection.open(server, user.password, ca_file=str(servers.ca_file),
                                     timeout=10)  # fmt: skip


@contextmanager
def other_client(servers: Any, user: Any, folder: str = "INBOX") -> Iterator[imaplib.IMAP4_SSL]:
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.name, user.password)
        assert client.select(folder)[0] == "OK"
        yield client


def flags_of(client: imaplib.IMAP4_SSL, uid: int) -> str:
    _, data = client.uid("FETCH", str(uid), "(FLAGS)")
    assert data and isinstance(data[0], bytes), data
    return data[0].decode()


def uids_in(client: imaplib.IMAP4_SSL, folder: str) -> list[int]:
    assert client.select(folder)[0] == "OK"
    _, data = client.uid("SEARCH", "ALL")
    return [int(uid) for uid in data[0].split()]


@pytest.fixture
def user(mail_servers: Any) -> Any:
    account = mail_servers.new_user("sync")
    assert mail_servers.load_maildir(account, [sample(n) for n in range(1, 6)]) == 5
    return account


async def test_qresync_reports_exactly_what_another_client_changed(mail_servers: Any,
                                                                  user: Any) -> None:
    async with await opened(mail_servers, user) as conn:
        assert await conn.enable("QRESYNC") == {"QRESYNC"}
        assert conn.qresync_enabled
        before = await conn.select("INBOX")
        assert before.highestmodseq is not None
        state = QresyncState(before.uidvalidity, before.highestmodseq)
        await conn.select("Trash")  # the next SELECT closes this one first ([CLOSED])
        with other_client(mail_servers, user) as client:
            client.uid("STORE", "2", "+FLAGS", "(\\Flagged)")
            client.uid("STORE", "4", "+FLAGS", "(\\Deleted)")
            client.expunge()
        after = await conn.select("INBOX", qresync=state)
        assert after.uidvalidity == before.uidvalidity
        assert after.vanished == (4,)
        assert [(m.uid, m.flags) for m in after.changed] == [(2, frozenset({"\\Flagged"}))]
        assert after.highestmodseq is not None
        modseq = after.changed[0].modseq
        assert modseq is not None and state.highestmodseq < modseq < after.highestmodseq
        assert after.changed[0].raw is None and after.changed[0].header is None
        bounded = QresyncState(state.uidvalidity, state.highestmodseq, "1:3")
        assert (await conn.select("INBOX", qresync=bounded)).vanished == ()  # 4 is not known
        now = QresyncState(after.uidvalidity, after.highestmodseq)
        unchanged = await conn.select("INBOX", qresync=now)
        assert (unchanged.vanished, unchanged.changed) == ((), ())
        stale = QresyncState(after.uidvalidity + 1, 1)
        other = await conn.select("INBOX", qresync=stale)
        assert other.uidvalidity == after.uidvalidity != stale.uidvalidity
        assert (other.vanished, other.changed) == ((), ())
        with pytest.raises(ProtocolError, match="before a folder is selected"):
            await conn.enable("QRESYNC")


async def test_changedsince_fetch(mail_servers: Any, user: Any) -> None:
    async with await opened(mail_servers, user) as conn:
        inbox = await conn.select("INBOX")
        assert inbox.highestmodseq is not None
        every = [m async for batch in conn.fetch("1:*") for m in batch]
        assert all(m.modseq is not None and m.modseq <= inbox.highestmodseq for m in every)
        with other_client(mail_servers, user) as client:
            client.uid("STORE", "3", "+FLAGS", "(\\Seen)")
        await conn.select("INBOX")
        changed = [m async for batch in conn.fetch("1:*", changed_since=inbox.highestmodseq)
                   for m in batch]  # fmt: skip
        assert [m.uid for m in changed] == [3]
        assert "\\Seen" in changed[0].flags and changed[0].size == len(sample(3))
        assert changed[0].modseq is not None and changed[0].modseq > inbox.highestmodseq


async def test_store_flags_seen_by_another_client(mail_servers: Any, user: Any) -> None:
    async with await opened(mail_servers, user) as conn:
        await conn.select("INBOX")
        with pytest.raises(ProtocolError, match="read-only"):
            await conn.store_flags("1", add=["\\Seen"])
        await conn.select("INBOX", readonly=False)
        await conn.store_flags("1:2", add=["\\Seen", "$Forwarded", "\\Flagged"])
        await conn.store_flags("2", remove=["\\Flagged"])
        with other_client(mail_servers, user) as client:
            first, second = flags_of(client, 1), flags_of(client, 2)
        assert all(flag in first for flag in ("\\Seen", "$Forwarded", "\\Flagged"))
        assert "\\Seen" in second and "$Forwarded" in second and "\\Flagged" not in second


@pytest.mark.parametrize("native", [True, False], ids=["MOVE", "COPY+EXPUNGE"])
async def test_move(mail_servers: Any, user: Any, native: bool) -> None:
    async with await opened(mail_servers, user) as conn:
        assert {"MOVE", "UIDPLUS"} <= conn.capabilities
        if not native:
            conn._protocol.capabilities.discard("MOVE")
        await conn.create_folder("Archive")
        await conn.append("Archive", sample(9))  # UID 1 there: the moved ones get 2 and 3
        await conn.select("INBOX", readonly=False)
        assert await conn.move("2,4", "Archive") == {2: 2, 4: 3}
        with pytest.raises(NotFoundError, match="'Nowhere'"):
            await conn.move("1", "Nowhere")
        assert await conn.search_uids() == [1, 3, 5]
    with other_client(mail_servers, user) as client:
        assert uids_in(client, "Archive") == [1, 2, 3]
        _, data = client.uid("FETCH", "3", "(BODY.PEEK[])")
        assert isinstance(data[0], tuple) and data[0][1] == sample(4)


async def test_move_without_move_or_uidplus_leaves_originals_marked(mail_servers: Any,
                                                                     user: Any) -> None:
    with other_client(mail_servers, user) as client:
        client.uid("STORE", "5", "+FLAGS", "(\\Deleted)")  # the user's own, not ours to remove
    async with await opened(mail_servers, user) as conn:
        conn._protocol.capabilities -= {"MOVE", "UIDPLUS"}
        await conn.select("INBOX", readonly=False)
        assert await conn.move("1", "Trash") == {1: 1}  # Dovecot still answers COPYUID
        assert await conn.search_uids() == [1, 2, 3, 4, 5]
        assert await conn.search_uids("DELETED") == [1, 5]
    with other_client(mail_servers, user) as client:
        assert uids_in(client, "Trash") == [1]


async def test_expunge_removes_only_those(mail_servers: Any, user: Any) -> None:
    with other_client(mail_servers, user) as client:
        client.uid("STORE", "5", "+FLAGS", "(\\Deleted)")
    async with await opened(mail_servers, user) as conn:
        await conn.select("INBOX", readonly=False)
        await conn.expunge("2:3")
        assert await conn.search_uids() == [1, 4, 5]
    with other_client(mail_servers, user) as client:
        assert uids_in(client, "INBOX") == [1, 4, 5]


async def test_copy(mail_servers: Any, user: Any) -> None:
    async with await opened(mail_servers, user) as conn:
        await conn.select("INBOX", readonly=False)
        assert await conn.copy("3:4", "Drafts") == {3: 1, 4: 2}
        assert await conn.search_uids() == [1, 2, 3, 4, 5]
        with pytest.raises(NotFoundError, match="'Nowhere'"):
            await conn.copy("1", "Nowhere")


async def test_create_subscribe_delete_and_a_new_uidvalidity(mail_servers: Any,
                                                             user: Any) -> None:
    async with await opened(mail_servers, user) as conn:
        await conn.create_folder("Projekte/2024 ü")
        folders = {f.name: f for f in await conn.list_folders()}
        assert folders["Projekte/2024 ü"].subscribed is False
        assert folders["Sent"].subscribed is True  # Dovecot: "auto = subscribe"
        await conn.subscribe("Projekte/2024 ü")
        assert {f.name: f.subscribed for f in await conn.list_folders()}["Projekte/2024 ü"]
        conn._protocol.capabilities.discard("LIST-EXTENDED")  # the LSUB way gives the same
        folders = {f.name: f for f in await conn.list_folders()}
        assert folders["Projekte/2024 ü"].subscribed is True and folders["Sent"].role == "sent"
        await conn.unsubscribe("Projekte/2024 ü")
        assert not {f.name: f.subscribed for f in await conn.list_folders()}["Projekte/2024 ü"]

        first = await conn.select("Projekte/2024 ü", readonly=False)
        await conn.delete_folder("Projekte/2024 ü")  # the selected one: the server closes it
        with pytest.raises(ProtocolError, match="no folder is selected"):
            await conn.search_uids()
        assert "Projekte/2024 ü" not in {f.name for f in await conn.list_folders()}
        with pytest.raises(NotFoundError):
            await conn.delete_folder("Projekte/2024 ü")
        await conn.create_folder("Projekte/2024 ü")
        second = await conn.select("Projekte/2024 ü")
        assert second.uidvalidity != first.uidvalidity
