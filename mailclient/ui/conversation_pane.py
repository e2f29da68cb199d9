"""The reading area: the messages of a conversation (when it has several) above the reader."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mailclient.services.store.messages import MessageRow
from mailclient.ui.i18n import message_count, tr
from mailclient.ui.icons import icon
from mailclient.ui.list_format import folder_name, format_date, sender_name
from mailclient.ui.notice_style import notice_style
from mailclient.ui.reader import ReaderPane

IdRole = Qt.ItemDataRole.UserRole + 1
VISIBLE_ROWS = 5
STAR, SENDER, FOLDER, DATE = range(4)


class ConversationPane(QWidget):
    """The ``reader``, and above it (for a conversation of several messages) a short list of
    them, oldest first, to pick the one it shows.

    Signals:
        message_chosen(str): the user picked another message of the conversation.
    """

    message_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.caption = QLabel()
        self.caption.setStyleSheet("padding: 4px 12px; " + notice_style(self, "dim"))
        self.messages = QTreeWidget()
        self.messages.setAccessibleName(tr("Messages of the conversation"))
        self.messages.setColumnCount(4)
        self.messages.setHeaderHidden(True)
        self.messages.setRootIsDecorated(False)
        self.messages.setUniformRowHeights(True)
        self.messages.setAlternatingRowColors(True)
        self.messages.setFrameShape(QFrame.Shape.NoFrame)
        self.messages.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.messages.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(STAR, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(STAR, 28)
        header.setSectionResizeMode(SENDER, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(FOLDER, 120)
        header.resizeSection(DATE, 110)
        self.line = QFrame()
        self.line.setFrameShape(QFrame.Shape.HLine)
        self.line.setFrameShadow(QFrame.Shadow.Sunken)
        self.reader = ReaderPane()
        layout.addWidget(self.caption)
        layout.addWidget(self.messages)
        layout.addWidget(self.line)
        layout.addWidget(self.reader, 1)
        self.messages.currentItemChanged.connect(self._current_changed)
        self.hide_conversation()

    def show_conversation(self, rows: list[MessageRow], current: str) -> None:
        """List ``rows`` (a conversation, oldest first) with ``current`` chosen."""
        with QSignalBlocker(self.messages):
            self.messages.clear()
            for row in rows:
                self.messages.addTopLevelItem(_item(row))
            chosen = self._find(current)
            if chosen is not None:
                self.messages.setCurrentItem(chosen)
        self.caption.setText(tr("Conversation of {count}").format(count=message_count(len(rows))))
        shown = min(len(rows), VISIBLE_ROWS)
        height = self.messages.sizeHintForRow(0) * shown + 2 * self.messages.frameWidth()
        self.messages.setFixedHeight(height)
        for widget in (self.caption, self.messages, self.line):
            widget.show()
        if chosen is not None:
            self.messages.scrollToItem(chosen)

    def hide_conversation(self) -> None:
        """Show the reader alone (one message, or none)."""
        with QSignalBlocker(self.messages):
            self.messages.clear()
        for widget in (self.caption, self.messages, self.line):
            widget.hide()

    def conversation_shown(self) -> bool:
        return not self.messages.isHidden()

    def listed_ids(self) -> list[str]:
        """The ids of the conversation's messages listed (none for a single message)."""
        return [str(item.data(0, IdRole)) for item in self._items()]

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.messages.topLevelItem(i) for i in range(self.messages.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _find(self, ident: str) -> QTreeWidgetItem | None:
        return next((item for item in self._items() if item.data(0, IdRole) == ident), None)

    def _current_changed(self, current: QTreeWidgetItem | None,
                         _previous: QTreeWidgetItem | None) -> None:
        if current is not None:
            self.message_chosen.emit(str(current.data(0, IdRole)))


def _item(row: MessageRow) -> QTreeWidgetItem:
    item = QTreeWidgetItem(["", sender_name(row.sender), folder_name(row.folder),
                            format_date(row.date)])
    item.setData(0, IdRole, row.id)
    item.setToolTip(SENDER, row.sender)
    item.setToolTip(FOLDER, tr("{account}: {folder}").format(account=row.account,
                                                             folder=folder_name(row.folder)))
    item.setToolTip(DATE, row.date or "")
    if "flagged" in row.flags:
        item.setIcon(STAR, icon("flag"))
    if "seen" not in row.flags:
        font = QFont(item.font(SENDER))
        font.setBold(True)
        for column in (SENDER, FOLDER, DATE):
            item.setFont(column, font)
    return item
