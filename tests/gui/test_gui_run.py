"""Starting the GUI: first-run dialog, one instance per profile, stale sockets."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.main import run_gui
from mailclient.ui.main_window import MainWindow
from mailclient.ui.quick_setup import QuickSetupDialog
from mailclient.ui.single_instance import SingleInstance

pytestmark = pytest.mark.usefixtures("app_outlives_windows")


def while_running(check: Callable[[], bool], timeout_ms: int = 5000) -> list[bool]:
    """Poll ``check`` inside the event loop that run_gui starts; quit when it holds."""
    outcome: list[bool] = []
    timer = QTimer()
    timer.setInterval(10)
    waited = [0]

    def poll() -> None:
        waited[0] += 10
        if check() or waited[0] >= timeout_ms:
            outcome.append(check())
            timer.stop()
            QApplication.quit()  # closing windows here would post a second quit

    timer.timeout.connect(poll)
    timer.start()
    outcome.append(timer)  # type: ignore[arg-type] # keep the timer alive
    return outcome


def visible(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_first_run_opens_the_account_dialog(qapp, service) -> None:
    outcome = while_running(lambda: bool(visible(MainWindow)) and bool(visible(QuickSetupDialog)))
    assert run_gui(service, []) == 0
    assert outcome[-1] is True
    assert qapp.applicationName() == "mailclient"


def test_with_an_account_only_the_window_opens(qapp, service, account, mailbox) -> None:
    seen: list[tuple[int, int]] = []

    def check() -> bool:
        windows = visible(MainWindow)
        if windows:
            seen.append((windows[0].model.rowCount(),
                         len(visible(AccountDialog)) + len(visible(QuickSetupDialog))))
        return bool(windows)

    outcome = while_running(check)
    assert run_gui(service, []) == 0
    assert outcome[-1] is True
    assert seen[0] == (3, 0)


def test_a_second_launch_raises_the_first_and_exits(qtbot, service) -> None:
    first = SingleInstance(str(service.profile.instance_socket))
    assert first.acquire()
    try:
        with qtbot.waitSignal(first.activated):
            assert run_gui(service, []) == 0
        assert not visible(MainWindow)
    finally:
        first.release()


def test_a_stale_socket_is_replaced(qtbot, service) -> None:
    path = str(service.profile.instance_socket)
    crashed = socket.socket(socket.AF_UNIX)
    crashed.bind(path)  # left behind: bound, never listening, never removed
    crashed.close()
    instance = SingleInstance(path)
    try:
        assert instance.acquire()
        assert instance.server is not None and instance.server.isListening()
        other = SingleInstance(path)
        with qtbot.waitSignal(instance.activated):
            assert not other.acquire()
    finally:
        instance.release()
