"""The main window over a filled store: list, folder tree, reader, Get Mail."""

from __future__ import annotations

import asyncio
import concurrent.futures
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from mailclient.core.errors import AuthenticationError
from mailclient.services.mail_service import FlushReport
from mailclient.services.sync import SyncReport
from mailclient.ui.get_mail import GetMail
from mailclient.ui.list_scope import ListScope
from mailclient.ui.safe_browser import SafeBrowser
from tests.helpers.window_list import (
    ATTACHMENT_SUBJECT,
    HTML_SUBJECT,
    UNICODE_SUBJECT,
    select,
    subjects,
)


def test_lists_inbox_newest_first(make_window, mailbox) -> None:
    window = make_window()
    assert window.windowTitle() == "mailclient"
    assert window.folders.current_scope() == ListScope("ada@example.org", "INBOX")
    assert subjects(window) == [UNICODE_SUBJECT, ATTACHMENT_SUBJECT, HTML_SUBJECT]


def test_folder_tree_shows_unread_counts_inbox_first(make_window, mailbox) -> None:
    window = make_window()
    assert window.folders.topLevelItem(0).text(0) == "All Inboxes (2)"
    top = window.folders.topLevelItem(1)
    assert top.text(0) == "ada@example.org"
    assert [top.child(i).text(0) for i in range(top.childCount())] == ["Inbox (2)", "Sent"]
    assert top.child(0).font(0).bold()


def test_choosing_a_folder_shows_its_messages(make_window, mailbox) -> None:
    window = make_window()
    window.folders.setCurrentItem(window.folders.folder_item("ada@example.org", "Sent"))
    assert subjects(window) == []
    window.folders.setCurrentItem(window.folders.folder_item("ada@example.org", None))
    assert len(subjects(window)) == 3


def test_selecting_a_row_shows_the_message(make_window, mailbox) -> None:
    window = make_window()
    select(window, UNICODE_SUBJECT)
    reader = window.reader
    assert reader.subject.text() == UNICODE_SUBJECT
    assert reader.fields["From"].text() == "Charles Babbage <charles@example.net>"
    assert "viele Grüße aus Köln!" in reader.body_text()
    select(window, ATTACHMENT_SUBJECT)
    assert not reader.attachment_row.isHidden()
    assert "report.pdf" in reader.attachments.text()
    assert "2.7 KB" in reader.attachments.text()


def test_html_mail_loads_nothing_remote_and_runs_no_script(make_window, mailbox,
                                                            monkeypatch) -> None:
    requested: list[str] = []
    original = SafeBrowser.loadResource

    def spy(self, kind, url):
        requested.append(QUrl(url).toString())
        return original(self, kind, url)

    monkeypatch.setattr(SafeBrowser, "loadResource", spy)
    window = make_window()
    select(window, HTML_SUBJECT)
    body = window.reader.body
    body.grab()  # lay out and paint: images would be requested now
    text = body.toPlainText()
    assert "Spring is here." in text
    assert "SCRIPT RAN" not in text and "document.write" not in text
    assert "tracker.example" not in body.toHtml()
    assert not window.reader.blocked.isHidden()  # the user is told why
    assert not [url for url in requested if "tracker" in url]
    answer = body.loadResource(QTextDocument.ResourceType.ImageResource,
                               QUrl("http://tracker.example/pixel.gif"))
    assert answer.isEmpty()


def test_keyboard_moves_through_the_list(make_window, mailbox, qtbot) -> None:
    window = make_window()
    select(window, UNICODE_SUBJECT)
    window.messages.setFocus()
    qtbot.keyClick(window.messages, Qt.Key.Key_Down)
    assert window.reader.subject.text() == ATTACHMENT_SUBJECT


def test_no_account_says_so_in_the_status_bar(make_window) -> None:
    window = make_window()
    assert "No account yet" in window.statusBar().currentMessage()
    window.get_mail_action.trigger()
    assert "Add Account" in window.statusBar().currentMessage()
    assert window.reader.placeholder.isVisible()


def test_get_mail_reports_errors_in_plain_words(make_window, mailbox, monkeypatch,
                                                qtbot) -> None:
    window = make_window()

    async def refused(name: str, progress=None):
        await asyncio.sleep(0)
        raise AuthenticationError("imap: the IMAP server refused the user name or password")

    monkeypatch.setattr(window.service, "sync", refused)
    with qtbot.waitSignal(window.get_mail.finished):
        window.get_mail_action.trigger()
        assert window.busy.isVisible()
        assert "Getting mail for ada@example.org" in window.statusBar().currentMessage()
    message = window.statusBar().currentMessage()
    assert "refused the user name or password" in message
    assert "ada@example.org" in message
    assert not window.busy.isVisible()
    assert window.get_mail_action.isEnabled()


