"""Acting on messages: mark read on open, delete, mark, flag, move, empty Trash, and the push."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QToolBar

from mailclient.core.errors import NetworkError
from mailclient.ui.message_list import FLAG, SUBJECT
from mailclient.ui.read_marker import MARK_READ_MS
from tests.helpers.window_list import (
    ADA,
    ATTACHMENT_SUBJECT,
    HTML_SUBJECT,
    LONG,
    UNICODE_SUBJECT,
    select,
    subjects,
)

GRACE = "grace@example.com"




def flags(service, ident: str) -> list[str]:
    return service.store.message(ident).flags


def tree_label(window, folder: str) -> str:
    return window.folders.folder_item(ADA, folder).text(0)


def focus_list(window, qtbot) -> None:
    """Activate the window with the focus in the list, as a user's keys find it."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.messages.setFocus()


def popup_menu() -> QMenu:
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


@pytest.fixture
def trash(service, mailbox) -> int:
    return service.store.ensure_folder(ADA, "Trash", "trash")


# mark read on open -------------------------------------------------------------------
def test_a_message_shown_a_moment_is_marked_read_and_pushed(make_window, mailbox, pushes,
                                                            qtbot, service) -> None:
    window = make_window(mark_read_ms=0)
    assert tree_label(window, "INBOX") == "Inbox (2)"
    select(window, UNICODE_SUBJECT)
    assert window.model.index(0, SUBJECT).data(Qt.ItemDataRole.FontRole).bold()
    qtbot.waitUntil(lambda: "seen" in flags(service, mailbox[UNICODE_SUBJECT]))
    assert tree_label(window, "INBOX") == "Inbox (1)"
    assert window.model.index(0, SUBJECT).data(Qt.ItemDataRole.FontRole) is None
    qtbot.waitUntil(lambda: pushes == [ADA])
    assert window.messages.current_id() == mailbox[UNICODE_SUBJECT]  # still chosen
    assert window.reader.subject.text() == UNICODE_SUBJECT


def test_moving_on_before_the_delay_leaves_a_message_unread(make_window, mailbox, pushes,
                                                            qtbot, service) -> None:
    assert make_window().read_marker.delay_ms == MARK_READ_MS == 1000
    window = make_window(mark_read_ms=20)
    select(window, UNICODE_SUBJECT)
    select(window, HTML_SUBJECT)  # within the delay: the first one stays unread
    qtbot.waitUntil(lambda: "seen" in flags(service, mailbox[HTML_SUBJECT]))
    assert "seen" not in flags(service, mailbox[UNICODE_SUBJECT])


def test_a_push_that_fails_leaves_a_note_and_the_change(make_window, mailbox, monkeypatch,
                                                        qtbot, service) -> None:
    async def offline(name: str) -> int:
        raise NetworkError("imap.example.org cannot be reached")

    monkeypatch.setattr(service.mailbox, "push", offline)
    window = make_window(mark_read_ms=0)
    select(window, UNICODE_SUBJECT)
    qtbot.waitUntil(lambda: "saved here; the server will be updated at the next sync"
                    in window.statusBar().currentMessage())
    assert "seen" in flags(service, mailbox[UNICODE_SUBJECT])
    assert len(service.store.pending_changes(ADA)) == 1  # the next sync replays it


# delete -------------------------------------------------------------------------------
def test_delete_key_moves_to_trash_and_selects_the_next(make_window, mailbox, trash, pushes,
                                                       qtbot, service) -> None:
    window = make_window(mark_read_ms=LONG)
    select(window, ATTACHMENT_SUBJECT)
    focus_list(window, qtbot)
    qtbot.keyClick(window.messages, Qt.Key.Key_Delete)
    assert subjects(window) == [UNICODE_SUBJECT, HTML_SUBJECT]
    assert window.messages.current_id() == mailbox[HTML_SUBJECT]  # the one below
    assert window.reader.subject.text() == HTML_SUBJECT
    assert service.store.message(mailbox[ATTACHMENT_SUBJECT]).folder == "Trash"
    assert window.statusBar().currentMessage() == "1 message moved to Trash."
    qtbot.waitUntil(lambda: pushes == [ADA])


