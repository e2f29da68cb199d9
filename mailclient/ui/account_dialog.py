"""The account dialog: identity and servers, validated inline, saved without freezing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.server_fields import ServerFields

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #6b4e00; background: #fff4d6; padding: 6px; border-radius: 4px;"


class AccountDialog(QDialog):
    """Asks for a new account; ``account_added(name)`` is emitted once it is saved."""

    account_added = Signal(str)

    def __init__(self, service: MailService, bridge: Bridge, parent: QWidget | None = None,
                 *, first_run: bool = False) -> None:
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self.operation: Operation | None = None
        self.saved_name: str | None = None
        self.setWindowTitle("Add Account" if not first_run else "Welcome to mailclient")
        self.setMinimumWidth(540)
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel("Set up your e-mail account to start reading your mail.")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addWidget(self._identity_box())
        layout.addWidget(self._servers_box())
        layout.addWidget(self._options_box())
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()
        layout.addWidget(self.busy)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.buttons)
        self.email.setFocus()

    # building -----------------------------------------------------------------------
    def _identity_box(self) -> QGroupBox:
        box = QGroupBox("You")
        form = QFormLayout(box)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("Ada Lovelace")
        self.email = QLineEdit()
        self.email.setPlaceholderText("ada@example.org")
        self.email.textChanged.connect(self._email_changed)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.account_name = QLineEdit()
        self.account_name.setPlaceholderText("the e-mail address")
        form.addRow("Your &name", self.display_name)
        form.addRow("&E-mail address", self.email)
        form.addRow("&Password", self.password)
        form.addRow("Account na&me", self.account_name)
        return box

    def _servers_box(self) -> QGroupBox:
        box = QGroupBox("Servers")
        form = QFormLayout(box)
        self.incoming_kind = QComboBox()
        self.incoming_kind.addItem("IMAP", "imap")
        self.incoming_kind.addItem("POP3", "pop3")
        self.incoming_kind.currentIndexChanged.connect(self._kind_changed)
        self.incoming = ServerFields("imap")
        self.outgoing = ServerFields("smtp")
        self.username = QLineEdit()
        self.username.setPlaceholderText("the e-mail address")
        form.addRow("&Incoming type", self.incoming_kind)
        form.addRow("Incoming &server", self.incoming)
        form.addRow("&Outgoing (SMTP)", self.outgoing)
        form.addRow("&User name", self.username)
        return box

    def _options_box(self) -> QGroupBox:
        box = QGroupBox("Options")
        form = QFormLayout(box)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("system certificates")
        browse = QPushButton("&Browse…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._choose_ca_file)
        row = QHBoxLayout()
        row.addWidget(self.ca_file, 1)
        row.addWidget(browse)
        form.addRow("CA certificate", row)
        self.allow_insecure = QCheckBox("Allow unencrypted connections "
                                        "(the password is sent in clear text)")
        self.allow_insecure.toggled.connect(self._insecure_toggled)
        self.verify = QCheckBox("&Check that I can log in before saving")
        self.verify.setChecked(True)
        form.addRow(self.allow_insecure)
        form.addRow(self.verify)
        return box

    # reactions ----------------------------------------------------------------------
    def _email_changed(self, text: str) -> None:
        email = text.strip()
        self.incoming.set_email(email)
        self.outgoing.set_email(email)

    def _kind_changed(self, _index: int) -> None:
        self.incoming.set_protocol(self.incoming_kind.currentData())

    def _insecure_toggled(self, allowed: bool) -> None:
        self.incoming.set_insecure_allowed(allowed)
        self.outgoing.set_insecure_allowed(allowed)

    def _choose_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA certificate", self.ca_file.text(),
            "Certificates (*.pem *.crt *.cer);;All files (*)")
        if path:
            self.ca_file.setText(path)

    # saving -------------------------------------------------------------------------
    def account(self) -> Account:
        """The account as typed; ``ConfigError`` naming the first invalid field."""
        email = self.email.text().strip()
        username = self.username.text().strip() or email
        kind = self.incoming_kind.currentData()
        account = Account(
            name=self.account_name.text().strip() or email,
            email=email,
            display_name=self.display_name.text().strip(),
            smtp=self.outgoing.config("SMTP", username),
            incoming_kind=kind,
            incoming=self.incoming.config(kind.upper(), username),
            ca_file=self.ca_file.text().strip() or None,
            allow_insecure=self.allow_insecure.isChecked(),
        )
        account.validate()
        return account

    def save(self) -> None:
        """Validate, then add the account through the bridge (checking logins if asked)."""
        if self.saved_name is not None:
            self.accept()
            return
        try:
            account = self.account()
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        if not self.password.text():
            self.show_error("the password is empty")
            self.password.setFocus()
            return
        password, verify = self.password.text(), self.verify.isChecked()
        accounts = self.service.accounts  # the factory runs on the loop thread: no widgets
        self._set_busy(True, "Checking the servers…" if verify else "Saving…")
        self.operation = self.bridge.run(
            lambda: accounts.add(account, password, verify=verify),
            lambda stored: self._saved(account.name, bool(stored)),
            self._failed, key=account.name, label="adding the account",
        )

    def _saved(self, name: str, stored: bool) -> None:
        self.operation = None
        self.saved_name = name
        self._set_busy(False)
        self.account_added.emit(name)
        if stored:
            self.accept()
            return
        problem = self.service.secrets.problem or "no usable keyring was found"
        self._show(f"The account was added, but the password could not be stored ({problem}). "
                   "It is kept for this session only; you will be asked for it next time.",
                   NOTE_STYLE)
        for child in self.findChildren(QGroupBox):
            child.setEnabled(False)
        self.save_button.setText("Done")
        self.cancel_button.hide()

    def _failed(self, failure: Failure) -> None:
        self.operation = None
        self._set_busy(False)
        self.show_error(failure.message)

    def cancel(self) -> None:
        """Stop a running check (the dialog stays), else close the dialog."""
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
            self._set_busy(False)
            self.show_error("stopped: the account was not saved")
            return
        self.reject()

    def reject(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
        super().reject()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for child in self.findChildren(QGroupBox):
            child.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self._show(text, "")
        else:
            self.message.hide()

    def show_error(self, text: str) -> None:
        """Show a plain-words problem under the form, capitalised as a sentence."""
        server, colon, rest = text.partition(": ")
        if colon and server in {"smtp", "imap", "pop3"}:
            text = f"{server.upper()}: {rest}"
        self._show(text[:1].upper() + text[1:], ERROR_STYLE)

    def error_text(self) -> str:
        """The problem shown under the form ('' if none)."""
        shows_error = not self.message.isHidden() and self.message.styleSheet() == ERROR_STYLE
        return self.message.text() if shows_error else ""

    def _show(self, text: str, style: str) -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)
        self.message.show()
