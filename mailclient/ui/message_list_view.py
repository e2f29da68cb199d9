"""The message list's view: whole rows, several selectable, the flag column first."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from mailclient.ui.message_list import (
    ACCOUNT,
    COLUMNS,
    DATE,
    FLAG,
    FOLDER,
    FROM,
    SIZE,
    SUBJECT,
    IdRole,
    KeyRole,
    MessageListModel,
)


class MessageListView(QTreeView):
    """A flat list selecting whole rows, several with Ctrl/Shift.

    Signals:
        row_selected(str | None): the key of the new current row (a message id, or a
            conversation key in conversation view), or None.
    """

    row_selected = Signal(object)

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
        self.selectionModel().currentRowChanged.connect(self._current_changed)

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
