"""The message list's model: the store's messages or conversations, read page by page."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import QWidget

from mailclient.core.errors import NotFoundError
from mailclient.services.store.messages import LIST_ORDERS, MessageRow, MessageStore
from mailclient.services.store.threads import ThreadRow
from mailclient.ui.icons import icon
from mailclient.ui.list_format import (
    cell_text,
    cell_tooltip,
    format_date,
    header_cell,
    row_key,
    sender_name,
    short_size,
)
from mailclient.ui.list_scope import ListScope, ScopeRows

__all__ = ["COLUMNS", "MessageListModel", "format_date", "sender_name", "short_size"]

PAGE_SIZE = 256
COLUMNS = ("From", "Subject", "Date", "Size", "Account", "Folder", "")
FROM, SUBJECT, DATE, SIZE, ACCOUNT, FOLDER, FLAG = range(len(COLUMNS))
SORTED_BY = {FROM: "sender", SUBJECT: "subject", DATE: "date", SIZE: "size"}  # in SQL
IdRole = Qt.ItemDataRole.UserRole + 1  # the message id (a conversation's newest message)
KeyRole = Qt.ItemDataRole.UserRole + 2  # the row's key: a message id or a conversation key
AnyIndex = QModelIndex | QPersistentModelIndex


class MessageListModel(QStandardItemModel):
    """The messages of a ``ListScope`` (newest first, or as ``sort`` says), or its
    conversations (``grouped``), most recently active first; or the rows of a search.

    A scope's messages are an array of row keys (one SQL query, sorted there); their rows
    are read ``page_size`` at a time as the view asks, so any row of 100,000 costs one page
    query. ``reload`` after a sync only adds what arrived when it can (a census shows
    whether the keys are still complete). Conversations are read page by page as the view
    scrolls; search results arrive whole (bounded by the search's limit).

    A ``QStandardItemModel`` without items: its row and column counts stay in C++, which
    ``QTreeView`` asks for every row whenever it lays them out (0.2 s at 100,000 in Python).
    """

    def __init__(self, store: MessageStore, page_size: int = PAGE_SIZE,
                 parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self._store = store
        self._page_size = page_size
        self._scope: ListScope | None = None
        self._query: str | None = None
        self._group = False
        self._scope_rows = ScopeRows(store, page_size)  # a scope's messages, by key
        self._results: list[MessageRow] = []  # search results, or conversations' newest
        self._threads: list[ThreadRow] = []  # beside _results while grouped
        self._exhausted = True
        self._after_insert: Callable[[], None] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self.rowsInserted.connect(self._rows_inserted)  # first: before any view hears it

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

    @property
    def _paged(self) -> bool:
        """Whether the rows are the key array's (a scope's messages, not conversations)."""
        return self._query is None and not self._group and self._scope is not None

    def set_scope(self, scope: ListScope | None) -> None:
        """Show the messages of ``scope`` (None: nothing), leaving search results."""
        self._scope, self._query = scope, None
        self._reset()

    def set_grouped(self, grouped: bool) -> None:
        """Show a scope's conversations (True) or its messages; reloads if it changed."""
        if grouped != self._group:
            self._group = grouped
            self._reset()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order a scope's messages by From, Subject, Date or Size, in SQL (other columns,
        conversations and search results keep their order)."""
        way = "asc" if order == Qt.SortOrder.AscendingOrder else "desc"
        wanted = f"{SORTED_BY.get(column)}-{way}"
        if wanted in LIST_ORDERS and wanted != self._scope_rows.order:
            self._scope_rows.order = wanted
            if self._paged:
                self._reset()

    def show_results(self, query: str, rows: list[MessageRow]) -> None:
        """Show the ``rows`` a search for ``query`` found, in their order."""
        self._scope, self._query = None, query
        self._reset(list(rows))

    def reload(self, keep_rows: int = 0) -> None:
        """Show what the store holds now (after a sync or a change): a scope's messages
        by adding those that arrived when that is all that changed (no reset: selection
        and scroll stay), else by reading the keys again; conversations from the newest,
        loading pages until at least ``keep_rows`` rows are back. Search results are left
        alone: run the search again and ``show_results``."""
        if self._query is not None:
            return
        if not (self._paged and self._add_arrivals()):
            self._reset()
        while self.grouped and self.rowCount() < keep_rows and not self._exhausted:
            self.fetchMore(QModelIndex())

    def message_row(self, row: int) -> MessageRow:
        """The message of ``row`` (a conversation's newest message in the scope)."""
        message = self._message(row)
        if message is None:
            raise NotFoundError(f"row {row} of the list is no longer stored")
        return message

    def thread_row(self, row: int) -> ThreadRow | None:
        """The conversation of ``row`` while grouped, else None."""
        return self._threads[row] if self.grouped else None

    def key(self, row: int) -> str:
        return row_key(self.message_row(row), grouped=self.grouped)

    def row_of(self, key: str) -> int | None:
        """The row of ``key`` (or of a message id: in conversation view, its conversation's
        row), if the list has it (loaded, while grouped)."""
        for row, message in self._loaded():
            if key in (message.id, row_key(message, grouped=self.grouped)):
                return row
        if self._paged:
            return None if key.startswith("thread:") else self._scope_rows.row_of(key)
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
            return [self.message_row(row)]
        roles = {(f.account, f.name): f.role for f in self._store.folders()} if scope.role else {}
        return [m for m in self._store.thread(thread.thread_id)
                if scope.includes(m.account, m.folder, roles.get((m.account, m.folder)))]

    def update_messages(self, idents: Iterable[str]) -> bool:
        """Re-read the flags of these messages in place (no reset, the selection stays);
        False when that cannot be done (conversations, a message gone): reload instead."""
        if self.grouped:
            return False
        wanted = set(idents)
        for row, message in list(self._loaded()):
            if message.id not in wanted:
                continue
            try:
                fresh = self._store.message(message.id)
            except NotFoundError:
                return False
            if self._paged:
                self._scope_rows.replace(row, fresh)
            else:
                self._results[row] = fresh
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    # the rows -----------------------------------------------------------------------
    def _loaded(self) -> Iterable[tuple[int, MessageRow]]:
        """(row, message) of the rows read from the store so far."""
        return self._scope_rows.loaded() if self._paged else enumerate(self._results)

    def _message(self, row: int) -> MessageRow | None:
        if self._paged:
            return self._scope_rows.message(row)
        return self._results[row] if 0 <= row < len(self._results) else None

    def _reset(self, results: list[MessageRow] | None = None) -> None:
        """Read the scope's keys again (or show search ``results``) in a model reset; while
        grouped, the first page of conversations follows."""
        self.beginResetModel()
        self._scope_rows.clear()
        self._results, self._threads = results or [], []
        if self._paged:
            self._scope_rows.load(self._scope)
        self._exhausted = not self.grouped or self._scope is None
        blocked = self.blockSignals(True)  # the reset tells the views already
        self.setRowCount(0)
        self.setRowCount(len(self._scope_rows.keys) if self._paged else len(self._results))
        self.blockSignals(blocked)
        self.endResetModel()
        if self.grouped:
            self.fetchMore(QModelIndex())

    def _add_arrivals(self) -> bool:
        """Insert the scope's messages stored since its keys were read (no reset), if that
        is all that changed; False if the keys must be read again."""
        rows = self._scope_rows
        found = rows.arrivals()
        if found is None:
            return False
        for row, keys in found:
            self._after_insert = lambda row=row, keys=keys: rows.insert(row, keys)
            self.insertRows(row, len(keys))
        if rows.keys:  # flags may have changed too
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows.keys) - 1, len(COLUMNS) - 1))
        return True

    def _rows_inserted(self) -> None:
        """The rows are in (the views hear it next): the keys or conversations too."""
        if self._after_insert is not None:
            self._after_insert()
            self._after_insert = None

    # paging of conversations -----------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        scope = self._scope
        if parent.isValid() or self._exhausted or scope is None or not self.grouped:
            return
        threads = self._store.list_threads(
            account=scope.account, folder=scope.folder, role=scope.role,
            limit=self._page_size, offset=len(self._threads))
        self._exhausted = len(threads) < self._page_size
        if threads:
            def extend() -> None:
                self._threads.extend(threads)
                self._results.extend(t.latest for t in threads)

            self._after_insert = extend
            self.insertRows(len(self._threads), len(threads))

    # table --------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        return header_cell(COLUMNS[section], role, flag_column=section == FLAG)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        message = self._message(index.row()) if index.isValid() else None
        if message is None:
            return None
        thread = self.thread_row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            text = cell_text(message, COLUMNS[column])
            return f"{text} ({thread.count})" if column == SUBJECT and thread and \
                thread.count > 1 else text
        if role == Qt.ItemDataRole.FontRole:
            unread = thread.unread if thread is not None else "seen" not in message.flags
            return self._bold if unread else None
        if role == Qt.ItemDataRole.DecorationRole:
            if column == SUBJECT and message.attachments:
                return icon("paperclip")
            return icon("flag") if column == FLAG and "flagged" in message.flags else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(message, thread, COLUMNS[column])
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return message.id
        if role == KeyRole:
            return row_key(message, grouped=thread is not None)
        return None