def test_deleting_the_last_row_selects_the_one_above(make_window, mailbox, trash,
                                                     pushes) -> None:
    window = make_window(mark_read_ms=LONG)
    select(window, HTML_SUBJECT)
    window.message_actions.delete_action.trigger()
    assert window.messages.current_id() == mailbox[ATTACHMENT_SUBJECT]
    assert tree_label(window, "Trash") == "Trash (1)"  # it was unread
    assert tree_label(window, "INBOX") == "Inbox (1)"


def test_delete_in_trash_is_for_good(make_window, mailbox, trash, pushes, deliver,
                                     service) -> None:
    junk = deliver(ADA, "Trash", "Old junk", datetime(2024, 1, 1, tzinfo=UTC), role="trash")
    window = make_window(mark_read_ms=LONG)
    window.folders.setCurrentItem(window.folders.folder_item(ADA, "Trash"))
    select(window, "Old junk")
    window.message_actions.delete_action.trigger()
    assert subjects(window) == []
    assert service.store.count(ADA) == 3 and junk not in {
        m.id for m in service.store.list_messages(account=ADA)}
    assert window.statusBar().currentMessage() == "1 message deleted for good."
    assert window.reader.placeholder.isVisible()


def test_delete_is_in_the_toolbar_and_the_message_menu(make_window, mailbox) -> None:
    window = make_window()
    delete = window.message_actions.delete_action
    assert delete.shortcut().toString() == "Del"
    assert delete in window.findChild(QToolBar, "mainToolbar").actions()
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert delete in menus["&Message"].actions()
    window.messages.clearSelection()
    assert not delete.isEnabled()  # nothing chosen
    select(window, HTML_SUBJECT)
    assert delete.isEnabled()


# read and flag -----------------------------------------------------------------------
def test_m_toggles_read_on_every_selected_message(make_window, mailbox, pushes, qtbot,
                                                  service) -> None:
    window = make_window(mark_read_ms=LONG)
    select(window, UNICODE_SUBJECT, ATTACHMENT_SUBJECT)  # one unread, one read
    assert window.message_actions.read_action.text() == "Mark as &Read"
    focus_list(window, qtbot)
    qtbot.keyClick(window.messages, Qt.Key.Key_M)
    both = (mailbox[UNICODE_SUBJECT], mailbox[ATTACHMENT_SUBJECT])
    assert all("seen" in flags(service, ident) for ident in both)
    assert window.messages.selected_keys() == list(both)  # the selection stays
    assert window.message_actions.read_action.text() == "Mark as &Unread"
    assert tree_label(window, "INBOX") == "Inbox (1)"
    qtbot.keyClick(window.messages, Qt.Key.Key_M)
    assert not any("seen" in flags(service, ident) for ident in both)
    assert tree_label(window, "INBOX") == "Inbox (3)"
    qtbot.waitUntil(lambda: bool(pushes) and set(pushes) == {ADA})


def test_typing_m_or_s_in_the_search_box_marks_nothing(make_window, mailbox, qtbot,
                                                       service) -> None:
    window = make_window(mark_read_ms=LONG)
    select(window, UNICODE_SUBJECT)
    focus_list(window, qtbot)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "ms")
    assert window.search_box.text() == "ms"
    assert flags(service, mailbox[UNICODE_SUBJECT]) == []


def test_s_flags_with_a_star_in_the_list(make_window, mailbox, pushes, qtbot,
                                         service) -> None:
    window = make_window(mark_read_ms=LONG)
    select(window, ATTACHMENT_SUBJECT)
    star = window.model.index(1, FLAG)
    assert star.data(Qt.ItemDataRole.DecorationRole) is None
    focus_list(window, qtbot)
    qtbot.keyClick(window.messages, Qt.Key.Key_S)
    assert "flagged" in flags(service, mailbox[ATTACHMENT_SUBJECT])
    icon = window.model.index(1, FLAG).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert window.messages.header().visualIndex(FLAG) == 0  # a narrow first column
    assert window.message_actions.flag_action.text() == "Remove &Flag"
    qtbot.keyClick(window.messages, Qt.Key.Key_S)
    assert "flagged" not in flags(service, mailbox[ATTACHMENT_SUBJECT])
    assert window.model.index(1, FLAG).data(Qt.ItemDataRole.DecorationRole) is None


