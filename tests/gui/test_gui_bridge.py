"""The bridge runs coroutines off the GUI thread and reports back on it."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from mailclient.core.errors import AuthenticationError
from mailclient.ui.bridge import Bridge, Failure


def on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def test_result_comes_back_on_the_gui_thread(qtbot, bridge: Bridge) -> None:
    results: list[tuple[object, bool]] = []

    async def work() -> int:
        assert not on_gui_thread()
        await asyncio.sleep(0)
        return threading.get_ident()

    with qtbot.waitSignal(bridge.busy_changed, check_params_cb=lambda busy: not busy):
        bridge.run(work, lambda value: results.append((value, on_gui_thread())))
    assert len(results) == 1
    loop_thread, delivered_on_gui = results[0]
    assert loop_thread != threading.get_ident()
    assert delivered_on_gui


def test_mail_error_goes_to_on_failure_in_plain_words(qtbot, bridge: Bridge) -> None:
    failures: list[Failure] = []

    async def login() -> None:
        raise AuthenticationError("the IMAP server refused the user name or password")

    bridge.run(login, lambda _r: pytest.fail("no result expected"), failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert failures[0].message == "the IMAP server refused the user name or password"
    assert not failures[0].unexpected
    assert isinstance(failures[0].error, AuthenticationError)


def test_a_bug_is_logged_and_shown_as_unexpected(qtbot, bridge: Bridge, caplog) -> None:
    async def broken() -> None:
        raise KeyError("oops")

    with qtbot.waitSignal(bridge.failed) as blocker:
        bridge.run(broken, label="testing")
    assert blocker.args[0].startswith("unexpected error while testing")
    error_records = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error_records and error_records[0].exc_info is not None


def test_one_account_runs_one_operation_at_a_time(qtbot, bridge: Bridge) -> None:
    active = {"a": 0, "b": 0}
    peak = {"a": 0, "b": 0}
    overall = {"now": 0, "peak": 0}
    done: list[str] = []

    def job(key: str):
        async def run() -> str:
            active[key] += 1
            overall["now"] += 1
            peak[key] = max(peak[key], active[key])
            overall["peak"] = max(overall["peak"], overall["now"])
            await asyncio.sleep(0.02)
            active[key] -= 1
            overall["now"] -= 1
            return key
        return run

    for key in ("a", "a", "a", "b", "b"):
        bridge.run(job(key), done.append, key=key)
    qtbot.waitUntil(lambda: len(done) == 5)
    assert peak == {"a": 1, "b": 1}
    assert overall["peak"] == 2


def test_cancelled_operation_calls_nothing(qtbot, bridge: Bridge) -> None:
    called: list[object] = []
    gate = threading.Event()

    async def slow() -> None:
        await asyncio.to_thread(gate.wait, 5)

    with qtbot.waitSignal(bridge.busy_changed, check_params_cb=lambda busy: not busy):
        operation = bridge.run(slow, called.append, called.append)
        operation.cancel()
    gate.set()
    later: list[int] = []
    with qtbot.waitSignal(bridge.busy_changed, check_params_cb=lambda busy: not busy):
        bridge.run(lambda: asyncio.sleep(0, 1), later.append)
    assert later == [1]
    assert called == []


def test_shutdown_with_pending_work_is_prompt_and_silent(qtbot) -> None:
    bridge = Bridge()
    called: list[object] = []

    async def forever() -> None:
        await asyncio.Event().wait()

    bridge.run(forever, called.append, called.append)
    bridge.shutdown(timeout=5)
    assert not bridge._thread.is_alive()
    assert not bridge.busy
    with pytest.raises(RuntimeError):
        bridge.run(forever)
    QApplication.processEvents()  # any (wrongly) queued delivery would run now
    assert called == []


class Probe:
    """Records the thread that releases it (a stand-in for a widget held by a closure)."""

    def __init__(self, released_on: list[str]) -> None:
        self.released_on = released_on

    def __del__(self) -> None:
        self.released_on.append(threading.current_thread().name)


@pytest.mark.parametrize("fails", [False, True])
def test_what_the_factory_holds_is_released_on_the_gui_thread(qtbot, bridge: Bridge,
                                                              fails: bool) -> None:
    released_on: list[str] = []
    outcomes: list[object] = []

    def make_factory():
        probe = Probe(released_on)

        def factory():
            async def work() -> int:
                await asyncio.sleep(0.01)
                if fails:
                    raise AuthenticationError("refused")
                return 1
            assert probe is not None
            return work()
        return factory

    bridge.run(make_factory(), outcomes.append, outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes))
    outcomes.clear()
    assert released_on == [threading.main_thread().name]
