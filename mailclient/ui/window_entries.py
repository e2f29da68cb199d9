"""Entries added once the menus exist: Account Settings, the reader's Print/Save/Unsubscribe,
Open Message File, drafts opened from a Drafts folder, and the outbox timer (send later)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

from mailclient.core.errors import CertificateError, MailError
from mailclient.services.outbox import Outbox
from mailclient.ui.account_settings import AccountSettingsDialog, open_account_settings
from mailclient.ui.certificate_dialog import ask_certificate_trust
from mailclient.ui.eml_window import MessageFileOpener
from mailclient.ui.i18n import tr
from mailclient.ui.mailto_handler import open_mailto
from mailclient.ui.outbox_timer import OutboxTimer
from mailclient.ui.quick_setup import ManualStart, QuickSetupDialog

if TYPE_CHECKING:
    from mailclient.ui.main_window import MainWindow

LINK_NOTE_MS = 5000


class WindowEntries:
    """Adds the entries to ``menus`` (by name, as ``build_menus`` returns them) and connects
    the reader's notes to the status bar."""

    def __init__(self, window: MainWindow, menus: dict[str, QMenu]) -> None:
        self.window = window
        self.settings: AccountSettingsDialog | None = None
        status, reading = window.statusBar(), window.display.reader_actions
        self.settings_action = QAction(tr("Account &Settings…"), window)
        self.settings_action.triggered.connect(self.open_settings)
        menus["edit"].addSeparator()
        menus["edit"].addAction(self.settings_action)  # where Thunderbird has it
        self.file_opener = MessageFileOpener(window, window.bridge, window.service.accounts)
        file_menu = menus["file"]
        file_menu.insertActions(window.quit_action, [
            self.file_opener.action, reading.save_action, reading.print_action])
        file_menu.insertSeparator(window.quit_action)
        menus["message"].addSeparator()
        menus["message"].addAction(reading.unsubscribe_action)
        window.display.images.note.connect(status.showMessage)
        reading.note.connect(status.showMessage)
        window.reader.link_hovered.connect(lambda url: status.showMessage(url, LINK_NOTE_MS))
        reading.on_compose = self.compose_unsubscribe
        window.messages.activated.connect(self.row_activated)
        window.get_mail.password_needed.connect(window.get_mail.ask_password)
        window.get_mail.password_changed.connect(lambda _name: window.inbox_watchers.start())
        window.get_mail.certificate_refused.connect(self.ask_trust)
        self.outbox_timer = OutboxTimer(Outbox(window.reader_store.db), window.service,
                                        window.bridge, window)  # send later, retries
        self.outbox_timer.note.connect(status.showMessage)
        window.compose.scheduled.connect(self.outbox_timer.schedule)
        window.get_mail.finished.connect(lambda _summary: self.outbox_timer.schedule())
        self.outbox_timer.schedule()
        self.asking: set[str] = set()  # host:port whose certificate dialog is open

    def open_settings(self) -> AccountSettingsDialog:
        """Show Account Settings (one at a time); the window follows what it changes."""
        if self.settings is not None:
            self.settings.raise_()
            self.settings.activateWindow()
            return self.settings
        window = self.window
        dialog = self.settings = open_account_settings(window, window.service, window.bridge)
        dialog.accounts_changed.connect(lambda: window.refresh())
        dialog.account_added.connect(lambda name: window.get_mail.start([name]))
        dialog.finished.connect(self._settings_closed)
        return dialog

    def quick_setup(self, *, first_run: bool = False) -> QDialog:
        """Add an account from name, address and password (the full form one click away);
        one account dialog at a time."""
        window = self.window
        if window.account_dialog is not None:
            window.account_dialog.raise_()
            window.account_dialog.activateWindow()
            return window.account_dialog
        dialog = QuickSetupDialog(window.service, window.bridge, window, first_run=first_run)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.account_added.connect(window.account_added)
        dialog.manual_requested.connect(lambda start: self._manual(start, first_run))
        dialog.finished.connect(window.dialog_closed)
        window.account_dialog = dialog
        dialog.open()
        return dialog

    def _manual(self, start: ManualStart, first_run: bool) -> None:
        form = self.window.add_account(first_run=first_run)
        form.display_name.setText(start.display_name)
        form.email.setText(start.email)  # fills in a known provider too
        form.password.setText(start.password)
        form.incoming_kind.setCurrentIndex(max(form.incoming_kind.findData(
            start.incoming_kind), 0))
        if start.incoming is not None:
            form.incoming.set_config(start.incoming)
        if start.outgoing is not None:
            form.outgoing.set_config(start.outgoing)

    def _settings_closed(self, _result: int) -> None:
        self.settings = None

    def ask_trust(self, name: str, error: CertificateError) -> None:
        """Get Mail met an untrusted certificate: show it; trusted once or always, get the
        account's mail again."""
        where = f"{error.host}:{error.port}"
        if where in self.asking:
            return
        self.asking.add(where)

        def decided(decision: str) -> None:
            self.asking.discard(where)
            if decision in ("once", "always"):
                self.window.get_mail.start([name])

        ask_certificate_trust(self.window, self.window.service, error, name, decided)

    def compose_unsubscribe(self, url: str) -> None:
        """The mailto: of a List-Unsubscribe, as a message to write (read as any mailto:
        link: one that would add headers is refused)."""
        open_mailto(self.window, url)

    def row_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Enter or a double click on a message of a Drafts folder goes on writing it."""
        window = self.window
        try:
            row = window.model.message_row(index.row())
            folder = window.reader_store.folder(row.account, row.folder)
        except (MailError, IndexError):
            return
        if folder.role == "drafts":
            window.compose.edit_stored_draft(row.id)
