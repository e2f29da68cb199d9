"""OAuth2 sign-in from the window: the system browser opened from the GUI thread, and the
"Sign in to Google again" prompt when a provider withdrew the permission."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import busy_strip, message_label, notice_style


class SystemBrowser(QObject):
    """Opens sign-in addresses in the system browser; ``open`` may be called from the
    service loop's thread (the signal is delivered on the GUI thread).

    Signals:
        url_requested(str): an address to show (opened with QDesktopServices).
    """

    url_requested = Signal(str)

    def __init__(self, parent: QObject | None = None,
                 opener: Callable[[QUrl], object] = QDesktopServices.openUrl) -> None:
        super().__init__(parent)
        self._opener = opener
        self.url_requested.connect(lambda url: self._opener(QUrl(url)),
                                   Qt.ConnectionType.QueuedConnection)

    def open(self, url: str) -> None:
        self.url_requested.emit(url)


def sign_in_text(provider: OAuthProvider) -> str:
    """The button's words: "Sign in with Google"."""
    return tr("Sign in with {provider}").format(provider=provider.display_name)


class SignInAgainPrompt(QDialog):
    """Says the provider wants a new sign-in for an account, in plain words, with a button
    that runs the browser sign-in again and keeps the new tokens.

    Signals:
        signed_in(): the new sign-in is stored (get the account's mail again).
    """

    signed_in = Signal()

    def __init__(self, service: MailService, bridge: Bridge, account_name: str, reason: str,
                 parent: QWidget | None = None, *, browser: SystemBrowser | None = None) -> None:
        super().__init__(parent)
        self.service, self.bridge, self.account_name = service, bridge, account_name
        account = service.accounts.get(account_name)
        self.provider = service.accounts.providers.for_account(account)
        self.browser = browser or SystemBrowser(self)
        self.operation: Operation | None = None
        name = self.provider.display_name
        self.setWindowTitle(tr("Sign in to {provider} again").format(provider=name))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("{provider} asks you to sign in again before the account {account} "
                          "can get or send mail. Messages you send wait in the outbox.")
                       .format(provider=name, account=account_name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.reason = QLabel(reason[:1].upper() + reason[1:])
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(notice_style(self, "note"))
        self.reason.setVisible(bool(reason))
        layout.addWidget(self.reason)
        self.busy = busy_strip()
        layout.addWidget(self.busy)
        self.status = message_label()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = buttons.addButton(
            tr("&Sign In to {provider} Again").format(provider=name),
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def start(self) -> None:
        """Open the browser and wait for the sign-in (off the GUI thread)."""
        accounts, provider, name = self.service.accounts, self.provider, self.account_name
        email = accounts.get(name).email
        open_url = self.browser.open

        async def sign_in() -> bool:
            tokens = await accounts.sign_in(provider, open_browser=open_url, login_hint=email)
            return accounts.signed_in_again(name, tokens)

        self.busy.show()
        self.sign_in_button.setEnabled(False)
        self.status.setText(tr("Waiting for the sign-in in your browser…"))
        self.operation = self.bridge.run(sign_in, self._signed_in, self._failed,
                                         label=tr("signing in"))

    def _signed_in(self, _kept: bool) -> None:
        self.operation = None
        self.busy.hide()
        self.signed_in.emit()
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self.operation = None
        self.busy.hide()
        self.sign_in_button.setEnabled(True)
        self.status.setText(failure.message)

    def reject(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
        super().reject()
