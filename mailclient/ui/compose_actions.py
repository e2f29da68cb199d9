"""Write, Reply, Reply All and Forward from the main window, and the delay with Undo
before a message is really sent."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from mailclient.core.errors import MailError
from mailclient.services.store.messages import MessageRow
from mailclient.ui.compose_fields import known_addresses
from mailclient.ui.compose_reply import ComposeSeed, forward_seed, reply_seed
from mailclient.ui.compose_window import AUTOSAVE_MS, ComposeWindow
from mailclient.ui.i18n import tr
from mailclient.ui.icons import icon

if TYPE_CHECKING:
    from mailclient.ui.main_window import MainWindow

UNDO_MS = 5000


class UndoBar(QWidget):
    """"Sending “subject”… Undo" in the main window's status bar (hidden when idle)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        self.label = QLabel()
        self.undo_button = QPushButton(tr("Undo"))
        self.undo_button.setToolTip(tr("Stop sending and open the message again"))
        layout.addWidget(self.label)
        layout.addWidget(self.undo_button)
        self.hide()


class ComposeActions(QObject):
    """The compose actions of ``window`` and the compose windows they opened.

    ``undo_ms``: how long a sent message waits, with Undo offered, before it is really
    sent (0: at once). ``autosave_ms``: how often a changed compose window saves its draft.

    Signals:
        scheduled(): a message was put in the outbox to go later (Send Later).
    """

    scheduled = Signal()

    def __init__(self, window: MainWindow, *, undo_ms: int = UNDO_MS,
                 autosave_ms: int = AUTOSAVE_MS) -> None:
        super().__init__(window)
        self.main = window
        self.undo_ms = undo_ms
        self.autosave_ms = autosave_ms
        self.windows: list[ComposeWindow] = []
        self.waiting: list[tuple[ComposeWindow, QTimer, int]] = []  # oldest first, outbox id
        self.write_action = self._action("write", tr("&Write"), "Ctrl+N",
                                         tr("Write a new message"))
        self.reply_action = self._action("reply", tr("&Reply"), "Ctrl+R",
                                         tr("Reply to the sender"))
        self.reply_all_action = self._action("reply-all", tr("Reply &All"), "Ctrl+Shift+R",
                                             tr("Reply to the sender and every recipient"))
        self.forward_action = self._action("forward", tr("&Forward"), "Ctrl+L",
                                           tr("Forward the message with its attachments"))
        self.undo_bar = UndoBar()
        window.statusBar().addPermanentWidget(self.undo_bar)
        self.write_action.triggered.connect(lambda: self.write())
        self.reply_action.triggered.connect(lambda: self.reply())
        self.reply_all_action.triggered.connect(lambda: self.reply(everyone=True))
        self.forward_action.triggered.connect(lambda: self.forward())
        self.undo_bar.undo_button.clicked.connect(self.undo)
        window.display.opened.connect(lambda *_: self.update_state())
        window.installEventFilter(self)  # closing it sends what waits for the undo delay
        self.update_state()

    def _action(self, glyph: str, text: str, key: str, tip: str) -> QAction:
        action = QAction(icon(glyph), text, self.main)
        action.setShortcut(QKeySequence(key))
        action.setToolTip(tr("{tip} ({key})").format(tip=tip, key=key))
        return action

    def update_state(self) -> None:
        shown = self.main.display.shown_id is not None
        for action in (self.reply_action, self.reply_all_action, self.forward_action):
            action.setEnabled(shown)

    # opening ------------------------------------------------------------------------
    def open(self, seed: ComposeSeed | None = None, account: str | None = None,
             draft_id: str | None = None) -> ComposeWindow | None:
        """Open a compose window (None, with a note, when there is no account)."""
        accounts = self.main.service.accounts.accounts()
        if not accounts:
            self.main.statusBar().showMessage(
                tr("Add an account first: choose Add Account…."))
            return None
        compose = ComposeWindow(self.main.service, self.main.bridge, accounts,
                                known_addresses(self.main.reader_store), account=account,
                                seed=seed, draft_id=draft_id, autosave_ms=self.autosave_ms,
                                parent=self.main)
        compose.send_requested.connect(lambda: self._send_requested(compose))
        compose.sending.message_sent.connect(self._sent)
        compose.sending.message_scheduled.connect(self._scheduled)
        compose.finished.connect(lambda: self._forget(compose))
        self.windows.append(compose)
        compose.show()
        return compose

    def write(self) -> ComposeWindow | None:
        """An empty compose window, from the account of the message shown if any."""
        row = self._shown_row()
        return self.open(account=row.account if row else None)

    def reply(self, *, everyone: bool = False) -> ComposeWindow | None:
        """Reply (to all with ``everyone``) to the message shown in the reader."""
        found = self._shown()
        if found is None:
            return None
        account, raw = found
        own = self.main.service.accounts.get(account)
        aliases = [identity.email for identity in own.identities]
        return self.open(reply_seed(raw, own.email, everyone=everyone, aliases=aliases), account)

    def forward(self) -> ComposeWindow | None:
        """Forward the message shown in the reader, inline, with its attachments."""
        found = self._shown()
        return self.open(forward_seed(found[1]), found[0]) if found is not None else None

    def open_draft(self, draft_id: str) -> ComposeWindow | None:
        """Open the saved draft ``draft_id`` to go on writing it."""
        try:
            saved = self.main.service.drafts.get(draft_id)
        except MailError as exc:
            self.main.statusBar().showMessage(tr("The draft cannot be opened: {error}")
                                              .format(error=exc))
            return None
        seed = ComposeSeed(to=saved.to, cc=saved.cc, bcc=saved.bcc, subject=saved.subject,
                           text=saved.text, attachments=list(saved.attachments),
                           in_reply_to=saved.in_reply_to, references=list(saved.references),
                           sent_to=[saved.sender] if saved.sender else [])
        return self.open(seed, saved.account, draft_id=saved.id)

    def edit_stored_draft(self, ident: str) -> ComposeWindow | None:
        """Go on writing a draft found in an account's Drafts folder (saved by another client
        or computer); saving it replaces that copy on the server."""
        try:
            row = self.main.reader_store.message(ident)
            folder = self.main.reader_store.folder(row.account, row.folder)
            raw = self.main.reader_store.raw(ident)
            saved = self.main.service.drafts.adopt(
                row.account, raw, folder=folder.name, uidvalidity=folder.uidvalidity,
                uid=row.uid)
        except MailError as exc:
            self.main.statusBar().showMessage(tr("The draft cannot be opened: {error}")
                                              .format(error=exc))
            return None
        return self.open_draft(saved.id)

    def _shown_row(self) -> MessageRow | None:
        ident = self.main.display.shown_id
        try:
            return self.main.reader_store.message(ident) if ident else None
        except MailError:
            return None

    def _shown(self) -> tuple[str, bytes] | None:
        ident = self.main.display.shown_id
        if ident is None:
            return None
        try:
            row = self.main.reader_store.message(ident)
            raw = self.main.reader_store.raw(ident)
            self.main.service.accounts.get(row.account)
        except MailError as exc:
            self.main.statusBar().showMessage(tr("Cannot answer this message: {error}")
                                              .format(error=exc))
            return None
        return row.account, raw

    def _forget(self, compose: ComposeWindow) -> None:
        if compose in self.windows:  # ``finished`` may come twice
            self.windows.remove(compose)
            compose.deleteLater()

    # sending with undo --------------------------------------------------------------
    def _send_requested(self, compose: ComposeWindow) -> None:
        if self.undo_ms <= 0:
            compose.sending.send_now()
            return
        item = compose.sending.queue(self.undo_ms / 1000)
        if item is None:
            return
        compose.hide()
        timer = QTimer(self, singleShot=True, interval=self.undo_ms)
        timer.timeout.connect(lambda: self._delay_over(compose))
        self.waiting.append((compose, timer, item))
        timer.start()
        self._update_bar()

    def _delay_over(self, compose: ComposeWindow) -> None:
        items = [w[2] for w in self.waiting if w[0] is compose]
        self._stop_waiting(compose)
        for item in items:
            compose.sending.send_queued(item)

    def undo(self) -> None:
        """Stop the latest message waiting to be sent and show its window again."""
        if not self.waiting:
            return
        compose, _timer, item = self.waiting[-1]
        self._stop_waiting(compose)
        if not compose.sending.cancel(item):
            self.main.statusBar().showMessage(
                tr("Too late to undo: the message is on its way."), 5000)
            return
        compose.show()
        compose.raise_()
        compose.activateWindow()
        self.main.statusBar().showMessage(
            tr("Sending undone: the message is open again."), 5000)

    def _stop_waiting(self, compose: ComposeWindow) -> None:
        for item in [w for w in self.waiting if w[0] is compose]:
            item[1].stop()
            self.waiting.remove(item)
        self._update_bar()

    def _update_bar(self) -> None:
        if not self.waiting:
            self.undo_bar.hide()
            return
        subject = self.waiting[-1][0].subject_edit.text().strip() or tr("(no subject)")
        more = len(self.waiting) - 1
        text = (tr("Sending “{subject}” (and {more} more)…") if more
                else tr("Sending “{subject}”…"))
        self.undo_bar.label.setText(text.format(subject=subject, more=more))
        self.undo_bar.show()

    def _sent(self, subject: str) -> None:
        self.main.statusBar().showMessage(
            tr("Sent “{subject}”.").format(subject=subject or tr("(no subject)")), 5000)

    def _scheduled(self, subject: str, when: float) -> None:
        self.scheduled.emit()
        shown = datetime.fromtimestamp(when).strftime("%a %d %b %H:%M")
        self.main.statusBar().showMessage(
            tr("“{subject}” waits in the outbox until {when}.").format(
                subject=subject or tr("(no subject)"), when=shown), 8000)

    def send_waiting(self) -> None:
        """Send at once what waits for its undo delay (the main window closes)."""
        for compose, _timer, _item in list(self.waiting):
            self._delay_over(compose)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
        if watched is self.main and event.type() == QEvent.Type.Close:
            self.send_waiting()
        return super().eventFilter(watched, event)
