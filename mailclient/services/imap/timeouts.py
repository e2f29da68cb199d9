"""Command timeouts kept as a deadline that data moves, checked by one long-lived timer."""

from __future__ import annotations

import asyncio

from aioimaplib import Command


class LazyTimeoutCommand(Command):
    """A ``Command`` that fails after ``timeout`` seconds in which no data came for it.

    aioimaplib cancels and schedules a new timer for every response line and literal (about
    five ``call_later`` per fetched message). Here data only notes the time; the one timer
    handle, when it fires, schedules itself again for what is left until the deadline.
    ``suspend_timeout`` stops the clock (the reader is paused for a slow consumer) and
    ``resume_timeout`` restarts it with a full ``timeout``.
    """

    # Attributes set by aioimaplib's untyped base class.
    _loop: asyncio.AbstractEventLoop
    _timeout: float | None
    _timer: asyncio.Handle
    _event: asyncio.Event

    def _set_timer(self) -> None:  # aioimaplib's __init__ calls it once
        self._suspended = False
        self._last_data = self._loop.time()
        if self._timeout is not None:
            self._timer = self._loop.call_at(self._last_data + self._timeout, self._check)

    def _reset_timer(self) -> None:  # aioimaplib calls it whenever data came for the command
        self._last_data = self._loop.time()

    def _check(self) -> None:
        if self._suspended or self._event.is_set() or self._timeout is None:
            return
        deadline = self._last_data + self._timeout
        if self._loop.time() >= deadline:
            self._timeout_callback()
        else:
            self._timer = self._loop.call_at(deadline, self._check)

    def suspend_timeout(self) -> None:
        """Stop the clock until ``resume_timeout``: no data is read meanwhile, on purpose."""
        self._suspended = True
        self._timer.cancel()

    def resume_timeout(self) -> None:
        """Start the clock again, with a whole ``timeout`` from now."""
        if self._suspended and not self._event.is_set():
            self._set_timer()
