"""The "Sign in with Google" button of the account form: offered by address, it runs the
browser sign-in through the bridge and hands the tokens back."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.i18n import tr
from mailclient.ui.oauth_sign_in import SystemBrowser, sign_in_text


class SignInButton(QPushButton):
    """Hidden unless the address's provider offers OAuth2 and a client ID for it is set.

    Signals:
        signed_in(OAuthProvider, TokenSet): the user signed in (nothing is saved yet).
        sign_in_failed(str): the sign-in did not complete, in plain words.
    """

    signed_in = Signal(object, object)
    sign_in_failed = Signal(str)

    def __init__(self, service: MailService, bridge: Bridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.bridge = service, bridge
        self.provider: OAuthProvider | None = None
        self.browser = SystemBrowser(self)
        self.operation: Operation | None = None
        self.login_hint = ""
        self.setAutoDefault(False)
        self.hide()
        self.clicked.connect(self.start)

    def offer_for(self, address: str, *, provider_key: str | None = None) -> None:
        """Show the button if ``address`` can sign in (``provider_key``: the provider of a
        saved OAuth2 account, offered whatever the address)."""
        accounts, found = self.service.accounts, None
        self.login_hint = address.strip()
        try:
            if provider_key:
                found = accounts.providers.built_in(provider_key)
            elif "@" in address and "." in address.rpartition("@")[2]:
                found = accounts.providers.for_address(address.strip())
        except ValueError:  # ConfigError: an ISPDB provider no longer known
            found = None
        if found is not None and not accounts.providers.has_client(
                found, accounts.settings.oauth_client_ids):
            found = None
        self.provider = found
        self.setVisible(found is not None)
        if found is not None:
            self.setText(sign_in_text(found))

    def start(self) -> None:
        """Open the browser and wait for the sign-in (off the GUI thread)."""
        provider, accounts, hint = self.provider, self.service.accounts, self.login_hint
        if provider is None or self.operation is not None:
            return
        open_url = self.browser.open
        self.setEnabled(False)
        self.operation = self.bridge.run(
            lambda: accounts.sign_in(provider, open_browser=open_url, login_hint=hint),
            lambda tokens: self._finished(provider, tokens), self._failed,
            label=tr("signing in"))

    def cancel(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
            self.setEnabled(True)

    def _finished(self, provider: OAuthProvider, tokens: object) -> None:
        self.operation = None
        self.setEnabled(True)
        self.signed_in.emit(provider, tokens)

    def _failed(self, failure: Failure) -> None:
        self.operation = None
        self.setEnabled(True)
        self.sign_in_failed.emit(failure.message)
