"""Sends what waits in the outbox when its time comes (send later, retries) while the app runs."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from mailclient.services.mail_service import FlushReport, MailService
from mailclient.services.outbox import Outbox
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import tr

AFTER_FAILURE_MS = 60_000  # a send that failed before any message was tried: wait this long
LONGEST_WAIT_MS = 6 * 3600 * 1000  # look again at least this often (clock changes, sleep)
LATE_MS = 500  # fire just after the due time, so the message is due when looked at


class OutboxTimer(QObject):
    """Watches the outbox (through the window's own store connection) and, when the first
    queued message is due, sends that account's due messages through the bridge.

    Signals:
        note(str): what was sent, or why not, for the status bar.
    """

    note = Signal(str)

    def __init__(self, outbox: Outbox, service: MailService, bridge: Bridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self.service = service
        self.bridge = bridge
        self.sending: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._due)

    def schedule(self, *, at_least_ms: int = 0) -> None:
        """Set the timer for the first queued message (call when the outbox changed)."""
        if self.sending is not None:
            return  # rescheduled when that send ends
        first = self.outbox.next_due()
        if first is None:
            self.timer.stop()
            return
        wait_ms = int((first[1] - time.time()) * 1000) + LATE_MS
        self.timer.start(min(max(wait_ms, at_least_ms, 0), LONGEST_WAIT_MS))

    def stop(self) -> None:
        self.timer.stop()

    def _due(self) -> None:
        first = self.outbox.next_due()
        if first is None:
            return
        account, when = first
        if when > time.time():
            self.schedule()
            return
        self.sending = account
        service = self.service
        self.bridge.run(lambda: service.send_due(account), self._sent, self._failed,
                        key=account, label=tr("sending queued messages"))

    def _sent(self, report: FlushReport) -> None:
        account, self.sending = self.sending, None
        if report.sent:
            self.note.emit(tr("{account}: {count} queued message(s) sent").format(
                account=account, count=len(report.sent)))
        for _item, error in report.failed:
            self.note.emit(tr("{account}: a queued message was not sent: {error}").format(
                account=account, error=error))
        self.schedule(at_least_ms=0 if report.sent or report.failed else AFTER_FAILURE_MS)

    def _failed(self, failure: Failure) -> None:
        account, self.sending = self.sending, None
        self.note.emit(tr("{account}: queued messages were not sent: {error}").format(
            account=account, error=failure.message))
        self.schedule(at_least_ms=AFTER_FAILURE_MS)
