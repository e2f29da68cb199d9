"""The parts of the compose window: address fields with completion, the attachment list."""

from __future__ import annotations

import logging
import re
from email.utils import getaddresses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.errors import MailError, format_size
from mailclient.core.message_build import Attachment
from mailclient.core.message_parse import format_address
from mailclient.services.store.messages import MessageStore
from mailclient.ui.i18n import plural, tr
from mailclient.ui.notice_style import notice_style

log = logging.getLogger(__name__)
SIZE_WARNING = 25_000_000  # what most providers (Gmail, Outlook) accept at most
ADDRESS_ROWS = 5000  # the newest messages whose addresses completion offers
# Line ends (ASCII and Unicode) and other control characters: never in a header.
UNSAFE_IN_HEADER = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def known_addresses(store: MessageStore, *, limit: int = ADDRESS_ROWS) -> list[str]:
    """The distinct senders and recipients of the newest stored messages, as
    ``Name <addr>`` (the first form seen of each address), sorted."""
    try:
        rows = store.list_messages(limit=limit)
    except MailError as exc:
        log.warning("no address completion: %s", exc)
        return []
    found: dict[str, str] = {}
    for row in rows:
        for display, addr in getaddresses([row.sender, *row.to]):
            if "@" in addr and addr.lower() not in found:
                found[addr.lower()] = format_address(display, addr)
    return sorted(found.values(), key=str.lower)


def split_addresses(text: str) -> list[str]:
    """The addresses of a comma separated field (a quoted name may hold a comma). A field
    holding a line break or control character is one value as typed: the parser would split
    it into extra recipients ("a@x\\nBcc: b@y"), building the message refuses it instead."""
    if UNSAFE_IN_HEADER.search(text):
        return [text]
    found = []
    for display, addr in getaddresses([text]):
        if addr or display:
            found.append(format_address(display, addr))
    return found


class AddressEdit(QLineEdit):
    """A comma separated address field; the address being typed is completed from
    ``addresses`` (any part of a name or address matches)."""

    def __init__(self, addresses: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.completer_ = QCompleter(addresses, self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setWidget(self)
        self.completer_.activated.connect(self.insert_completion)
        self.textEdited.connect(self._complete)

    def _token_start(self) -> int:
        before = self.text()[: self.cursorPosition()]
        return before.rfind(",") + 1

    def _complete(self, _text: str) -> None:
        token = self.text()[self._token_start(): self.cursorPosition()].strip()
        popup = self.completer_.popup()
        if not token:
            if popup is not None:
                popup.hide()
            return
        self.completer_.setCompletionPrefix(token)
        if self.completer_.completionCount():
            self.completer_.complete()
        elif popup is not None:
            popup.hide()

    def insert_completion(self, value: str) -> None:
        """Put ``value`` in place of the address being typed, then ", " for the next."""
        start, end = self._token_start(), self.cursorPosition()
        text = self.text()
        head = text[:start].rstrip()
        head = f"{head} " if head else ""
        self.setText(f"{head}{value}, {text[end:].lstrip(' ,')}".rstrip())
        self.setCursorPosition(len(head) + len(value) + 2)

    def addresses(self) -> list[str]:
        return split_addresses(self.text())

    def set_addresses(self, values: list[str]) -> None:
        self.setText(", ".join(values))


class AttachmentList(QWidget):
    """The files to send: name and size each, a remove button, and a warning when the total
    is more than most servers accept.

    Signals:
        changed(): a file was added or removed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.files: list[Attachment] = []
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Attachments"))
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._update_state)
        self.remove_button = QToolButton()
        self.remove_button.setText(tr("Remove"))
        self.remove_button.setToolTip(tr("Remove the selected attachments (Del)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.total = QLabel()
        self.total.setStyleSheet(notice_style(self, "dim"))
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(notice_style(self, "warning") + " padding: 3px 6px;")
        side = QVBoxLayout()
        side.addWidget(self.remove_button)
        side.addWidget(self.total)
        side.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        self._refresh()

    def add(self, attachment: Attachment) -> None:
        self.files.append(attachment)
        self._refresh()
        self.changed.emit()

    def add_file(self, path: Path) -> None:
        """Attach the file at ``path``; ``OSError`` if it cannot be read."""
        self.add(Attachment(path.name, path.read_bytes()))

    def remove_selected(self) -> None:
        rows = sorted({self.list.row(item) for item in self.list.selectedItems()}, reverse=True)
        for row in rows:
            del self.files[row]
        if rows:
            self._refresh()
            self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_selected()
            return
        super().keyPressEvent(event)

    def total_size(self) -> int:
        return sum(len(a.data) for a in self.files)

    def _refresh(self) -> None:
        self.list.clear()
        for attachment in self.files:
            item = QListWidgetItem(f"{attachment.filename}  ({format_size(len(attachment.data))})")
            item.setToolTip(attachment.mime_type)
            self.list.addItem(item)
        size = self.total_size()
        count = len(self.files)
        rows = max(min(count, 3), 1) * max(self.list.sizeHintForRow(0), 16)
        self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 4)
        files = plural(count, tr("{count} file"), tr("{count} files"))
        self.total.setText(tr("{files}, {size}").format(files=files, size=format_size(size)))
        self.warning.setText(
            tr("These attachments make {size}: many mail servers refuse messages over {limit}. "
               "Share large files by a link instead.").format(
                size=format_size(size), limit=format_size(SIZE_WARNING)))
        self.warning.setVisible(size > SIZE_WARNING)
        self.setVisible(bool(self.files))
        self._update_state()

    def _update_state(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
