"""Get Mail: sync every account through the bridge and report progress in plain words."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from mailclient.core.errors import (
    AuthenticationError,
    CertificateError,
    MissingPasswordError,
    find_cause,
)
from mailclient.services.mail_service import FlushReport, MailService
from mailclient.services.sync import Progress, SyncReport
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.i18n import plural, tr
from mailclient.ui.oauth_sign_in import SignInAgainPrompt
from mailclient.ui.password_prompt import PasswordPrompt, ask_password

REFRESH_MS = 500  # while a sync stores messages, the window refreshes at most this often


def new_messages(count: int) -> str:
    return plural(count, tr("{count} new message"), tr("{count} new messages"))


def _progress_to(signal: SignalInstance, name: str) -> Progress:
    """A sync progress callback (it runs on the loop thread): emits ``signal(name, folder,
    count)``, which a queued connection delivers on the GUI thread."""
    return lambda folder, count: signal.emit(name, folder, count)


class GetMail(QObject):
    """Runs ``MailService.sync`` for each account, one operation per account.

    Signals:
        progress(str): what is happening now.
        mail_stored(): a running sync stored messages (refresh what is shown); at most
            every ``REFRESH_MS``, the last one never dropped.
        account_synced(str): an account finished (refresh what is shown).
        password_needed(str): an account has no stored password (``ask_password`` asks).
        password_changed(str): a new password was given for an account (it is synced again).
        sign_in_needed(str, str): an OAuth2 account must sign in again (account, reason);
            ``ask_sign_in`` shows the prompt with its "Sign in again" button.
        certificate_refused(str, CertificateError): a server's certificate is not trusted
            (the window asks the user whether to trust it).
        finished(str): a summary: new messages, then each failure in plain words.
    """

    progress = Signal(str)
    mail_stored = Signal()
    account_synced = Signal(str)
    password_needed = Signal(str)
    password_changed = Signal(str)
    sign_in_needed = Signal(str, str)
    certificate_refused = Signal(str, object)  # account, CertificateError: ask the user
    finished = Signal(str)
    _stored = Signal(str, str, int)  # emitted on the loop thread by the progress callback

    def __init__(self, service: MailService, bridge: Bridge,
                 parent: QObject | None = None, *, refresh_ms: int = REFRESH_MS) -> None:
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self._running: dict[str, Operation] = {}
        self._stored_counts: dict[str, tuple[str, int]] = {}
        self._new = 0
        self._sent = 0
        self._errors: list[str] = []
        self._refresh_ms = refresh_ms
        self._since_refresh = QElapsedTimer()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._emit_stored)
        self._stored.connect(self._on_stored, Qt.ConnectionType.QueuedConnection)
        self.prompts: dict[str, PasswordPrompt] = {}  # open password prompts, by account
        self.sign_ins: dict[str, SignInAgainPrompt] = {}  # open sign-in prompts, by account

    @property
    def running(self) -> bool:
        return bool(self._running)

    def start(self, names: list[str] | None = None) -> bool:
        """Sync ``names`` (default: every account) unless already syncing; False if none."""
        if names is None:
            names = [a.name for a in self.service.accounts.accounts()]
        names = [name for name in names if name not in self._running]
        if not names:
            return False
        if not self._running:
            self._new = self._sent = 0
            self._errors = []
        service = self.service  # the factory runs on the loop thread: no Qt objects
        for name in names:
            self._running[name] = self.bridge.run(
                partial(service.sync, name, progress=_progress_to(self._stored, name)),
                partial(self._synced, name), partial(self._failed, name),
                key=name, label=tr("getting mail for {account}").format(account=name),
            )
        self._report_progress()
        return True

    def cancel(self) -> None:
        for operation in self._running.values():
            operation.cancel()
        self._running.clear()
        self._refresh_timer.stop()

    def _report_progress(self) -> None:
        parts = []
        for name in self._running:
            folder, count = self._stored_counts.get(name, ("", 0))
            parts.append(tr("{account} ({count} so far)").format(
                account=name, count=new_messages(count)) if count else name)
        self.progress.emit(tr("Getting mail for {accounts}…").format(accounts=", ".join(parts)))

    def _on_stored(self, name: str, folder: str, count: int) -> None:
        if name not in self._running:
            return  # a late signal of a finished or cancelled sync
        self._stored_counts[name] = (folder, count)
        self._report_progress()
        if self._refresh_timer.isActive():
            return
        waited = self._since_refresh.elapsed() if self._since_refresh.isValid() else None
        if waited is None or waited >= self._refresh_ms:
            self._emit_stored()
        else:
            self._refresh_timer.start(self._refresh_ms - waited)

    def _emit_stored(self) -> None:
        self._since_refresh.start()
        self.mail_stored.emit()

    def _synced(self, name: str, result: tuple[SyncReport, FlushReport]) -> None:
        report, flushed = result
        self._new += report.new
        self._sent += len(flushed.sent)
        for _item, error in flushed.failed:
            self._errors.append(tr("{account}: a queued message was not sent: {error}")
                                .format(account=name, error=error))
        self._done(name)

    def _failed(self, name: str, failure: Failure) -> None:
        if isinstance(failure.error, MissingPasswordError):
            self._errors.append(tr("{account}: no password is stored for this account")
                                .format(account=name))
            self._done(name)
            self.password_needed.emit(name)
            return
        self._errors.append(tr("{account}: {problem}").format(account=name,
                                                             problem=failure.message))
        self._done(name)
        untrusted = find_cause(failure.error, CertificateError)
        if isinstance(untrusted, CertificateError) and untrusted.fingerprint:
            self.certificate_refused.emit(name, untrusted)
            return
        refused = find_cause(failure.error, AuthenticationError)
        if isinstance(refused, AuthenticationError) and getattr(refused, "oauth_rejected",
                                                                False):
            self.sign_in_needed.emit(name, str(refused))
            self.ask_sign_in(name, str(refused))
        elif isinstance(refused, AuthenticationError) and not refused.temporary:
            self.ask_password(name, failure.message)

    def ask_sign_in(self, name: str, reason: str = "") -> SignInAgainPrompt:
        """Ask the user to sign in to account ``name``'s provider again (its grant was
        withdrawn); once signed in, get its mail again (queued messages go out then)."""
        if name in self.sign_ins:
            self.sign_ins[name].raise_()
            return self.sign_ins[name]
        parent = self.parent()
        prompt = SignInAgainPrompt(self.service, self.bridge, name, reason,
                                   parent if isinstance(parent, QWidget) else None)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.signed_in.connect(partial(self._password_stored, name))
        prompt.finished.connect(lambda _result: self.sign_ins.pop(name, None))
        self.sign_ins[name] = prompt
        prompt.open()
        return prompt

    def ask_password(self, name: str, reason: str = "") -> PasswordPrompt:
        """Ask for the password of account ``name`` in place (``reason``: the server's
        words, '' when none is stored), store it, then get its mail again."""
        if name in self.prompts:
            self.prompts[name].raise_()
            return self.prompts[name]
        parent = self.parent()
        prompt = ask_password(parent if isinstance(parent, QWidget) else None, self.service,
                              self.bridge, name, reason, partial(self._password_stored, name),
                              lambda problem: self.progress.emit(
                                  tr("{account}: {problem}").format(account=name,
                                                                    problem=problem)))
        prompt.finished.connect(lambda _result: self.prompts.pop(name, None))
        self.prompts[name] = prompt
        return prompt

    def _password_stored(self, name: str) -> None:
        self.password_changed.emit(name)
        self.start([name])

    def _done(self, name: str) -> None:
        self._running.pop(name, None)
        self._stored_counts.pop(name, None)
        self.account_synced.emit(name)
        if self._running:
            self._report_progress()
            return
        self._refresh_timer.stop()  # account_synced refreshed everything
        self.finished.emit(self.summary())

    def summary(self) -> str:
        parts = [new_messages(self._new) if self._new else tr("No new mail")]
        if self._sent:
            parts.append(plural(self._sent, tr("{count} queued message sent"),
                                tr("{count} queued messages sent")))
        text = tr("{summary}.").format(summary="; ".join(parts))
        if self._errors:
            text += tr(" Problems: {problems}").format(problems="; ".join(self._errors))
        return text
