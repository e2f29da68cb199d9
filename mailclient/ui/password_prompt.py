"""Asking again for a password a server refused (it was changed elsewhere), in place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import notice_style


class PasswordPrompt(QDialog):
    """Names the account and quotes the server; "Remember in keyring" is ticked.

    Signals:
        password_given(str, bool): the new password, and whether to keep it in the keyring.
    """

    password_given = Signal(str, bool)

    def __init__(self, account_name: str, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.account_name = account_name
        self.setWindowTitle(tr("Password for {account}").format(account=account_name))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("The password of the account {account} was not accepted.")
                       .format(account=account_name) if reason else
                       tr("No password is stored for the account {account}.")
                       .format(account=account_name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.reason = QLabel(reason[:1].upper() + reason[1:])
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(notice_style(self, "note"))
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setVisible(bool(reason))
        layout.addWidget(self.reason)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("New &password") if reason else tr("&Password"), self.password)
        self.remember = QCheckBox(tr("&Remember in keyring"))
        self.remember.setChecked(True)
        form.addRow("", self.remember)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("&Try Again"))
        self.ok_button.setEnabled(False)
        self.password.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def accept(self) -> None:
        if not self.password.text():
            return
        self.password_given.emit(self.password.text(), self.remember.isChecked())
        super().accept()


def ask_password(parent: QWidget | None, service: MailService, bridge: Bridge,
                 account_name: str, reason: str, on_stored: Callable[[], None],
                 on_failed: Callable[[str], None] | None = None) -> PasswordPrompt:
    """Open the prompt (window-modal, not blocking); once a password is given, store it
    through the secrets service (off the GUI thread) and call ``on_stored`` (retry then).

    ``reason``: the server's words ('' when no password is stored at all). ``on_failed``
    gets the problem in plain words if the keyring refused it (it is still used this run).
    """
    prompt = PasswordPrompt(account_name, reason, parent)
    prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    accounts = service.accounts  # the factory runs on the loop thread: no widgets

    def given(password: str, keep: bool) -> None:
        async def store() -> bool:
            return accounts.change_password(account_name, password, keep=keep)

        def stored(kept: object) -> None:
            if not kept and on_failed is not None:
                on_failed(tr("the password is kept for this session only: {problem}")
                          .format(problem=service.secrets.problem or ""))
            on_stored()

        def failed(failure: Failure) -> None:
            if on_failed is not None:
                on_failed(failure.message)

        bridge.run(store, stored, failed, key=account_name, label=tr("storing the password"))

    prompt.password_given.connect(given)
    prompt.open()
    return prompt
