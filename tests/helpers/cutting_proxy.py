"""A TCP proxy on 127.0.0.1 that cuts, stalls or injects garbage on demand (fault injection)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
from dataclasses import dataclass
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


@dataclass
class _Fault:
    """What happens once ``budget`` more bytes came from the server: "cut", "stall" or
    "inject" (``garbage``; if ``before_line`` is not None, where a line that starts with it
    starts next)."""

    kind: str
    budget: int
    garbage: bytes = b""
    before_line: bytes | None = None


class _Link:
    """One client connection and its connection to the target."""

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server
        self.cut = False
        self.stalled = False  # nothing is forwarded any more; the sockets stay open

    def abort(self) -> None:
        self.cut = True
        _abort(self.client)
        _abort(self.server)


class CuttingProxy:
    """Forwards each connection to ``target_host:target_port`` byte for byte (TLS included).

    Use as ``async with CuttingProxy(host, port) as proxy:`` and connect to ``proxy.host`` and
    ``proxy.port``. ``cut_after(n)`` arms one cut: once ``n`` more bytes have flowed from the
    server to a client, that connection is reset on both sides (``n = 0``: on the next chunk
    the server sends, before forwarding any of it). ``stall_after(n)`` instead stops that
    connection forwarding anything either way, its sockets left open (a hung server or a
    dead route); ``inject_after(n, garbage)`` puts ``garbage`` into what the server sends.
    A fault happens once, then the proxy forwards faithfully again until armed anew.

    With ``tls`` (a server context) clients speak TLS to the proxy and with ``upstream_tls``
    (a client context) the proxy speaks TLS to the target: the proxy sees the protocol in
    clear, so that injected garbage reaches the client's parser rather than its TLS layer.

    Args:
        target_host, target_port: where connections go.
        host: the address to listen on (a free port is chosen).
        tls, upstream_tls: TLS towards the clients, towards the target (None: bytes as is).
    """

    def __init__(self, target_host: str, target_port: int, *, host: str = "127.0.0.1",
                 tls: ssl.SSLContext | None = None,
                 upstream_tls: ssl.SSLContext | None = None) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.host = host
        self.tls, self.upstream_tls = tls, upstream_tls
        self.connections = 0  # accepted so far
        self.cuts = 0  # connections cut so far
        self.stalls = 0  # connections stalled so far
        self.injections = 0  # garbage put in so far
        self.downstream_bytes = 0  # forwarded from the server to clients, all connections
        self.upstream_bytes = 0  # forwarded from clients to the server
        self.cut_done = asyncio.Event()  # set by every cut
        self.fault_done = asyncio.Event()  # set by every fault (cut, stall or garbage)
        self._fault: _Fault | None = None
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
        return self._fault is not None

    def cut_after(self, nbytes: int) -> None:
        """Cut the connection through which the next ``nbytes`` server bytes have flowed."""
        self._arm(_Fault("cut", nbytes))
        self.cut_done.clear()

    def stall_after(self, nbytes: int) -> None:
        """Stop forwarding, both ways, on the connection through which the next ``nbytes``
        server bytes have flowed; its sockets stay open (until ``close``)."""
        self._arm(_Fault("stall", nbytes))

    def inject_after(self, nbytes: int, garbage: bytes, *,
                     before_line: bytes | None = None) -> None:
        """Send ``garbage`` to the client once the next ``nbytes`` server bytes have flowed,
        then forward on. ``before_line``: not there but before the next line (from there on)
        that starts with these bytes (``b""``: any line), e.g. ``b"* "`` for an IMAP response
        (a marker split between two reads is missed)."""
        if not garbage:
            raise ValueError("no garbage to inject")
        self._arm(_Fault("inject", nbytes, garbage, before_line))

    def _arm(self, fault: _Fault) -> None:
        if fault.budget < 0:
            raise ValueError(f"nbytes must be 0 or more, not {fault.budget}")
        self._fault = fault
        self.fault_done.clear()

    def cut_on_next_chunk(self) -> None:
        """Cut whichever connection the server sends something on next (nothing forwarded)."""
        self.cut_after(0)

    def disarm(self) -> None:
        """Forget an armed fault that has not happened yet."""
        self._fault = None

    async def __aenter__(self) -> CuttingProxy:
        self._server = await asyncio.start_server(self._accept, self.host, 0, ssl=self.tls)
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
            up_reader, up_writer = await asyncio.open_connection(
                self.target_host, self.target_port, ssl=self.upstream_tls,
                server_hostname=self.target_host if self.upstream_tls else None)
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
        if writer.get_extra_info("sslcontext") is None:  # asyncio's TLS can hang at 0
            writer.transport.set_write_buffer_limits(0)  # drain(): "handed to the kernel"
        try:
            while not link.cut:
                data = await reader.read(_CHUNK)
                if link.cut:
                    return
                if link.stalled:
                    await asyncio.Event().wait()  # until the proxy closes
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()  # half-close: the other direction may go on
                    else:
                        writer.close()  # TLS has no half-close
                    return
                head, fault, tail = data, None, b""
                if downstream and self._fault is not None:
                    head, fault, tail = self._spend(data)
                if head:
                    writer.write(head)
                    await writer.drain()
                    if downstream:
                        self.downstream_bytes += len(head)
                    else:
                        self.upstream_bytes += len(head)
                if fault is not None:
                    await self._strike(fault, link, writer, tail)
        except (ConnectionError, OSError):
            link.abort()  # one side broke: so does the other, as on a real network

    def _spend(self, data: bytes) -> tuple[bytes, _Fault | None, bytes]:
        """Split a server chunk where the armed fault strikes: (before, fault, after)."""
        fault = self._fault
        assert fault is not None
        marker = fault.before_line
        if len(data) < fault.budget or (fault.budget == len(data) and marker is not None):
            fault.budget -= len(data)
            return data, None, b""
        at = fault.budget
        if marker is not None:
            end = data.find(b"\n" + marker, max(at - 1, 0))
            if end < 0:
                fault.budget = 0
                return data, None, b""
            at = end + 1
        self._fault = None
        return data[:at], fault, data[at:]

    async def _strike(self, fault: _Fault, link: _Link, writer: asyncio.StreamWriter,
                      tail: bytes) -> None:
        self.fault_done.set()
        if fault.kind == "cut":
            self._cut(link)
        elif fault.kind == "stall":
            self.stalls += 1
            link.stalled = True
        else:
            self.injections += 1
            writer.write(fault.garbage + tail)
            await writer.drain()
            self.downstream_bytes += len(tail)

    def _cut(self, link: _Link) -> None:
        self.cuts += 1
        link.abort()
        self.cut_done.set()
