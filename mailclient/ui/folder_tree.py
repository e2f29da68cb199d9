"""The folder tree: All Inboxes, accounts, their folders (INBOX first) and unread counts; it
takes messages dragged from the list, and Del on a folder asks to delete the folder."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QSignalBlocker, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from mailclient.services.store.messages import FolderRow
from mailclient.ui.i18n import QT_TRANSLATE_NOOP, tr
from mailclient.ui.icons import icon
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list_view import dragged_ids

ScopeRole = Qt.ItemDataRole.UserRole + 1
FolderRole = Qt.ItemDataRole.UserRole + 2  # the FolderRow of a folder item
UNIFIED_INBOX = QT_TRANSLATE_NOOP("mailclient", "All Inboxes")


def folder_label(folder: FolderRow) -> str:
    """What the tree shows for a folder: a friendly name and the unread count."""
    if folder.role == "inbox" or folder.name.upper() == "INBOX":
        name = tr("Inbox")
    else:
        name = folder.name
    return counted(name, folder.unread)


def counted(name: str, unread: int) -> str:
    """``name`` with its unread count, if any: ``Inbox (3)``."""
    return tr("{name} ({unread})").format(name=name, unread=unread) if unread else name


def _bold(item: QTreeWidgetItem) -> None:
    font = QFont(item.font(0))
    font.setBold(True)
    item.setFont(0, font)


def _item(label: str, scope: ListScope, icon_name: str) -> QTreeWidgetItem:
    item = QTreeWidgetItem([label])
    item.setData(0, ScopeRole, scope)
    item.setIcon(0, icon(icon_name))
    return item


class FolderTree(QTreeWidget):
    """The unified inbox first, then each account with its folders; emits ``scope_selected``.

    Signals:
        scope_selected(ListScope | None): the user (or a reload) chose what to list: a
            folder, an account (all its folders), the unified inbox, or nothing.
        messages_dropped(list[str], str, str): message ids dropped on a folder (account,
            folder name).
        delete_requested(ListScope): Del was pressed on this item (never deletes messages).
    """

    scope_selected = Signal(object)
    messages_dropped = Signal(list, str, str)
    delete_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setIndentation(14)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setAccessibleName(tr("Folders"))
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.currentItemChanged.connect(self._current_changed)

    # Del on the tree is the tree's (not the window's Delete of messages) -------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.matches(QKeySequence.StandardKey.Delete):
            event.accept()  # the key comes to keyPressEvent, no shortcut fires
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        scope = self.current_scope()
        if event.matches(QKeySequence.StandardKey.Delete):
            if scope is not None:
                self.delete_requested.emit(scope)
            event.accept()
            return
        super().keyPressEvent(event)

    # messages dropped on a folder ----------------------------------------------------------
    def drop_target(self, event: QDropEvent) -> ListScope | None:
        """The folder a drag of messages would land in, if it may."""
        scope = self.scope_at(event.position().toPoint())
        if not dragged_ids(event.mimeData()) or scope is None or scope.folder is None:
            return None
        return scope

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if dragged_ids(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self.drop_target(event) is None:
            event.ignore()
        else:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        scope = self.drop_target(event)
        if scope is None or scope.account is None or scope.folder is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.messages_dropped.emit(dragged_ids(event.mimeData()), scope.account, scope.folder)

    def current_scope(self) -> ListScope | None:
        item = self.currentItem()
        return None if item is None else _scope_of(item)

    def scope_at(self, pos: QPoint) -> ListScope | None:
        """The scope of the item at ``pos`` (viewport coordinates), if any."""
        item = self.itemAt(pos)
        return None if item is None else _scope_of(item)

    def reload(self, accounts: list[str], folders: list[FolderRow]) -> None:
        """Rebuild from the store's folder rows, keeping the current choice and expansion.

        With no choice yet (or it is gone), choose the unified inbox when there are several
        accounts, else the first account's inbox.
        """
        before = self.current_scope()
        collapsed = {_scope_of(top).account for top in self._account_items()
                     if not top.isExpanded()}
        with QSignalBlocker(self):
            self.clear()
            if accounts:
                self.addTopLevelItem(self._unified_item(
                    [f for f in folders if f.role == "inbox" and f.account in accounts]))
            for name in accounts:
                top = self._account_item(name, [f for f in folders if f.account == name])
                self.addTopLevelItem(top)
                top.setExpanded(name not in collapsed)
        target = self.find_scope(before) if before is not None else None
        if target is None:
            target = self._default_item(len(accounts))
        if target is not None:
            with QSignalBlocker(self):
                self.setCurrentItem(target)
        if before != self.current_scope():
            self.scope_selected.emit(self.current_scope())

    @staticmethod
    def _unified_item(inboxes: list[FolderRow]) -> QTreeWidgetItem:
        unread = sum(f.unread for f in inboxes)
        item = _item(counted(tr(UNIFIED_INBOX), unread), ListScope.unified_inbox(), "all-inboxes")
        total = sum(f.total for f in inboxes)
        item.setToolTip(0, tr("The inboxes of every account: {total} messages, {unread} unread")
                        .format(total=total, unread=unread))
        if unread:
            _bold(item)
        return item

    @staticmethod
    def _account_item(name: str, folders: list[FolderRow]) -> QTreeWidgetItem:
        unread = sum(f.unread for f in folders)
        top = _item(name, ListScope(account=name), "account")
        top.setToolTip(0, tr("{name}: {unread} unread").format(name=name, unread=unread)
                       if unread else name)
        _bold(top)
        for row in folders:
            child = _item(folder_label(row), ListScope(account=name, folder=row.name),
                          "inbox" if row.role == "inbox" else "folder")
            child.setData(0, FolderRole, row)
            child.setToolTip(0, tr("{name}: {total} messages, {unread} unread").format(
                name=row.name, total=row.total, unread=row.unread))
            if row.unread:
                _bold(child)
            top.addChild(child)
        return top

    def _account_items(self) -> list[QTreeWidgetItem]:
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in items if item is not None and _scope_of(item).account is not None]

    def set_choice_shown(self, shown: bool) -> None:
        """Highlight the current item, or not while the list shows something else (search
        results); the current item stays, and a click on it chooses it again."""
        item = self.currentItem()
        if not shown:
            self.clearSelection()
        elif item is not None:
            item.setSelected(True)

    def unified_item(self) -> QTreeWidgetItem | None:
        """The "All Inboxes" item (None while there is no account)."""
        return self.find_scope(ListScope.unified_inbox())

    def folder_row(self, scope: ListScope | None) -> FolderRow | None:
        """The folder (with its counts as last read) that ``scope`` names, if the tree has it."""
        if scope is None or scope.folder is None:
            return None
        item = self.find_scope(scope)
        row = item.data(0, FolderRole) if item is not None else None
        return row if isinstance(row, FolderRow) else None

    def folder_item(self, account: str | None, folder: str | None) -> QTreeWidgetItem | None:
        """The item of ``account``'s ``folder`` (None: the account itself)."""
        return self.find_scope(ListScope(account=account, folder=folder))

    def find_scope(self, scope: ListScope) -> QTreeWidgetItem | None:
        """The item that lists ``scope``, if the tree has one."""
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            if top is None:
                continue
            if _scope_of(top) == scope:
                return top
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None and _scope_of(child) == scope:
                    return child
        return None

    def _default_item(self, accounts: int) -> QTreeWidgetItem | None:
        if accounts > 1:
            return self.unified_item()
        tops = self._account_items()
        if not tops:
            return None
        return tops[0].child(0) if tops[0].childCount() else tops[0]

    def _current_changed(self, current: QTreeWidgetItem | None,
                         _previous: QTreeWidgetItem | None) -> None:
        self.scope_selected.emit(None if current is None else _scope_of(current))


def _scope_of(item: QTreeWidgetItem) -> ListScope:
    scope = item.data(0, ScopeRole)
    assert isinstance(scope, ListScope)
    return scope
