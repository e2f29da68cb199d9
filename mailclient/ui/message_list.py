"""The message list's model: the store's messages or conversations, read page by page."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from mailclient.core.errors import NotFoundError
from mailclient.services.store.messages import MessageRow, MessageStore
from mailclient.services.store.threads import ThreadRow
from mailclient.ui.icons import icon
from mailclient.ui.list_format import folder_name, format_date, sender_name, short_size
from mailclient.ui.list_scope import ListScope

__all__ = ["COLUMNS", "MessageListModel", "format_date", "sender_name", "short_size"]

PAGE_SIZE = 256
COLUMNS = ("From", "Subject", "Date", "Size", "Account", "Folder", "")
FROM, SUBJECT, DATE, SIZE, ACCOUNT, FOLDER, FLAG = range(len(COLUMNS))
IdRole = Qt.ItemDataRole.UserRole + 1  # the message id (a conversation's newest message)
KeyRole = Qt.ItemDataRole.UserRole + 2  # the row's key: a message id or a conversation key
AnyIndex = QModelIndex | QPersistentModelIndex


def row_key(message: MessageRow, *, grouped: bool) -> str:
    """The key of the list row showing ``message``: its id, or in conversation view the
    key of its conversation (``thread:12``); keys survive a reload."""
    return f"thread:{message.thread_id}" if grouped and message.thread_id else message.id


class MessageListModel(QAbstractTableModel):
    """The messages of a ``ListScope``, newest first, or its conversations (``grouped``),
    most recently active first, fetched in pages on demand; or the rows of a search.

    Rows of a scope are read from SQLite ``page_size`` at a time as the view scrolls (Qt calls
    ``canFetchMore``/``fetchMore``), so a folder of 100,000 messages costs one page at first.
    Search results arrive whole (a search is bounded by its limit) through ``show_results``
    and are never grouped.
    """

    def __init__(self, store: MessageStore, page_size: int = PAGE_SIZE,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._scope: ListScope | None = None
        self._query: str | None = None
        self._group = False
        self._rows: list[MessageRow] = []
        self._threads: list[ThreadRow] = []  # beside _rows while grouped
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
    def grouped(self) -> bool:
        """Whether the rows are conversations (never for search results)."""
        return self._group and self._query is None

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

    def set_grouped(self, grouped: bool) -> None:
        """Show a scope's conversations (True) or its messages; reloads if it changed."""
        if grouped != self._group:
            self._group = grouped
            self.reload()

    def show_results(self, query: str, rows: list[MessageRow]) -> None:
        """Show the ``rows`` a search for ``query`` found, in their order."""
        self.beginResetModel()
        self._scope, self._query = None, query
        self._rows = list(rows)
        self._threads = []
        self._exhausted = True
        self.endResetModel()

    def reload(self, keep_rows: int = 0) -> None:
        """Start again from the newest message (after a sync), loading pages until at least
        ``keep_rows`` rows are back (so a selection further down stays loaded). Search
        results are left alone: run the search again and ``show_results``."""
        if self._query is not None:
            return
        self.beginResetModel()
        self._rows, self._threads = [], []
        self._exhausted = self._scope is None
        self.endResetModel()
        self.fetchMore(QModelIndex())
        while len(self._rows) < keep_rows and not self._exhausted:
            self.fetchMore(QModelIndex())

    def message_row(self, row: int) -> MessageRow:
        """The message of ``row`` (a conversation's newest message in the scope)."""
        return self._rows[row]

    def thread_row(self, row: int) -> ThreadRow | None:
        """The conversation of ``row`` while grouped, else None."""
        return self._threads[row] if self.grouped else None

    def key(self, row: int) -> str:
        return row_key(self._rows[row], grouped=self.grouped)

    def row_of(self, key: str) -> int | None:
        """The row of ``key`` (or of a message id: in conversation view, its conversation's
        row) among those loaded, if any."""
        for number, message in enumerate(self._rows):
            if key in (message.id, row_key(message, grouped=self.grouped)):
                return number
        if not self.grouped or key.startswith("thread:"):
            return None
        try:
            thread_key = row_key(self._store.message(key), grouped=True)
        except NotFoundError:
            return None
        return None if thread_key == key else self.row_of(thread_key)

    def member_rows(self, row: int) -> list[MessageRow]:
        """The messages a row stands for: itself, or its conversation's messages in the
        scope (what an action on the row changes)."""
        thread = self.thread_row(row)
        scope = self._scope
        if thread is None or not thread.thread_id or scope is None:
            return [self._rows[row]]
        roles = {(f.account, f.name): f.role for f in self._store.folders()} if scope.role else {}
        return [m for m in self._store.thread(thread.thread_id)
                if scope.includes(m.account, m.folder, roles.get((m.account, m.folder)))]

    def update_messages(self, idents: Iterable[str]) -> bool:
        """Re-read the flags of these messages in place (no reset, the selection stays);
        False when that cannot be done (conversations, a message gone): reload instead."""
        if self.grouped:
            return False
        wanted = set(idents)
        for number, message in enumerate(self._rows):
            if message.id not in wanted:
                continue
            try:
                self._rows[number] = self._store.message(message.id)
            except NotFoundError:
                return False
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
        return True

    # paging -------------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        scope = self._scope
        if parent.isValid() or self._exhausted or scope is None:
            return
        offset = len(self._rows)
        threads = self._store.list_threads(
            account=scope.account, folder=scope.folder, role=scope.role,
            limit=self._page_size, offset=offset) if self.grouped else []
        page = [t.latest for t in threads] if self.grouped else self._store.list_messages(
            account=scope.account, folder=scope.folder, role=scope.role,
            limit=self._page_size, offset=offset)
        if len(page) < self._page_size:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self._threads.extend(threads)
        self.endInsertRows()

    # table --------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if section == FLAG and role == Qt.ItemDataRole.DecorationRole:
            return icon("flag-column")
        if section == FLAG and role == Qt.ItemDataRole.ToolTipRole:
            return "Flagged (S)"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        message = self._rows[index.row()]
        thread = self.thread_row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == SUBJECT and thread is not None and thread.count > 1:
                return f"{self._display(message, column)} ({thread.count})"
            return self._display(message, column)
        if role == Qt.ItemDataRole.FontRole:
            unread = thread.unread if thread is not None else "seen" not in message.flags
            return self._bold if unread else None
        if role == Qt.ItemDataRole.DecorationRole:
            if column == SUBJECT and message.attachments:
                return icon("paperclip")
            if column == FLAG and "flagged" in message.flags:
                return icon("flag")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(message, thread, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return message.id
        if role == KeyRole:
            return row_key(message, grouped=thread is not None)
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
        if column == FLAG:
            return ""
        return short_size(message.size)

    @staticmethod
    def _tooltip(message: MessageRow, thread: ThreadRow | None, column: int) -> str | None:
        if column == FROM:
            return message.sender
        if column == DATE:
            return message.date
        if column in (ACCOUNT, FOLDER):
            return f"{message.account}: {folder_name(message.folder)}"
        if column == FLAG and "flagged" in message.flags:
            return "Flagged"
        if column == SUBJECT and thread is not None and thread.count > 1:
            return f"A conversation of {thread.count} messages here, {thread.unread} unread"
        if column == SUBJECT and message.attachments:
            count = message.attachments
            return f"{count} attachment{'s' if count != 1 else ''}"
        return None
