"""Changes made here reach the server in the background: a push per account, through the bridge."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.i18n import tr

log = logging.getLogger(__name__)


class ServerPush(QObject):
    """Runs ``service.mailbox.push(account)``; at most one per account runs and one more waits
    (changes made while a push runs), keyed by account so a sync and a push never overlap.

    Signals:
        deferred(str): a push failed (offline): the changes stay queued for the next sync;
            a line for the status bar.
    """

    deferred = Signal(str)

    def __init__(self, service: MailService, bridge: Bridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self._running: dict[str, Operation] = {}
        self._again: set[str] = set()

    @property
    def running(self) -> bool:
        return bool(self._running)

    def push(self, accounts: Iterable[str]) -> None:
        """Send the queued changes of ``accounts`` to their servers, in the background."""
        for name in dict.fromkeys(accounts):
            if name in self._running:
                self._again.add(name)
            else:
                self._start(name)

    def cancel(self) -> None:
        for operation in self._running.values():
            operation.cancel()
        self._running.clear()
        self._again.clear()

    def _start(self, name: str) -> None:
        service = self.service  # the factory runs on the loop thread: no Qt objects
        self._running[name] = self.bridge.run(
            lambda: service.mailbox.push(name),
            lambda _count: self._pushed(name),
            lambda failure: self._failed(name, failure),
            key=name, label=tr("updating {account} on the server").format(account=name),
        )

    def _pushed(self, name: str) -> None:
        self._running.pop(name, None)
        if name in self._again:
            self._again.discard(name)
            self._start(name)

    def _failed(self, name: str, failure: Failure) -> None:
        self._running.pop(name, None)
        self._again.discard(name)  # the next sync replays everything queued
        log.info("%s: changes stay queued: %s", name, failure.message)
        self.deferred.emit(tr("{name}: saved here; the server will be updated at the next sync.")
                           .format(name=name))
