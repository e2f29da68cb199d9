"""POP3 against the private Dovecot: STLS and POP3S, UIDL/RETR/DELE, and login failures."""

from __future__ import annotations

import socket
import ssl
from typing import Any

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import AuthenticationError, CertificateError, NetworkError
from mailclient.services import pop3
from mailclient.services.tls import fingerprint_of

pytestmark = pytest.mark.integration

LONG_LINE = b"<p>" + b"long line " * 2000 + b"</p>"  # 20 KB: poplib alone stops at 2 KB


def sample(n: int) -> bytes:
    return (
        f"From: alice@example.test\r\nTo: pop@example.test\r\nSubject: message {n}\r\n"
        f"Message-ID: <pop-{n}@example.test>\r\n\r\nBody of message {n}.\r\n"
        ".\r\n..two dots\r\n.leading dot\r\n"
    ).encode() + LONG_LINE + b"\r\nend\r\n"


def config(servers: Any, user: Any, security: str) -> ServerConfig:
    port = {"ssl": servers.pop3s_port, "starttls": servers.pop3_port, "none": servers.pop3_port}
    return ServerConfig(servers.host, port[security], security, user.name)  # type: ignore[arg-type]


@pytest.fixture
def mailbox(mail_servers: Any) -> Any:
    user = mail_servers.new_user("pop")
    assert mail_servers.load_maildir(user, [sample(1), sample(2), sample(3)]) == 3
    return user


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_list_and_retrieve(mail_servers: Any, mailbox: Any, security: str) -> None:
    with pop3.Pop3Session(config(mail_servers, mailbox, security), mailbox.password,
                          ca_file=str(mail_servers.ca_file)) as session:
        uids = session.uidl()
        sizes = session.sizes()
        fetched = {uid: session.retrieve(number) for uid, number in uids.items()}
    assert sorted(uids.values()) == [1, 2, 3] == sorted(sizes)
    assert len(set(uids)) == 3
    by_number = {number: fetched[uid] for uid, number in uids.items()}
    assert sorted(by_number.values()) == [sample(1), sample(2), sample(3)]
    assert all(sizes[n] == len(by_number[n]) for n in sizes)


def test_delete_then_quit_removes(mail_servers: Any, mailbox: Any) -> None:
    server = config(mail_servers, mailbox, "ssl")
    ca_file = str(mail_servers.ca_file)
    with pop3.Pop3Session(server, mailbox.password, ca_file=ca_file) as session:
        first = session.uidl()
        session.delete(1)
        session.delete(3)
    with pop3.Pop3Session(server, mailbox.password, ca_file=ca_file) as session:
        left = session.uidl()
        assert b"Subject: message 2\r\n" in session.retrieve(1)
    assert list(left) == [uid for uid, n in first.items() if n == 2]
    assert len(mail_servers.delivered(mailbox)) == 1


def test_leaving_by_an_exception_keeps_messages(mail_servers: Any, mailbox: Any) -> None:
    server = config(mail_servers, mailbox, "starttls")
    ca_file = str(mail_servers.ca_file)
    with pytest.raises(RuntimeError), pop3.Pop3Session(server, mailbox.password,
                                                       ca_file=ca_file) as session:
        session.delete(1)
        raise RuntimeError("storing locally failed")
    with pop3.Pop3Session(server, mailbox.password, ca_file=ca_file) as session:
        assert len(session.uidl()) == 3


async def test_check_login(mail_servers: Any, mailbox: Any) -> None:
    for security in ("starttls", "ssl"):
        await pop3.check_login(config(mail_servers, mailbox, security), mailbox.password,
                               ca_file=str(mail_servers.ca_file))


@pytest.mark.parametrize("security", ["starttls", "ssl"])
async def test_wrong_password(mail_servers: Any, mailbox: Any, security: str) -> None:
    refusal = f"refused the user name or password for {mailbox.name}"
    with pytest.raises(AuthenticationError, match=refusal):
        await pop3.check_login(config(mail_servers, mailbox, security), "wrong",
                               ca_file=str(mail_servers.ca_file))


def test_unencrypted_connection_uses_user_pass(mail_servers: Any, mailbox: Any) -> None:
    # Dovecot counts loopback as secure, so it lets the clear-text USER/PASS through here.
    with pop3.Pop3Session(config(mail_servers, mailbox, "none"), mailbox.password) as session:
        assert len(session.uidl()) == 3


@pytest.mark.parametrize("security", ["starttls", "ssl"])
async def test_untrusted_certificate(mail_servers: Any, mailbox: Any, security: str) -> None:
    with open(str(mail_servers.ca_file)) as pem:
        expected = fingerprint_of(ssl.PEM_cert_to_DER_cert(pem.read()))
    with pytest.raises(CertificateError) as info:
        await pop3.check_login(config(mail_servers, mailbox, security), mailbox.password)
    assert info.value.fingerprint == expected
    assert "self-signed certificate" in str(info.value)


def test_closed_port(mail_servers: Any) -> None:
    with socket.socket() as probe:
        probe.bind((mail_servers.host, 0))
        port = probe.getsockname()[1]
    server = ServerConfig(mail_servers.host, port, "ssl", "alice")
    with pytest.raises(NetworkError, match=f"cannot connect to .*:{port}: connection refused"):
        pop3.Pop3Session(server, "x")
