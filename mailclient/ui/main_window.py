"""The main window: folder tree, message list and reading pane, with Get Mail and search."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

from mailclient.core.errors import MailError
from mailclient.services.mail_service import MailService
from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.bridge import Bridge
from mailclient.ui.conversation_pane import ConversationPane
from mailclient.ui.folder_tree import FolderTree
from mailclient.ui.get_mail import GetMail
from mailclient.ui.i18n import QT_TRANSLATE_NOOP, tr
from mailclient.ui.icons import icon
from mailclient.ui.inbox_watchers import InboxWatchers
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_actions import MessageActions
from mailclient.ui.message_display import MessageDisplay
from mailclient.ui.message_list import MessageListModel
from mailclient.ui.message_list_view import MessageListView
from mailclient.ui.read_marker import MARK_READ_MS, ReadMarker
from mailclient.ui.search_box import SearchBox, describe_results, search_store
from mailclient.ui.server_push import ServerPush
from mailclient.ui.timers import repeating
from mailclient.ui.window_comforts import WindowComforts
from mailclient.ui.window_entries import WindowEntries
from mailclient.ui.window_layout import WindowActions, build_menus, busy_indicator, panes

log = logging.getLogger(__name__)
NO_ACCOUNT = QT_TRANSLATE_NOOP("mailclient",
                               "No account yet: choose Add Account… to set one up.")
SEARCH_LIMIT = 500


class MainWindow(QMainWindow):
    """The first window of the app; reads the store on the GUI thread through its own
    connection (and makes the user's changes through it), and runs everything that touches
    the network through the bridge. ``mark_read_ms``: how long a message stays shown before
    it is marked read."""

    def __init__(self, service: MailService, bridge: Bridge, parent: QWidget | None = None,
                 *, mark_read_ms: int = MARK_READ_MS, check_now: bool = False) -> None:
        """``check_now``: get mail at once (at start-up); later every
        ``sync_interval_minutes`` of the settings (all folders; the inbox watch is live)."""
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self.reader_store = service.open_reader()
        self.account_dialog: QDialog | None = None  # adding an account: one dialog at a time
        self._several_accounts = False
        self.setWindowTitle("mailclient")
        self.setWindowIcon(icon("app"))
        self.resize(1100, 700)
        self.folders = FolderTree()
        self.model = MessageListModel(self.reader_store, parent=self)
        self.messages = MessageListView(self.model)
        self.reading = ConversationPane()
        self.reader = self.reading.reader
        self.search_box = SearchBox()
        self.setCentralWidget(panes(self.folders, self.messages, self.reading))
        self.get_mail = GetMail(service, bridge, self)
        self.push = ServerPush(service, bridge, self)
        self.display = MessageDisplay(self.reader_store, service, bridge, self.reading, self)
        self.read_marker = ReadMarker(mark_read_ms, self)
        self.message_actions = MessageActions(self.messages, self.reader_store,
                                              service.accounts, self.push, self)
        self.comforts = WindowComforts(self)  # folders, Archive/Junk, notices, layout
        own = self.window_actions = WindowActions(self)
        self.get_mail_action, self.add_account_action = own.get_mail, own.add_account
        self.quit_action, self.find_action, self.group_action = own.quit, own.find, own.group
        self.compose = own.compose  # Write, Reply, Reply All, Forward; Undo of a send
        self.menus = build_menus(self, own, self.message_actions, self.search_box, self.comforts)
        self.entries = WindowEntries(self, self.menus)  # settings, reader actions, drafts
        self.busy = busy_indicator(self)
        self.inbox_watchers = InboxWatchers(service, bridge, self)
        self._connect_signals()
        self.refresh()
        self.comforts.restore()
        self.messages.setFocus()  # arrow keys move through the list at once
        self.inbox_watchers.start_soon()  # after the first paint (the keyring is slow)
        minutes = max(service.accounts.settings.sync_interval_minutes, 1)
        self.poll_timer = repeating(self, minutes * 60_000, self.start_get_mail)
        if check_now:
            QTimer.singleShot(0, self.start_get_mail)

    def _connect_signals(self) -> None:
        own, status = self.window_actions, self.statusBar()
        own.get_mail.triggered.connect(self.start_get_mail)
        own.add_account.triggered.connect(lambda: self.entries.quick_setup())
        own.quit.triggered.connect(self.close)
        own.find.triggered.connect(self.search_box.focus_for_typing)
        own.group.toggled.connect(self._set_grouped)
        self.folders.scope_selected.connect(self._scope_selected)
        self.folders.itemClicked.connect(self._folder_clicked)
        self.search_box.search_requested.connect(self.search)
        self.search_box.search_cleared.connect(self._search_cleared)
        self.search_box.dismissed.connect(self.messages.setFocus)
        self.messages.row_selected.connect(self._row_selected)
        self.display.opened.connect(self.read_marker.shown)
        self.display.body_downloaded.connect(lambda ident: self.model.update_messages([ident]))
        self.read_marker.due.connect(self.message_actions.mark_read)
        self.message_actions.flags_changed.connect(self.flags_changed)
        self.message_actions.messages_removed.connect(lambda key: self.refresh(select=key))
        self.message_actions.note.connect(status.showMessage)
        self.push.deferred.connect(status.showMessage)
        self.get_mail.progress.connect(self._sync_progress)
        self.get_mail.mail_stored.connect(self.refresh)
        self.get_mail.account_synced.connect(lambda _name: self.refresh())
        self.get_mail.finished.connect(self._sync_finished)
        self.bridge.failed.connect(status.showMessage)
        queued = Qt.ConnectionType.QueuedConnection
        self.inbox_watchers.changed.connect(self._inbox_changed, queued)
        self.inbox_watchers.stopped.connect(self._watch_stopped, queued)

    # showing the store --------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Re-read accounts, folder counts and the list (or search), keeping the selection
        (or choosing the row of key ``select``) and the scroll position."""
        keys = [select] if select else self.messages.selected_keys()
        current = select or self.display.shown_key
        scrolled = self.messages.verticalScrollBar().value()
        if self._reload_tree():
            if self.model.query is not None:
                self._show_results(self.model.query, keep_status=True)
            else:
                self.model.reload(keep_rows=self.model.rowCount())
            self.messages.verticalScrollBar().setValue(scrolled)
            if not self.messages.select_keys(keys, current):
                self._row_selected(None)
        self.update_columns()
        if not self.service.accounts.accounts():
            self.statusBar().showMessage(tr(NO_ACCOUNT))

    def _reload_tree(self) -> bool:
        """Re-read accounts and folder counts; True if the list shows the same scope still
        (else ``scope_selected`` has shown the new one)."""
        names = [a.name for a in self.service.accounts.accounts()]
        self._several_accounts = len(names) > 1
        try:
            folders = self.reader_store.folders()
        except MailError as exc:
            self.statusBar().showMessage(str(exc))
            folders = []
        before = self.folders.current_scope()
        self.folders.reload(names, folders)  # emits scope_selected if the choice changed
        return self.folders.current_scope() == before

    def _scope_selected(self, scope: ListScope | None) -> None:
        if self.model.query is not None:  # choosing a folder leaves the search
            self.search_box.reset()
            self.statusBar().clearMessage()
            self.folders.set_choice_shown(True)
        self.model.set_scope(scope)
        self.update_columns()
        self._row_selected(None)

    def _folder_clicked(self) -> None:
        if self.model.query is not None:  # a click on the folder already chosen
            self._scope_selected(self.folders.current_scope())

    def update_columns(self) -> None:
        self.messages.show_columns(account=self._several_accounts and self.model.spans_accounts,
                                   folder=self.model.spans_folders)

    def _set_grouped(self, grouped: bool) -> None:
        """Conversations or messages; the message in the reader stays chosen."""
        shown = self.display.shown_id
        self.model.set_grouped(grouped)
        if not self.messages.select_id(shown):
            self._row_selected(None)

    def _row_selected(self, key: str | None) -> None:
        row = None if key is None else self.model.row_of(key)
        if key is None or row is None:
            self.display.show(None)
            return
        thread = self.model.thread_row(row)
        self.display.show(key, self.model.message_row(row).id, thread.thread_id if thread else 0)

    def flags_changed(self, idents: list[str]) -> None:
        if self.model.update_messages(idents):
            self._reload_tree()  # the unread counts
        else:
            self.refresh()
        self.display.reload()

    # search -------------------------------------------------------------------------
    def search(self, query: str) -> None:
        """Show the stored messages matching ``query`` (the language of ``mailclient
        search``); a query that cannot be understood is explained in the status bar."""
        current = self.display.shown_id
        if self._show_results(query) and not self.messages.select_id(current):
            self._row_selected(None)

    def _show_results(self, query: str, *, keep_status: bool = False) -> bool:
        try:
            rows = search_store(self.reader_store, query, limit=SEARCH_LIMIT + 1)
        except MailError as exc:
            self.search_box.show_error(str(exc))
            self.statusBar().showMessage(str(exc))
            return False
        self.search_box.show_error(None)
        self.model.show_results(query, rows[:SEARCH_LIMIT])
        self.folders.set_choice_shown(False)  # the results come from every folder
        self.update_columns()
        if not keep_status:
            self.statusBar().showMessage(describe_results(len(rows), query, SEARCH_LIMIT))
        return True

    def _search_cleared(self) -> None:
        current = self.display.shown_id
        self.statusBar().clearMessage()
        self.folders.set_choice_shown(True)
        self.model.set_scope(self.folders.current_scope())
        self.update_columns()
        if not self.messages.select_id(current):
            self._row_selected(None)

    # actions ------------------------------------------------------------------------
    def start_get_mail(self) -> None:
        if not self.service.accounts.accounts():
            self.statusBar().showMessage(tr(NO_ACCOUNT))
            return
        self.get_mail.start()

    def _sync_progress(self, text: str) -> None:
        self.busy.show()
        self.get_mail_action.setEnabled(False)
        self.statusBar().showMessage(text)

    def _sync_finished(self, summary: str) -> None:
        self.busy.hide()
        self.get_mail_action.setEnabled(True)
        self.statusBar().showMessage(summary)

    def _inbox_changed(self, name: str) -> None:
        if name in self.inbox_watchers.accounts:  # not a late signal after stop()
            self.get_mail.start([name])

    def _watch_stopped(self, name: str, reason: str) -> None:
        self.statusBar().showMessage(tr("{name}: new mail is no longer checked: {reason}")
                                     .format(name=name, reason=reason))

    def add_account(self, *, first_run: bool = False) -> AccountDialog:
        """Open the full account form (window-modal, not blocking); return it."""
        if isinstance(self.account_dialog, AccountDialog):
            self.account_dialog.raise_()
            self.account_dialog.activateWindow()
            return self.account_dialog
        if self.account_dialog is not None:
            self.account_dialog.reject()  # the quick set-up gives way to the full form
        dialog = AccountDialog(self.service, self.bridge, self, first_run=first_run)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.account_added.connect(self.account_added)
        dialog.finished.connect(self.dialog_closed)
        self.account_dialog = dialog
        dialog.open()
        return dialog

    def dialog_closed(self, _result: int) -> None:
        self.account_dialog = None

    def account_added(self, name: str) -> None:
        self.refresh()
        self.statusBar().showMessage(tr("Account {name} added; getting its mail…").format(
            name=name))
        self.get_mail.start([name])

    def bring_to_front(self) -> None:
        """Show and raise the window (a second launch asked for it)."""
        (self.showNormal if self.isMinimized() else self.show)()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.comforts.save()
        self._stop_work()
        if self.account_dialog is not None:
            self.account_dialog.reject()
        super().closeEvent(event)

    def _stop_work(self) -> None:
        self.poll_timer.stop()
        self.entries.outbox_timer.stop()
        self.read_marker.cancel()
        self.display.cancel()
        self.get_mail.cancel()
        self.inbox_watchers.stop()

    def shutdown(self) -> None:
        """Release the window's store connection (after the bridge has stopped)."""
        self._stop_work()
        self.push.cancel()
        self.reader_store.db.close()
