"""Folders from the main window (New, Rename, Delete, Mark All Read, Del on the tree), messages
dragged onto a folder, Archive (A), Junk (J) and a click on the flag column."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent

from mailclient.core.errors import NetworkError
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list import FLAG
from tests.helpers.window_list import (
    ADA,
    ATTACHMENT_SUBJECT,
    HTML_SUBJECT,
    LONG,
    UNICODE_SUBJECT,
    select,
    subjects,
)


@pytest.fixture
def server_folders(service, monkeypatch) -> list[str]:
    """Folder changes "on the server" (there is none): done in the store, and recorded."""
    done: list[str] = []
    store = service.store

    async def create(account: str, name: str, *, parent: str | None = None) -> str:
        full = name if parent is None else f"{parent}/{name}"
        store.ensure_folder(account, full)
        done.append(f"create {full}")
        return full

    async def rename(account: str, name: str, new: str, *, keep_parent: bool = False) -> str:
        store.rename_folder(account, name, new, "/")
        done.append(f"rename {name} {new}")
        return new

    async def delete(account: str, name: str) -> int:
        done.append(f"delete {name}")
        return store.forget_folder(account, name, "/")

    async def special(account: str, role: str) -> str:
        store.ensure_folder(account, role.title(), role)
        done.append(f"special {role}")
        return role.title()

    for name, fake in (("create_folder", create), ("rename_folder", rename),
                       ("delete_folder", delete), ("ensure_special_folder", special)):
        monkeypatch.setattr(service.mailbox, name, fake)
    return done


def tree_texts(window, account: str = ADA) -> list[str]:
    top = window.folders.folder_item(account, None)
    return [top.child(i).text(0) for i in range(top.childCount())]


def choose(window, folder: str | None) -> None:
    window.folders.setCurrentItem(window.folders.folder_item(ADA, folder))


def test_new_rename_delete_folder(make_window, mailbox, server_folders, qtbot, deliver) -> None:
    window = make_window(mark_read_ms=LONG)
    folders = window.comforts.folder_actions
    folders.ask_name = lambda _parent, _title, _label, _text: "Projects"
    choose(window, None)
    folders.new_action.trigger()
    qtbot.waitUntil(lambda: "Projects" in tree_texts(window))
    assert window.folders.current_scope() == ListScope(ADA, "Projects")
    assert window.statusBar().currentMessage() == "Folder Projects created."
    seen: list[str] = []
    folders.ask_name = lambda _parent, _title, _label, text: seen.append(text) or "Work"
    folders.rename_action.trigger()
    qtbot.waitUntil(lambda: "Work" in tree_texts(window))
    assert seen == ["Projects"] and "Projects" not in tree_texts(window)
    deliver(ADA, "Work", "Kept", datetime(2024, 1, 1, tzinfo=UTC))
    asked: list[str] = []
    folders.confirm = lambda _parent, folder: asked.append(folder.name) is None and False
    folders.delete_action.trigger()
    assert asked == ["Work"] and "Work" in tree_texts(window)  # cancelled
    folders.confirm = lambda _parent, folder: True
    folders.delete_action.trigger()
    qtbot.waitUntil(lambda: "Work" not in tree_texts(window))
    assert server_folders == ["create Projects", "rename Projects Work", "delete Work"]


def test_kept_folders_cannot_be_renamed_or_deleted(make_window, mailbox) -> None:
    window = make_window()
    folders = window.comforts.folder_actions
    for name in ("INBOX", "Sent"):
        choose(window, name)
        assert not folders.rename_action.isEnabled()
        assert not folders.delete_action.isEnabled()
        assert folders.new_action.isEnabled() and folders.mark_read_action.isEnabled()


def test_offline_folder_change_says_it_needs_the_server(make_window, mailbox, monkeypatch,
                                                        qtbot, service) -> None:
    async def offline(account: str, name: str, *, parent: str | None = None) -> str:
        raise NetworkError("imap.example.org cannot be reached")

    monkeypatch.setattr(service.mailbox, "create_folder", offline)
    window = make_window()
    window.comforts.folder_actions.ask_name = lambda *_args: "Later"
    window.comforts.folder_actions.new_folder(ListScope(ADA))
    qtbot.waitUntil(lambda: "need a connection" in window.statusBar().currentMessage())
    assert "Later" not in tree_texts(window)


def test_del_on_the_tree_offers_the_folder_never_deletes_messages(
        make_window, mailbox, deliver, qtbot, service) -> None:
    deliver(ADA, "Lists", "From a list", datetime(2024, 1, 1, tzinfo=UTC))
    window = make_window(mark_read_ms=LONG)
    asked: list[str] = []
    window.comforts.folder_actions.confirm = lambda _p, folder: asked.append(folder.name) and False
    choose(window, "Lists")
    select(window, "From a list")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.folders.setFocus()
    qtbot.keyClick(window.folders, Qt.Key.Key_Delete)
    assert asked == ["Lists"]
    choose(window, "INBOX")
    window.folders.setFocus()
    qtbot.keyClick(window.folders, Qt.Key.Key_Delete)
    assert asked == ["Lists"]
    assert window.statusBar().currentMessage() == "Inbox cannot be deleted."
    assert service.store.count(ADA) == 4  # no message went to Trash


def test_mark_all_read_with_shift_c_and_the_menu(make_window, mailbox, pushes, qtbot,
                                                 service) -> None:
    window = make_window(mark_read_ms=LONG)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.messages.setFocus()
    qtbot.keyClick(window.messages, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert all("seen" in service.store.message(i).flags for i in mailbox.values())
    assert window.folders.folder_item(ADA, "INBOX").text(0) == "Inbox"
    assert window.statusBar().currentMessage() == "2 messages marked read."
    qtbot.waitUntil(lambda: pushes == [ADA])


def drop_on(window, folder: str, mime: QMimeData) -> None:
    tree = window.folders
    point = QPointF(tree.visualItemRect(tree.folder_item(ADA, folder)).center())
    event = QDropEvent(point, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    tree.dropEvent(event)


def test_dragging_messages_onto_a_folder_moves_them(make_window, mailbox, pushes, qtbot,
                                                    service) -> None:
    archive = service.store.ensure_folder(ADA, "Archive", "archive")
    window = make_window(mark_read_ms=LONG)
    select(window, UNICODE_SUBJECT, HTML_SUBJECT)
    mime = window.messages.drag_mime()
    assert mime is not None
    drop_on(window, "Archive", mime)
    assert subjects(window) == [ATTACHMENT_SUBJECT]
    assert {m.subject for m in service.store.list_messages(folder="Archive")} == \
        {UNICODE_SUBJECT, HTML_SUBJECT}
    assert archive
    qtbot.waitUntil(lambda: pushes == [ADA])
    other = QMimeData()
    other.setText("not messages")
    drop_on(window, "INBOX", other)  # ignored
    assert subjects(window) == [ATTACHMENT_SUBJECT]


def test_archive_and_junk_keys(make_window, mailbox, pushes, server_folders, qtbot,
                               service) -> None:
    service.store.ensure_folder(ADA, "Archive", "archive")
    window = make_window(mark_read_ms=LONG)
    filing = window.comforts.filing
    assert filing.archive_action.shortcut().toString() == "A"
    assert filing.junk_action.shortcut().toString() == "J"
    select(window, UNICODE_SUBJECT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.messages.setFocus()
    qtbot.keyClick(window.messages, Qt.Key.Key_A)
    assert service.store.message(mailbox[UNICODE_SUBJECT]).folder == "Archive"
    assert subjects(window) == [ATTACHMENT_SUBJECT, HTML_SUBJECT]
    assert window.messages.current_key() == mailbox[ATTACHMENT_SUBJECT]  # the next row
    qtbot.keyClick(window.messages, Qt.Key.Key_J)  # no Junk folder yet: made first
    qtbot.waitUntil(lambda: service.store.message(mailbox[ATTACHMENT_SUBJECT]).folder == "Junk")
    assert server_folders == ["special junk"]
    assert "Junk" in tree_texts(window)


def test_a_click_on_the_flag_column_flags_that_row(make_window, mailbox, pushes, qtbot,
                                                   service) -> None:
    window = make_window(mark_read_ms=LONG)
    view = window.messages
    rect = view.visualRect(window.model.index(1, FLAG))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "flagged" in service.store.message(mailbox[ATTACHMENT_SUBJECT]).flags
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "flagged" not in service.store.message(mailbox[ATTACHMENT_SUBJECT]).flags
