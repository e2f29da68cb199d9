"""A proxy between the client and Dovecot or Postfix cuts, stalls or injects garbage: IMAP
sync, POP3 sync and SMTP send fail within their timeout with a plain error naming the server,
and the next run without the fault reaches exactly the server's state, or sends once."""

from __future__ import annotations

import asyncio
import functools
import os
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from email.headerregistry import Address
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.core.errors import MailError
from mailclient.core.message_build import Draft
from mailclient.services import pop3, smtp
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.mail_service import MailService
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from mailclient.services.store import MessageStore
from mailclient.services.sync import sync_account
from tests.helpers.crash_harness import wait_quiet
from tests.helpers.cutting_proxy import CuttingProxy
from tests.helpers.mailservers import MailServers, TestUser
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.server_truth import account_for, assert_store_equals_server, compose, open_store

pytestmark = pytest.mark.integration
TIMEOUT = 1.0  # the client's timeout in these tests (seconds without an answer)
MARGIN = 4.0  # what a failure may take beyond it: TLS, log-out attempts, a slow machine
COUNT, BODY_SIZE = 60, 2_000
Fault = Callable[[CuttingProxy, int], None]  # arms the proxy, given the bytes a clean run takes

# Garbage in place of what the server says next: random bytes, a response cut short, a
# literal that announces 4 GB (the client must neither wait forever nor allocate it).
RANDOM_BYTES = bytes.fromhex("8f00ff13f7c3") + os.urandom(40).replace(b"\n", b"") + b"\r\n"
MALFORMED_FETCH = b"* 3 FETCH (UID 3 FLAGS (\\Seen) BODY[] \r\n"
BOGUS_LITERAL = b"* 3 FETCH (UID 3 BODY[] {4000000000}\r\nFrom: x\r\n"
IGNORABLE = {"random-bytes", "malformed-line"}  # lines that are no response of the server
FAULTS: dict[str, Fault] = {
    "cut": lambda proxy, total: proxy.cut_after(total // 2),
    "stall": lambda proxy, total: proxy.stall_after(total // 2),
    "random-bytes": lambda proxy, total: proxy.inject_after(total // 2, RANDOM_BYTES,
                                                            before_line=b"* "),
    "malformed-line": lambda proxy, total: proxy.inject_after(total // 2, MALFORMED_FETCH,
                                                              before_line=b"* "),
    "bogus-literal": lambda proxy, total: proxy.inject_after(total // 2, BOGUS_LITERAL,
                                                             before_line=b"* "),
    "garbage-greeting": lambda proxy, total: proxy.inject_after(0, RANDOM_BYTES),
}


def tls_contexts(servers: MailServers) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """The proxy's TLS: towards clients with the servers' certificate, towards the servers
    verified by it (so the proxy sees and can garble the protocol in clear)."""
    serving = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    serving.load_cert_chain(servers.ca_file, servers.dovecot.key)
    return serving, ssl.create_default_context(cafile=str(servers.ca_file))


@asynccontextmanager
async def proxy_to(servers: MailServers, port: int) -> AsyncIterator[CuttingProxy]:
    serving, upstream = tls_contexts(servers)
    async with CuttingProxy(servers.host, port, tls=serving, upstream_tls=upstream) as proxy:
        yield proxy


async def quick_imap(account: Account, password: str) -> ImapConnection:
    """``open_connection`` with the short timeout of these tests."""
    connection = await ImapConnection.open(account.incoming, password,
                                           ca_file=account.ca_file, timeout=TIMEOUT)
    if "QRESYNC" in connection.capabilities:
        await connection.enable("QRESYNC")
    return connection


async def sync_once(account: Account, password: str, store: MessageStore) -> None:
    sessions = ImapSessions(opener=quick_imap)
    try:
        async with asyncio.timeout(60):  # a hang is a failure, not a stuck test run
            await sync_account(account, password, store, sessions=sessions)
    finally:
        await sessions.close_all()


async def timed_failure(step: Callable[[], Awaitable[object]]) -> tuple[MailError, float]:
    """Run ``step``, which must fail with a ``MailError``; return it and the seconds taken."""
    began = time.monotonic()
    with pytest.raises(MailError) as caught:
        await step()
    return caught.value, time.monotonic() - began


def assert_clear(error: MailError, seconds: float, host: str, port: int) -> None:
    """One plain line that names the server, within the timeout and the margin."""
    text = str(error)
    assert seconds < TIMEOUT + MARGIN, f"{seconds:.1f}s: {text}"
    assert text.isprintable() and "Traceback" not in text, text
    assert host in text and str(port) in text, f"{host} {port} not in {text!r}"


def mailbox(servers: MailServers, user: TestUser, tag: str) -> None:
    messages = [compose(n, tag, body_size=BODY_SIZE) for n in range(COUNT)]
    servers.load_maildir(user, messages[:COUNT // 2], seen=True)  # the faults strike in
    servers.load_maildir(user, messages[COUNT // 2:-5])  # the Inbox's download
    servers.load_maildir(user, messages[-5:], "Archive")


@pytest.mark.parametrize("fault", ["cut", "stall", "random-bytes", "malformed-line",
                                   "bogus-literal", "garbage-greeting"])
async def test_imap_sync_fails_in_time_then_resumes(mail_servers: MailServers, tmp_path: Path,
                                                    fault: str) -> None:
    user = mail_servers.new_user("nfi")
    mailbox(mail_servers, user, f"imap-{fault}")
    store = open_store(tmp_path)
    async with proxy_to(mail_servers, mail_servers.imaps_port) as proxy:
        account = account_for(mail_servers, user, port=proxy.port)
        probe = open_store(tmp_path, "probe")
        await sync_once(account, user.password, probe)  # how many bytes a whole sync takes
        FAULTS[fault](proxy, proxy.downstream_bytes)

        began = time.monotonic()
        try:
            await sync_once(account, user.password, store)
        except MailError as error:
            assert_clear(error, time.monotonic() - began, mail_servers.host, proxy.port)
        else:  # a stray line between two responses may be skipped: if it left no trace
            assert fault in IGNORABLE, f"{fault}: no error"
            assert_store_equals_server(store, mail_servers, user, raw_samples=COUNT)
        assert proxy.fault_done.is_set(), "the fault never struck"
        await sync_once(account, user.password, store)
    assert_store_equals_server(store, mail_servers, user, raw_samples=4)


@pytest.fixture
def quick_pop3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pop3, "Pop3Session",
                        functools.partial(pop3.Pop3Session, timeout=TIMEOUT))


@pytest.mark.usefixtures("quick_pop3")
@pytest.mark.parametrize("fault", ["cut", "stall", "garbage-greeting"])
async def test_pop3_sync_fails_in_time_then_resumes(mail_servers: MailServers, tmp_path: Path,
                                                    fault: str) -> None:
    user = mail_servers.new_user("nfp")
    messages = [compose(n, f"pop3-{fault}", body_size=BODY_SIZE) for n in range(COUNT)]
    mail_servers.load_maildir(user, messages)
    store = open_store(tmp_path)
    async with proxy_to(mail_servers, mail_servers.pop3s_port) as proxy:
        account = account_for(mail_servers, user, "pop3", port=proxy.port)
        await sync_account(account, user.password, open_store(tmp_path, "probe"))
        FAULTS[fault](proxy, proxy.downstream_bytes)

        error, seconds = await timed_failure(
            lambda: sync_account(account, user.password, store))

        assert proxy.fault_done.is_set(), "the fault never struck"
        assert_clear(error, seconds, mail_servers.host, proxy.port)
        await sync_account(account, user.password, store)
    stored = sorted(m.message_id for m in store.list_messages(account=user.name))
    assert stored == sorted(f"<pop3-{fault}-{n}@receiving.example.test>" for n in range(COUNT))
    raws = {store.raw(m.id) for m in store.list_messages(account=user.name)}
    assert raws == set(messages), "a message was stored garbled"


@pytest.fixture
def quick_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smtp, "send_message", functools.partial(smtp.send_message,
                                                                timeout=TIMEOUT))


def sending_service(tmp_path: Path, servers: MailServers, user: TestUser,
                    port: int) -> MailService:
    profile = Profile.locate(tmp_path / "profile")
    service = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    account = account_for(servers, user, smtp=ServerConfig(servers.host, port, "ssl",
                                                           user.name))
    service.accounts.settings.add_account(account)
    service.secrets.set_password(account.name, user.password)
    return service


SMTP_IGNORABLE = {"garbage-after-ehlo"}
GO_AHEAD = b"354 End data with <CR><LF>.<CR><LF>\r\n"  # Postfix's answer to DATA
SMTP_FAULTS: dict[str, Callable[[CuttingProxy], None]] = {  # greeting ~60 bytes, EHLO ~200
    "cut-at-ehlo": lambda proxy: proxy.cut_after(70),
    # armed at DATA: the message goes up, its "250" is cut after one byte (sent? unknown)
    "cut-in-answer-to-data": lambda proxy: proxy.cut_after(len(GO_AHEAD) + 1),
    "stall-at-ehlo": lambda proxy: proxy.stall_after(70),
    "garbage-greeting": lambda proxy: proxy.inject_after(0, RANDOM_BYTES),
    "garbage-after-ehlo": lambda proxy: proxy.inject_after(70, RANDOM_BYTES, before_line=b""),
    "unknown-reply-code": lambda proxy: proxy.inject_after(70, b"999 what\r\n", before_line=b""),
}


@pytest.mark.usefixtures("quick_smtp")
@pytest.mark.parametrize("fault", sorted(SMTP_FAULTS))
async def test_smtp_send_fails_in_time_then_sends_once(
        mail_servers: MailServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        fault: str) -> None:
    sender, to = mail_servers.new_user("nfs"), mail_servers.new_user("nft")
    async with proxy_to(mail_servers, mail_servers.smtps_port) as proxy:
        service = sending_service(tmp_path, mail_servers, sender, proxy.port)
        local, _, domain = sender.address.partition("@")
        draft = Draft(sender=Address("", local, domain), to=[to.address],
                      subject=f"fault {fault}", text="once\n")
        if fault == "cut-in-answer-to-data":
            real = aiosmtplib.SMTP.data

            async def data(client: aiosmtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
                SMTP_FAULTS[fault](proxy)
                return await real(client, *args, **kwargs)

            monkeypatch.setattr(aiosmtplib.SMTP, "data", data)
        else:
            SMTP_FAULTS[fault](proxy)

        began = time.monotonic()
        try:
            await service.send(sender.name, draft)
        except MailError as error:
            assert_clear(error, time.monotonic() - began, mail_servers.host, proxy.port)
        else:  # a stray line inside a multi-line reply may be skipped: if it left no trace
            assert fault in SMTP_IGNORABLE, f"{fault}: no error"
        assert proxy.fault_done.is_set(), "the fault never struck"
        (item,) = service.outbox.items()
        if item.state == "failed":  # not worth a retry by itself: the user's Retry
            await service.retry_outbox(item.id)
        else:  # queued (retried when due: now) or held (maybe delivered: never resent)
            service.db.connection.execute("UPDATE outbox SET next_attempt_epoch = 0")
            account = service.accounts.get(sender.name)
            await service.flush_outbox(account, sender.password)
        await service.close_connections()
        service.close()
    mail_servers.wait_delivered(to, 1)
    wait_quiet(lambda: len(mail_servers.delivered(to)), quiet=1.0)  # a second copy comes?
    delivered = mail_servers.delivered(to)
    assert [m.count(f"fault {fault}".encode()) for m in delivered] == [1], item
