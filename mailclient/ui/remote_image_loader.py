"""Fetches the remote images a reader asks for through the bridge, and keeps the senders
whose images are always loaded."""

from __future__ import annotations

import logging
import ssl

from PySide6.QtCore import QObject, Signal

from mailclient.core.errors import MailError
from mailclient.services.accounts import AccountService
from mailclient.services.remote_images import (
    ImageLimits,
    allow_sender,
    fetch_images,
    images_allowed,
)
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.i18n import tr
from mailclient.ui.reader import ReaderPane

log = logging.getLogger(__name__)


class RemoteImageLoader(QObject):
    """Serves one ``ReaderPane``: its image requests run off the GUI thread (https only,
    capped: ``services.remote_images``), the images go back to it when they arrive.

    ``ssl_context``: the certificates to trust (the system's when None; tests give theirs).

    Signals:
        note(str): something to tell the user in the status bar.
    """

    note = Signal(str)

    def __init__(self, reader: ReaderPane, accounts: AccountService, bridge: Bridge,
                 parent: QObject | None = None, *, ssl_context: ssl.SSLContext | None = None,
                 limits: ImageLimits | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.accounts = accounts
        self.bridge = bridge
        self.ssl_context = ssl_context
        self.limits = limits or ImageLimits()
        self._running: Operation | None = None
        reader.images_allowed = lambda from_: images_allowed(accounts, from_)
        reader.remote_images_requested.connect(self.load)
        reader.always_allow_requested.connect(self.always_allow)
        reader.message_changed.connect(self.cancel)

    def load(self, urls: list[str]) -> None:
        """Fetch ``urls`` and hand the images to the reader (if it still shows them)."""
        self.cancel()
        context, limits, wanted = self.ssl_context, self.limits, list(urls)
        self._running = self.bridge.run(
            lambda: fetch_images(wanted, ssl_context=context, limits=limits),
            lambda images: self._loaded(wanted, images),
            self._failed, label=tr("loading remote images"))

    def cancel(self) -> None:
        """Drop a fetch still running (another message is shown)."""
        if self._running is not None:
            self._running.cancel()
            self._running = None

    def always_allow(self, from_header: str) -> None:
        """Load the images of this sender from now on (saved in the settings file)."""
        try:
            address = allow_sender(self.accounts, from_header)
        except MailError as exc:
            self.note.emit(tr("Cannot save the setting: {why}").format(why=str(exc)))
            return
        if address:
            self.note.emit(tr("Remote images from {sender} will always be loaded.").format(
                sender=address))

    def _loaded(self, urls: list[str], images: dict[str, bytes]) -> None:
        self._running = None
        self.reader.show_remote_images(urls, images)
        missing = len(set(urls) - set(images))
        if missing:
            self.note.emit(tr("{n} remote images could not be loaded.").format(n=missing))

    def _failed(self, failure: Failure) -> None:
        self._running = None
        log.warning("remote images failed: %s", failure.message)
        self.note.emit(failure.message)
