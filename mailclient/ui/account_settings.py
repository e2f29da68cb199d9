"""Account Settings: the accounts (add, edit, remove) and the identities of each."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.account import Account, Identity
from mailclient.core.errors import MailError
from mailclient.services.mail_service import MailService
from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import tr
from mailclient.ui.identity_editor import IdentityDialog
from mailclient.ui.notice_style import notice_style


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.setToolTip(tip)
    return button


def _column(list_widget: QListWidget, *buttons: QPushButton) -> QGridLayout:
    grid = QGridLayout()
    grid.addWidget(list_widget, 0, 0, len(buttons) + 1, 1)
    for row, button in enumerate(buttons):
        grid.addWidget(button, row, 1)
    grid.setRowStretch(len(buttons), 1)
    return grid


class AccountSettingsDialog(QDialog):
    """Lists the accounts; Add, Edit and Remove them; edit the identities of the selected one.

    Every change is saved at once, off the GUI thread.

    Signals:
        accounts_changed(): an account was added, changed or removed (refresh what shows it).
        account_added(str): a new account was saved (get its mail).
    """

    accounts_changed = Signal()
    account_added = Signal(str)

    def __init__(self, service: MailService, bridge: Bridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.bridge = service, bridge
        self.form: AccountDialog | None = None
        self.editor: IdentityDialog | None = None
        self.confirm: QMessageBox | None = None
        self.setWindowTitle(tr("Account Settings"))
        self.resize(620, 480)
        layout = QVBoxLayout(self)
        box = QGroupBox(tr("Accounts"))
        self.account_list = QListWidget()
        self.account_list.setAccessibleName(tr("Accounts"))
        self.add_button = _button(tr("&Add…"), tr("Set up another account"))
        self.edit_button = _button(tr("&Edit…"), tr("Change the servers, name or password"))
        self.remove_button = _button(tr("&Remove…"),
                                     tr("Remove the account, its password and its mail here"))
        box.setLayout(_column(self.account_list, self.add_button, self.edit_button,
                              self.remove_button))
        layout.addWidget(box, 1)
        self.identity_box = QGroupBox(tr("Identities"))
        self.identity_list = QListWidget()
        self.identity_list.setAccessibleName(tr("Identities"))
        self.add_identity_button = _button(tr("A&dd Identity…"),
                                           tr("Send as another address of this account"))
        self.edit_identity_button = _button(tr("Edit &Identity…"),
                                            tr("Change the name, Reply-To or signature"))
        self.remove_identity_button = _button(tr("Remove Iden&tity"), tr("Remove this alias"))
        self.identity_box.setLayout(_column(
            self.identity_list, self.add_identity_button, self.edit_identity_button,
            self.remove_identity_button))
        layout.addWidget(self.identity_box, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.account_list.currentRowChanged.connect(lambda _row: self._show_identities())
        self.account_list.itemActivated.connect(lambda _item: self.edit_account())
        self.identity_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.identity_list.itemActivated.connect(lambda _item: self.edit_identity())
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.remove_button.clicked.connect(self.remove_account)
        self.add_identity_button.clicked.connect(self.add_identity)
        self.edit_identity_button.clicked.connect(self.edit_identity)
        self.remove_identity_button.clicked.connect(self.remove_identity)

    # showing ------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Re-read the accounts, keeping (or moving to) ``select``."""
        keep = select or self.selected_name()
        self.account_list.clear()
        for account in self.service.accounts.accounts():
            item = QListWidgetItem(f"{account.name} — {account.email}"
                                   if account.name != account.email else account.name)
            item.setData(Qt.ItemDataRole.UserRole, account.name)
            self.account_list.addItem(item)
            if account.name == keep:
                self.account_list.setCurrentItem(item)
        if self.account_list.currentRow() < 0 and self.account_list.count():
            self.account_list.setCurrentRow(0)
        self._show_identities()

    def selected_name(self) -> str | None:
        item = self.account_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def selected_account(self) -> Account | None:
        name = self.selected_name()
        try:
            return self.service.accounts.get(name) if name is not None else None
        except MailError:
            return None

    def _show_identities(self) -> None:
        account = self.selected_account()
        self.identity_list.clear()
        if account is not None:
            self.identity_box.setTitle(tr("Identities of {account}").format(account=account.name))
            for number, identity in enumerate(account.all_identities()):
                text = identity.label if number else tr("{identity} (the account's own)").format(
                    identity=identity.label)
                if identity.reply_to:
                    text += "  " + tr("Reply-To {address}").format(address=identity.reply_to)
                self.identity_list.addItem(text)
                self.identity_list.item(number).setToolTip(text)
            self.identity_list.setCurrentRow(0)
        else:
            self.identity_box.setTitle(tr("Identities"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_account = self.selected_name() is not None
        for button in (self.edit_button, self.remove_button, self.add_identity_button):
            button.setEnabled(has_account)
        row = self.identity_list.currentRow()
        self.edit_identity_button.setEnabled(has_account and row >= 0)
        self.remove_identity_button.setEnabled(has_account and row > 0)

    def show_status(self, text: str, *, error: bool = False) -> None:
        """Say what happened (or went wrong) under the lists; '' hides it."""
        self.status.setStyleSheet(notice_style(self, "error" if error else "plain"))
        self.status.setText(text[:1].upper() + text[1:])
        self.status.setVisible(bool(text))

    # accounts -----------------------------------------------------------------------
    def add_account(self) -> AccountDialog:
        """Open the account form for a new account."""
        form = self._open_form(None)
        form.account_added.connect(self.account_added)
        return form

    def edit_account(self) -> AccountDialog | None:
        """Open the account form on the selected account."""
        account = self.selected_account()
        return self._open_form(account) if account is not None else None

    def _open_form(self, account: Account | None) -> AccountDialog:
        form = AccountDialog(self.service, self.bridge, self, account=account)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.account_added.connect(self._account_saved)
        form.account_changed.connect(self._account_saved)
        form.finished.connect(lambda _result: setattr(self, "form", None))
        self.form = form
        form.open()
        return form

    def _account_saved(self, name: str) -> None:
        self.refresh(select=name)
        self.show_status(tr("Account {name} saved.").format(name=name))
        self.accounts_changed.emit()

    def remove_account(self) -> QMessageBox | None:
        """Ask, then remove the selected account with its password and its mail here."""
        name = self.selected_name()
        if name is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, tr("Remove Account"),
                          tr("Remove the account {name}?").format(name=name),
                          QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(tr("Its password and the mail kept on this computer are "
                                  "deleted. The mail on the server is left alone."))
        remove = box.addButton(tr("&Remove"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        remove.clicked.connect(lambda: self._remove(name))
        self.confirm = box
        box.open()
        return box

    def _remove(self, name: str) -> None:
        service = self.service  # the factory runs on the loop thread: no widgets

        async def remove() -> Account:
            return service.remove_account(name)

        self.remove_button.setEnabled(False)
        self.bridge.run(remove, lambda _gone: self._removed(name), self._failed, key=name,
                        label=tr("removing the account"))

    def _removed(self, name: str) -> None:
        self.refresh()
        self.show_status(tr("Account {name} removed.").format(name=name))
        self.accounts_changed.emit()

    def _failed(self, failure: Failure) -> None:
        self._update_buttons()
        self.show_status(failure.message, error=True)

    # identities ---------------------------------------------------------------------
    def add_identity(self) -> IdentityDialog | None:
        """Open the identity form for a new alias of the selected account."""
        return self._open_editor(None)

    def edit_identity(self) -> IdentityDialog | None:
        """Open the identity form on the selected identity."""
        account = self.selected_account()
        row = self.identity_list.currentRow()
        if account is None or row < 0:
            return None
        return self._open_editor(row)

    def _open_editor(self, row: int | None) -> IdentityDialog | None:
        account = self.selected_account()
        if account is None:
            return None
        identity = account.all_identities()[row] if row is not None else None
        editor = IdentityDialog(identity, self, main=row == 0)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.accepted.connect(lambda: self._identity_edited(account, row, editor.identity()))
        editor.finished.connect(lambda _result: setattr(self, "editor", None))
        self.editor = editor
        editor.open()
        return editor

    def _identity_edited(self, account: Account, row: int | None, identity: Identity) -> None:
        self.save_account(account.with_identity(row, identity))

    def remove_identity(self) -> None:
        """Remove the selected alias (the account's own address stays)."""
        account = self.selected_account()
        row = self.identity_list.currentRow()
        if account is not None and row >= 1:
            self.save_account(account.without_identity(row))

    def save_account(self, account: Account) -> None:
        """Save changed identities of ``account`` (no login check, the password kept)."""
        try:
            account.validate()
        except MailError as exc:
            self.show_status(str(exc), error=True)
            return
        accounts = self.service.accounts  # the factory runs on the loop thread: no widgets
        self.bridge.run(lambda: accounts.update(account, None, verify=False),
                        lambda _stored: self._account_saved(account.name), self._failed,
                        key=account.name, label=tr("saving the identities"))


def open_account_settings(parent: QWidget, service: MailService,
                          bridge: Bridge) -> AccountSettingsDialog:
    """Open Account Settings over ``parent`` (window-modal, not blocking); return it."""
    dialog = AccountSettingsDialog(service, bridge, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
