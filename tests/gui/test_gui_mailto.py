"""mailto: links: compose filled in, refusals, and the handoff to the running instance."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from mailclient.ui.compose_window import ComposeWindow
from mailclient.ui.mailto_handler import open_mailto
from mailclient.ui.main import APP_ID, app_icon, run_gui
from mailclient.ui.single_instance import SingleInstance

LINK = ("mailto:ada@example.org,grace@example.com?subject=Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln"
        "&cc=charles@example.net&body=Dear%20Ada%2C%0D%0A%0D%0Athe%20engine.")


pytestmark = pytest.mark.usefixtures("app_outlives_windows")


def composes() -> list[ComposeWindow]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, ComposeWindow) and w.isVisible()]


def test_a_link_fills_the_compose_window(make_window, account) -> None:
    window = make_window()
    compose = open_mailto(window, LINK)
    assert compose is not None and compose.isVisible()
    draft = compose.draft()
    assert draft.to == ["ada@example.org", "grace@example.com"]
    assert draft.cc == ["charles@example.net"]
    assert draft.subject == "Grüße aus Köln"
    assert draft.text.startswith("Dear Ada,\n\nthe engine.")
    assert compose.body.hasFocus() or not compose.isActiveWindow()


def test_a_reply_link_keeps_its_threading(make_window, account) -> None:
    window = make_window()
    compose = open_mailto(window, "mailto:ada@example.org?in-reply-to=%3C42@example.net%3E")
    assert compose is not None
    assert compose.draft().in_reply_to == "<42@example.net>"
    assert compose.draft().references == ["<42@example.net>"]


def test_a_link_adding_headers_is_refused_with_a_message(qtbot, make_window, account) -> None:
    window = make_window()
    assert open_mailto(window, "mailto:ada@example.org?subject=Hi%0D%0ABcc:%20x@evil.test") \
        is None
    box = window.findChild(QMessageBox, "mailto_refused")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "line break" in box.informativeText()
    assert not composes()
    box.accept()


def test_without_an_account_the_status_bar_says_what_to_do(make_window) -> None:
    window = make_window()
    assert open_mailto(window, LINK) is None
    assert "Add an account" in window.statusBar().currentMessage()


def test_a_second_launch_hands_the_link_over(qtbot, service) -> None:
    first = SingleInstance(str(service.profile.instance_socket))
    assert first.acquire()
    links: list[str] = []
    first.mailto_requested.connect(links.append)
    try:
        with qtbot.waitSignals([first.activated, first.mailto_requested]):
            assert run_gui(service, [], mailto=LINK) == 0
        assert links == [LINK]
        assert not composes()
    finally:
        first.release()


def test_a_long_link_arrives_whole(qtbot, service) -> None:
    link = "mailto:ada@example.org?body=" + "x%0A" * 50_000
    first = SingleInstance(str(service.profile.instance_socket))
    assert first.acquire()
    try:
        with qtbot.waitSignal(first.mailto_requested) as blocker:
            assert not SingleInstance(first.socket_path).acquire(link)
        assert blocker.args == [link]
    finally:
        first.release()


def test_the_first_instance_opens_the_link_after_its_window(qapp, service, account) -> None:
    seen: list[list[str]] = []

    def poll() -> None:
        if composes():
            seen.append(composes()[0].draft().to)
            QApplication.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(10)
    QTimer.singleShot(5000, QApplication.quit)
    assert run_gui(service, [], mailto=LINK) == 0
    timer.stop()
    assert seen and seen[0] == ["ada@example.org", "grace@example.com"]


def test_quit_after_start_shows_the_window_and_exits_0(qapp, service, account) -> None:
    assert run_gui(service, [], quit_after_start=True) == 0
    assert qapp.desktopFileName() == APP_ID
    assert not app_icon().isNull()
    assert app_icon().availableSizes()  # the bundled PNGs, not only the painted fallback
