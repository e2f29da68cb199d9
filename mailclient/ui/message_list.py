"""The message list: a table model reading the store page by page, and its view."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from mailclient.core.errors import format_size
from mailclient.services.store.messages import MessageRow, MessageStore
from mailclient.ui.icons import icon
from mailclient.ui.list_scope import ListScope

PAGE_SIZE = 256
COLUMNS = ("From", "Subject", "Date", "Size", "Account", "Folder")
FROM, SUBJECT, DATE, SIZE, ACCOUNT, FOLDER = range(len(COLUMNS))
IdRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def short_size(size: int) -> str:
    """A compact size for a list column: ``812 B``, ``4.2 KB``, ``1.3 MB``."""
    return f"{size} B" if size < 1000 else format_size(size)


def sender_name(sender: str) -> str:
    """The display name of ``"Name <addr>"``, else the address."""
    name, address = parseaddr(sender)
    return name or address or sender


def folder_name(name: str) -> str:
    """A folder's name as the list shows it (``INBOX`` is "Inbox")."""
    return "Inbox" if name.upper() == "INBOX" else name


def format_date(iso: str | None, now: datetime | None = None) -> str:
    """A short local date: time today, weekday this week, day and month this year."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    now = now or datetime.now().astimezone()
    if when.date() == now.date():
        return when.strftime("%H:%M")
    age = (now.date() - when.date()).days
    if 0 < age < 7:
        return when.strftime("%a %H:%M")
    if when.year == now.year:
        return f"{when.day} {when.strftime('%b')}"
    return when.strftime("%Y-%m-%d")


class MessageListModel(QAbstractTableModel):
    """The messages of a ``ListScope``, newest first, fetched in pages on demand; or the
    rows of a search.

    Rows of a scope are read from SQLite ``page_size`` at a time as the view scrolls (Qt calls
    ``canFetchMore``/``fetchMore``), so a folder of 100,000 messages costs one page at first.
    Search results arrive whole (a search is bounded by its limit) through ``show_results``.
    """

    def __init__(self, store: MessageStore, page_size: int = PAGE_SIZE,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._scope: ListScope | None = None
        self._query: str | None = None
        self._rows: list[MessageRow] = []
        self._exhausted = True
        self._bold = QFont()
        self._bold.setBold(True)

    # selection of what to show ------------------------------------------------------
    @property
    def scope(self) -> ListScope | None:
        """The scope shown (None: nothing, or search results)."""
        return self._scope

    @property
    def query(self) -> str | None:
        """The search whose results are shown (None: not showing search results)."""
        return self._query

    @property
    def spans_accounts(self) -> bool:
        """Whether the rows may belong to different accounts (unified inbox, search)."""
        return self._query is not None or (self._scope is not None and self._scope.spans_accounts)

    @property
    def spans_folders(self) -> bool:
        """Whether the rows may lie in different folders (a whole account, search)."""
        return self._query is not None or (self._scope is not None and self._scope.spans_folders)

    def set_scope(self, scope: ListScope | None) -> None:
        """Show the messages of ``scope`` (None: nothing), leaving search results."""
        self._scope, self._query = scope, None
        self.reload()

    def show_results(self, query: str, rows: list[MessageRow]) -> None:
        """Show the ``rows`` a search for ``query`` found, in their order."""
        self.beginResetModel()
        self._scope, self._query = None, query
        self._rows = list(rows)
        self._exhausted = True
        self.endResetModel()

    def reload(self, keep_rows: int = 0) -> None:
        """Start again from the newest message (after a sync), loading pages until at least
        ``keep_rows`` rows are back (so a selection further down stays loaded). Search
        results are left alone: run the search again and ``show_results``."""
        if self._query is not None:
            return
        self.beginResetModel()
        self._rows = []
        self._exhausted = self._scope is None
        self.endResetModel()
        self.fetchMore(QModelIndex())
        while len(self._rows) < keep_rows and not self._exhausted:
            self.fetchMore(QModelIndex())

    def message_row(self, row: int) -> MessageRow:
        return self._rows[row]

    def row_of(self, ident: str) -> int | None:
        """The row of message ``ident`` among those loaded, if any."""
        for number, message in enumerate(self._rows):
            if message.id == ident:
                return number
        return None

    # paging -------------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        scope = self._scope
        if parent.isValid() or self._exhausted or scope is None:
            return
        page = self._store.list_messages(account=scope.account, folder=scope.folder,
                                         role=scope.role, limit=self._page_size,
                                         offset=len(self._rows))
        if len(page) < self._page_size:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # table --------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        message = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(message, column)
        if role == Qt.ItemDataRole.FontRole and "seen" not in message.flags:
            return self._bold
        if role == Qt.ItemDataRole.DecorationRole and column == SUBJECT and message.attachments:
            return icon("paperclip")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(message, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return message.id
        return None

    @staticmethod
    def _display(message: MessageRow, column: int) -> str:
        if column == FROM:
            return sender_name(message.sender)
        if column == SUBJECT:
            return message.subject or "(no subject)"
        if column == DATE:
            return format_date(message.date)
        if column == ACCOUNT:
            return message.account
        if column == FOLDER:
            return folder_name(message.folder)
        return short_size(message.size)

    @staticmethod
    def _tooltip(message: MessageRow, column: int) -> str | None:
        if column == FROM:
            return message.sender
        if column == DATE:
            return message.date
        if column in (ACCOUNT, FOLDER):
            return f"{message.account}: {folder_name(message.folder)}"
        if column == SUBJECT and message.attachments:
            count = message.attachments
            return f"{count} attachment{'s' if count != 1 else ''}"
        return None


class MessageListView(QTreeView):
    """A flat, row-selecting list; emits ``message_selected`` with the id (or None)."""

    message_selected = Signal(object)

    def __init__(self, model: MessageListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(FROM, 200)
        header.resizeSection(DATE, 110)
        header.resizeSection(SIZE, 80)
        header.resizeSection(ACCOUNT, 150)
        header.resizeSection(FOLDER, 100)
        header.moveSection(header.visualIndex(ACCOUNT), header.visualIndex(DATE))
        header.moveSection(header.visualIndex(FOLDER), header.visualIndex(DATE))
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
        index = self.currentIndex()
        return str(index.data(IdRole)) if index.isValid() else None

    def select_id(self, ident: str | None) -> bool:
        """Make message ``ident`` current if it is loaded; return whether it was."""
        row = None if ident is None else self.list_model().row_of(ident)
        if row is None:
            return False
        self.setCurrentIndex(self.list_model().index(row, SUBJECT))
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.message_selected.emit(current.data(IdRole) if current.isValid() else None)
