"""The main window remembers its layout, notifies of new mail over D-Bus, has standard and
unambiguous shortcuts, names its controls, and shows CJK and emoji in the list."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from jeepney import HeaderFields, MessageType, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list import FROM, SUBJECT
from mailclient.ui.new_mail_notifier import SERVICE, desktop_service_present, summarise
from tests.helpers.window_list import ADA, subjects

CJK_SUBJECT = "日本語のお知らせ 🎉"


class FakeNotifications:
    """org.freedesktop.Notifications on the test's session bus: records each Notify call
    (its D-Bus signature and arguments) and answers with an id."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self._stop = threading.Event()
        self._connection = open_dbus_connection(bus="SESSION")
        reply = self._connection.send_and_get_reply(message_bus.RequestName(SERVICE))
        assert reply.body == (1,)  # the primary owner
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._connection.receive(timeout=0.1)
            except TimeoutError:
                continue
            fields = message.header.fields
            if message.header.message_type is MessageType.method_call and \
                    fields.get(HeaderFields.member) == "Notify":
                self.calls.append((fields.get(HeaderFields.signature), message.body))
                self._connection.send(new_method_return(message, "u", (1,)))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._connection.send_and_get_reply(message_bus.ReleaseName(SERVICE))
        self._connection.close()


@pytest.fixture
def notifications() -> Iterator[FakeNotifications]:
    fake = FakeNotifications()
    yield fake
    fake.close()


def test_layout_and_choices_are_remembered(make_window, mailbox, service) -> None:
    window = make_window()
    window.resize(700, 520)  # within the offscreen screen (800x600)
    splitters = window.comforts.state.splitters(window)
    splitters[0].setSizes([260, 440])
    window.messages.header().resizeSection(FROM, 260)
    window.group_action.setChecked(True)
    window.folders.setCurrentItem(window.folders.folder_item(ADA, "Sent"))
    left = splitters[0].sizes()[0]
    window.close()
    assert (service.profile.config_dir / "window.ini").is_file()
    again = make_window()
    assert (again.width(), again.height()) == (700, 520)
    assert again.comforts.state.splitters(again)[0].sizes()[0] == left
    assert again.messages.header().sectionSize(FROM) == 260
    assert again.group_action.isChecked() and again.model.grouped
    assert again.folders.current_scope() == ListScope(ADA, "Sent")


def test_new_mail_is_notified_over_dbus(make_window, mailbox, deliver, notifications,
                                        qtbot) -> None:
    assert desktop_service_present()
    window = make_window()
    notifier = window.comforts.notifier
    assert notifier.check() == []  # nothing new since the window opened
    deliver(ADA, "INBOX", "Lunch?", datetime(2024, 3, 4, tzinfo=UTC),
            sender="Grace Hopper <grace@example.com>")
    with qtbot.waitSignal(notifier.notified) as shown:
        assert [m.subject for m in notifier.check()] == ["Lunch?"]
    assert shown.args == ["From Grace Hopper", "Lunch?"]
    signature, body = notifications.calls[0]
    assert signature == "susssasa{sv}i"
    assert body[0] == "mailclient" and body[3:5] == ("From Grace Hopper", "Lunch?")
    assert notifier.check() == []  # told once


def test_no_notification_while_the_window_is_active(make_window, mailbox, deliver,
                                                    qtbot) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    deliver(ADA, "INBOX", "Seen here", datetime(2024, 3, 4, tzinfo=UTC))
    window.comforts.notifier.service_present = lambda: pytest.fail("must not notify")
    assert window.comforts.notifier.check() == []


def test_several_new_messages_are_summed_up(service, account, deliver) -> None:
    for n, who in enumerate(("Ada <a@x.org>", "Bob <b@x.org>", "Ada <a@x.org>"), start=1):
        deliver(ADA, "INBOX", f"n{n}", datetime(2024, 3, n, tzinfo=UTC), sender=who)
    rows = service.store.list_messages(role="inbox")
    assert summarise(rows) == ("3 new messages", "From Ada, Bob")


def test_standard_shortcuts_without_ambiguity(make_window) -> None:
    window = make_window()
    assert window.compose.write_action.shortcut().toString() == "Ctrl+N"
    assert window.get_mail_action.shortcut().toString() == "F5"
    keys = [k.toString() for k in window.find_action.shortcuts()]
    assert keys[0] == "Ctrl+F" and "Ctrl+K" in keys
    assert window.message_actions.delete_action.shortcut() == \
        QKeySequence(QKeySequence.StandardKey.Delete)
    owners: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString()
            assert owners.setdefault(text, action.text()) == action.text(), text


def test_menus_are_offered_for_more_entries(make_window) -> None:
    window = make_window()
    assert set(window.menus) == {"file", "edit", "view", "folder", "message"}
    folder_menu = [a.text() for a in window.menus["folder"].actions() if not a.isSeparator()]
    assert folder_menu == ["&New Folder…", "&Rename Folder…", "&Delete Folder…",
                           "Mark &All Read"]


def test_every_control_has_a_name(make_window, mailbox) -> None:
    window = make_window()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.focusPolicy().name == "NoFocus":
            continue
        if isinstance(widget, (QAbstractButton, QLineEdit)) and not widget.accessibleName():
            assert widget.text() or widget.toolTip(), widget
    assert window.folders.accessibleName() == "Folders"
    assert window.messages.accessibleName() == "Messages"


def test_cjk_and_emoji_show_in_the_list(make_window, mailbox, deliver) -> None:
    deliver(ADA, "INBOX", CJK_SUBJECT, datetime(2024, 3, 5, tzinfo=UTC))
    window = make_window()
    assert subjects(window)[0] == CJK_SUBJECT
    assert window.model.index(0, SUBJECT).data() == CJK_SUBJECT
    assert not window.messages.grab().isNull()
    assert window.messages.font().pointSizeF() == window.font().pointSizeF()  # system size