def test_get_mail_refreshes_counts_and_list(make_window, mailbox, monkeypatch, qtbot,
                                            service, make_raw) -> None:
    window = make_window()
    select(window, ATTACHMENT_SUBJECT)

    async def fake_sync(name: str, progress=None):
        folder = service.store.ensure_folder(name, "INBOX", "inbox")
        raw = make_raw("Fresh news", when=datetime(2024, 3, 5, tzinfo=UTC))
        service.store.add_message(account=name, folder_id=folder, raw=raw, flags=[],
                                  uidvalidity=1, uid=9)
        return SyncReport(name, new=1, folders=["INBOX"]), FlushReport([], [])

    monkeypatch.setattr(service, "sync", fake_sync)
    with qtbot.waitSignal(window.get_mail.finished):
        window.get_mail_action.trigger()
    assert window.statusBar().currentMessage() == "1 new message."
    assert subjects(window)[0] == "Fresh news"
    assert window.folders.folder_item("ada@example.org", "INBOX").text(0) == "Inbox (3)"
    assert window.messages.current_id() == mailbox[ATTACHMENT_SUBJECT]  # selection kept
    assert window.reader.subject.text() == ATTACHMENT_SUBJECT
    QApplication.processEvents()


def test_new_mail_shows_while_a_long_sync_goes_on(make_window, mailbox, monkeypatch, qtbot,
                                                  service, make_raw) -> None:
    window = make_window()
    release: concurrent.futures.Future[None] = concurrent.futures.Future()

    async def long_sync(name: str, progress=None):
        folder = service.store.ensure_folder(name, "INBOX", "inbox")
        raw = make_raw("Fresh news", when=datetime(2024, 3, 5, tzinfo=UTC))
        service.store.add_message(account=name, folder_id=folder, raw=raw, flags=[],
                                  uidvalidity=1, uid=9)
        progress("INBOX", 1)  # on the loop thread, as the real sync calls it
        await asyncio.wrap_future(release)  # the rest of a long first sync
        return SyncReport(name, new=1, folders=["INBOX"]), FlushReport([], [])

    monkeypatch.setattr(service, "sync", long_sync)
    window.get_mail_action.trigger()
    qtbot.waitUntil(lambda: subjects(window)[:1] == ["Fresh news"])
    assert window.get_mail.running  # before the sync ends
    assert window.folders.folder_item("ada@example.org", "INBOX").text(0) == "Inbox (3)"
    assert "1 new message so far" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.get_mail.finished):
        release.set_result(None)
    assert window.statusBar().currentMessage() == "1 new message."


def test_sync_progress_refreshes_at_most_every_interval(service, account, bridge, monkeypatch,
                                                        qtbot) -> None:
    get_mail = GetMail(service, bridge, refresh_ms=300)
    release: concurrent.futures.Future[None] = concurrent.futures.Future()
    refreshes: list[None] = []
    get_mail.mail_stored.connect(lambda: refreshes.append(None))

    async def busy_sync(name: str, progress=None):
        for count in range(1, 51):
            progress("INBOX", count)
        await asyncio.wrap_future(release)
        return SyncReport(name, new=50), FlushReport([], [])

    monkeypatch.setattr(service, "sync", busy_sync)
    get_mail.start()
    qtbot.waitUntil(lambda: len(refreshes) == 2)  # the first at once, the rest in one
    with qtbot.waitSignal(get_mail.finished):
        release.set_result(None)
    assert len(refreshes) == 2


def test_actions_and_shortcuts(make_window) -> None:
    window = make_window()
    assert window.get_mail_action.shortcut().toString() == "F5"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.add_account_action.text() == "&Add Account…"
    window.quit_action.trigger()
    assert not window.isVisible()


def test_add_account_opens_one_dialog(make_window, account) -> None:
    window = make_window()
    window.add_account_action.trigger()
    dialog = window.account_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.entries.quick_setup() is dialog  # a second click raises the same dialog
    dialog.reject()
    assert window.account_dialog is None


def test_mail_is_checked_periodically(make_window) -> None:
    window = make_window()
    assert window.poll_timer.isActive()
    minutes = window.service.accounts.settings.sync_interval_minutes
    assert window.poll_timer.interval() == minutes * 60_000
