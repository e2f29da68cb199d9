"""Sending through the outbox: committed first; 4xx queued for a retry, 5xx failed, partial
delivery reported, an interrupted send held for the user (scripted SMTP faults)."""

from __future__ import annotations

import asyncio
from email.headerregistry import Address
from pathlib import Path

import pytest

from mailclient.core.errors import MailError, RecipientsRefusedError
from mailclient.core.message_build import Draft
from tests.helpers.fake_smtp import sending_service, serving


def draft(*to: str) -> Draft:
    return Draft(sender=Address("Alice", "alice", "example.org"), to=list(to) or
                 ["bob@example.net"], subject="Hi", text="Hello\n")


async def test_success_is_recorded_as_sent(tmp_path: Path) -> None:
    async with serving() as fake:
        service = sending_service(tmp_path, fake)
        outcome = await service.send("work", draft())
    assert outcome.accepted == ["bob@example.net"] and "queued as" in outcome.reply
    (item,) = service.outbox.items()
    assert item.state == "copied" and item.server_reply == outcome.reply  # Sent kept here
    assert len(fake.bodies) == 1


async def test_temporary_refusal_stays_queued(tmp_path: Path) -> None:
    async with serving(**{".": "451 4.3.0 try again later"}) as fake:
        service = sending_service(tmp_path, fake)
        with pytest.raises(MailError, match="451") as caught:
            await service.send("work", draft())
    assert caught.value.temporary
    (item,) = service.outbox.items()
    assert (item.state, item.attempts) == ("queued", 1)
    assert "451" in (item.last_error or "")
    assert service.outbox.due("work") == [], "retried later, with backoff"


async def test_permanent_refusal_is_failed_with_reason(tmp_path: Path) -> None:
    async with serving(**{"RCPT": "550 5.1.1 no such user"}) as fake:
        service = sending_service(tmp_path, fake)
        with pytest.raises(RecipientsRefusedError, match="bob@example.net refused"):
            await service.send("work", draft())
    (item,) = service.outbox.items()
    assert item.state == "failed" and "550 5.1.1" in (item.last_error or "")


async def test_partial_delivery_names_who_did_not_get_it(tmp_path: Path) -> None:
    async with serving(**{"RCPT TO:<CAROL": "550 5.1.1 carol is unknown"}) as fake:
        service = sending_service(tmp_path, fake)
        outcome = await service.send("work", draft("bob@example.net", "carol@example.net"))
    assert outcome.accepted == ["bob@example.net"]
    assert outcome.refused == ["carol@example.net (550 5.1.1 carol is unknown)"]
    (item,) = service.outbox.items()
    assert item.state == "copied" and "carol@example.net refused" in (item.last_error or "")


async def test_interrupted_send_is_held_not_resent(tmp_path: Path) -> None:
    async with serving(**{"DATA": "STALL"}) as fake:
        service = sending_service(tmp_path, fake)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(service.send("work", draft()), 1.0)
        (item,) = service.outbox.items()
        assert item.state == "held" and "may already have been sent" in (item.last_error or "")
        assert service.outbox.due("work") == []
