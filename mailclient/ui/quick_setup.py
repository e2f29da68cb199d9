"""Setting up an account from name, address and password: the servers are found and tried."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.account import IncomingKind, ServerConfig, validate_address
from mailclient.core.errors import ConfigError, MailError
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.discovery import Discovery, discover
from mailclient.services.discovery.verify import LoginAttempt, VerifiedSetup, verify
from mailclient.services.mail_service import MailService
from mailclient.services.oauth2.account_setup import add_with_sign_in, signed_in_account
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import busy_strip, message_label
from mailclient.ui.oauth_sign_in import SystemBrowser, sign_in_text

if TYPE_CHECKING:  # the network modules load the DNS library: only once they are used
    from mailclient.services.discovery.network import DiscoveryNetwork

NetworkFactory = Callable[[str | None], "DiscoveryNetwork"]


def default_network(ca_file: str | None) -> DiscoveryNetwork:
    """The system's DNS resolver and CAs (plus ``ca_file``)."""
    from mailclient.services.discovery.network import make_network

    return make_network(ca_file=ca_file)


@dataclass(frozen=True)
class ManualStart:
    """What the full account form starts from when the user sets up by hand."""

    display_name: str
    email: str
    password: str
    incoming_kind: IncomingKind = "imap"
    incoming: ServerConfig | None = None
    outgoing: ServerConfig | None = None


def describe_attempt(attempt: LoginAttempt) -> str:
    """One line of the dialog's log: which server, and whether the login worked."""
    found = attempt.candidate
    where = f"{found.protocol.upper()} {found.host}:{found.port} ({found.security})"
    if attempt.ok:
        return tr("{server}: logged in").format(server=where)
    return tr("{server}: {error}").format(server=where, error=attempt.error)


