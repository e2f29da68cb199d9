"""An in-memory asyncio transport that records what a protocol writes (IMAP unit tests)."""

from __future__ import annotations

import asyncio

from aioimaplib import SELECTED

from mailclient.services.imap.protocol import ImapProtocol


class FakeTransport(asyncio.Transport):
    """Keeps written bytes; reading can be paused and resumed; close just marks it."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []
        self.paused = False
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written.append(bytes(data))

    def pause_reading(self) -> None:
        self.paused = True

    def resume_reading(self) -> None:
        self.paused = False

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def last_tag(self) -> bytes:
        return self.written[-1].split(b" ", 1)[0]


def selected_protocol() -> tuple[ImapProtocol, FakeTransport]:
    """Our IMAP protocol on a fake transport, greeted, with a folder selected (call it from a
    running event loop)."""
    protocol = ImapProtocol(asyncio.get_running_loop())
    transport = FakeTransport()
    protocol.connection_made(transport)
    protocol.state = SELECTED
    protocol.greeted.set()
    return protocol, transport
