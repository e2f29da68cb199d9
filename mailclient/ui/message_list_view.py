"""The message list's view: whole rows, several selectable, the flag column first (a click on
it flags), rows dragged out to a folder."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QDrag, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTreeView, QWidget

from mailclient.ui.i18n import tr
from mailclient.ui.message_list import (
    ACCOUNT,
    COLUMNS,
    DATE,
    FLAG,
    FOLDER,
    FROM,
    SIZE,
    SORTED_BY,
    SUBJECT,
    IdRole,
    KeyRole,
    MessageListModel,
)

MESSAGES_MIME = "application/x-mailclient-message-ids"


def dragged_ids(mime: QMimeData) -> list[str]:
    """The message ids a drag from the list carries (none for other drags)."""
    if not mime.hasFormat(MESSAGES_MIME):
        return []
    return [i for i in bytes(mime.data(MESSAGES_MIME).data()).decode().split("\n") if i]


class MessageListView(QTreeView):
    """A flat list selecting whole rows, several with Ctrl/Shift.

    Signals:
        row_selected(str | None): the key of the new current row (a message id, or a
            conversation key in conversation view), or None.
        flag_clicked(int): the flag column of this row was clicked.
    """

    row_selected = Signal(object)
    flag_clicked = Signal(int)

    def __init__(self, model: MessageListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAccessibleName(tr("Messages"))
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.drag_ids: Callable[[], list[str]] = lambda: [
            str(i.data(IdRole)) for i in self.selectionModel().selectedRows()]
        self._press: QPoint | None = None
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FLAG, QHeaderView.ResizeMode.Fixed)
        for column, width in ((FROM, 200), (DATE, 110), (SIZE, 80), (ACCOUNT, 150),
                              (FOLDER, 100), (FLAG, 28)):
            header.resizeSection(column, width)
        header.moveSection(header.visualIndex(ACCOUNT), header.visualIndex(DATE))
        header.moveSection(header.visualIndex(FOLDER), header.visualIndex(DATE))
        header.moveSection(header.visualIndex(FLAG), 0)
        self.show_columns(account=False, folder=False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(DATE, Qt.SortOrder.DescendingOrder)  # sorted in SQL
        self._sorted = (DATE, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort_chosen)
        self.setSortingEnabled(True)
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        self.clicked.connect(self._clicked)

    def restore_header(self, state: QByteArray) -> None:
        """Put back saved column widths and order; Subject keeps stretching."""
        header = self.header()
        if header.restoreState(state):
            header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(FLAG, QHeaderView.ResizeMode.Fixed)
            self._sort_chosen(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _sort_chosen(self, column: int, order: Qt.SortOrder) -> None:
        """A header click: sort by that column if the list can (else the arrow stays)."""
        if column not in SORTED_BY:
            column, order = self._sorted
            blocked = self.header().blockSignals(True)
            self.header().setSortIndicator(column, order)
            self.header().blockSignals(blocked)
        self._sorted = (column, order)
        self.list_model().sort(column, order)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() == FLAG:
            self.flag_clicked.emit(index.row())

    # dragging rows out (the model offers no mime data: the view makes its own) -----------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        left = event.button() == Qt.MouseButton.LeftButton
        index = self.indexAt(event.position().toPoint())
        on_selected = index.isValid() and self.selectionModel().isRowSelected(index.row())
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        self._press = event.position().toPoint() if left and on_selected and plain else None
        if self._press is None:
            super().mousePressEvent(event)  # a press on a selected row waits: it may drag

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = (event.position().toPoint() - self._press).manhattanLength()
            if moved >= QApplication.startDragDistance():
                self._press = None
                self.drag_messages()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is not None:  # a plain click on a selected row: choose it alone
            index = self.indexAt(self._press)
            self._press = None
            if index.isValid():
                self.setCurrentIndex(index)
                self.clicked.emit(index)
            return
        super().mouseReleaseEvent(event)

    def drag_mime(self) -> QMimeData | None:
        """What a drag of the selection carries: its message ids."""
        ids = self.drag_ids()
        if not ids:
            return None
        mime = QMimeData()
        mime.setData(MESSAGES_MIME, QByteArray("\n".join(ids).encode()))
        return mime

    def drag_messages(self) -> Qt.DropAction:
        """Start dragging the selected messages (a folder in the tree takes them)."""
        mime = self.drag_mime()
        if mime is None:
            return Qt.DropAction.IgnoreAction
        drag = QDrag(self)
        drag.setMimeData(mime)
        return drag.exec(Qt.DropAction.MoveAction, Qt.DropAction.MoveAction)

    def list_model(self) -> MessageListModel:
        model = self.model()
        assert isinstance(model, MessageListModel)
        return model

    def show_columns(self, *, account: bool, folder: bool) -> None:
        """Show or hide the Account and Folder columns (shown after Subject)."""
        self.setColumnHidden(ACCOUNT, not account)
        self.setColumnHidden(FOLDER, not folder)

    def current_id(self) -> str | None:
        """The message id of the current row (a conversation's newest message)."""
        index = self.currentIndex()
        return str(index.data(IdRole)) if index.isValid() else None

    def current_key(self) -> str | None:
        index = self.currentIndex()
        return str(index.data(KeyRole)) if index.isValid() else None

    def selected_rows(self) -> list[int]:
        """The selected rows, top to bottom."""
        return sorted(index.row() for index in self.selectionModel().selectedRows())

    def selected_keys(self) -> list[str]:
        model = self.list_model()
        return [model.key(row) for row in self.selected_rows()]

    def neighbour_key(self) -> str | None:
        """The row to select once the selected rows leave the list: the first one below
        them, else the last one above them (as Thunderbird does after a delete)."""
        rows = self.selected_rows()
        if not rows:
            return None
        model = self.list_model()
        chosen = set(rows)
        below = [r for r in range(rows[-1] + 1, model.rowCount()) if r not in chosen]
        above = [r for r in range(rows[0] - 1, -1, -1) if r not in chosen]
        for candidates in (below, above):
            if candidates:
                return model.key(candidates[0])
        return None

    def select_id(self, key: str | None) -> bool:
        """Make the row of ``key`` (or of a message id) current and only selected, if it is
        loaded; return whether it was."""
        return self.select_keys([] if key is None else [key], key)

    def select_keys(self, keys: Iterable[str], current: str | None) -> bool:
        """Select the loaded rows of ``keys`` with ``current``'s row current; return whether
        ``current`` was found."""
        model = self.list_model()
        found = None if current is None else model.row_of(current)
        if found is None:
            return False
        self.setCurrentIndex(model.index(found, SUBJECT))  # selects it alone
        selection = QItemSelection()
        for key in keys:
            row = model.row_of(key)
            if row is not None and row != found:
                selection.select(model.index(row, 0), model.index(row, len(COLUMNS) - 1))
        if not selection.isEmpty():
            self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.row_selected.emit(current.data(KeyRole) if current.isValid() else None)
