"""New mail without a click: an InboxWatcher per IMAP account, run in the bridge's loop."""

from __future__ import annotations

import concurrent.futures
import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from mailclient.core.account import Account
from mailclient.core.errors import MailError
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.inbox_watch import InboxWatcher, WatchConnection
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge

log = logging.getLogger(__name__)


class InboxWatchers(QObject):
    """Starts and stops the watchers; each has its own IMAP connection (sync uses another).

    Signals (emitted on the loop thread; connect them queued):
        changed(str): an account's INBOX changed: get its mail.
        stopped(str, str): a watcher gave up (account, reason in plain words).
    """

    changed = Signal(str)
    stopped = Signal(str, str)

    def __init__(self, service: MailService, bridge: Bridge,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self._running: dict[str, concurrent.futures.Future[None]] = {}
        self.watchers: dict[str, InboxWatcher] = {}  # read-only here: they run on the loop
        self.stopped.connect(self._stopped, Qt.ConnectionType.QueuedConnection)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self.start)

    @property
    def accounts(self) -> list[str]:
        """The accounts being watched."""
        return list(self._running)

    def start(self) -> list[str]:
        """Watch every IMAP account with a password at hand (or signed in with OAuth2);
        return the names now watched."""
        for account in self.service.accounts.accounts():
            if account.incoming_kind != "imap" or account.name in self._running:
                continue
            if account.auth != "oauth2":  # a password must be at hand; a token is asked for
                try:  # at each (re)connect, as it expires
                    self.service.accounts.password(account)
                except MailError as exc:
                    log.info("%s: not watching the inbox: %s", account.name, exc)
                    continue
            watcher = self._watcher(account)
            self.watchers[account.name] = watcher
            self._running[account.name] = self.bridge.start_background(watcher.run)
        return self.accounts

    def start_soon(self) -> None:
        """``start`` once the event loop is free (after the window's first paint: finding
        the passwords asks the keyring, which can take a while)."""
        self._soon.start(0)

    def _watcher(self, account: Account) -> InboxWatcher:
        changed, stopped = self.changed, self.stopped  # emitted from the loop thread
        accounts = self.service.accounts

        async def connect() -> WatchConnection:
            credential = await accounts.credential(account)  # an OAuth2 token: a fresh one
            return await ImapConnection.open(account.incoming, credential,
                                             ca_file=account.ca_file)

        async def on_change(name: str) -> None:
            changed.emit(name)

        def on_error(name: str, error: MailError) -> None:
            stopped.emit(name, str(error) or type(error).__name__)

        return InboxWatcher(account.name, connect, on_change, on_error)

    def _stopped(self, name: str, _reason: str) -> None:
        self._running.pop(name, None)  # start() may try again (a new password)
        self.watchers.pop(name, None)

    def stop(self) -> None:
        """Cancel every watcher (each logs out on the loop thread)."""
        self._soon.stop()
        for future in self._running.values():
            if not future.done():
                future.cancel()
        self._running.clear()
        self.watchers.clear()
