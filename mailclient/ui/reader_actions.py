"""What the user does with the message a reader shows: Print…, Save As… (.eml), Unsubscribe."""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from mailclient.core.list_unsubscribe import Unsubscribe
from mailclient.services.unsubscribe import one_click_unsubscribe
from mailclient.ui.attachment_actions import AttachmentActions
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import tr
from mailclient.ui.reader import ReaderPane

log = logging.getLogger(__name__)
IMAGE = QTextDocument.ResourceType.ImageResource


def ask(parent: QWidget, title: str, question: str) -> bool:
    """A yes/no question; No is the default."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def file_name_for(subject: str) -> str:
    """A file name for a message: its subject without characters file systems refuse."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", subject).strip(" .")[:80]
    return f"{name or 'message'}.eml"


def printable_document(reader: ReaderPane) -> QTextDocument:
    """The body of the message shown with its headers above it, and only the images the
    view already has (the copy loads nothing by itself)."""
    body = reader.body
    document = body.document().clone(body)
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            image = iterator.fragment().charFormat().toImageFormat()
            if image.isValid():
                url = QUrl(image.name())
                document.addResource(IMAGE, url, body.loadResource(IMAGE, url))
            iterator += 1
        block = block.next()
    view = reader.view
    if view is not None:
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        rows = [(tr("Subject"), view.subject), (tr("From"), view.from_),
                (tr("To"), ", ".join(view.to)), (tr("Cc"), ", ".join(view.cc)),
                (tr("Date"), reader.fields["Date"].text())]
        cursor.insertBlock()  # the headers go in blocks of their own, above the body
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        cursor.insertHtml("<br>".join(f"<b>{_escape(k)}:</b> {_escape(v)}" for k, v in rows if v))
        cursor.insertBlock()
    return document


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ReaderActions(QObject):
    """Print…, Save As… and Unsubscribe for ``reader``'s message, as QActions (also offered
    in the reader itself); menus may add the same actions.

    ``on_compose``: opens a compose window filled from a mailto: unsubscribe address (the
    desktop's mail program when None). ``confirm(title, question)``: asks the user.

    Signals:
        note(str): what happened, for the status bar.
    """

    note = Signal(str)

    def __init__(self, reader: ReaderPane, parent: QWidget, bridge: Bridge | None = None, *,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self.bridge = bridge
        self.ssl_context = ssl_context
        self._parent = parent
        self.on_compose: Callable[[str], None] | None = None  # gets the mailto: URL
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(parent, title, text)
        self.print_action = QAction(tr("Print…"), self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.save_action = QAction(tr("Save As…"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.SaveAs)
        self.unsubscribe_action = QAction(tr("Unsubscribe"), self)
        self.unsubscribe_action.setToolTip(tr("Leave the mailing list this message came from"))
        self.print_action.triggered.connect(self.print_message)
        self.save_action.triggered.connect(self.save_as)
        self.unsubscribe_action.triggered.connect(self.unsubscribe)
        self.attachments = AttachmentActions(reader, parent)  # open, save, save all
        self.attachments.note.connect(self.note)
        reader.message_changed.connect(self.update_state)
        reader.add_action(self.unsubscribe_action)
        reader.add_action(self.print_action, button=False)
        reader.add_action(self.save_action, button=False)
        self.update_state()

    def update_state(self) -> None:
        """Enable what the message shown allows; Unsubscribe only for list mail."""
        self.print_action.setEnabled(self.reader.view is not None)
        self.save_action.setEnabled(self.reader.raw is not None)
        self.unsubscribe_action.setVisible(self.reader.unsubscribe() is not None)

    # printing and saving ------------------------------------------------------------
    def print_message(self) -> None:
        """Ask for a printer, then print the message shown."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self._parent)
        dialog.setWindowTitle(tr("Print Message"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the message shown (headers, then body) on ``printer``."""
        document = printable_document(self.reader)
        document.print_(printer)
        document.deleteLater()

    def save_as(self) -> None:
        """Ask for a file name, then save the message shown there as it arrived (.eml)."""
        if self.reader.raw is None:
            return
        subject = self.reader.view.subject if self.reader.view is not None else ""
        path, _ = QFileDialog.getSaveFileName(
            self._parent, tr("Save Message As"), str(Path.home() / file_name_for(subject)),
            tr("Email messages (*.eml);;All files (*)"))
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the raw bytes of the message shown to ``path``; False (told) if it failed."""
        if self.reader.raw is None:
            return False
        try:
            path.write_bytes(self.reader.raw)
        except OSError as exc:
            QMessageBox.warning(self._parent, tr("Save Message As"),
                                tr("Cannot save {path}: {why}").format(
                                    path=str(path), why=exc.strerror or str(exc)))
            return False
        self.note.emit(tr("Saved {path}").format(path=str(path)))
        return True

    # unsubscribing ------------------------------------------------------------------
    def unsubscribe(self) -> None:
        """Leave the list: one click (after asking), by mail, or on the list's web page."""
        methods = self.reader.unsubscribe()
        if methods is None:
            return
        if methods.one_click and self.bridge is not None:
            self._one_click(methods)
        elif methods.mailto is not None:
            if self.on_compose is not None:
                self.on_compose(methods.mailto)
            else:
                QDesktopServices.openUrl(QUrl(methods.mailto))
        elif methods.web is not None and self.confirm(
                tr("Unsubscribe"), tr("Open the page to unsubscribe, {url}?").format(
                    url=methods.web)):
            QDesktopServices.openUrl(QUrl(methods.web))

    def _one_click(self, methods: Unsubscribe) -> None:
        host = QUrl(methods.web or "").host()
        if not self.confirm(tr("Unsubscribe"), tr(
                "Unsubscribe from this mailing list? A request will be sent to {host}.").format(
                host=host)):
            return
        assert self.bridge is not None
        context = self.ssl_context
        self.unsubscribe_action.setEnabled(False)
        self.bridge.run(lambda: one_click_unsubscribe(methods, ssl_context=context),
                        lambda _status: self._unsubscribed(host), self._not_unsubscribed,
                        label=tr("unsubscribing"))

    def _unsubscribed(self, host: str) -> None:
        self.unsubscribe_action.setEnabled(True)
        self.note.emit(tr("Unsubscribed: {host} accepted the request.").format(host=host))

    def _not_unsubscribed(self, failure: Failure) -> None:
        self.unsubscribe_action.setEnabled(True)
        self.note.emit(tr("Unsubscribing failed: {why}").format(why=failure.message))
