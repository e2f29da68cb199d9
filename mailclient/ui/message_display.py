"""What the reading area shows for the current row: one message, a conversation, or nothing;
a message stored with its headers only is downloaded through the bridge first."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from mailclient.core.errors import MailError
from mailclient.core.message_parse import view_message
from mailclient.services.mail_service import MailService
from mailclient.services.store.messages import MessageRow, MessageStore
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.conversation_pane import ConversationPane
from mailclient.ui.i18n import QT_TRANSLATE_NOOP, tr
from mailclient.ui.reader_actions import ReaderActions
from mailclient.ui.remote_image_loader import RemoteImageLoader

log = logging.getLogger(__name__)
DOWNLOADING = QT_TRANSLATE_NOOP("mailclient", "Downloading message…")
NOT_DOWNLOADED = QT_TRANSLATE_NOOP(
    "mailclient", "This message has not been downloaded yet; it will be when the server can "
                  "be reached.")
GONE = QT_TRANSLATE_NOOP(
    "mailclient", "This message is no longer on the server, so it cannot be downloaded.")


class MessageDisplay(QObject):
    """Fills a ``ConversationPane`` from the window's store connection; ``images`` loads
    the remote images its reader is allowed, ``reader_actions`` offers Print…, Save As… and
    Unsubscribe for the message shown (for menus too).

    Signals:
        opened(str | None, list[MessageRow]): the row ``key`` now shown and its messages
            (one, or a conversation's); None and [] for the placeholder.
        body_downloaded(str): the body of message ``id`` is now stored.
    """

    opened = Signal(object, list)
    body_downloaded = Signal(str)

    def __init__(self, store: MessageStore, service: MailService, bridge: Bridge,
                 pane: ConversationPane, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.service = service
        self.bridge = bridge
        self.pane = pane
        self.shown_key: str | None = None
        self.shown_id: str | None = None  # the message in the reader
        self._thread = 0
        self._downloads: dict[str, Operation] = {}
        self.images = RemoteImageLoader(pane.reader, service.accounts, bridge, self)
        self.reader_actions = ReaderActions(pane.reader, pane, bridge)  # Print…, Save As…
        pane.message_chosen.connect(self._show_one)

    def show(self, key: str | None, message: str | None = None, thread: int = 0) -> None:
        """Show row ``key``: message ``message``, or every message of conversation
        ``thread`` (oldest first, in every folder) when it has several, with the message
        already shown chosen if it is one of them."""
        if key == self.shown_key and key is not None:
            return
        self.shown_key, self._thread = key, thread
        rows = self._conversation(thread)
        if key is None or (message is None and not rows):
            self.pane.hide_conversation()
            self.shown_id = None
            self.pane.reader.clear()
            self.opened.emit(None, [])
            return
        if len(rows) > 1:  # the message shown stays, else the first unread, else the newest
            unread = [r.id for r in rows if "seen" not in r.flags]
            chosen = unread[0] if unread else rows[-1].id
            if self.shown_id in {r.id for r in rows}:
                chosen = str(self.shown_id)
            self.pane.show_conversation(rows, chosen)
        else:
            self.pane.hide_conversation()
            chosen = rows[0].id if rows else str(message)
        self._show_one(chosen)
        self.opened.emit(key, rows if len(rows) > 1 else self._rows([chosen]))

    def reload(self) -> None:
        """Re-read the conversation listed (flags changed here), keeping the message chosen."""
        if self.pane.conversation_shown() and self.shown_id is not None:
            rows = self._conversation(self._thread)
            if len(rows) > 1:
                self.pane.show_conversation(rows, self.shown_id)

    def cancel(self) -> None:
        """Drop the downloads still running (the window closes)."""
        for operation in self._downloads.values():
            operation.cancel()
        self._downloads.clear()
        self.images.cancel()

    def _conversation(self, thread: int) -> list[MessageRow]:
        try:
            return self.store.thread(thread) if thread else []
        except MailError as exc:
            log.warning("cannot read conversation %s: %s", thread, exc)
            return []

    def _rows(self, idents: list[str]) -> list[MessageRow]:
        found = []
        for ident in idents:
            try:
                found.append(self.store.message(ident))
            except MailError:
                continue
        return found

    def _show_one(self, ident: str) -> None:
        self.shown_id = ident
        try:
            row = self.store.message(ident)
            raw = self.store.raw(ident)
        except MailError as exc:
            self.pane.reader.clear(tr("This message cannot be shown: {error}")
                                   .format(error=exc))
            return
        if row.has_body:
            self.pane.reader.show_message(view_message(raw), raw)
            return
        self.pane.reader.show_headers_only(view_message(raw), tr(DOWNLOADING))
        self._download(ident)

    def _download(self, ident: str) -> None:
        if ident in self._downloads:
            return
        service = self.service  # the factory runs on the loop thread: no Qt objects
        self._downloads[ident] = self.bridge.run(
            lambda: service.mailbox.ensure_body(ident),
            lambda found: self._downloaded(ident, bool(found)),
            lambda failure: self._not_downloaded(ident, failure),
            label=tr("downloading a message"),
        )

    def _downloaded(self, ident: str, found: bool) -> None:
        self._downloads.pop(ident, None)
        if found:
            self.body_downloaded.emit(ident)
            if self.shown_id == ident:
                self._show_one(ident)
        elif self.shown_id == ident:
            self._show_headers(ident, tr(GONE))

    def _not_downloaded(self, ident: str, failure: Failure) -> None:
        self._downloads.pop(ident, None)
        if self.shown_id == ident:
            self._show_headers(ident, tr(NOT_DOWNLOADED),
                               tr("Why: {reason}").format(reason=failure.message))

    def _show_headers(self, ident: str, text: str, detail: str = "") -> None:
        try:
            raw = self.store.raw(ident)
        except MailError as exc:
            self.pane.reader.clear(tr("This message cannot be shown: {error}")
                                   .format(error=exc))
            return
        self.pane.reader.show_headers_only(view_message(raw), text, detail)