class QuickSetupDialog(QDialog):
    """Asks for name, address and password only; finds the servers (the bundled provider
    database, the provider's autoconfig, DNS, guessed names, never cleartext), logs in to
    them best first, and saves the account only once both logins worked. "Set Up Manually…"
    opens the full form with what is known.

    Signals:
        account_added(str): the account was saved.
        manual_requested(ManualStart): the user chose the full form (this dialog closes).
        _attempted(str): a login attempt finished (emitted on the service loop's thread).
    """

    account_added = Signal(str)
    manual_requested = Signal(object)
    _attempted = Signal(str)

    def __init__(self, service: MailService, bridge: Bridge, parent: QWidget | None = None,
                 *, first_run: bool = False, network: NetworkFactory = default_network,
                 ca_file: str | None = None) -> None:
        super().__init__(parent)
        self.service, self.bridge = service, bridge
        self.network, self.ca_file = network, ca_file
        self.operation: Operation | None = None
        self.found: Discovery | None = None
        self.setWindowTitle(tr("Welcome to mailclient") if first_run else tr("Add Account"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Your name, e-mail address and password are enough: the settings "
                          "are found and tried before anything is saved."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(tr("Ada Lovelace"))
        self.email = QLineEdit()
        self.email.setPlaceholderText("ada@example.org")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("Your &name"), self.display_name)
        form.addRow(tr("&E-mail address"), self.email)
        form.addRow(tr("&Password"), self.password)
        self.provider: OAuthProvider | None = None  # offers OAuth2 sign-in for the address
        self.browser = SystemBrowser(self)
        self.sign_in_button = QPushButton()
        self.sign_in_button.hide()
        self.sign_in_button.clicked.connect(self.sign_in)
        form.addRow(tr("or"), self.sign_in_button)
        self.email.textChanged.connect(self._update_sign_in)
        layout.addLayout(form)
        self.busy = busy_strip()
        layout.addWidget(self.busy)
        self.status = message_label()
        layout.addWidget(self.status)
        self.log = QListWidget()
        self.log.setAccessibleName(tr("Servers tried"))
        self.log.setMaximumHeight(110)
        self.log.hide()
        layout.addWidget(self.log)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.manual_button = buttons.addButton(tr("Set Up &Manually…"),
                                               QDialogButtonBox.ButtonRole.ResetRole)
        self.continue_button = buttons.addButton(tr("&Continue"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.start)
        self.manual_button.clicked.connect(self.manual)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._attempted.connect(self.log.addItem, Qt.ConnectionType.QueuedConnection)
        self.display_name.setFocus()

    # finding the servers ------------------------------------------------------------
    def start(self) -> None:
        """Find the servers of the address and log in to them (off the GUI thread)."""
        address, password = self.email.text().strip(), self.password.text()
        try:
            validate_address(address)
        except ConfigError as exc:
            self._say(str(exc))
            return
        if not password:
            self._say(tr("Type the password of this address."))
            return
        self._set_busy(True)
        self.log.clear()
        self._say(tr("Looking for the servers of {domain}…").format(
            domain=address.rpartition("@")[2]))
        self.operation = self.bridge.run(lambda: self._find(address, password),
                                         self._found, self._failed,
                                         label=tr("finding your mail servers"))

    async def _discover(self, address: str) -> Discovery:
        from mailclient.services.discovery.online import discover_online

        try:
            found = await discover_online(address, self.network(self.ca_file))
        except MailError:  # no DNS configuration: what the bundled database knows
            found = await discover(address)
        self.found = found
        return found

    async def _find(self, address: str, password: str) -> VerifiedSetup:
        found = await self._discover(address)
        return await verify(found, password, tester=self.service.accounts,
                            ca_file=self.ca_file,
                            on_attempt=lambda a: self._attempted.emit(describe_attempt(a)))

    def _found(self, setup: VerifiedSetup) -> None:
        self.operation = None
        if not setup.ok:
            self._set_busy(False)
            self._say(self._not_found_text(setup))
            return
        account = setup.account(display_name=self.display_name.text().strip(),
                                ca_file=self.ca_file)
        password = self.password.text()
        self._say(tr("Logged in. Saving the account…"))
        self.operation = self.bridge.run(
            lambda: self.service.accounts.add(account, password, verify=False),
            lambda _stored: self._saved(account.name), self._failed,
            label=tr("saving the account"))

    def _not_found_text(self, setup: VerifiedSetup) -> str:
        if not setup.discovery.incoming or not setup.discovery.outgoing:
            return tr("No settings were found for this address. Choose “Set Up Manually…” "
                      "and type your provider's server names.")
        return tr("The servers found did not accept the login (see below). Check the "
                  "password, or choose “Set Up Manually…”.")

    def _saved(self, name: str) -> None:
        self.operation = None
        self._set_busy(False)
        self.account_added.emit(name)
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self.operation = None
        self._set_busy(False)
        self._say(failure.message)

    # signing in with the provider (OAuth2) ---------------------------------------------
    def _update_sign_in(self) -> None:
        """Offer "Sign in with Google" (or Microsoft, ...) when the address's provider
        supports it and a client ID for it is set."""
        address = self.email.text().strip()
        provider = None
        if "@" in address and "." in address.rpartition("@")[2]:
            accounts = self.service.accounts
            found = accounts.providers.for_address(address)
            if found is not None and accounts.providers.has_client(
                    found, accounts.settings.oauth_client_ids):
                provider = found
        self.provider = provider
        self.sign_in_button.setVisible(provider is not None)
        if provider is not None:
            self.sign_in_button.setText(sign_in_text(provider))

    def sign_in(self) -> None:
        """Find the servers, sign in in the browser, check both logins, save."""
        address, provider = self.email.text().strip(), self.provider
        if provider is None:
            return
        try:
            validate_address(address)
        except ConfigError as exc:
            self._say(str(exc))
            return
        display_name = self.display_name.text().strip()
        self._set_busy(True)
        self.log.clear()
        self._say(tr("Sign in to {provider} in your browser…").format(
            provider=provider.display_name))
        self.operation = self.bridge.run(
            lambda: self._sign_in(address, provider, display_name),
            lambda _kept: self._saved(address), self._failed, label=tr("signing in"))

    async def _sign_in(self, address: str, provider: OAuthProvider, display_name: str) -> bool:
        found = await self._discover(address)
        account = signed_in_account(found, provider, display_name=display_name,
                                    ca_file=self.ca_file)
        return await add_with_sign_in(
            self.service.accounts, account, provider, open_browser=self.browser.open,
            on_signed_in=lambda: self._attempted.emit(tr("Signed in; checking the servers…")))

    # by hand --------------------------------------------------------------------------
    def manual(self) -> None:
        """Close and ask for the full form, filled in with what is known."""
        found = self.found
        incoming = found.incoming[0] if found and found.incoming else None
        outgoing = found.outgoing[0] if found and found.outgoing else None
        start = ManualStart(
            self.display_name.text().strip(), self.email.text().strip(), self.password.text(),
            "pop3" if incoming is not None and incoming.protocol == "pop3" else "imap",
            incoming.to_server_config() if incoming else None,
            outgoing.to_server_config() if outgoing else None)
        self.reject()
        self.manual_requested.emit(start)

    def reject(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
        super().reject()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.log.setVisible(busy or self.log.count() > 0)
        for widget in (self.display_name, self.email, self.password, self.continue_button,
                       self.sign_in_button):
            widget.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.status.setText(text)
