"""Several messages over one SMTP connection: one login, RSET only after an unfinished
transaction, one reconnect at most."""

from __future__ import annotations

import pytest

from mailclient.core.errors import NetworkError, RecipientsRefusedError, SendError
from mailclient.services.smtp_errors import DeliveryUnknownError, DeliveryUnknownTimeoutError
from mailclient.services.smtp_session import SmtpSession
from tests.helpers.fake_smtp import FakeSmtp, serving

MESSAGE = b"From: a@example.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nHello.\r\n"


def verbs(fake: FakeSmtp) -> list[str]:
    return [line.split(" ", 1)[0].split(":", 1)[0].upper() for line in fake.commands]


async def send(session: SmtpSession, *recipients: str, n: int = 0) -> object:
    body = MESSAGE.replace(b"Hello.", f"Hello {n}.".encode())
    return await session.send(sender="alice@example.test",
                              recipients=list(recipients) or ["bob@example.test"], message=body)


async def test_several_messages_share_one_connection_and_login() -> None:
    async with serving() as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            for n in range(3):
                await send(session, n=n)
    said = verbs(fake)
    assert (said.count("EHLO"), said.count("AUTH"), said.count("QUIT")) == (1, 1, 1)
    assert (said.count("MAIL"), said.count("RCPT"), said.count("DATA")) == (3, 3, 3)
    assert "RSET" not in said, "a transaction the server ended needs no RSET"
    assert [b.split(b"\r\n\r\n")[1] for b in fake.bodies] == [b"Hello 0.\r\n", b"Hello 1.\r\n",
                                                                b"Hello 2.\r\n"]
    assert session.connections == 1 and not session.broken


async def test_no_connection_until_the_first_message() -> None:
    async with serving() as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            pass
    assert fake.commands == [] and session.connections == 0


async def test_refused_recipients_in_the_middle_leave_the_others_alone() -> None:
    async with serving(**{"RCPT TO:<CAROL": "550 5.1.1 carol is unknown"}) as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            first = await send(session, n=0)
            with pytest.raises(RecipientsRefusedError, match="carol@example.test"):
                await send(session, "carol@example.test", n=1)
            partial = await session.send(sender="alice@example.test",
                                         recipients=["carol@example.test", "bob@example.test"],
                                         message=MESSAGE)
            last = await send(session, n=3)
    assert first.accepted == last.accepted == ["bob@example.test"]  # type: ignore[attr-defined]
    assert partial.accepted == ["bob@example.test"]
    assert [(r.address, r.code) for r in partial.refused] == [("carol@example.test", 550)]
    said = verbs(fake)
    assert said.count("AUTH") == 1 and said.count("DATA") == 3 and len(fake.bodies) == 3
    assert said.count("RSET") == 1, "only after the transaction without DATA"
    assert session.connections == 1


async def test_sender_refused_is_per_message() -> None:
    async with serving(**{"MAIL FROM:<EVE": "553 5.7.1 not yours"}) as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            with pytest.raises(SendError, match="553"):
                await session.send(sender="eve@example.test", recipients=["bob@example.test"],
                                   message=MESSAGE)
            await send(session)
    assert len(fake.bodies) == 1 and session.connections == 1 and not session.broken
    assert verbs(fake).count("RSET") == 1


@pytest.mark.parametrize("closing", ["421 4.4.2 idle for too long", "DROP"])
async def test_server_closing_between_messages_is_reconnected(closing: str) -> None:
    async with serving(**{"THEN-CLOSE": closing}) as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            for n in range(3):
                await send(session, n=n)
    said = verbs(fake)
    assert len(fake.bodies) == 3, "every message sent once"
    assert session.connections == 3 and said.count("AUTH") == 3 and said.count("EHLO") == 3
    assert not session.broken


async def test_reconnect_is_tried_once_then_the_error_is_raised() -> None:
    async with serving(**{"THEN-CLOSE": "DROP"}) as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            await send(session, n=0)
            assert fake.server is not None
            fake.server.close()  # the server is gone, not just the connection
            await fake.server.wait_closed()
            with pytest.raises(NetworkError, match="cannot connect"):
                await send(session, n=1)
            with pytest.raises(NetworkError, match="earlier message"):
                await send(session, n=2)
    assert len(fake.bodies) == 1 and session.broken and session.connections == 1


async def test_connection_lost_after_data_is_delivery_unknown_and_ends_the_session() -> None:
    async with serving(**{".": "DROP"}) as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            with pytest.raises(DeliveryUnknownError):
                await send(session, n=0)
            assert session.broken
            with pytest.raises(NetworkError, match="earlier message"):
                await send(session, n=1)
    assert verbs(fake).count("DATA") == 1 and session.connections == 1


async def test_silence_after_data_is_delivery_unknown_timeout() -> None:
    async with serving(**{".": "STALL"}) as fake:
        async with SmtpSession(fake.config(), "secret", timeout=0.5) as session:
            with pytest.raises(DeliveryUnknownTimeoutError):
                await send(session)
    assert session.broken and "QUIT" not in verbs(fake)


async def test_421_to_a_recipient_ends_the_session() -> None:
    async with serving(**{"RCPT": "421 4.3.2 shutting down"}) as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            with pytest.raises(SendError, match="421") as caught:
                await send(session)
    assert caught.value.temporary and session.broken and fake.bodies == []


async def test_connect_failure_is_mapped_and_breaks_the_session() -> None:
    async with serving(GREETING="554 5.3.2 go away") as fake:
        async with SmtpSession(fake.config(), "secret", timeout=5) as session:
            with pytest.raises(NetworkError, match="refused the connection"):
                await send(session)
    assert session.broken and session.connections == 0
