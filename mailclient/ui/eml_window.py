"""A message file (.eml) opened in its own reader window; Open Message File… to choose one."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from mailclient.core.message_parse import MessageView, view_message
from mailclient.services.accounts import AccountService
from mailclient.ui.bridge import Bridge
from mailclient.ui.i18n import tr
from mailclient.ui.reader import ReaderPane
from mailclient.ui.reader_actions import ReaderActions
from mailclient.ui.remote_image_loader import RemoteImageLoader

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 100 * 1024 * 1024


def view_or_raw_text(raw: bytes) -> MessageView:
    """The message view of ``raw``; for bytes that cannot be read as mail, their text."""
    try:
        return view_message(raw)
    except Exception:  # noqa: BLE001 - any file may be opened; raw text at worst
        log.info("message file not readable as mail; showing its text", exc_info=True)
        text = raw.decode("utf-8", "replace")
        return MessageView(headers=[], from_="", to=[], cc=[], subject="", date=None,
                           text=text, html=None)


class EmlWindow(QMainWindow):
    """One message file in a reader, with Print…, Save As… and Unsubscribe; remote images
    as in the main window when a bridge and the accounts are given."""

    def __init__(self, raw: bytes, path: Path, parent: QWidget | None = None, *,
                 bridge: Bridge | None = None, accounts: AccountService | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.reader = ReaderPane()
        self.setCentralWidget(self.reader)
        self.actions_ = ReaderActions(self.reader, self, bridge, ssl_context=ssl_context)
        self.images = (RemoteImageLoader(self.reader, accounts, bridge, self,
                                         ssl_context=ssl_context)
                       if bridge is not None and accounts is not None else None)
        view = view_or_raw_text(raw)
        self.reader.show_message(view, raw)
        self.setWindowTitle(tr("{subject} — {file}").format(
            subject=view.subject or tr("(no subject)"), file=path.name))
        self.resize(800, 700)
        menu = self.menuBar().addMenu(tr("&File"))
        menu.addActions([self.actions_.print_action, self.actions_.save_action,
                         self.actions_.unsubscribe_action])
        menu.addSeparator()
        close = menu.addAction(tr("Close"))
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)


def read_message_file(path: Path) -> bytes:
    """The bytes of a message file; ``OSError`` if unreadable, ``ValueError`` if too big."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(tr("the file is larger than 100 MB"))
    return path.read_bytes()


class MessageFileOpener(QObject):
    """The Open Message File… action: each file chosen opens in an ``EmlWindow``.

    Signals:
        opened(EmlWindow): a message file is shown.
    """

    opened = Signal(object)

    def __init__(self, parent: QWidget, bridge: Bridge | None = None,
                 accounts: AccountService | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self.bridge = bridge
        self.accounts = accounts
        self.windows: list[EmlWindow] = []
        self.action = QAction(tr("Open Message File…"), self)
        self.action.setShortcut(QKeySequence.StandardKey.Open)
        self.action.triggered.connect(self.choose)

    def choose(self) -> None:
        """Ask for a .eml file, then open it."""
        path, _ = QFileDialog.getOpenFileName(self._parent, tr("Open Message File"),
                                              str(Path.home()),
                                              tr("Email messages (*.eml);;All files (*)"))
        if path:
            self.open(Path(path))

    def open(self, path: Path) -> EmlWindow | None:
        """Show the message in ``path`` in a new window (None, told, if it cannot be read)."""
        try:
            raw = read_message_file(path)
        except (OSError, ValueError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.warning(self._parent, tr("Open Message File"),
                                tr("Cannot open {path}: {why}").format(path=str(path), why=why))
            return None
        window = EmlWindow(raw, path, bridge=self.bridge, accounts=self.accounts)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.windows.append(window)
        window.destroyed.connect(lambda: self._forget(window))
        window.show()
        self.opened.emit(window)
        return window

    def _forget(self, window: EmlWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
