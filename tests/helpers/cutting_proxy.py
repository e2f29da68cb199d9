"""A TCP proxy on 127.0.0.1 that cuts connections on demand (fault injection for the tests)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from types import TracebackType

_CHUNK = 64 * 1024
_LINGER_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST, not FIN


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close a socket abruptly: the peer gets a reset, whatever is still queued is dropped."""
    transport = writer.transport
    if transport.is_closing():
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
    transport.abort()


class _Link:
    """One client connection and its connection to the target."""

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server
        self.cut = False

    def abort(self) -> None:
        self.cut = True
        _abort(self.client)
        _abort(self.server)


class CuttingProxy:
    """Forwards each connection to ``target_host:target_port`` byte for byte (TLS included).

    Use as ``async with CuttingProxy(host, port) as proxy:`` and connect to ``proxy.host`` and
    ``proxy.port``. ``cut_after(n)`` arms one cut: once ``n`` more bytes have flowed from the
    server to a client, that connection is reset on both sides (``n = 0``: on the next chunk
    the server sends, before forwarding any of it). A cut happens once, then the proxy
    forwards faithfully again until armed anew.

    Args:
        target_host, target_port: where connections go.
        host: the address to listen on (a free port is chosen).
    """

    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1") -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.host = host
        self.connections = 0  # accepted so far
        self.cuts = 0  # connections cut so far
        self.downstream_bytes = 0  # forwarded from the server to clients, all connections
        self.upstream_bytes = 0  # forwarded from clients to the server
        self.cut_done = asyncio.Event()  # set by every cut
        self._budget: int | None = None  # bytes left before the armed cut; None: not armed
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the proxy is not running; use it as an async context manager")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def armed(self) -> bool:
        return self._budget is not None

    def cut_after(self, nbytes: int) -> None:
        """Cut the connection through which the next ``nbytes`` server bytes have flowed."""
        if nbytes < 0:
            raise ValueError(f"nbytes must be 0 or more, not {nbytes}")
        self._budget = nbytes
        self.cut_done.clear()

    def cut_on_next_chunk(self) -> None:
        """Cut whichever connection the server sends something on next (nothing forwarded)."""
        self.cut_after(0)

    def disarm(self) -> None:
        """Forget an armed cut that has not happened yet."""
        self._budget = None

    async def __aenter__(self) -> CuttingProxy:
        self._server = await asyncio.start_server(self._accept, self.host, 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop listening, reset every open connection and wait for the forwarding tasks."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for link in list(self._links):
            link.abort()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host,
                                                                 self.target_port)
        except OSError:
            _abort(writer)
            return
        link = _Link(writer, up_writer)
        self._links.add(link)
        tasks = [asyncio.create_task(self._pump(reader, up_writer, link, downstream=False)),
                 asyncio.create_task(self._pump(up_reader, writer, link, downstream=True))]
        self._tasks.update(tasks)
        try:
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self._tasks.difference_update(tasks)
            self._links.discard(link)
            if not link.cut:
                writer.close()
                up_writer.close()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    link: _Link, *, downstream: bool) -> None:
        writer.transport.set_write_buffer_limits(0)  # drain() means "handed to the kernel"
        try:
            while not link.cut:
                data = await reader.read(_CHUNK)
                if link.cut:
                    return
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()  # half-close: the other direction may go on
                    return
                if downstream and self._budget is not None:
                    data, cut = data[:self._budget], len(data) >= self._budget
                    self._budget -= len(data)
                else:
                    cut = False
                if data:
                    writer.write(data)
                    await writer.drain()
                    if downstream:
                        self.downstream_bytes += len(data)
                    else:
                        self.upstream_bytes += len(data)
                if cut:
                    self._cut(link)
        except (ConnectionError, OSError):
            link.abort()  # one side broke: so does the other, as on a real network

    def _cut(self, link: _Link) -> None:
        self._budget = None
        self.cuts += 1
        link.abort()
        self.cut_done.set()
