"""Watching an account's INBOX on its own connection: IDLE (or polling), reconnect, backoff."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from mailclient.core.errors import (
    AuthenticationError,
    CertificateError,
    ConfigError,
    MailError,
    MissingPasswordError,
    TlsUnavailableError,
)
from mailclient.services.imap.idle import IDLE_SECONDS
from mailclient.services.imap.models import SelectedFolder

log = logging.getLogger(__name__)

INBOX = "INBOX"
POLL_SECONDS = 300.0
FIRST_DELAY = 1.0
MAX_DELAY = 300.0
# Retrying these cannot help: the user has to change something.
FATAL = (AuthenticationError, CertificateError, TlsUnavailableError, MissingPasswordError,
         ConfigError)


class WatchConnection(Protocol):
    """What the watcher needs of a connection (``ImapConnection`` has it)."""

    @property
    def capabilities(self) -> frozenset[str]: ...

    async def select(self, folder: str, *, readonly: bool = True) -> SelectedFolder: ...

    async def idle(self, max_seconds: float) -> list[str]: ...

    async def close(self) -> None: ...


Connector = Callable[[], Awaitable[WatchConnection]]
ChangeCallback = Callable[[str], Awaitable[None]]
ErrorCallback = Callable[[str, MailError], None]
Sleep = Callable[[float], Awaitable[None]]


def backoff_delay(failures: int, first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> float:
    """Seconds to wait after ``failures`` (1, 2, ...) failed attempts in a row: 1, 2, 4, ... cap."""
    return float(min(first * 2 ** min(max(failures - 1, 0), 32), cap))


def _state(selected: SelectedFolder) -> tuple[int, int | None, int]:
    return selected.exists, selected.uidnext, selected.uidvalidity


class InboxWatcher:
    """One asyncio task that watches one account's INBOX and reports changes.

    Args:
        account: the account name passed to the callbacks.
        connect: opens a new logged-in connection (one of the watcher's own).
        on_change: awaited when the INBOX changed (also after a reconnect: mail may have
            arrived meanwhile); it should start a sync, not wait long.
        on_error: called once with an error retrying cannot fix (login refused, untrusted
            certificate, ...); the watcher has stopped then.
        poll_seconds: how often to re-check a server without IDLE.
        idle_seconds: how long one IDLE lasts before it is re-issued (under 29 minutes).
        first_delay, max_delay: the reconnect backoff (doubling from ``first_delay``).
        sleep: ``asyncio.sleep`` (replaceable in tests).
    """

    def __init__(
        self,
        account: str,
        connect: Connector,
        on_change: ChangeCallback,
        on_error: ErrorCallback | None = None,
        *,
        poll_seconds: float = POLL_SECONDS,
        idle_seconds: float = IDLE_SECONDS,
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.account = account
        self._connect = connect
        self._on_change = on_change
        self._on_error = on_error
        self.poll_seconds = poll_seconds
        self.idle_seconds = idle_seconds
        self.first_delay = first_delay
        self.max_delay = max_delay
        self._sleep = sleep
        self._task: asyncio.Task[None] | None = None
        self._active = False
        self.failures = 0  # failed attempts in a row
        self.connects = 0  # sessions that got as far as selecting the INBOX
        self.error: MailError | None = None  # the error that stopped the watcher

    @property
    def running(self) -> bool:
        """Whether ``run()`` is going on (started here or by someone else)."""
        return self._active

    def start(self) -> asyncio.Task[None]:
        """Start watching on the running loop (again only after it stopped)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self.run(), name=f"inbox-watch {self.account}")
        return self._task

    async def stop(self) -> None:
        """Cancel the watch and wait until its connection is logged out."""
        task, self._task = self._task, None
        if task is None or task.done():
            return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # the caller itself is being cancelled

    async def run(self) -> None:
        """Watch until cancelled or until an error retrying cannot fix."""
        self._active = True
        try:
            await self._watch()
        finally:
            self._active = False

    async def _watch(self) -> None:
        while True:
            try:
                await self._session()
            except FATAL as exc:
                log.warning("%s: stopped watching the inbox: %s", self.account, exc)
                self.error = exc
                if self._on_error is not None:
                    self._on_error(self.account, exc)
                return
            except MailError as exc:
                self.failures += 1
                delay = backoff_delay(self.failures, self.first_delay, self.max_delay)
                log.info("%s: inbox watch interrupted (%s); reconnecting in %.0f s",
                         self.account, exc, delay)
                await self._sleep(delay)

    async def _session(self) -> None:
        connection = await self._connect()
        try:
            selected = await connection.select(INBOX, readonly=True)
            self.failures = 0
            self.connects += 1
            if self.connects > 1:
                await self._changed()  # mail may have arrived while disconnected
            if "IDLE" in connection.capabilities:
                while True:
                    if await connection.idle(self.idle_seconds):
                        await self._changed()
            state = _state(selected)
            while True:
                await self._sleep(self.poll_seconds)
                now = _state(await connection.select(INBOX, readonly=True))
                if now != state:
                    state = now
                    await self._changed()
        finally:
            await connection.close()

    async def _changed(self) -> None:
        try:
            await self._on_change(self.account)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the caller's bug must not end the watch
            log.exception("%s: handling an inbox change failed", self.account)
