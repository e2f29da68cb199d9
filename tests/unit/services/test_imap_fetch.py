"""StreamingFetch: FETCH responses parsed on arrival, in batches, with flow control."""

from __future__ import annotations

import asyncio

from mailclient.services.imap.fetch import StreamingFetch
from mailclient.services.imap.models import FetchedMessage
from mailclient.services.imap.parse import parse_fetch
from mailclient.services.imap.protocol import ImapProtocol
from tests.helpers.fake_transport import selected_protocol


def lines(first: int, last: int) -> bytes:
    return b"".join(
        b'* %d FETCH (UID %d FLAGS () RFC822.SIZE 9 INTERNALDATE "01-Jan-2024 00:00:00 +0000")\r\n'
        % (i, i)
        for i in range(first, last + 1)
    )


async def start(
    protocol: ImapProtocol, high_water: int = 100, timeout: float | None = None
) -> tuple[StreamingFetch, asyncio.Future[object], bytes]:
    command = StreamingFetch(
        protocol, "1:*", "(UID FLAGS)", parse=parse_fetch, high_water=high_water, timeout=timeout
    )
    task = asyncio.ensure_future(protocol.execute(command))
    await asyncio.sleep(0)
    return command, task, command.tag.encode()


async def test_batches_and_flow_control() -> None:
    protocol, transport = selected_protocol()
    command, task, tag = await start(protocol)
    assert transport.written == [tag + b" UID FETCH 1:* (UID FLAGS)\r\n"]
    protocol.data_received(lines(1, 1000))
    assert transport.paused and len(command.ready) == 1000
    batches = command.batches(10, task)
    seen: list[FetchedMessage] = []
    while len(seen) < 960:
        seen += await anext(batches)
    assert not transport.paused  # fell below the low-water mark
    protocol.data_received(lines(1001, 1005) + tag + b" OK done\r\n")
    seen += [message async for batch in batches for message in batch]
    assert [m.uid for m in seen] == list(range(1, 1006))
    assert (await task).result == "OK"  # type: ignore[attr-defined]
    assert command.response.lines == [b"done"]  # nothing else was kept


async def test_paused_fetch_does_not_time_out() -> None:
    protocol, transport = selected_protocol()
    command, task, tag = await start(protocol, high_water=10, timeout=0.05)
    protocol.data_received(lines(1, 20))
    assert transport.paused
    await asyncio.sleep(0.15)  # the consumer is slow, not the server
    assert not task.done()
    batches = command.batches(20, task)
    assert len(await anext(batches)) == 20
    assert not transport.paused
    protocol.data_received(tag + b" OK done\r\n")
    assert [b async for b in batches] == []


async def test_discard_drops_the_rest_and_resumes() -> None:
    protocol, transport = selected_protocol()
    command, task, tag = await start(protocol, high_water=10)
    protocol.data_received(lines(1, 50))
    assert transport.paused
    command.discard()
    assert not transport.paused and not command.ready
    protocol.data_received(lines(51, 60) + tag + b" OK done\r\n")
    assert not command.ready
    assert (await task).result == "OK"  # type: ignore[attr-defined]


async def test_split_literal_bodies_are_streamed() -> None:
    protocol, transport = selected_protocol()
    command, task, tag = await start(protocol)
    body = b"Subject: x\r\n\r\n" + b"y" * 5000
    data = b"".join(
        b"* %d FETCH (UID %d BODY[] {%d}\r\n%s FLAGS (\\Seen))\r\n" % (i, i, len(body), body)
        for i in range(1, 4)
    )
    for pos in range(0, len(data), 999):
        protocol.data_received(data[pos : pos + 999])
    protocol.data_received(tag + b" OK done\r\n")
    messages = [m async for batch in command.batches(2, task) for m in batch]
    assert [(m.uid, m.raw, m.flags) for m in messages] == [
        (i, body, frozenset({"\\Seen"})) for i in range(1, 4)
    ]
