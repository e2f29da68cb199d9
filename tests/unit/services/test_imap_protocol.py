"""ImapProtocol: iterative, linear response handling fed to aioimaplib's Command objects."""

from __future__ import annotations

import asyncio
import random
import time

import pytest
from aioimaplib import SELECTED

from mailclient.services.imap.parse import group_responses, parse_fetch
from mailclient.services.imap.protocol import ConnectionLost, ImapProtocol
from tests.helpers.fake_transport import FakeTransport


async def sent(transport: FakeTransport, count: int) -> bytes:
    for _ in range(100):
        if len(transport.written) >= count:
            return transport.last_tag()
        await asyncio.sleep(0)
    raise AssertionError(f"nothing sent: {transport.written}")


async def connected() -> tuple[ImapProtocol, FakeTransport]:
    protocol = ImapProtocol(asyncio.get_running_loop())
    transport = FakeTransport()
    protocol.connection_made(transport)
    protocol.data_received(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
    tag = await sent(transport, 1)
    protocol.data_received(b"* CAPABILITY IMAP4rev1 IDLE\r\n" + tag + b" OK done\r\n")
    await asyncio.wait_for(protocol.greeted.wait(), 1)
    assert protocol.greeting_error is None
    protocol.state = SELECTED
    return protocol, transport


def big_fetch(count: int) -> bytes:
    return b"".join(
        b"* %d FETCH (UID %d FLAGS (\\Seen) RFC822.SIZE 100)\r\n" % (i, i)
        for i in range(1, count + 1)
    )


async def test_fifty_thousand_lines_in_one_chunk() -> None:
    protocol, transport = await connected()
    task = asyncio.ensure_future(protocol.fetch("1:*", "(UID FLAGS)", by_uid=True))
    tag = await sent(transport, 2)
    data = big_fetch(50_000) + tag + b" OK Fetch completed\r\n"
    began = time.perf_counter()
    protocol.data_received(data)
    elapsed = time.perf_counter() - began
    response = await asyncio.wait_for(task, 5)
    assert response.result == "OK"
    assert len(response.lines) == 50_001
    assert response.lines[0] == b"1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE 100)"
    assert response.lines[-1] == b"Fetch completed"
    assert elapsed < 5, elapsed


async def test_handling_time_is_linear() -> None:
    async def feed(count: int) -> float:
        protocol, transport = await connected()
        task = asyncio.ensure_future(protocol.fetch("1:*", "(UID)", by_uid=True))
        tag = await sent(transport, 2)
        data = big_fetch(count) + tag + b" OK done\r\n"
        began = time.perf_counter()
        protocol.data_received(data)
        elapsed = time.perf_counter() - began
        await asyncio.wait_for(task, 5)
        return elapsed

    small = min([await feed(10_000) for _ in range(3)])
    large = min([await feed(80_000) for _ in range(3)])
    assert large < small * 8 * 3, (small, large)  # linear: ~8x; quadratic would be ~64x


RESPONSE = (
    b"* 1 FETCH (UID 7 BODY[HEADER] {12}\r\nSubject: x\r\n BODY[] {9}\r\na\r\n)\r\n{b\r"
    b" FLAGS (\\Seen))\r\n"
    b"* 2 FETCH (UID 8 BODY[] {0}\r\n FLAGS ())\r\n"
    b"* 3 FETCH (UID 9 BODY[] {4}\r\n\x00\xff\r\n)\r\n"
)
EXPECTED = [
    b"1 FETCH (UID 7 BODY[HEADER] {12}",
    bytearray(b"Subject: x\r\n"),
    b" BODY[] {9}",
    bytearray(b"a\r\n)\r\n{b\r"),
    b" FLAGS (\\Seen))",
    b"2 FETCH (UID 8 BODY[] {0}",
    bytearray(b""),
    b" FLAGS ())",
    b"3 FETCH (UID 9 BODY[] {4}",
    bytearray(b"\x00\xff\r\n"),
    b")",
    b"done",
]


async def run_split(chunks: list[bytes]) -> list[bytes | bytearray]:
    protocol, transport = await connected()
    task = asyncio.ensure_future(protocol.fetch("1:3", "(UID BODY[])", by_uid=True))
    tag = await sent(transport, 2)
    chunks[-1] += tag + b" OK done\r\n"
    for chunk in chunks:
        protocol.data_received(chunk)
    response = await asyncio.wait_for(task, 1)
    assert response.result == "OK"
    return list(response.lines)


async def test_literals_with_crlf_inside() -> None:
    lines = await run_split([RESPONSE])
    assert lines == EXPECTED
    messages = [parse_fetch(parts) for parts in group_responses(lines[:-1])]
    assert [(m.uid, m.raw, m.header) for m in messages if m] == [
        (7, b"a\r\n)\r\n{b\r", b"Subject: x\r\n"),
        (8, b"", None),
        (9, b"\x00\xff\r\n", None),
    ]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 13, 64])
async def test_any_chunking_gives_the_same_lines(size: int) -> None:
    chunks = [RESPONSE[i : i + size] for i in range(0, len(RESPONSE), size)]
    assert await run_split(chunks) == EXPECTED


