"""The folder tree: accounts, their folders (INBOX first) and unread counts."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from mailclient.services.store.messages import FolderRow
from mailclient.ui.icons import icon

AccountRole = Qt.ItemDataRole.UserRole + 1
FolderRole = Qt.ItemDataRole.UserRole + 2
_ROLE_NAMES = {"inbox": "Inbox", "sent": "Sent", "drafts": "Drafts", "trash": "Trash",
               "junk": "Junk", "archive": "Archive"}


def folder_label(folder: FolderRow) -> str:
    """What the tree shows for a folder: a friendly name and the unread count."""
    if folder.role == "inbox" or folder.name.upper() == "INBOX":
        name = "Inbox"
    else:
        name = folder.name
    return f"{name} ({folder.unread})" if folder.unread else name


class FolderTree(QTreeWidget):
    """Accounts at the top level, their folders below; emits ``folder_selected``.

    ``folder_selected(account, folder)`` gives ``folder=None`` when an account is chosen
    (meaning all its folders), and ``(None, None)`` when nothing is.
    """

    folder_selected = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setIndentation(14)
        self.currentItemChanged.connect(self._current_changed)

    def current_scope(self) -> tuple[str | None, str | None]:
        item = self.currentItem()
        if item is None:
            return None, None
        return item.data(0, AccountRole), item.data(0, FolderRole)

    def reload(self, accounts: list[str], folders: list[FolderRow]) -> None:
        """Rebuild from the store's folder rows, keeping the current choice and expansion."""
        account, folder = self.current_scope()
        collapsed = {self.topLevelItem(i).data(0, AccountRole)
                     for i in range(self.topLevelItemCount())
                     if not self.topLevelItem(i).isExpanded()}
        with QSignalBlocker(self):
            self.clear()
            for name in accounts:
                top = self._account_item(name, [f for f in folders if f.account == name])
                self.addTopLevelItem(top)
                top.setExpanded(name not in collapsed)
        target = self.find(account, folder) if account else None
        if target is None:
            target = self._first_inbox()
        if target is not None:
            with QSignalBlocker(self):
                self.setCurrentItem(target)
        if (account, folder) != self.current_scope():
            self.folder_selected.emit(*self.current_scope())

    def _account_item(self, name: str, folders: list[FolderRow]) -> QTreeWidgetItem:
        unread = sum(f.unread for f in folders)
        top = QTreeWidgetItem([name])
        top.setData(0, AccountRole, name)
        top.setData(0, FolderRole, None)
        top.setIcon(0, icon("account"))
        top.setToolTip(0, f"{name}: {unread} unread" if unread else name)
        font = QFont(top.font(0))
        font.setBold(True)
        top.setFont(0, font)
        for row in folders:
            child = QTreeWidgetItem([folder_label(row)])
            child.setData(0, AccountRole, name)
            child.setData(0, FolderRole, row.name)
            child.setIcon(0, icon("inbox" if row.role == "inbox" else "folder"))
            child.setToolTip(0, f"{row.name}: {row.total} messages, {row.unread} unread")
            if row.unread:
                bold = QFont(child.font(0))
                bold.setBold(True)
                child.setFont(0, bold)
            top.addChild(child)
        return top

    def find(self, account: str | None, folder: str | None) -> QTreeWidgetItem | None:
        """The item of ``account``'s ``folder`` (None: the account itself)."""
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            if top.data(0, AccountRole) != account:
                continue
            if folder is None:
                return top
            for j in range(top.childCount()):
                if top.child(j).data(0, FolderRole) == folder:
                    return top.child(j)
        return None

    def _first_inbox(self) -> QTreeWidgetItem | None:
        if not self.topLevelItemCount():
            return None
        top = self.topLevelItem(0)
        return top.child(0) if top.childCount() else top

    def _current_changed(self, current: QTreeWidgetItem | None,
                         _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            self.folder_selected.emit(None, None)
        else:
            self.folder_selected.emit(current.data(0, AccountRole), current.data(0, FolderRole))
