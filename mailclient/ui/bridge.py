"""The one boundary between the GUI thread and the asyncio services: operations and results."""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from mailclient.core.errors import MailError
from mailclient.ui.i18n import tr

log = logging.getLogger(__name__)

CoroFactory = Callable[[], Awaitable[Any]]
SuccessCallback = Callable[[Any], None]


@dataclass(frozen=True)
class Failure:
    """Why an operation failed: the error and what to tell the user, in plain words."""

    error: BaseException
    message: str
    unexpected: bool


FailureCallback = Callable[[Failure], None]
_DONE, _FAILED, _CANCELLED = range(3)


def describe(error: BaseException, label: str = "") -> Failure:
    """Turn an exception into a ``Failure``; anything but a ``MailError`` is a bug."""
    if isinstance(error, MailError):
        return Failure(error, str(error) or type(error).__name__, unexpected=False)
    if label:
        text = tr("unexpected error while {doing} ({kind}); details are in the log")
    else:
        text = tr("unexpected error ({kind}); details are in the log")
    return Failure(error, text.format(doing=label, kind=type(error).__name__), unexpected=True)


@dataclass(eq=False)
class Operation:
    """One running coroutine; ``cancel()`` drops it and its callbacks."""

    id: int
    label: str
    key: str | None
    on_success: SuccessCallback | None
    on_failure: FailureCallback | None
    future: concurrent.futures.Future[None] | None = field(default=None, repr=False)
    bridge: Bridge | None = field(default=None, repr=False)

    def cancel(self) -> None:
        """Cancel the coroutine; no callback runs afterwards (call on the GUI thread)."""
        if self.future is not None:
            self.future.cancel()
        if self.bridge is not None:
            self.bridge._forget(self)


class Bridge(QObject):
    """An asyncio loop in a background thread running the GUI's service calls.

    ``run()`` is called on the GUI thread; the coroutine runs on the loop thread; its result
    or error comes back through a queued signal, so callbacks always run on the GUI thread and
    the loop thread never touches a widget. Operations sharing a ``key`` (an account name)
    run one at a time, in the order they were started.

    The factory, the result and the failure are kept in dicts and released on the GUI thread:
    if the loop thread dropped the last reference to a closure holding a widget, the widget's
    wrapper would be destroyed there (PySide then defers the C++ deletion, which can collide
    with Qt deleting the same widget).

    Signals:
        busy_changed(bool): whether any operation is pending.
        failed(str): the plain-words message of a failure that had no ``on_failure``.
    """

    busy_changed = Signal(bool)
    failed = Signal(str)
    _finished = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, Operation] = {}  # GUI thread only
        self._factories: dict[int, CoroFactory] = {}  # added and removed on the GUI thread
        self._at_exit: list[CoroFactory] = []
        self._outcomes: dict[int, object] = {}  # added by the loop, removed by the GUI
        self._locks: dict[str, asyncio.Lock] = {}  # loop thread only
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run_loop, name="mailclient-bridge",
                                        daemon=True)
        self._thread.start()
        self._ready.wait()

    # GUI thread ---------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, factory: CoroFactory, on_success: SuccessCallback | None = None,
            on_failure: FailureCallback | None = None, *, key: str | None = None,
            label: str = "") -> Operation:
        """Run ``factory()`` (called on the loop thread) and report back on the GUI thread.

        Args:
            factory: returns the awaitable to run; it must not touch widgets (bind the
                service objects it needs to locals rather than reading them off a widget).
            on_success: called with the result.
            on_failure: called with a ``Failure``; without it ``failed`` is emitted.
            key: operations with the same key (an account name) run one at a time.
            label: what the operation does, for the log and unexpected-error messages.
        """
        if self._closed:
            raise RuntimeError("the bridge is shut down")
        op = Operation(next(self._ids), label, key, on_success, on_failure, bridge=self)
        was_busy = self.busy
        self._pending[op.id] = op
        self._factories[op.id] = factory
        op.future = asyncio.run_coroutine_threadsafe(self._execute(op.id, key, label),
                                                     self._loop)
        if not was_busy:
            self.busy_changed.emit(True)
        return op

    def start_background(self, factory: CoroFactory) -> concurrent.futures.Future[None]:
        """Run a long-lived ``factory()`` on the loop: no key, no busy state, no callbacks.

        Cancel the returned future to stop it (``shutdown()`` cancels it too); an exception
        it ends with is logged.
        """
        if self._closed:
            raise RuntimeError("the bridge is shut down")
        return asyncio.run_coroutine_threadsafe(self._background(factory), self._loop)

    def _forget(self, op: Operation) -> None:
        if self._pending.pop(op.id, None) is not None and not self._pending:
            self.busy_changed.emit(False)

    @Slot(int, int)
    def _deliver(self, op_id: int, status: int) -> None:
        self._factories.pop(op_id, None)
        payload = self._outcomes.pop(op_id, None)
        op = self._pending.get(op_id)
        if op is None or status == _CANCELLED:  # cancelled, or the bridge was shut down
            return
        self._forget(op)
        if status == _DONE:
            if op.on_success is not None:
                op.on_success(payload)
            return
        assert isinstance(payload, Failure)
        if op.on_failure is not None:
            op.on_failure(payload)
        else:
            self.failed.emit(payload.message)

    def at_exit(self, factory: CoroFactory) -> None:
        """Run ``factory()`` on the loop when it shuts down, after pending work is cancelled
        (logging out kept connections, say)."""
        self._at_exit.append(factory)

    def shutdown(self, timeout: float = 5.0) -> None:
        """Cancel what is pending, stop the loop and join its thread; callbacks are dropped."""
        if self._closed:
            return
        self._closed = True
        was_busy = self.busy
        self._pending.clear()
        if was_busy:
            self.busy_changed.emit(False)
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("the background loop did not stop within %s s", timeout)
            return
        self._factories.clear()
        self._outcomes.clear()

    # loop thread --------------------------------------------------------------------
    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._ready.set)
        try:
            self._loop.run_forever()
            while tasks := asyncio.all_tasks(self._loop):
                for task in tasks:
                    task.cancel()
                self._loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            for factory in self._at_exit:
                try:
                    self._loop.run_until_complete(factory())
                except Exception:  # noqa: BLE001 - exit goes on; the failure is logged
                    log.exception("cleanup at exit failed")
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.run_until_complete(self._loop.shutdown_default_executor())
        finally:
            self._loop.close()

    async def _execute(self, op_id: int, key: str | None, label: str) -> None:
        try:
            if key is None:
                status = await self._settle(op_id, label)
            else:
                async with self._locks.setdefault(key, asyncio.Lock()):
                    status = await self._settle(op_id, label)
        except asyncio.CancelledError:  # while waiting for the key's turn
            status = _CANCELLED
        if not self._closed:  # nothing of the operation is referenced here any more
            self._finished.emit(op_id, status)

    async def _settle(self, op_id: int, label: str) -> int:
        """Run the operation; leave its result or ``Failure`` in ``_outcomes``."""
        try:
            self._outcomes[op_id] = await self._factories[op_id]()
        except asyncio.CancelledError:
            return _CANCELLED
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the GUI
            failure = describe(exc, label)
            if failure.unexpected:
                log.error("operation %r failed", label or op_id, exc_info=exc)
            self._outcomes[op_id] = failure
            del failure
            return _FAILED
        return _DONE

    async def _background(self, factory: CoroFactory) -> None:
        try:
            await factory()
        except Exception:  # noqa: BLE001 - nobody awaits a background task's result
            log.exception("a background task failed")
