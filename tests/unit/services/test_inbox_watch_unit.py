"""InboxWatcher with fake connections: backoff, fatal errors, IDLE and polling, stop()."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from mailclient.core.errors import AuthenticationError, MailError, NetworkError
from mailclient.services.imap.models import SelectedFolder
from mailclient.services.inbox_watch import InboxWatcher, backoff_delay

TIMEOUT = 5.0


class FakeConnection:
    """Selects an INBOX of ``exists`` messages; ``idle`` returns what is put in ``pushes``."""

    def __init__(self, *, idle: bool = True, exists: list[int] | None = None) -> None:
        self.capabilities = frozenset({"IMAP4REV1", "IDLE"} if idle else {"IMAP4REV1"})
        self.exists = exists or [1]
        self.selects = 0
        self.pushes: asyncio.Queue[list[str] | BaseException] = asyncio.Queue()
        self.closed = False

    async def select(self, folder: str, *, readonly: bool = True) -> SelectedFolder:
        assert folder == "INBOX" and readonly
        count = self.exists[min(self.selects, len(self.exists) - 1)]
        self.selects += 1
        return SelectedFolder(folder, 7, count + 1, count, None)

    async def idle(self, max_seconds: float) -> list[str]:
        item = await self.pushes.get()
        if isinstance(item, BaseException):
            raise item
        return item

    async def close(self) -> None:
        self.closed = True


class Harness:
    """Connections handed out in order; ``failures`` first raise their error."""

    def __init__(self, failures: list[MailError], connections: list[FakeConnection]) -> None:
        self.failures = list(failures)
        self.connections = list(connections)
        self.opened: list[FakeConnection] = []
        self.sleeps: list[float] = []
        self.changes: list[str] = []
        self.errors: list[tuple[str, MailError]] = []

    async def connect(self) -> FakeConnection:
        if self.failures:
            raise self.failures.pop(0)
        connection = self.connections.pop(0) if self.connections else FakeConnection()
        self.opened.append(connection)
        return connection

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0)

    async def on_change(self, account: str) -> None:
        self.changes.append(account)

    def watcher(self, **options: float) -> InboxWatcher:
        return InboxWatcher("ada", self.connect, self.on_change,
                            lambda name, error: self.errors.append((name, error)),
                            sleep=self.sleep, **options)


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(TIMEOUT):
        while not condition():
            await asyncio.sleep(0.001)


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff_delay(n) for n in range(1, 12)] == [
        1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert backoff_delay(1000) == 300
    assert backoff_delay(3, first=0.01, cap=1) == pytest.approx(0.04)


async def test_reconnects_with_backoff_then_resets_it() -> None:
    harness = Harness([NetworkError("down")] * 5, [])
    watcher = harness.watcher()
    watcher.start()
    await until(lambda: watcher.connects == 1)
    assert harness.sleeps == [1, 2, 4, 8, 16]
    assert watcher.failures == 0 and harness.changes == []  # the first connect is no change
    harness.opened[0].pushes.put_nowait(NetworkError("connection reset"))
    await until(lambda: watcher.connects == 2)
    assert harness.sleeps == [1, 2, 4, 8, 16, 1]  # the schedule starts over
    assert harness.opened[0].closed
    assert harness.changes == ["ada"]  # mail may have come while disconnected
    await watcher.stop()
    assert harness.opened[1].closed and not watcher.running


async def test_delays_are_capped() -> None:
    harness = Harness([NetworkError("down")] * 12, [])
    watcher = harness.watcher(first_delay=1, max_delay=300)
    watcher.start()
    await until(lambda: watcher.connects == 1)
    assert harness.sleeps[-4:] == [256, 300, 300, 300]
    await watcher.stop()


@pytest.mark.parametrize("error", [AuthenticationError("refused")])
async def test_fatal_error_stops_and_reports_once(error: MailError) -> None:
    harness = Harness([error, NetworkError("never reached")], [])
    watcher = harness.watcher()
    await asyncio.wait_for(watcher.start(), TIMEOUT)
    assert harness.errors == [("ada", error)] and watcher.error is error
    assert harness.sleeps == [] and not watcher.running
    await watcher.stop()  # harmless when already stopped


async def test_idle_push_calls_on_change() -> None:
    connection = FakeConnection()
    harness = Harness([], [connection])
    watcher = harness.watcher()
    watcher.start()
    connection.pushes.put_nowait([])  # the time limit passed: IDLE again
    connection.pushes.put_nowait(["2 EXISTS"])
    await until(lambda: harness.changes == ["ada"])
    await until(lambda: connection.pushes.empty())
    await watcher.stop()
    assert connection.closed and harness.changes == ["ada"]


async def test_failing_on_change_does_not_end_the_watch() -> None:
    connection = FakeConnection()
    harness = Harness([], [connection])

    async def broken(account: str) -> None:
        harness.changes.append(account)
        raise RuntimeError("bug in the caller")

    watcher = InboxWatcher("ada", harness.connect, broken, sleep=harness.sleep)
    watcher.start()
    connection.pushes.put_nowait(["2 EXISTS"])
    connection.pushes.put_nowait(["3 EXISTS"])
    await until(lambda: len(harness.changes) == 2)
    assert watcher.running
    await watcher.stop()


async def test_polls_without_idle() -> None:
    connection = FakeConnection(idle=False, exists=[1, 1, 2, 2])
    harness = Harness([], [connection])
    watcher = harness.watcher(poll_seconds=42)
    watcher.start()
    await until(lambda: connection.selects >= 4)
    assert harness.changes == ["ada"] and set(harness.sleeps) == {42}
    await watcher.stop()
    assert connection.closed


async def test_stop_cancels_a_pending_backoff_sleep() -> None:
    asleep = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        asleep.set()
        await asyncio.sleep(3600)

    harness = Harness([NetworkError("down")], [])
    watcher = InboxWatcher("ada", harness.connect, harness.on_change, sleep=slow_sleep)
    task = watcher.start()
    await asyncio.wait_for(asleep.wait(), TIMEOUT)
    await asyncio.wait_for(watcher.stop(), TIMEOUT)
    assert task.cancelled() and not watcher.running
