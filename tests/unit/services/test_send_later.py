"""Send later: the time read (local or with an offset, never past), the message queued with
its time, left alone by ``due()`` and ``claim()`` until then, and sent by a flush after."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.headerregistry import Address
from pathlib import Path
from types import SimpleNamespace

import pytest

from mailclient.core.errors import ConfigError
from mailclient.core.message_build import Draft
from mailclient.services import outbox as outbox_module
from mailclient.services.send_later import parse_send_time
from tests.helpers.fake_smtp import sending_service, serving

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC).timestamp()


def test_local_time_without_offset() -> None:
    expected = datetime(2026, 12, 1, 9, 0).astimezone().timestamp()
    assert parse_send_time("2026-12-01 09:00", now=NOW) == expected


@pytest.mark.parametrize("text, hour_utc", [
    ("2026-12-01T09:00+01:00", 8), ("2026-12-01T09:00:00Z", 9), ("2026-12-01 09:00-05:00", 14),
])
def test_iso_8601_with_offset(text: str, hour_utc: int) -> None:
    expected = datetime(2026, 12, 1, hour_utc, tzinfo=UTC).timestamp()
    assert parse_send_time(text, now=NOW) == expected


@pytest.mark.parametrize("text, words", [
    ("2026-05-31 09:00Z", "in the past"), ("2026-06-01T12:00:00+00:00", "in the past"),
    ("tomorrow", "cannot read"), ("2026-13-01 09:00", "cannot read"), ("", "cannot read"),
])
def test_refused_times(text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_send_time(text, now=NOW)




def draft() -> Draft:
    return Draft(sender=Address("Alice", "alice", "example.org"), to=["bob@example.net"],
                 subject="Later", text="Hello later\n")


async def test_queued_until_its_time_then_sent_by_a_flush(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    async with serving() as fake:
        service = sending_service(tmp_path, fake)
        at = time.time() + 3600
        item_id = service.send_later("work", draft(), at=at)
        item = service.outbox.item(item_id)
        assert (item.state, item.next_attempt_epoch, item.attempts) == ("queued", at, 0)
        assert service.outbox.due("work") == []
        assert service.outbox.claim(item_id) is None, "not before its time"
        account = service.accounts.get("work")
        assert (await service.flush_outbox(account, "secret")).sent == []
        assert fake.bodies == []

        later = time.time() + 3601
        monkeypatch.setattr(outbox_module, "time", SimpleNamespace(time=lambda: later))
        assert service.outbox.due("work") == [item_id]
        report = await service.flush_outbox(account, "secret")
    assert [o.item_id for o in report.sent] == [item_id] and len(fake.bodies) == 1
    assert service.outbox.item(item_id).state == "copied"


async def test_a_past_time_queues_nothing(tmp_path: Path) -> None:
    async with serving() as fake:
        service = sending_service(tmp_path, fake)
        with pytest.raises(ConfigError, match="in the past"):
            service.send_later("work", draft(), at=time.time() - 60)
    assert service.outbox.items() == []


async def test_sending_now_is_due_at_once(tmp_path: Path) -> None:
    async with serving() as fake:
        service = sending_service(tmp_path, fake)
        await service.send("work", draft())
    (item,) = service.outbox.items()
    assert item.state == "copied" and item.next_attempt_epoch <= time.time()


async def test_the_end_of_an_undo_delay_sends_the_queued_message_once(tmp_path: Path) -> None:
    async with serving() as fake:
        service = sending_service(tmp_path, fake)
        item = service.send_later("work", draft(), at=time.time() + 60)
        outcome = await service.send_queued(item)
        assert outcome is not None and outcome.accepted == ["bob@example.net"]
        assert await service.send_queued(item) is None  # not queued any more: nothing sent
    assert len(fake.bodies) == 1
    assert service.outbox.item(item).state == "copied"  # POP3: the Sent copy is kept here
