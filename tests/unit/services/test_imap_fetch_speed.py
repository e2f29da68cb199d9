"""StreamingFetch timeouts as a lazily checked deadline, and literals read by ImapProtocol."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aioimaplib import CommandTimeout

from mailclient.services.imap.fetch import StreamingFetch
from mailclient.services.imap.fetch_fast import read_fetch
from mailclient.services.imap.models import FetchedMessage
from mailclient.services.imap.protocol import ImapProtocol
from mailclient.services.imap.timeouts import LazyTimeoutCommand
from tests.helpers.fake_transport import selected_protocol

TIMEOUT = 0.1
HEADER = b"Subject: x\r\nFrom: a@example.org\r\n\r\n"




def responses(first: int, last: int, header: bytes = HEADER) -> bytes:
    return b"".join(
        b'* %d FETCH (UID %d FLAGS (\\Seen) RFC822.SIZE 99 INTERNALDATE "02-Mar-2026 10:00:00'
        b' +0100" MODSEQ (%d) BODY[HEADER] {%d}\r\n%s)\r\n' % (i, i, i + 7, len(header), header)
        for i in range(first, last + 1)
    )


async def start(
    protocol: ImapProtocol, *, high_water: int = 100, timeout: float | None = TIMEOUT
) -> tuple[StreamingFetch, asyncio.Future[Any], bytes]:
    command = StreamingFetch(
        protocol, "1:*", "(UID FLAGS BODY.PEEK[HEADER])", parse=read_fetch,
        high_water=high_water, timeout=timeout,
    )  # fmt: skip
    task = asyncio.ensure_future(protocol.execute(command))
    await asyncio.sleep(0)
    return command, task, command.tag.encode()


async def all_messages(command: StreamingFetch, task: asyncio.Future[Any]) -> list[FetchedMessage]:
    return [message async for batch in command.batches(1000, task) for message in batch]


async def test_timeout_fires_after_timeout_seconds_of_silence() -> None:
    loop = asyncio.get_running_loop()
    protocol, _ = selected_protocol()
    command, task, _ = await start(protocol)
    await asyncio.sleep(TIMEOUT / 2)
    protocol.data_received(responses(1, 3))
    silent_since = loop.time()
    with pytest.raises(CommandTimeout):
        await asyncio.wait_for(task, 5)
    waited = loop.time() - silent_since
    assert TIMEOUT * 0.9 <= waited < TIMEOUT + 1.0  # from the last data, not from the start
    assert not protocol.pending_async_commands


async def test_data_coming_in_longer_than_the_timeout_keeps_the_fetch_alive() -> None:
    protocol, _ = selected_protocol()
    command, task, tag = await start(protocol)
    for i in range(1, 13):  # 12 * TIMEOUT / 3 = 4 * TIMEOUT, never TIMEOUT without data
        await asyncio.sleep(TIMEOUT / 3)
        protocol.data_received(responses(i, i))
        assert not task.done()
    protocol.data_received(tag + b" OK done\r\n")
    assert [m.uid for m in await all_messages(command, task)] == list(range(1, 13))
    assert (await task).result == "OK"


async def test_a_long_literal_arriving_slowly_keeps_the_fetch_alive() -> None:
    protocol, _ = selected_protocol()
    command, task, tag = await start(protocol)
    header = b"X-Long: " + b"y" * 4000 + b"\r\n\r\n"
    data = responses(1, 1, header)
    pieces = [data[pos : pos + 400] for pos in range(0, len(data), 400)]  # 11 pieces
    for piece in pieces:
        await asyncio.sleep(TIMEOUT / 3)
        protocol.data_received(piece)
        assert not task.done()
    protocol.data_received(tag + b" OK done\r\n")
    messages = await all_messages(command, task)
    assert [m.header for m in messages] == [header]


async def test_no_timeout_while_paused_for_a_slow_consumer_then_counting_again() -> None:
    loop = asyncio.get_running_loop()
    protocol, transport = selected_protocol()
    command, task, _ = await start(protocol, high_water=10)
    protocol.data_received(responses(1, 20))
    assert transport.paused
    await asyncio.sleep(TIMEOUT * 4)
    assert not task.done()
    batches = command.batches(20, task)
    assert len(await anext(batches)) == 20
    assert not transport.paused
    resumed = loop.time()
    with pytest.raises(CommandTimeout):
        await asyncio.wait_for(task, 5)
    assert loop.time() - resumed >= TIMEOUT * 0.9


async def test_one_timer_for_thousands_of_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()
    scheduled: list[float] = []

    def counting(original: Callable[..., asyncio.TimerHandle]) -> Callable[..., Any]:
        def schedule(when: float, *args: Any, **kwargs: Any) -> asyncio.TimerHandle:
            scheduled.append(when)
            return original(when, *args, **kwargs)

        return schedule

    monkeypatch.setattr(loop, "call_at", counting(loop.call_at))
    monkeypatch.setattr(loop, "call_later", counting(loop.call_later))
    protocol, _ = selected_protocol()
    command, task, tag = await start(protocol, high_water=5000, timeout=30.0)
    data = responses(1, 3000) + tag + b" OK done\r\n"
    for pos in range(0, len(data), 4096):
        protocol.data_received(data[pos : pos + 4096])
    assert len(await all_messages(command, task)) == 3000
    assert len(scheduled) == 1  # aioimaplib would have re-armed ~15,000 times


async def test_lazy_timeout_on_a_plain_command() -> None:
    protocol, _ = selected_protocol()
    command = LazyTimeoutCommand("NOOP", protocol.new_tag(), loop=protocol.loop, timeout=TIMEOUT)
    task = asyncio.ensure_future(protocol.execute(command))
    await asyncio.sleep(TIMEOUT * 0.6)
    protocol.data_received(b"* 4 EXISTS\r\n")  # routed to the NOOP: moves the deadline
    await asyncio.sleep(TIMEOUT * 0.6)
    assert not task.done()
    with pytest.raises(CommandTimeout):
        await asyncio.wait_for(task, 5)


async def test_without_timeout_nothing_is_scheduled() -> None:
    protocol, _ = selected_protocol()
    command, task, tag = await start(protocol, timeout=None)
    await asyncio.sleep(0.05)
    protocol.data_received(responses(1, 2) + tag + b" OK done\r\n")
    assert len(await all_messages(command, task)) == 2


async def test_literals_of_any_size_and_chunking_reach_the_fetch_whole() -> None:
    protocol, _ = selected_protocol()
    command, task, tag = await start(protocol, timeout=None)
    bodies = [b"", b"x", b")\r\n* 9 FETCH (UID 9)\r\n", b"{3}\r\n" * 300]
    data = b"".join(
        b"* %d FETCH (UID %d BODY[] {%d}\r\n%s FLAGS (\\Seen))\r\n" % (i, i, len(body), body)
        for i, body in enumerate(bodies, 1)
    )
    for pos in range(0, len(data), 7):
        protocol.data_received(data[pos : pos + 7])
    protocol.data_received(tag + b" OK done\r\n")
    messages = await all_messages(command, task)
    assert [(m.uid, m.raw, m.flags) for m in messages] == [
        (i, body, frozenset({"\\Seen"})) for i, body in enumerate(bodies, 1)
    ]
    assert all(type(m.raw) is bytes for m in messages)
