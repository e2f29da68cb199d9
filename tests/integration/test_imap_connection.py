"""ImapConnection against the private Dovecot: TLS, login errors, folders, fetch, append, 50k."""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path
from typing import Any

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import AuthenticationError, CertificateError, NetworkError
from mailclient.services.imap import FetchedMessage, ImapConnection
from mailclient.services.tls import fingerprint_of

pytestmark = pytest.mark.integration


def config(servers: Any, user: Any, security: str = "starttls") -> ServerConfig:
    port = servers.imaps_port if security == "ssl" else servers.imap_port
    return ServerConfig(servers.host, port, security, user.name)  # type: ignore[arg-type]


def sample(n: int) -> bytes:
    return (
        f"From: alice@example.test\r\nTo: imap@example.test\r\nSubject: message {n}\r\n"
        f"Message-ID: <imap-{n}@example.test>\r\nDate: Mon, 1 Jan 2024 10:00:{n:02d} +0000\r\n"
        f"\r\nBody of message {n}.\r\n(a line with a paren\r\n{{3}}\r\n"
    ).encode()


async def opened(servers: Any, user: Any, security: str = "starttls") -> ImapConnection:
    return await ImapConnection.open(
        config(servers, user, security), user.password, ca_file=str(servers.ca_file), timeout=10
    )


@pytest.fixture
def mailbox(mail_servers: Any) -> Any:
    user = mail_servers.new_user("imap")
    assert mail_servers.load_maildir(user, [sample(1), sample(2), sample(3)]) == 3
    return user


async def test_starttls_login_and_capabilities(mail_servers: Any, mailbox: Any) -> None:
    async with await opened(mail_servers, mailbox, "starttls") as conn:
        caps = conn.capabilities
        assert {"IMAP4REV1", "IDLE", "SPECIAL-USE"} <= caps
        assert "STARTTLS" not in caps and "LOGINDISABLED" not in caps  # now encrypted
        assert not conn.closed
    assert conn.closed


async def test_imaps_login(mail_servers: Any, mailbox: Any) -> None:
    async with await opened(mail_servers, mailbox, "ssl") as conn:
        assert "IMAP4REV1" in conn.capabilities
        await conn.logout()
        assert conn.closed


async def test_wrong_password(mail_servers: Any, mailbox: Any) -> None:
    server = config(mail_servers, mailbox, "ssl")
    with pytest.raises(AuthenticationError, match="refused the user name or password"):
        await ImapConnection.open(server, "wrong", ca_file=str(mail_servers.ca_file), timeout=10)


async def test_plaintext_login_refused_where_server_disables_it(mail_servers: Any,
                                                               mailbox: Any) -> None:
    # Dovecot deems 127.0.0.1 -> 127.0.0.1 secure; from 127.0.0.2 it sends LOGINDISABLED.
    server = ServerConfig("127.0.0.2", mail_servers.imap_port, "none", mailbox.name)
    with pytest.raises(AuthenticationError, match="refuses logins without encryption"):
        await ImapConnection.open(server, mailbox.password, timeout=10)
    # The same address with STARTTLS logs in.
    secure = ServerConfig("127.0.0.2", mail_servers.imap_port, "starttls", mailbox.name)
    async with await ImapConnection.open(secure, mailbox.password,
                                         ca_file=str(mail_servers.ca_file), timeout=10):
        pass


async def test_closed_port(mail_servers: Any) -> None:
    with socket.socket() as sock:
        sock.bind((mail_servers.host, 0))
        port = sock.getsockname()[1]
    server = ServerConfig(mail_servers.host, port, "ssl", "alice")
    with pytest.raises(NetworkError, match=f":{port}: connection refused"):
        await ImapConnection.open(server, "x", ca_file=str(mail_servers.ca_file), timeout=5)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
async def test_untrusted_certificate(mail_servers: Any, mailbox: Any, security: str) -> None:
    der = ssl.PEM_cert_to_DER_cert(Path(mail_servers.ca_file).read_text())
    with pytest.raises(CertificateError) as info:
        await ImapConnection.open(config(mail_servers, mailbox, security), mailbox.password)
    assert info.value.fingerprint == fingerprint_of(der)
    assert info.value.fingerprint in str(info.value)


