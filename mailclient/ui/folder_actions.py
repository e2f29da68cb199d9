"""What the user does to folders: New Folder, Rename, Delete (on the server at once), Mark All
Read, and the folder tree's context menu (with Empty Trash)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox, QWidget

from mailclient.core.errors import MailError, NetworkError
from mailclient.services.mail_service import MailService
from mailclient.services.mailbox_actions import KEPT_ROLES
from mailclient.services.store.messages import FolderRow, MessageStore
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.folder_tree import FolderTree
from mailclient.ui.i18n import message_count, tr
from mailclient.ui.icons import icon
from mailclient.ui.list_format import folder_name
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_actions import MessageActions

NameAsker = Callable[[QWidget, str, str, str], str | None]
DeleteConfirmer = Callable[[QWidget, FolderRow], bool]


def ask_name(parent: QWidget, title: str, label: str, text: str) -> str | None:
    """Ask for a folder name; None if the user cancelled."""
    name, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return name if ok and name.strip() else None


def confirm_delete(parent: QWidget, folder: FolderRow) -> bool:
    """Ask before deleting a folder, its subfolders and messages, here and on the server."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Delete Folder"),
                      tr("Delete the folder {name} of {account} with its {count} and any "
                         "folders inside it?").format(name=folder_name(folder.name),
                                                      account=folder.account,
                                                      count=message_count(folder.total)),
                      parent=parent)
    box.setInformativeText(tr("It is deleted on the server too. This cannot be undone."))
    delete = box.addButton(tr("Delete Folder"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is delete


class FolderActions(QObject):
    """New Folder, Rename, Delete and Mark All Read on the tree's current folder (or on the
    folder a context menu was opened on).

    Signals:
        folders_changed(object): a folder was created, renamed or deleted; the ``ListScope``
            to choose now (None: keep the choice).
        flags_changed(list[str]): messages were marked read here.
        note(str): what happened, for the status bar.
    """

    folders_changed = Signal(object)
    flags_changed = Signal(list)
    note = Signal(str)

    def __init__(self, tree: FolderTree, store: MessageStore, service: MailService,
                 bridge: Bridge, messages: MessageActions, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.tree, self.store, self.service, self.bridge = tree, store, service, bridge
        self.messages = messages
        self.ask_name: NameAsker = ask_name
        self.confirm: DeleteConfirmer = confirm_delete
        self.new_action = self._action(tr("&New Folder…"), self.new_folder, icon("folder"),
                                       tr("Create a folder in the chosen account or folder"))
        self.rename_action = self._action(tr("&Rename Folder…"), self.rename_folder,
                                          tip=tr("Rename the chosen folder (F2)"))
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        tree.addAction(self.rename_action)  # F2 renames while the tree has the focus
        self.delete_action = self._action(tr("&Delete Folder…"), self.delete_folder,
                                          icon("trash"), tr("Delete the chosen folder"))
        self.mark_read_action = self._action(
            tr("Mark &All Read"), self.mark_all_read,
            tip=tr("Mark every message of the chosen folder read (Shift+C)"))
        self.mark_read_action.setShortcut(QKeySequence("Shift+C"))
        tree.customContextMenuRequested.connect(self._show_menu)
        tree.delete_requested.connect(self.delete_folder)
        tree.scope_selected.connect(lambda _scope: self.update_state())
        self.update_state()

    def _action(self, text: str, slot: Callable[[], None], glyph: object = None,
                tip: str = "") -> QAction:
        action = QAction(text, self._parent)
        if glyph is not None:
            action.setIcon(glyph)  # type: ignore[arg-type]
        action.setToolTip(tip)
        action.triggered.connect(lambda: slot())
        return action

    def _folder(self, scope: ListScope | None) -> FolderRow | None:
        if scope is None or scope.account is None or scope.folder is None:
            return None
        known = self.tree.folder_row(scope)  # as the tree last read it: no count query
        if known is not None:
            return known
        try:
            return self.store.folder(scope.account, scope.folder)
        except MailError:
            return None

    def update_state(self) -> None:
        """Enable what the tree's current item allows."""
        scope = self.tree.current_scope()
        folder = self._folder(scope)
        kept = folder is None or folder.role in KEPT_ROLES or folder.name.upper() == "INBOX"
        self.new_action.setEnabled(scope is not None and scope.account is not None)
        self.rename_action.setEnabled(not kept)
        self.delete_action.setEnabled(not kept)
        self.mark_read_action.setEnabled(scope is not None)

    # the actions --------------------------------------------------------------------
    def new_folder(self, scope: ListScope | None = None) -> None:
        """Ask for a name and create the folder under ``scope`` (the account: at the top)."""
        scope = scope or self.tree.current_scope()
        if scope is None or scope.account is None:
            self.note.emit(tr("Choose an account or a folder to create a folder in."))
            return
        account, parent = scope.account, scope.folder
        where = folder_name(parent) if parent else account
        name = self.ask_name(self._parent, tr("New Folder"),
                             tr("Name of the new folder in {where}:").format(where=where), "")
        if name is None:
            return
        mailbox = self.service.mailbox
        self._run(lambda: mailbox.create_folder(account, name, parent=parent),
                  lambda full: self._changed(ListScope(account, str(full)),
                                             tr("Folder {name} created.").format(name=full)),
                  tr("The folder was not created"))

    def rename_folder(self, scope: ListScope | None = None) -> None:
        """Ask for a new name for the folder (it stays where it is)."""
        folder = self._folder(scope or self.tree.current_scope())
        if folder is None or folder.role in KEPT_ROLES:
            return
        leaf = folder.name.rsplit("/", 1)[-1]
        name = self.ask_name(self._parent, tr("Rename Folder"),
                             tr("New name for {name}:").format(name=folder.name), leaf)
        if name is None or name == leaf:
            return
        account, old, mailbox = folder.account, folder.name, self.service.mailbox
        self._run(lambda: mailbox.rename_folder(account, old, name, keep_parent=True),
                  lambda full: self._changed(ListScope(account, str(full)),
                                             tr("Folder renamed to {name}.").format(name=full)),
                  tr("The folder was not renamed"))

    def delete_folder(self, scope: ListScope | None = None) -> None:
        """After a confirmation, delete the folder (never Inbox, Sent, Drafts or Trash)."""
        folder = self._folder(scope or self.tree.current_scope())
        if folder is None:
            return
        if folder.role in KEPT_ROLES or folder.name.upper() == "INBOX":
            self.note.emit(tr("{name} cannot be deleted.").format(name=folder_name(folder.name)))
            return
        if not self.confirm(self._parent, folder):
            return
        account, name, mailbox = folder.account, folder.name, self.service.mailbox
        self._run(lambda: mailbox.delete_folder(account, name),
                  lambda _count: self._changed(ListScope(account), tr(
                      "Folder {name} deleted.").format(name=folder_name(name))),
                  tr("The folder was not deleted"))

    def mark_all_read(self, scope: ListScope | None = None) -> None:
        """Mark every message of the folder (or account, or All Inboxes) read."""
        scope = scope or self.tree.current_scope()
        if scope is None:
            return
        accounts = [scope.account] if scope.account else \
            [a.name for a in self.service.accounts.accounts()]
        marked: list[str] = []
        try:
            for account in accounts:
                folder = scope.folder
                if scope.role is not None:
                    found = [f.name for f in self.store.folders(account) if f.role == scope.role]
                    if not found:
                        continue
                    folder = found[0]
                marked += self.messages.mailbox.mark_folder_read(account, folder)
        except MailError as exc:
            self.note.emit(tr("The messages were not marked read: {error}").format(error=exc))
            return
        if marked:
            self.flags_changed.emit(marked)
            self.messages.push.push(accounts)
        self.note.emit(tr("{count} marked read.").format(count=message_count(len(marked))))

    # running on the server ------------------------------------------------------------
    def _run(self, work: Callable[[], Coroutine[object, object, object]],
             done: Callable[[object], None], failed: str) -> None:
        self.note.emit(tr("Asking the server…"))
        self.bridge.run(work, done, lambda failure: self._failed(failed, failure),
                        label=tr("changing folders"))

    def _changed(self, scope: ListScope, text: str) -> None:
        self.folders_changed.emit(scope)
        self.note.emit(text)

    def _failed(self, failed: str, failure: Failure) -> None:
        if isinstance(failure.error, NetworkError):
            text = tr("{failed}: folder changes need a connection to the server ({error}).")
        else:
            text = tr("{failed}: {error}")
        self.note.emit(text.format(failed=failed, error=failure.message))

    # the context menu -----------------------------------------------------------------
    def folder_menu(self, scope: ListScope | None) -> QMenu | None:
        """The context menu of a tree item (the caller shows it); None on empty space."""
        if scope is None:
            return None
        folder = self._folder(scope)
        kept = folder is None or folder.role in KEPT_ROLES or folder.name.upper() == "INBOX"
        menu = QMenu(self._parent)
        entries: list[tuple[str, Callable[[], None], bool]] = [
            (tr("&New Folder…"), lambda: self.new_folder(scope), scope.account is not None),
            (tr("&Rename Folder…"), lambda: self.rename_folder(scope), not kept),
            (tr("&Delete Folder…"), lambda: self.delete_folder(scope), not kept),
        ]
        for text, slot, enabled in entries:
            menu.addAction(text, slot).setEnabled(enabled)
        menu.addSeparator()
        menu.addAction(tr("Mark &All Read"), lambda: self.mark_all_read(scope))
        if folder is not None:
            self.messages.add_empty_action(menu, folder)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        menu = self.folder_menu(self.tree.scope_at(pos))
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.tree.viewport().mapToGlobal(pos))