# the context menu and move -----------------------------------------------------------
def test_context_menu_moves_to_another_folder(make_window, mailbox, trash, pushes, qtbot,
                                              service) -> None:
    window = make_window(mark_read_ms=LONG)
    select(window, UNICODE_SUBJECT)
    view = window.messages
    view.customContextMenuRequested.emit(view.visualRect(view.currentIndex()).center())
    menu = popup_menu()
    assert texts(menu) == ["Mark as &Read", "&Flag", "&Move To", "&Delete"]
    move = window.message_actions.move_menu
    move.aboutToShow.emit()
    targets = {a.text(): a for a in move.actions()}
    assert list(targets) == ["Inbox", "Sent", "Trash"]
    assert not targets["Inbox"].isEnabled()  # it is there already
    menu.close()
    targets["Sent"].trigger()
    assert service.store.message(mailbox[UNICODE_SUBJECT]).folder == "Sent"
    assert subjects(window) == [ATTACHMENT_SUBJECT, HTML_SUBJECT]
    assert window.messages.current_id() == mailbox[ATTACHMENT_SUBJECT]
    assert window.statusBar().currentMessage() == "1 message moved to Sent."
    qtbot.waitUntil(lambda: pushes == [ADA])


def test_messages_of_two_accounts_cannot_be_moved_together(make_window, mailbox,
                                                           second_account, deliver) -> None:
    deliver(GRACE, "INBOX", "Compiler notes", datetime(2024, 3, 2, 18, 0, tzinfo=UTC))
    window = make_window(mark_read_ms=LONG)  # opens on All Inboxes
    select(window, UNICODE_SUBJECT, "Compiler notes")
    move = window.message_actions.move_menu
    move.aboutToShow.emit()
    assert [(a.text(), a.isEnabled()) for a in move.actions()] == [
        ("Choose messages of one account to move them", False)]


# empty Trash -------------------------------------------------------------------------
def answer_next_box(button_text: str, seen: list[str]) -> None:
    """Click ``button_text`` in the next modal message box, noting its text in ``seen``."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, answer)


def empty_trash_action(window):
    """Right-click Trash in the folder tree; return the open menu's Empty Trash action."""
    tree = window.folders
    trash = tree.folder_item(ADA, "Trash")
    tree.customContextMenuRequested.emit(tree.visualItemRect(trash).center())
    menu = popup_menu()
    assert texts(menu) == ["&New Folder…", "&Rename Folder…", "&Delete Folder…",
                           "Mark &All Read", "Empty Trash…"]
    assert [a.isEnabled() for a in menu.actions() if not a.isSeparator()][1:3] == [False, False]
    return menu.actions()[-1]


def test_empty_trash_from_the_folder_menu_asks_first(make_window, mailbox, trash, deliver,
                                                     pushes, qtbot, service) -> None:
    for day in (1, 2):
        deliver(ADA, "Trash", f"Junk {day}", datetime(2024, 1, day, tzinfo=UTC), role="trash")
    window = make_window(mark_read_ms=LONG)
    seen: list[str] = []
    answer_next_box("Cancel", seen)
    empty_trash_action(window).trigger()
    assert seen == [f"Delete the 2 messages in Trash of {ADA} for good?"]
    assert service.store.count(ADA) == 5
    answer_next_box("Empty Trash", seen)
    empty_trash_action(window).trigger()
    assert service.store.count(ADA) == 3
    assert window.statusBar().currentMessage() == "2 messages deleted for good."
    assert tree_label(window, "Trash") == "Trash"
    qtbot.waitUntil(lambda: pushes == [ADA])


def test_other_folders_have_no_empty_entry(make_window, mailbox) -> None:
    window = make_window()
    tree = window.folders
    sent = tree.folder_item(ADA, "Sent")
    tree.customContextMenuRequested.emit(tree.visualItemRect(sent).center())
    menu = popup_menu()
    assert "Empty Trash…" not in texts(menu)
    menu.close()