async def test_folders_and_roles(mail_servers: Any, mailbox: Any) -> None:
    mail_servers.load_maildir(mailbox, [sample(9)], folder="Entwürfe & Co/台北")
    async with await opened(mail_servers, mailbox) as conn:
        folders = {folder.name: folder for folder in await conn.list_folders()}
        roles = {folder.role: name for name, folder in folders.items() if folder.role}
        assert roles == {
            "inbox": "INBOX", "sent": "Sent", "drafts": "Drafts", "trash": "Trash", "junk": "Junk",
        }  # fmt: skip
        assert folders["Sent"].delimiter == "/" and "\\Sent" in folders["Sent"].flags
        assert "Entwürfe & Co/台北" in folders
        selected = await conn.select("Entwürfe & Co/台北")
        assert selected.exists == 1
        assert [m.raw async for batch in conn.fetch("1:*", body=True) for m in batch] == [sample(9)]


async def test_select_values(mail_servers: Any, mailbox: Any) -> None:
    async with await opened(mail_servers, mailbox) as conn:
        inbox = await conn.select("INBOX")
        assert (inbox.name, inbox.exists, inbox.uidnext) == ("INBOX", 3, 4)
        assert inbox.uidvalidity > 0
        assert isinstance(inbox.highestmodseq, int)
        writable = await conn.select("INBOX", readonly=False)
        assert writable.uidvalidity == inbox.uidvalidity
        assert await conn.search_uids() == [1, 2, 3]
        assert await conn.search_uids('SUBJECT "message 2"') == [2]
        empty = await conn.select("Trash")
        assert (empty.exists, empty.uidnext) == (0, 1)
        assert [batch async for batch in conn.fetch("1:*")] == []


async def test_fetch_header_and_body(mail_servers: Any, mailbox: Any) -> None:
    async with await opened(mail_servers, mailbox, "ssl") as conn:
        await conn.select("INBOX")
        messages = [m async for batch in conn.fetch("1:*", header=True, body=True) for m in batch]
        assert [m.uid for m in messages] == [1, 2, 3]
        for n, message in enumerate(messages, 1):
            assert message.raw == sample(n)
            assert message.header == sample(n).split(b"\r\n\r\n")[0] + b"\r\n\r\n"
            assert message.size == len(sample(n))
            assert message.internaldate is not None and message.internaldate.tzinfo is not None
            assert message.flags == frozenset({"\\Recent"})
        light = [m async for batch in conn.fetch("2:3", batch=1) for m in batch]
        assert [(m.uid, m.raw, m.header) for m in light] == [(2, None, None), (3, None, None)]


async def test_append_then_fetch(mail_servers: Any, mailbox: Any) -> None:
    raw = sample(42).replace(b"message 42", "Entwurf ü".encode())
    async with await opened(mail_servers, mailbox) as conn:
        await conn.append("Drafts", raw, flags="\\Draft \\Seen")
        await conn.append("Drafts", sample(43))
        drafts = await conn.select("Drafts")
        assert drafts.exists == 2
        fetched: list[FetchedMessage] = []
        async for batch in conn.fetch("1:*", body=True):
            fetched += batch
    assert [m.raw for m in fetched] == [raw, sample(43)]
    assert {"\\Draft", "\\Seen"} <= fetched[0].flags
    assert "\\Seen" in fetched[1].flags


def many(count: int) -> Any:
    for n in range(count):
        yield (
            f"From: bulk@example.test\r\nSubject: bulk {n}\r\nMessage-ID: <bulk-{n}@x>\r\n"
            f"\r\nbulk body {n}\r\n"
        ).encode()


async def test_fifty_thousand_messages(mail_servers: Any) -> None:
    user = mail_servers.new_user("bulk")
    began = time.monotonic()
    assert mail_servers.load_maildir(user, many(50_000)) == 50_000
    loaded = time.monotonic() - began
    async with await opened(mail_servers, user, "ssl") as conn:
        inbox = await conn.select("INBOX")
        assert inbox.exists == 50_000
        began = time.monotonic()
        count = batches = 0
        last_uid = 0
        async for batch in conn.fetch("1:*"):
            assert len(batch) <= 500
            assert batch[0].uid > last_uid
            last_uid = batch[-1].uid
            count += len(batch)
            batches += 1
        elapsed = time.monotonic() - began
    print(f"\nUID FETCH 1:* of 50,000 messages: {elapsed:.2f} s in {batches} batches "
          f"(loading the maildir took {loaded:.1f} s)")  # fmt: skip
    assert count == 50_000 and last_uid == 50_000
    assert elapsed < 20
