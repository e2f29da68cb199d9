"""Get Mail: sync every account through the bridge and report progress in plain words."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mailclient.core.errors import MissingPasswordError
from mailclient.services.mail_service import FlushReport, MailService
from mailclient.services.sync import SyncReport
from mailclient.ui.bridge import Bridge, Failure, Operation


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class GetMail(QObject):
    """Runs ``MailService.sync`` for each account, one operation per account.

    Signals:
        progress(str): what is happening now.
        account_synced(str): an account finished (refresh what is shown).
        password_needed(str): an account has no stored password.
        finished(str): a summary: new messages, then each failure in plain words.
    """

    progress = Signal(str)
    account_synced = Signal(str)
    password_needed = Signal(str)
    finished = Signal(str)

    def __init__(self, service: MailService, bridge: Bridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self._running: dict[str, Operation] = {}
        self._new = 0
        self._sent = 0
        self._errors: list[str] = []

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
                lambda name=name: service.sync(name),
                lambda result, name=name: self._synced(name, result),
                lambda failure, name=name: self._failed(name, failure),
                key=name, label=f"getting mail for {name}",
            )
        self._report_progress()
        return True

    def cancel(self) -> None:
        for operation in self._running.values():
            operation.cancel()
        self._running.clear()

    def _report_progress(self) -> None:
        names = ", ".join(self._running)
        self.progress.emit(f"Getting mail for {names}…")

    def _synced(self, name: str, result: tuple[SyncReport, FlushReport]) -> None:
        report, flushed = result
        self._new += report.new
        self._sent += len(flushed.sent)
        for _item, error in flushed.failed:
            self._errors.append(f"{name}: a queued message was not sent: {error}")
        self._done(name)

    def _failed(self, name: str, failure: Failure) -> None:
        if isinstance(failure.error, MissingPasswordError):
            self._errors.append(f"{name}: no password is stored for this account")
            self._done(name)
            self.password_needed.emit(name)
            return
        self._errors.append(f"{name}: {failure.message}")
        self._done(name)

    def _done(self, name: str) -> None:
        self._running.pop(name, None)
        self.account_synced.emit(name)
        if self._running:
            self._report_progress()
            return
        self.finished.emit(self.summary())

    def summary(self) -> str:
        parts = [plural(self._new, "new message") if self._new else "No new mail"]
        if self._sent:
            parts.append(f"{plural(self._sent, 'queued message')} sent")
        text = "; ".join(parts) + "."
        if self._errors:
            text += " Problems: " + "; ".join(self._errors)
        return text
