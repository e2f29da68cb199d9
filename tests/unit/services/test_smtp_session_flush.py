"""``flush_outbox`` over one SMTP session: each message claimed and marked on its own; a broken
connection ends the flush and leaves the rest queued, never sent twice."""

from __future__ import annotations

from email.headerregistry import Address
from pathlib import Path

from mailclient.core.errors import RecipientsRefusedError
from mailclient.core.message_build import Draft, build_message
from mailclient.services.mail_service import MailService
from mailclient.services.smtp_errors import DeliveryUnknownError
from tests.helpers.fake_smtp import FakeSmtp, sending_service, serving


def queue(service: MailService, *to: str) -> list[int]:
    ids = []
    for n, address in enumerate(to):
        draft = Draft(sender=Address("Alice", "alice", "example.org"), to=[address],
                      subject=f"Note {n}", text=f"Hello {n}\n")
        message = build_message(draft)
        ids.append(service.outbox.queue("work", raw=message.as_bytes(), sender="alice@example.org",
                                        recipients=[address],
                                        message_id=str(message["Message-ID"]),
                                        subject=draft.subject))
    return ids


def verbs(fake: FakeSmtp) -> list[str]:
    return [line.split(" ", 1)[0].split(":", 1)[0].upper() for line in fake.commands]


async def test_flush_sends_every_message_over_one_connection(tmp_path: Path) -> None:
    async with serving() as fake:
        service = sending_service(tmp_path, fake)
        ids = queue(service, *["bob@example.net"] * 4)
        report = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert [o.item_id for o in report.sent] == ids and report.failed == []
    said = verbs(fake)
    assert (said.count("EHLO"), said.count("AUTH"), said.count("QUIT")) == (1, 1, 1)
    assert said.count("DATA") == 4 and len(fake.bodies) == 4
    assert {item.state for item in service.outbox.items()} == {"copied"}  # Sent kept here


async def test_flush_with_nothing_due_connects_to_nothing(tmp_path: Path) -> None:
    async with serving() as fake:
        service = sending_service(tmp_path, fake)
        report = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert report.sent == report.failed == [] and fake.commands == []


async def test_a_refused_message_in_the_middle_does_not_stop_the_others(tmp_path: Path) -> None:
    async with serving(**{"RCPT TO:<CAROL": "550 5.1.1 carol is unknown"}) as fake:
        service = sending_service(tmp_path, fake)
        first, middle, last = queue(service, "bob@example.net", "carol@example.net",
                                    "dave@example.net")
        report = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert [o.item_id for o in report.sent] == [first, last]
    ((failed, error),) = report.failed
    assert failed == middle and isinstance(error, RecipientsRefusedError)
    states = {item.id: item.state for item in service.outbox.items()}
    assert states == {first: "copied", middle: "failed", last: "copied"}
    assert len(fake.bodies) == 2 and verbs(fake).count("AUTH") == 1


async def test_server_closing_between_messages_is_reconnected(tmp_path: Path) -> None:
    async with serving(**{"THEN-CLOSE": "421 4.4.2 idle for too long"}) as fake:
        service = sending_service(tmp_path, fake)
        ids = queue(service, *["bob@example.net"] * 3)
        report = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert [o.item_id for o in report.sent] == ids and report.failed == []
    assert len(fake.bodies) == 3 and verbs(fake).count("AUTH") == 3


async def test_a_broken_connection_ends_the_flush_and_leaves_the_rest_queued(
        tmp_path: Path) -> None:
    async with serving(**{".": "DROP"}) as fake:
        service = sending_service(tmp_path, fake)
        first, *rest = queue(service, *["bob@example.net"] * 3)
        report = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert report.sent == []
    ((failed, error),) = report.failed
    assert failed == first and isinstance(error, DeliveryUnknownError)
    items = {item.id: item for item in service.outbox.items()}
    assert items[first].state == "held", "it may have been delivered: never resent by itself"
    assert all(items[i].state == "queued" and items[i].attempts == 0 for i in rest)
    assert service.outbox.due("work") == rest
    assert verbs(fake).count("DATA") == 1


async def test_a_failed_connect_counts_against_the_first_message_only(tmp_path: Path) -> None:
    async with serving(GREETING="421 4.3.2 busy, come back later") as fake:
        service = sending_service(tmp_path, fake)
        first, *rest = queue(service, *["bob@example.net"] * 3)
        report = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert report.sent == [] and [i for i, _ in report.failed] == [first]
    items = {item.id: item for item in service.outbox.items()}
    assert (items[first].state, items[first].attempts) == ("queued", 1)
    assert all((items[i].state, items[i].attempts) == ("queued", 0) for i in rest)