async def test_split_between_cr_and_lf_and_inside_literals() -> None:
    cuts = [i + 1 for i, byte in enumerate(RESPONSE) if byte == 0x0D]  # after each CR
    cuts += [RESPONSE.index(b"Subject") + 3, RESPONSE.index(b"a\r\n)") + 2]
    pieces, start = [], 0
    for cut in sorted(set(cuts)):
        pieces.append(RESPONSE[start:cut])
        start = cut
    pieces.append(RESPONSE[start:])
    assert await run_split([p for p in pieces if p]) == EXPECTED


async def test_random_chunking_of_a_big_answer() -> None:
    body = b"line\r\n" * 300
    one = b"* %d FETCH (UID %d BODY[] {%d}\r\n%s FLAGS ())\r\n"
    data = b"".join(one % (i, i, len(body), body) for i in range(1, 201))
    protocol, transport = await connected()
    task = asyncio.ensure_future(protocol.fetch("1:*", "(UID BODY[])", by_uid=True))
    tag = await sent(transport, 2)
    data += tag + b" OK done\r\n"
    rng = random.Random(7)
    pos = 0
    while pos < len(data):
        step = rng.randint(1, 3000)
        protocol.data_received(data[pos : pos + step])
        pos += step
    response = await asyncio.wait_for(task, 1)
    messages = [parse_fetch(parts) for parts in group_responses(response.lines[:-1])]
    assert [m.uid for m in messages if m] == list(range(1, 201))
    assert all(m is not None and m.raw == body for m in messages)


async def test_star_space_inside_a_line_is_kept() -> None:
    protocol, transport = await connected()
    task = asyncio.ensure_future(protocol.simple_command("LIST", '""', '"*"'))
    tag = await sent(transport, 2)
    protocol.data_received(b'* LIST () "/" "a* b"\r\n' + tag + b" OK done\r\n")
    response = await asyncio.wait_for(task, 1)
    assert response.lines[0] == b'() "/" "a* b"'


async def test_idle_and_append_continuations_still_work() -> None:
    protocol, transport = await connected()
    idle = asyncio.ensure_future(protocol.idle())
    tag = await sent(transport, 2)
    protocol.data_received(b"+ idling\r\n")
    await asyncio.wait_for(protocol.wait_for_idle_response(), 1)
    protocol.data_received(b"* 3 EXISTS\r\n")
    assert await asyncio.wait_for(protocol.idle_queue.get(), 1) == [b"3 EXISTS"]
    protocol.idle_done()
    protocol.data_received(tag + b" OK Idle completed\r\n")
    assert (await asyncio.wait_for(idle, 1)).result == "OK"

    append = asyncio.ensure_future(protocol.append(b"Subject: a\r\n\r\nhi\r\n", "INBOX"))
    tag = await sent(transport, 4)
    protocol.data_received(b"+ OK\r\n")
    assert transport.written[-2] == b"Subject: a\r\n\r\nhi\r\n"
    protocol.data_received(tag + b" OK [APPENDUID 1 5] Append completed\r\n")
    assert (await asyncio.wait_for(append, 1)).result == "OK"


async def test_untagged_literal_without_command_is_skipped() -> None:
    protocol, transport = await connected()
    task = asyncio.ensure_future(protocol.simple_command("NOOP"))
    tag = await sent(transport, 2)
    protocol.data_received(b"* 1 XFOO {5}\r\n\r\nA1 \r\n")  # routed to NOOP, literal kept
    protocol.data_received(tag + b" OK done\r\n")
    response = await asyncio.wait_for(task, 1)
    assert response.lines == [b"1 XFOO {5}", bytearray(b"\r\nA1 "), b"", b"done"]


async def test_connection_lost_fails_waiting_commands() -> None:
    protocol, transport = await connected()
    task = asyncio.ensure_future(protocol.simple_command("NOOP"))
    await sent(transport, 2)
    protocol.connection_lost(None)
    with pytest.raises(ConnectionLost):
        await asyncio.wait_for(task, 1)
    assert protocol.closed


async def test_garbage_tag_aborts_instead_of_hanging() -> None:
    protocol, transport = await connected()
    task = asyncio.ensure_future(protocol.simple_command("NOOP"))
    await sent(transport, 2)
    protocol.data_received(b"ZZZ9 OK who am I\r\n")
    with pytest.raises(Exception, match="unexpected tagged"):
        await asyncio.wait_for(task, 1)
    assert transport.closed


async def test_starttls_drops_plaintext_sent_after_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    protocol, transport = await connected()
    protocol.state = "NONAUTH"
    tls_transport = FakeTransport()
    seen: list[bytes] = []

    async def start_tls(raw: object, proto: object, context: object, **kw: object) -> object:
        seen.append(bytes(protocol._buffer))
        return tls_transport

    monkeypatch.setattr(protocol.loop, "start_tls", start_tls)
    task = asyncio.ensure_future(protocol.starttls(object(), "host"))  # type: ignore[arg-type]
    tag = await sent(transport, 2)
    protocol.data_received(tag + b" OK Begin TLS\r\n* CAPABILITY IMAP4rev1 EVIL\r\n")
    assert transport.paused
    cap_tag = await sent(tls_transport, 1)
    protocol.data_received(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n" + cap_tag + b" OK done\r\n")
    response = await asyncio.wait_for(task, 1)
    assert response.result == "OK"
    assert seen == [b""]
    assert protocol.transport is tls_transport
    assert "EVIL" not in protocol.capabilities and "AUTH=PLAIN" in protocol.capabilities
