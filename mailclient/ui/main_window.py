"""The main window: folder tree, message list and reading pane, with Get Mail and search."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QWidget,
)

from mailclient.core.errors import MailError
from mailclient.core.message_parse import view_message
from mailclient.services.mail_service import MailService
from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.bridge import Bridge
from mailclient.ui.folder_tree import FolderTree
from mailclient.ui.get_mail import GetMail
from mailclient.ui.icons import icon
from mailclient.ui.inbox_watchers import InboxWatchers
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list import MessageListModel, MessageListView
from mailclient.ui.reader import ReaderPane
from mailclient.ui.search_box import SearchBox, describe_results, search_store

log = logging.getLogger(__name__)
NO_ACCOUNT = "No account yet: choose Add Account… to set one up."
SEARCH_LIMIT = 500


class MainWindow(QMainWindow):
    """The first window of the app; reads the store on the GUI thread through its own
    connection and runs everything that touches the network through the bridge."""

    def __init__(self, service: MailService, bridge: Bridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self.reader_store = service.open_reader()
        self.account_dialog: AccountDialog | None = None
        self._shown_id: str | None = None
        self._several_accounts = False
        self.setWindowTitle("mailclient")
        self.setWindowIcon(icon("app"))
        self.resize(1100, 700)

        self.folders = FolderTree()
        self.model = MessageListModel(self.reader_store, parent=self)
        self.messages = MessageListView(self.model)
        self.reader = ReaderPane()
        self.search_box = SearchBox()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.messages)
        right.addWidget(self.reader)
        right.setStretchFactor(1, 1)
        right.setSizes([260, 420])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.folders)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([230, 870])
        for splitter in (main, right):
            splitter.setChildrenCollapsible(False)
        self.setCentralWidget(main)

        self.get_mail = GetMail(service, bridge, self)
        self._build_actions()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)

        self.folders.scope_selected.connect(self._scope_selected)
        self.folders.itemClicked.connect(self._folder_clicked)
        self.search_box.search_requested.connect(self.search)
        self.search_box.search_cleared.connect(self._search_cleared)
        self.search_box.dismissed.connect(self.messages.setFocus)
        self.messages.message_selected.connect(self.show_message)
        self.get_mail.progress.connect(self._sync_progress)
        self.get_mail.account_synced.connect(lambda _name: self.refresh())
        self.get_mail.finished.connect(self._sync_finished)
        self.get_mail.password_needed.connect(self._ask_password)
        self.bridge.failed.connect(self.statusBar().showMessage)
        self.inbox_watchers = InboxWatchers(service, bridge, self)
        queued = Qt.ConnectionType.QueuedConnection
        self.inbox_watchers.changed.connect(self._inbox_changed, queued)
        self.inbox_watchers.stopped.connect(self._watch_stopped, queued)
        self.refresh()
        self.messages.setFocus()  # arrow keys move through the list at once
        self.inbox_watchers.start()

    def _build_actions(self) -> None:
        self.get_mail_action = QAction(icon("get-mail"), "&Get Mail", self)
        self.get_mail_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.get_mail_action.setToolTip("Get new mail for every account (F5)")
        self.get_mail_action.triggered.connect(self.start_get_mail)
        self.add_account_action = QAction(icon("add-account"), "&Add Account…", self)
        self.add_account_action.triggered.connect(lambda: self.add_account())
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.find_action = QAction(icon("search"), "&Search Messages", self)
        self.find_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
        self.find_action.triggered.connect(self.search_box.focus_for_typing)
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.get_mail_action)
        menu.addAction(self.add_account_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        self.menuBar().addMenu("&Edit").addAction(self.find_action)
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.get_mail_action)
        toolbar.addAction(self.add_account_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search_box)
        self.addToolBar(toolbar)

    # showing the store --------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read accounts, folder counts and the list (or search), keeping the selection."""
        names = [a.name for a in self.service.accounts.accounts()]
        self._several_accounts = len(names) > 1
        try:
            folders = self.reader_store.folders()
        except MailError as exc:
            self.statusBar().showMessage(str(exc))
            folders = []
        before = self.folders.current_scope()
        self.folders.reload(names, folders)  # emits scope_selected if the choice changed
        if self.folders.current_scope() == before:
            current = self._shown_id
            if self.model.query is not None:
                self._show_results(self.model.query, keep_status=True)
            else:
                self.model.reload(keep_rows=self.model.rowCount())
            if not self.messages.select_id(current):
                self.show_message(None)
        self._update_columns()
        if not names:
            self.statusBar().showMessage(NO_ACCOUNT)

    def _scope_selected(self, scope: ListScope | None) -> None:
        if self.model.query is not None:  # choosing a folder leaves the search
            self.search_box.reset()
            self.statusBar().clearMessage()
            self.folders.set_choice_shown(True)
        self.model.set_scope(scope)
        self._update_columns()
        self.show_message(None)

    def _folder_clicked(self) -> None:
        if self.model.query is not None:  # a click on the folder already chosen
            self._scope_selected(self.folders.current_scope())

    def _update_columns(self) -> None:
        self.messages.show_columns(account=self._several_accounts and self.model.spans_accounts,
                                   folder=self.model.spans_folders)

    # search -------------------------------------------------------------------------
    def search(self, query: str) -> None:
        """Show the stored messages matching ``query`` (the language of ``mailclient
        search``); a query that cannot be understood is explained in the status bar."""
        current = self._shown_id
        if self._show_results(query) and not self.messages.select_id(current):
            self.show_message(None)

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
        self._update_columns()
        if not keep_status:
            self.statusBar().showMessage(describe_results(len(rows), query, SEARCH_LIMIT))
        return True

    def _search_cleared(self) -> None:
        current = self._shown_id
        self.statusBar().clearMessage()
        self.folders.set_choice_shown(True)
        self.model.set_scope(self.folders.current_scope())
        self._update_columns()
        if not self.messages.select_id(current):
            self.show_message(None)

    def show_message(self, ident: str | None) -> None:
        """Show message ``ident`` in the reading pane (None: the placeholder)."""
        if ident == self._shown_id and ident is not None:
            return
        self._shown_id = ident
        if ident is None:
            self.reader.clear()
            return
        try:
            raw = self.reader_store.raw(ident)
        except MailError as exc:
            self.reader.clear(f"This message cannot be shown: {exc}")
            return
        self.reader.show_message(view_message(raw), raw)

    # actions ------------------------------------------------------------------------
    def start_get_mail(self) -> None:
        if not self.service.accounts.accounts():
            self.statusBar().showMessage(NO_ACCOUNT)
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
        self.statusBar().showMessage(f"{name}: new mail is no longer checked: {reason}")

    def _ask_password(self, name: str) -> None:
        password, ok = QInputDialog.getText(
            self, "Password needed", f"Password for {name} (kept for this session):",
            QLineEdit.EchoMode.Password)
        if ok and password:
            self.service.secrets.remember(name, password)
            self.get_mail.start([name])
            self.inbox_watchers.start()

    def add_account(self, *, first_run: bool = False) -> AccountDialog:
        """Open the account dialog (window-modal, not blocking); return it."""
        if self.account_dialog is not None:
            self.account_dialog.raise_()
            self.account_dialog.activateWindow()
            return self.account_dialog
        dialog = AccountDialog(self.service, self.bridge, self, first_run=first_run)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.account_added.connect(self._account_added)
        dialog.finished.connect(self._dialog_closed)
        self.account_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, _result: int) -> None:
        self.account_dialog = None

    def _account_added(self, name: str) -> None:
        self.refresh()
        self.statusBar().showMessage(f"Account {name} added; getting its mail…")
        self.get_mail.start([name])

    def bring_to_front(self) -> None:
        """Show and raise the window (a second launch asked for it)."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.get_mail.cancel()
        self.inbox_watchers.stop()
        if self.account_dialog is not None:
            self.account_dialog.reject()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Release the window's store connection (after the bridge has stopped)."""
        self.get_mail.cancel()
        self.inbox_watchers.stop()
        self.reader_store.db.close()
