"""A streamed UID FETCH: responses are parsed as they arrive and handed out in batches.

aioimaplib keeps every response line of a command until the tagged answer; for
``UID FETCH 1:*`` on 50,000 messages with bodies that is everything at once. Here each
complete FETCH response is parsed at once and queued; when the queue is full the socket
is no longer read (TCP flow control) until the consumer catches up.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from aioimaplib import FetchCommand

from mailclient.services.imap.models import FetchedMessage
from mailclient.services.imap.protocol import ImapProtocol
from mailclient.services.imap.timeouts import LazyTimeoutCommand

Parser = Callable[[Sequence[bytes | bytearray]], FetchedMessage | None]


class StreamingFetch(LazyTimeoutCommand, FetchCommand):
    """``UID FETCH`` whose untagged responses go to a bounded queue instead of ``lines``.

    The timeout counts seconds without data (see ``LazyTimeoutCommand``); it is suspended
    while the queue is full and the socket is not read.
    """

    def __init__(
        self,
        protocol: ImapProtocol,
        uid_set: str,
        items: str,
        *,
        parse: Parser,
        high_water: int,
        timeout: float | None,
    ) -> None:
        self._paused = False
        self._protocol = protocol
        self._parse = parse
        self._high = max(high_water, 1)
        self._low = self._high // 2
        self._parts: list[Any] = []
        self.ready: deque[FetchedMessage] = deque()
        self.arrived = asyncio.Event()
        self.discarding = False
        super().__init__(
            protocol.new_tag(), uid_set, items, prefix="UID", loop=protocol.loop, timeout=timeout
        )

    def wait_data(self) -> bool:
        return False  # never asked by ImapProtocol; aioimaplib's version is quadratic

    def append_to_resp(self, line: bytes | bytearray, result: str = "Pending") -> None:
        if result != "Pending":  # the tagged answer (or a timeout / lost connection)
            super().append_to_resp(line, result)
            self.arrived.set()
            return
        self._last_data = self._loop.time()  # what _reset_timer does, without the call
        self._parts.append(line)
        if type(line) is bytearray or self._protocol.literal_ahead is not None:
            return  # a literal follows, or the rest of the line after one
        parts, self._parts = self._parts, []
        if self.discarding:
            return
        message = self._parse(parts)
        if message is None:  # an unsolicited FETCH (flag change) without UID
            return
        ready = self.ready
        ready.append(message)
        self.arrived.set()
        if len(ready) >= self._high and not self._paused:
            self._paused = True
            self.suspend_timeout()  # a slow consumer is not a slow server
            self._protocol.pause_input()

    def _resume(self) -> None:
        if self._paused:
            self._paused = False
            self.resume_timeout()
            self._protocol.resume_input()

    def discard(self) -> None:
        """Drop what is queued and whatever still comes; reading goes on to the tagged answer."""
        self.discarding = True
        self.ready.clear()
        self._resume()

    async def batches(
        self, size: int, task: asyncio.Future[Any]
    ) -> AsyncIterator[list[FetchedMessage]]:
        """Yield lists of up to ``size`` messages until ``task`` (the execute call) is done."""
        batch: list[FetchedMessage] = []
        while True:
            while self.ready and len(batch) < size:
                batch.append(self.ready.popleft())
            if len(self.ready) <= self._low:
                self._resume()
            if len(batch) >= size:
                yield batch
                batch = []
                continue
            if task.done() or self._event.is_set():
                break
            self.arrived.clear()
            waiter = asyncio.ensure_future(self.arrived.wait())
            try:
                await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
        if batch:
            yield batch
