"""IDLE against the private Dovecot: a delivery through Postfix wakes idle_once and the
InboxWatcher; a killed connection is re-opened."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from collections.abc import Callable

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import ProtocolError
from mailclient.services.imap import ImapConnection
from mailclient.services.imap.idle import idle_once
from mailclient.services.inbox_watch import InboxWatcher
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration
TIMEOUT = 10.0


def send_to(servers: MailServers, user: TestUser, subject: str) -> None:
    """Submit one message to ``user`` (from ``user``) through Postfix with STARTTLS."""
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    message = (f"From: {user.address}\r\nTo: {user.address}\r\nSubject: {subject}\r\n"
               f"\r\nHello\r\n").encode()
    with smtplib.SMTP(servers.host, servers.submission_port, timeout=TIMEOUT) as smtp:
        smtp.starttls(context=context)
        smtp.login(user.name, user.password)
        smtp.sendmail(user.address, [user.address], message)


def opener(servers: MailServers, user: TestUser,
           opened: list[ImapConnection] | None = None) -> Callable[[], object]:
    server = ServerConfig(servers.host, servers.imaps_port, "ssl", user.name)

    async def connect() -> ImapConnection:
        connection = await ImapConnection.open(server, user.password,
                                               ca_file=str(servers.ca_file), timeout=TIMEOUT)
        if opened is not None:
            opened.append(connection)
        return connection

    return connect


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(TIMEOUT):
        while not condition():
            await asyncio.sleep(0.01)


async def test_idle_once_returns_when_mail_is_delivered(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("idle")
    async with await opener(mail_servers, user)() as conn:  # type: ignore[attr-defined]
        assert (await conn.select("INBOX")).exists == 0
        assert await idle_once(conn, max_seconds=0.2) == []  # time limit: DONE, OK
        started = asyncio.Event()
        waiting = asyncio.create_task(idle_once(conn, max_seconds=60, started=started))
        await asyncio.wait_for(started.wait(), TIMEOUT)
        await asyncio.to_thread(send_to, mail_servers, user, "pushed")
        changes = await asyncio.wait_for(waiting, TIMEOUT)
        assert any(line.endswith("EXISTS") for line in changes), changes
        assert (await conn.select("INBOX")).exists == 1  # the connection is still usable
    assert conn.closed


async def test_idle_refused_without_the_capability(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("idle")
    async with await opener(mail_servers, user)() as conn:  # type: ignore[attr-defined]
        await conn.select("INBOX")
        conn._protocol.capabilities = {c for c in conn._protocol.capabilities if c != "IDLE"}
        with pytest.raises(ProtocolError, match="does not support IDLE"):
            await conn.idle(1)


async def test_cancelled_idle_still_logs_out(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("idle")
    async with await opener(mail_servers, user)() as conn:  # type: ignore[attr-defined]
        await conn.select("INBOX")
        started = asyncio.Event()
        waiting = asyncio.create_task(idle_once(conn, max_seconds=60, started=started))
        await asyncio.wait_for(started.wait(), TIMEOUT)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert (await conn.select("INBOX")).exists == 0  # DONE was sent: usable again
    assert conn.closed


async def test_watcher_reports_a_delivery_and_stops_cleanly(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("watch")
    opened: list[ImapConnection] = []
    changed = asyncio.Event()

    async def on_change(account: str) -> None:
        assert account == user.name
        changed.set()

    watcher = InboxWatcher(user.name, opener(mail_servers, user, opened),  # type: ignore[arg-type]
                           on_change)
    watcher.start()
    await until(lambda: watcher.connects == 1)
    await asyncio.to_thread(send_to, mail_servers, user, "watched")
    await asyncio.wait_for(changed.wait(), TIMEOUT)
    await asyncio.wait_for(watcher.stop(), TIMEOUT)
    assert not watcher.running and opened[0].closed
    await until(lambda: asyncio.all_tasks() == {asyncio.current_task()})


async def test_watcher_reconnects_after_the_connection_dies(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("watch")
    opened: list[ImapConnection] = []
    changes: list[str] = []

    async def on_change(account: str) -> None:
        changes.append(account)

    watcher = InboxWatcher(user.name, opener(mail_servers, user, opened),  # type: ignore[arg-type]
                           on_change, first_delay=0.01)
    watcher.start()
    await until(lambda: watcher.connects == 1)
    transport = opened[0]._protocol.transport
    assert transport is not None
    transport.abort()  # as if the server vanished
    await until(lambda: watcher.connects == 2)
    assert changes == [user.name]  # a reconnect makes the caller sync
    assert opened[0].closed and not opened[1].closed
    await asyncio.to_thread(send_to, mail_servers, user, "after the reconnect")
    await until(lambda: len(changes) == 2)
    await asyncio.wait_for(watcher.stop(), TIMEOUT)
    assert opened[1].closed
