"""The fields of the account form: who you are, both servers, options; built and read."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from mailclient.core.account import Account
from mailclient.ui.connection_test import ConnectionTest
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import notice_style
from mailclient.ui.provider_fill import ProviderFill
from mailclient.ui.server_fields import ServerFields
from mailclient.ui.sign_in_button import SignInButton


class AccountForm(QDialog):
    """The account dialog's fields (``AccountDialog`` adds testing and saving).

    ``original`` is the saved account being edited (None for a new one); ``pinned`` holds
    certificates trusted for an account not yet saved; ``check`` and ``sign_in_button`` are
    set before building.
    """

    check: ConnectionTest
    sign_in_button: SignInButton

    def __init__(self, parent: QWidget | None, account: Account | None) -> None:
        super().__init__(parent)
        self.original = account
        self.pinned: dict[str, str] = {}

    # building -----------------------------------------------------------------------
    def _identity_box(self) -> QGroupBox:
        box = QGroupBox(tr("You"))
        form = QFormLayout(box)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(tr("Ada Lovelace"))
        self.email = QLineEdit()
        self.email.setPlaceholderText("ada@example.org")
        self.email.textChanged.connect(self._email_changed)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.account_name = QLineEdit()
        self.account_name.setPlaceholderText(tr("the e-mail address"))
        form.addRow(tr("Your &name"), self.display_name)
        form.addRow(tr("&E-mail address"), self.email)
        form.addRow(tr("&Password"), self.password)
        form.addRow(tr("or"), self.sign_in_button)
        form.addRow(tr("Account na&me"), self.account_name)
        return box

    def _servers_box(self) -> QGroupBox:
        box = QGroupBox(tr("Servers"))
        form = QFormLayout(box)
        self.provider_note = QLabel()
        self.provider_note.setWordWrap(True)
        self.provider_note.setStyleSheet(notice_style(self, "note"))
        self.incoming_kind = QComboBox()
        self.incoming_kind.addItem("IMAP", "imap")
        self.incoming_kind.addItem("POP3", "pop3")
        self.incoming_kind.currentIndexChanged.connect(self._kind_changed)
        self.incoming = ServerFields("imap")
        self.outgoing = ServerFields("smtp")
        self.username = QLineEdit()
        self.username.setPlaceholderText(tr("the e-mail address"))
        form.addRow(self.provider_note)
        form.addRow(tr("&Incoming type"), self.incoming_kind)
        form.addRow(tr("Incoming &server"), self.incoming)
        form.addRow("", self.check.incoming_result)
        form.addRow(tr("&Outgoing (SMTP)"), self.outgoing)
        form.addRow("", self.check.outgoing_result)
        form.addRow(tr("&User name"), self.username)
        form.addRow("", self.check.row)
        self.provider_fill = ProviderFill(self.email, self.incoming_kind, self.incoming,
                                          self.outgoing, self.username, self.provider_note)
        return box

    def _options_box(self) -> QGroupBox:
        box = QGroupBox(tr("Options"))
        form = QFormLayout(box)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(tr("system certificates"))
        self.ca_file.setAccessibleName(tr("CA certificate file"))
        browse = QPushButton(tr("&Browse…"))
        browse.setAutoDefault(False)
        browse.setAccessibleName(tr("Choose a CA certificate file"))
        browse.clicked.connect(self._choose_ca_file)
        row = QHBoxLayout()
        row.addWidget(self.ca_file, 1)
        row.addWidget(browse)
        form.addRow(tr("CA certificate"), row)
        self.allow_insecure = QCheckBox(tr("Allow unencrypted connections "
                                           "(the password is sent in clear text)"))
        self.allow_insecure.toggled.connect(self._insecure_toggled)
        self.verify = QCheckBox(tr("&Check that I can log in before saving"))
        self.verify.setChecked(True)
        form.addRow(self.allow_insecure)
        form.addRow(self.verify)
        return box

    def load(self, account: Account) -> None:
        """Show a saved account; its name cannot change and an empty password keeps it."""
        self.display_name.setText(account.display_name)
        self.email.setText(account.email)
        self.account_name.setText(account.name)
        self.account_name.setReadOnly(True)
        self.account_name.setToolTip(tr("The name of an account cannot be changed"))
        self.password.setPlaceholderText(tr("unchanged (type a new one to change it)"))
        self.allow_insecure.setChecked(account.allow_insecure)
        self.incoming_kind.setCurrentIndex(max(self.incoming_kind.findData(
            account.incoming_kind), 0))
        self.incoming.set_config(account.incoming)
        self.outgoing.set_config(account.smtp)
        same = account.incoming.username == account.email
        self.username.setText("" if same else account.incoming.username)
        self.ca_file.setText(account.ca_file or "")
        self.provider_fill.look_up("")  # saved settings are shown as they are: no note
        if account.auth == "oauth2":
            self.sign_in_button.offer_for(account.email, provider_key=account.oauth_provider)
            provider = self.sign_in_button.provider
            self.show_signed_in(provider.display_name if provider is not None
                                else account.oauth_provider or "")

    def show_signed_in(self, provider_name: str) -> None:
        """The account signs in with a provider: no password to type."""
        self.password.clear()
        self.password.setEnabled(False)
        self.password.setPlaceholderText(tr("signed in with {provider}").format(
            provider=provider_name))

    # reactions ----------------------------------------------------------------------
    def _email_changed(self, text: str) -> None:
        email = text.strip()
        self.incoming.set_email(email)
        self.outgoing.set_email(email)
        if self.original is None:
            self.sign_in_button.offer_for(email)

    def _kind_changed(self, _index: int) -> None:
        self.incoming.set_protocol(self.incoming_kind.currentData())

    def _insecure_toggled(self, allowed: bool) -> None:
        self.incoming.set_insecure_allowed(allowed)
        self.outgoing.set_insecure_allowed(allowed)

    def _choose_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("CA certificate"), self.ca_file.text(),
            tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_file.setText(path)

    def account(self) -> Account:
        """The account as typed; ``ConfigError`` naming the first invalid field."""
        email = self.email.text().strip()
        username = self.username.text().strip() or email
        kind = self.incoming_kind.currentData()
        fields: dict[str, Any] = {
            "email": email, "display_name": self.display_name.text().strip(),
            "smtp": self.outgoing.config("SMTP", username), "incoming_kind": kind,
            "incoming": self.incoming.config(kind.upper(), username),
            "ca_file": self.ca_file.text().strip() or None,
            "allow_insecure": self.allow_insecure.isChecked(),
        }
        if self.original is not None:
            account = self.original.with_changes(**fields)
        else:
            account = Account(name=self.account_name.text().strip() or email, **fields)
        if self.pinned:
            account = account.with_changes(
                pinned_certificates={**account.pinned_certificates, **self.pinned})
        account.validate()
        return account
