"""The account form: add or edit an account, fill in known providers, test and save it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError, MailError
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.mail_service import MailService
from mailclient.services.oauth2.tokens import TokenSet
from mailclient.ui.account_form import AccountForm
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.connection_test import ConnectionTest, ServerResult
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import NoticeKind, busy_strip, message_label, notice_style
from mailclient.ui.server_fields import ServerFields
from mailclient.ui.sign_in_button import SignInButton


class AccountDialog(AccountForm):
    """Asks for a new account, or changes ``account`` (its name is the key and stays).

    Signals:
        account_added(str): a new account was saved.
        account_changed(str): the edited account was saved.
    """

    account_added = Signal(str)
    account_changed = Signal(str)

    def __init__(self, service: MailService, bridge: Bridge, parent: QWidget | None = None,
                 *, first_run: bool = False, account: Account | None = None) -> None:
        super().__init__(parent, account)
        self.service, self.bridge = service, bridge
        self.operation: Operation | None = None
        self.saved_name: str | None = None
        title = tr("Edit Account") if account else tr("Add Account")
        self.setWindowTitle(tr("Welcome to mailclient") if first_run else title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel(tr("Set up your e-mail account to start reading your mail."))
            intro.setWordWrap(True)
            layout.addWidget(intro)
        self.check = ConnectionTest(service, bridge, self)
        self.sign_in_button = SignInButton(service, bridge, self)
        self.signed_in: tuple[OAuthProvider, TokenSet] | None = None  # not yet saved
        self.sign_in_button.signed_in.connect(self._signed_in)
        self.sign_in_button.sign_in_failed.connect(self.show_error)
        layout.addWidget(self._identity_box())
        layout.addWidget(self._servers_box())
        layout.addWidget(self._options_box())
        self.busy = busy_strip()
        layout.addWidget(self.busy)
        self.message = message_label()
        self.message.hide()
        self._message_kind: NoticeKind = "plain"
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.save_anyway_button = self.buttons.addButton(
            tr("Save &Without Checking"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_anyway_button.hide()
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_anyway_button.clicked.connect(lambda: self.save(verify=False))
        self.check.button.clicked.connect(self.test_connection)
        self.check.incoming_result.review_requested.connect(
            lambda: self._review(self.check.incoming_result, self.incoming))
        self.check.outgoing_result.review_requested.connect(
            lambda: self._review(self.check.outgoing_result, self.outgoing))
        layout.addWidget(self.buttons)
        if account is not None:
            self.load(account)
        self.email.setFocus()

    # signing in (OAuth2) ------------------------------------------------------------
    def _signed_in(self, provider: OAuthProvider, tokens: TokenSet) -> None:
        self.signed_in = (provider, tokens)
        self.show_signed_in(provider.display_name)
        self._show(tr("Signed in with {provider}. Saving checks both servers with this "
                      "sign-in.").format(provider=provider.display_name), "note")

    def _oauth_provider_key(self) -> str | None:
        """The provider the account signs in with (new sign-in first), None: a password."""
        if self.signed_in is not None:
            return self.signed_in[0].key
        if self.original is not None and self.original.auth == "oauth2":
            return self.original.oauth_provider
        return None

    # testing ------------------------------------------------------------------------
    def test_connection(self) -> None:
        """Log in to both servers with what the form says, without saving."""
        try:
            account = self.account()
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        provider_key = self._oauth_provider_key()
        if provider_key is not None and (self.original is None or self.original.auth != "oauth2"):
            self._show(tr("Saving checks both servers with your sign-in."), "note")
            return
        if provider_key is not None:  # a saved OAuth2 account: its stored sign-in is used
            self.message.hide()
            self.check.start(account.with_changes(auth="oauth2", oauth_provider=provider_key),
                             None)
            return
        if not self.password.text() and self.original is None:
            self.show_error(tr("the password is empty"))
            self.password.setFocus()
            return
        self.message.hide()
        self.check.start(account, self.password.text() or None)

    def _review(self, result: ServerResult, fields: ServerFields) -> None:
        """Show the untrusted certificate; trusted once or always, test again (a new
        account keeps an "always" in its pinned certificates when it is saved)."""
        error = result.certificate_error
        if error is None:
            return
        from mailclient.ui.certificate_dialog import ask_certificate_trust

        port = error.port or int(fields.port.text() or 0)

        def decided(decision: str) -> None:
            if decision == "refuse":
                return
            if decision == "always" and self.original is None and error.fingerprint:
                self.pinned[f"{error.host}:{port}"] = error.fingerprint
            elif decision == "always" and self.original is not None:  # pinned by the service
                self.original = self.service.accounts.get(self.original.name)
            self.test_connection()

        ask_certificate_trust(self, self.service, error,
                              self.original.name if self.original else None, decided)

    # saving -------------------------------------------------------------------------
    def save(self, *, verify: bool | None = None) -> None:
        """Validate, then add or update the account through the bridge (checking the logins
        first unless ``verify`` is False or the box is unticked)."""
        if self.saved_name is not None:
            self.accept()
            return
        try:
            account = self.account()
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        password = self.password.text()
        provider_key = self._oauth_provider_key()
        if provider_key is not None:
            self._save_signed_in(account.with_changes(auth="oauth2",
                                                      oauth_provider=provider_key), verify)
            return
        if not password and self.original is None:
            self.show_error(tr("the password is empty"))
            self.password.setFocus()
            return
        verify = self.verify.isChecked() if verify is None else verify
        accounts = self.service.accounts  # the factory runs on the loop thread: no widgets
        self.save_anyway_button.hide()
        self.check.clear()
        self._set_busy(True, tr("Checking the servers…") if verify else tr("Saving…"))
        if self.original is None:
            self.operation = self.bridge.run(
                lambda: accounts.add(account, password, verify=verify),
                lambda stored: self._saved(account.name, bool(stored)),
                self._failed, key=account.name, label=tr("adding the account"))
        else:
            self.operation = self.bridge.run(
                lambda: accounts.update(account, password or None, verify=verify),
                lambda stored: self._saved(account.name, bool(stored)),
                self._failed, key=account.name, label=tr("saving the account"))

    def _save_signed_in(self, account: Account, verify: bool | None) -> None:
        """Save an account signing in with OAuth2 (its tokens to the keyring)."""
        verify = self.verify.isChecked() if verify is None else verify
        accounts, tokens = self.service.accounts, self.signed_in
        adding = self.original is None

        async def save() -> bool:
            if adding:
                assert tokens is not None
                return await accounts.add_signed_in(account, tokens[1], verify=verify)
            if tokens is not None:
                accounts.signed_in_again(account.name, tokens[1])
            return await accounts.update(account, None, verify=verify)

        self.save_anyway_button.hide()
        self.check.clear()
        self._set_busy(True, tr("Checking the servers…") if verify else tr("Saving…"))
        self.operation = self.bridge.run(
            save, lambda stored: self._saved(account.name, bool(stored)), self._failed,
            key=account.name, label=tr("saving the account"))

    def _saved(self, name: str, stored: bool) -> None:
        self.operation = None
        self.saved_name = name
        self._set_busy(False)
        (self.account_added if self.original is None else self.account_changed).emit(name)
        if stored:
            self.accept()
            return
        problem = self.service.secrets.problem or tr("no usable keyring was found")
        self._show(tr("The account was saved, but the password could not be stored "
                      "({problem}). It is kept for this session only; you will be asked for "
                      "it next time.").format(problem=problem), "note")
        for child in self.findChildren(QGroupBox):
            child.setEnabled(False)
        self.save_button.setText(tr("Done"))
        self.cancel_button.hide()

    def _failed(self, failure: Failure) -> None:
        self.operation = None
        self._set_busy(False)
        self.show_error(failure.message)
        if isinstance(failure.error, MailError) and not isinstance(failure.error, ConfigError):
            self.save_anyway_button.show()  # a login failed: the way out

    def cancel(self) -> None:
        """Stop a running check (the dialog stays), else close the dialog."""
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
            self._set_busy(False)
            self.show_error(tr("stopped: the account was not saved"))
            return
        self.reject()

    def reject(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
        self.check.cancel()
        super().reject()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for child in self.findChildren(QGroupBox):
            child.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self._show(text, "plain")
        else:
            self.message.hide()

    def show_error(self, text: str) -> None:
        """Show a plain-words problem under the form, capitalised as a sentence."""
        server, colon, rest = text.partition(": ")
        if colon and server in {"smtp", "imap", "pop3"}:
            text = f"{server.upper()}: {rest}"
        self._show(text[:1].upper() + text[1:], "error")

    def error_text(self) -> str:
        """The problem shown under the form ('' if none)."""
        shows_error = not self.message.isHidden() and self._message_kind == "error"
        return self.message.text() if shows_error else ""

    def _show(self, text: str, kind: NoticeKind) -> None:
        self._message_kind = kind
        self.message.setStyleSheet(notice_style(self, kind))
        self.message.setText(text)
        self.message.show()
