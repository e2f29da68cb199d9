"""SMTP fault handling against a tiny scripted server (the real Postfix covers the happy path)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import (
    AuthenticationError,
    MessageTooLargeError,
    NetworkError,
    ProtocolError,
    RecipientsRefusedError,
    SendError,
    ServerTimeoutError,
    TlsUnavailableError,
)
from mailclient.services import smtp
from tests.helpers.fake_smtp import DEFAULT_EHLO, FakeSmtp, start

MESSAGE = b"From: a@example.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nHello.\r\n"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSmtp]:
    server = FakeSmtp()
    yield server
    if server.server is not None:
        server.server.close()
        await server.server.wait_closed()
        await asyncio.gather(*server.handlers)


async def send(
    fake: FakeSmtp,
    recipients: list[str] | None = None,
    message: bytes = MESSAGE,
    security: str = "none",
    sender: str = "alice@example.test",
) -> smtp.SendReport:
    return await smtp.send_message(
        fake.config(security),
        "secret",
        sender=sender,
        recipients=recipients or ["bob@example.test"],
        message=message,
        timeout=5,
    )


def verbs(fake: FakeSmtp) -> list[str]:
    return [line.split(" ", 1)[0].split(":", 1)[0].upper() for line in fake.commands]


async def test_starttls_required_but_not_offered_sends_nothing(fake: FakeSmtp) -> None:
    await start(fake)
    with pytest.raises(TlsUnavailableError, match="does not offer STARTTLS"):
        await send(fake, security="starttls")
    assert "AUTH" not in verbs(fake) and "MAIL" not in verbs(fake)


async def test_starttls_refused_is_tls_unavailable(fake: FakeSmtp) -> None:
    await start(fake, ehlo=(*DEFAULT_EHLO, "STARTTLS"), starttls="454 4.7.0 TLS not available")
    with pytest.raises(TlsUnavailableError, match="454 4.7.0 TLS not available"):
        await smtp.check_login(fake.config("starttls"), "secret", timeout=5)
    assert "AUTH" not in verbs(fake)


async def test_wrong_password_is_one_attempt_with_plain(fake: FakeSmtp) -> None:
    await start(fake, auth="535 5.7.8 Error: authentication failed")
    with pytest.raises(AuthenticationError, match="alice: 535 5.7.8 Error") as info:
        await send(fake)
    assert info.value.temporary is False
    assert [v for v in verbs(fake) if v == "AUTH"] == ["AUTH"]
    assert fake.commands[1].startswith("AUTH PLAIN ")
    assert "MAIL" not in verbs(fake)


async def test_login_mechanism_when_plain_not_offered(fake: FakeSmtp) -> None:
    await start(fake, ehlo=("AUTH LOGIN CRAM-MD5",),
                replies={"auth-password": "454 4.7.0 try later"})
    with pytest.raises(AuthenticationError, match="454") as info:
        await smtp.check_login(fake.config(), "secret", timeout=5)
    assert info.value.temporary is True
    assert fake.commands[1].startswith("AUTH LOGIN ")


async def test_no_known_auth_mechanism(fake: FakeSmtp) -> None:
    await start(fake, ehlo=("AUTH CRAM-MD5",))
    with pytest.raises(ProtocolError, match="CRAM-MD5"):
        await smtp.check_login(fake.config(), "secret", timeout=5)


async def test_no_auth_at_all(fake: FakeSmtp) -> None:
    await start(fake, ehlo=("8BITMIME",))
    with pytest.raises(ProtocolError, match="does not offer to log in"):
        await smtp.check_login(fake.config(), "secret", timeout=5)


async def test_too_large_is_refused_before_mail_from(fake: FakeSmtp) -> None:
    await start(fake, ehlo=("SIZE 1000", "AUTH PLAIN"))
    with pytest.raises(MessageTooLargeError, match="limit of 1.0 KB") as info:
        await send(fake, message=MESSAGE + b"x" * 1000 + b"\r\n")
    assert info.value.limit == 1000 and info.value.size > 1000
    assert "MAIL" not in verbs(fake) and not fake.bodies


async def test_size_zero_means_no_limit_and_size_is_announced(fake: FakeSmtp) -> None:
    await start(fake, ehlo=("SIZE 0", "AUTH PLAIN", "8BITMIME"))
    await send(fake, message=b"Subject: caf\xc3\xa9\n\nbody\n")
    mail = next(line for line in fake.commands if line.startswith("MAIL"))
    assert "SIZE=" in mail and "BODY=8BITMIME" in mail


@pytest.mark.parametrize(
    ("reply", "temporary"), [("553 5.7.1 not owner", False), ("451 4.3.0 try later", True)]
)
async def test_sender_refused(fake: FakeSmtp, reply: str, temporary: bool) -> None:
    await start(fake, mail=reply)
    with pytest.raises(SendError, match=f"refused the sender alice@example.test: {reply}") as info:
        await send(fake)
    assert info.value.code == int(reply[:3]) and info.value.temporary is temporary
    assert "RCPT" not in verbs(fake)


async def test_some_recipients_refused_still_sends(fake: FakeSmtp) -> None:
    await start(fake, replies={"RCPT TO:<nobody@": "550 5.1.1 <nobody@example.test>: User unknown"})
    report = await send(fake, ["bob@example.test", "nobody@example.test", "carol@example.test"])
    assert report.accepted == ["bob@example.test", "carol@example.test"]
    assert [(r.address, r.code) for r in report.refused] == [("nobody@example.test", 550)]
    assert "User unknown" in report.refused[0].text
    assert report.reply == "250 2.0.0 Ok: queued as ABC"
    assert len(fake.bodies) == 1


@pytest.mark.parametrize(
    ("second", "temporary"), [("452 4.5.3 too many", True), ("550 5.1.1 unknown", False)]
)
async def test_all_recipients_refused(fake: FakeSmtp, second: str, temporary: bool) -> None:
    await start(fake, replies={"RCPT TO:<a@": "450 4.2.0 greylisted", "RCPT TO:<b@": second})
    with pytest.raises(RecipientsRefusedError) as info:
        await send(fake, ["a@example.test", "b@example.test"])
    assert [r.address for r in info.value.refused] == ["a@example.test", "b@example.test"]
    assert info.value.temporary is temporary
    assert "no recipient was accepted" in str(info.value)
    assert "DATA" not in verbs(fake)


async def test_data_refused_before_upload(fake: FakeSmtp) -> None:
    await start(fake, data="554 5.5.1 no valid recipients")
    with pytest.raises(SendError, match="refused the message: 554 5.5.1") as info:
        await send(fake)
    assert info.value.code == 554 and not info.value.temporary


async def test_data_refused_after_upload_temporarily(fake: FakeSmtp) -> None:
    await start(fake, replies={".": "452 4.3.1 insufficient system storage"})
    with pytest.raises(SendError, match="452 4.3.1") as info:
        await send(fake)
    assert info.value.code == 452 and info.value.temporary


async def test_smtputf8_needed_but_missing(fake: FakeSmtp) -> None:
    await start(fake)
    with pytest.raises(SendError, match="SMTPUTF8, needed for the non-ASCII address jörg@"):
        await send(fake, ["jörg@example.test"])
    assert "MAIL" not in verbs(fake)


async def test_smtputf8_used_when_offered(fake: FakeSmtp) -> None:
    await start(fake, ehlo=(*DEFAULT_EHLO, "SMTPUTF8"))
    report = await send(fake, ["jörg@example.test", "bob@bücher.example"])
    mail = next(line for line in fake.commands if line.startswith("MAIL"))
    assert "SMTPUTF8" in mail
    assert "RCPT TO:<jörg@example.test>" in fake.commands
    assert report.accepted == ["jörg@example.test", "bob@bücher.example"]


async def test_idn_domain_sent_as_a_labels_without_smtputf8(fake: FakeSmtp) -> None:
    await start(fake)
    await send(fake, ["bob@bücher.example"])
    assert "RCPT TO:<bob@xn--bcher-kva.example>" in fake.commands
    assert not any("SMTPUTF8" in line for line in fake.commands)


async def test_recipient_421_stops(fake: FakeSmtp) -> None:
    await start(fake, rcpt="421 4.3.2 shutting down")
    with pytest.raises(SendError, match="421 4.3.2") as info:
        await send(fake, ["a@example.test", "b@example.test"])
    assert info.value.temporary


async def test_greeting_refusal(fake: FakeSmtp) -> None:
    await start(fake, greeting="554 5.7.1 go away")
    with pytest.raises(NetworkError, match="refused the connection: 554 5.7.1 go away"):
        await send(fake)


async def test_connection_dropped_mid_transaction(fake: FakeSmtp) -> None:
    await start(fake, mail="DROP")
    with pytest.raises(NetworkError, match="closed the connection"):
        await send(fake)


async def test_cancel_does_not_wait_for_a_stalled_server(fake: FakeSmtp) -> None:
    await start(fake, mail="STALL")
    task = asyncio.create_task(
        smtp.send_message(
            fake.config(),
            "secret",
            sender="a@example.test",
            recipients=["b@example.test"],
            message=MESSAGE,
            timeout=30,
        )
    )
    while "MAIL" not in verbs(fake):
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 2)


async def test_silent_server_times_out() -> None:
    done = asyncio.Event()

    async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()
        await writer.wait_closed()
        done.set()

    server = await asyncio.start_server(mute, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(ServerTimeoutError, match="did not answer in time"):
            await smtp.check_login(ServerConfig("127.0.0.1", port, "none", "a"), "x", timeout=0.3)
        await asyncio.wait_for(done.wait(), 5)
    finally:
        server.close()
        await server.wait_closed()


async def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    expected = f"cannot connect to 127.0.0.1:{port}: connection refused"
    with pytest.raises(NetworkError, match=expected):
        await smtp.check_login(ServerConfig("127.0.0.1", port, "ssl", "a"), "x", timeout=5)


@pytest.mark.parametrize("bad", ["bob@example.test>\r\nRCPT TO:<x@y", "", "no-at-sign"])
async def test_invalid_address_refused_before_connecting(bad: str) -> None:
    with pytest.raises(SendError, match="not a valid e-mail address|no recipients"):
        await smtp.send_message(
            ServerConfig("127.0.0.1", 1, "none", "a"),
            "x",
            sender="a@example.test",
            recipients=[bad] if bad else [],
            message=MESSAGE,
        )
