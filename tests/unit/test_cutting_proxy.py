"""The cutting proxy against a tiny local server: faithful forwarding, cuts, counting."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from tests.helpers.cutting_proxy import CuttingProxy

STREAM = bytes(range(256)) * 800  # 204,800 bytes the server sends on "stream\n"
TIMEOUT = 5.0


class StreamServer:
    """Answers "stream\\n" with STREAM and echoes any other line; notes how connections end."""

    def __init__(self) -> None:
        self.endings: list[str] = []
        self.ended = asyncio.Event()
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                writer.write(STREAM if line == b"stream\n" else line)
                await writer.drain()
            self.endings.append("eof")
        except ConnectionError:
            self.endings.append("reset")
        finally:
            writer.close()
            self.ended.set()

    async def __aenter__(self) -> StreamServer:
        self._server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


@pytest.fixture
async def proxied() -> AsyncIterator[tuple[StreamServer, CuttingProxy]]:
    async with StreamServer() as server, CuttingProxy("127.0.0.1", server.port) as proxy:
        yield server, proxy


async def connect(proxy: CuttingProxy) -> socket.socket:
    sock = socket.socket()
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (proxy.host, proxy.port))
    return sock


async def receive(sock: socket.socket, limit: int = len(STREAM)) -> tuple[bytes, str]:
    """Read until ``limit`` bytes, EOF or a reset; return the bytes and how it ended."""
    loop, data = asyncio.get_running_loop(), b""
    async with asyncio.timeout(TIMEOUT):
        while len(data) < limit:
            try:
                chunk = await loop.sock_recv(sock, 65536)
            except ConnectionResetError:
                return data, "reset"
            if not chunk:
                return data, "eof"
            data += chunk
    return data, "complete"


async def request(sock: socket.socket, line: bytes) -> None:
    await asyncio.get_running_loop().sock_sendall(sock, line)


async def test_forwards_both_ways_and_counts_connections(
        proxied: tuple[StreamServer, CuttingProxy]) -> None:
    server, proxy = proxied
    for _ in range(2):
        with await connect(proxy) as sock:
            await request(sock, b"hello\n")
            assert await receive(sock, 6) == (b"hello\n", "complete")
            await request(sock, b"stream\n")
            assert await receive(sock) == (STREAM, "complete")
            sock.shutdown(socket.SHUT_WR)
            assert await receive(sock) == (b"", "eof")  # the server's close came through
    assert proxy.connections == 2 and proxy.cuts == 0
    assert proxy.downstream_bytes == 2 * (6 + len(STREAM))
    assert proxy.upstream_bytes == 2 * len(b"hello\nstream\n")


async def test_cut_after_n_bytes_resets_both_sides_once(
        proxied: tuple[StreamServer, CuttingProxy]) -> None:
    server, proxy = proxied
    proxy.cut_after(10_000)
    assert proxy.armed
    with await connect(proxy) as sock:
        await request(sock, b"stream\n")
        data, ending = await receive(sock)
    assert (data, ending) == (STREAM[:10_000], "reset")
    await asyncio.wait_for(server.ended.wait(), TIMEOUT)
    assert server.endings == ["reset"] and proxy.cut_done.is_set()
    assert proxy.cuts == 1 and not proxy.armed
    with await connect(proxy) as sock:  # one cut only: the next connection goes through
        await request(sock, b"stream\n")
        assert await receive(sock) == (STREAM, "complete")
    assert proxy.connections == 2


async def test_the_budget_counts_from_when_the_cut_is_armed(
        proxied: tuple[StreamServer, CuttingProxy]) -> None:
    _, proxy = proxied
    with await connect(proxy) as sock:
        await request(sock, b"one\n")
        assert await receive(sock, 4) == (b"one\n", "complete")
        proxy.cut_after(3)
        await request(sock, b"two\n")
        assert await receive(sock) == (b"two", "reset")


async def test_cut_on_next_chunk_forwards_nothing_of_it(
        proxied: tuple[StreamServer, CuttingProxy]) -> None:
    server, proxy = proxied
    with await connect(proxy) as idle, await connect(proxy) as busy:
        proxy.cut_on_next_chunk()
        await request(busy, b"ping\n")
        assert await receive(busy) == (b"", "reset")
        await asyncio.wait_for(proxy.cut_done.wait(), TIMEOUT)
        await request(idle, b"still here\n")  # the other connection was left alone
        assert await receive(idle, 11) == (b"still here\n", "complete")
    assert proxy.connections == 2 and proxy.cuts == 1


async def test_disarm_and_closing_with_open_connections(
        proxied: tuple[StreamServer, CuttingProxy]) -> None:
    server, proxy = proxied
    proxy.cut_after(1)
    proxy.disarm()
    sock = await connect(proxy)
    with sock:
        await request(sock, b"stream\n")
        assert await receive(sock) == (STREAM, "complete")
        await asyncio.wait_for(proxy.close(), TIMEOUT)  # resets what is still open
        assert await receive(sock) == (b"", "reset")
    await asyncio.wait_for(server.ended.wait(), TIMEOUT)
    assert server.endings == ["reset"] and proxy.cuts == 0


async def test_unreachable_target_drops_the_client(
        proxied: tuple[StreamServer, CuttingProxy]) -> None:
    _, proxy = proxied
    proxy.target_port = 1  # nothing listens there
    with await connect(proxy) as sock:
        assert (await receive(sock))[0] == b""
    assert proxy.connections == 1


def test_port_needs_a_running_proxy() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = CuttingProxy("127.0.0.1", 1).port
    with pytest.raises(ValueError):
        CuttingProxy("127.0.0.1", 1).cut_after(-1)
