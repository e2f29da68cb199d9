"""What the user does to the selected messages (delete, read, flag, move) and to a Trash folder
(empty it): shown in the store at once, then pushed to the server in the background."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from mailclient.core.errors import MailError
from mailclient.services.accounts import AccountService
from mailclient.services.mailbox_actions import MailboxActions
from mailclient.services.store.messages import FolderRow, MessageRow, MessageStore
from mailclient.ui.i18n import QT_TRANSLATE_NOOP, message_count, tr
from mailclient.ui.icons import icon
from mailclient.ui.list_format import folder_name
from mailclient.ui.message_list_view import MessageListView
from mailclient.ui.server_push import ServerPush

EMPTIED_ROLES = {"trash": QT_TRANSLATE_NOOP("mailclient", "Trash"),
                 "junk": QT_TRANSLATE_NOOP("mailclient", "Junk")}


def confirm_empty(parent: QWidget, folder: FolderRow) -> bool:
    """Ask before deleting every message of a Trash or Junk folder for good."""
    role_label = EMPTIED_ROLES.get(folder.role or "")
    label = tr(role_label) if role_label else folder.name
    title = tr("Empty {folder}").format(folder=label)
    box = QMessageBox(QMessageBox.Icon.Warning, title,
                      tr("Delete the {count} in {folder} of {account} for good?").format(
                          count=message_count(folder.total), folder=label,
                          account=folder.account), parent=parent)
    box.setInformativeText(tr("This cannot be undone."))
    empty = box.addButton(title, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is empty


class MessageActions(QObject):
    """The actions on the list's selection (a conversation row stands for its messages in the
    listed scope), their menus, and Empty Trash.

    Signals:
        flags_changed(list[str]): these messages were marked here (update rows and counts).
        messages_removed(str | None): the selection left the list (deleted or moved); the key
            of the row to select now, or None to keep the selection.
        note(str): what happened, for the status bar.
    """

    flags_changed = Signal(list)
    messages_removed = Signal(object)
    note = Signal(str)

    def __init__(self, view: MessageListView, store: MessageStore, accounts: AccountService,
                 push: ServerPush, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.view = view
        self.store = store
        self.mailbox = MailboxActions(store, accounts)
        self.push = push
        self.confirm: Callable[[QWidget, FolderRow], bool] = confirm_empty
        self.delete_action = self._action(
            tr("&Delete"), self.delete, QKeySequence(QKeySequence.StandardKey.Delete),
            icon("trash"),
            tr("Move the selected messages to Trash; in Trash, delete them for good (Del)"))
        self.read_action = self._action(tr("Mark as &Read"), self.toggle_read, QKeySequence("M"),
                                        tip=tr("Mark the selected messages read or unread (M)"))
        self.flag_action = self._action(tr("&Flag"), self.toggle_flag, QKeySequence("S"),
                                        icon("flag"),
                                        tr("Flag or unflag the selected messages (S)"))
        self.move_menu = QMenu(tr("&Move To"), parent)
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        model = view.list_model()
        view.selectionModel().selectionChanged.connect(self.update_state)
        view.customContextMenuRequested.connect(self._show_message_menu)
        view.flag_clicked.connect(self._flag_row)
        view.drag_ids = lambda: [m.id for m in self.targets()]
        for signal in (model.modelReset, model.dataChanged, model.rowsInserted):
            signal.connect(self.update_state)
        self.update_state()

    def _action(self, text: str, slot: Callable[[], None], key: QKeySequence,
                glyph: QIcon | None = None, tip: str = "") -> QAction:
        action = QAction(glyph, text, self._parent) if glyph else QAction(text, self._parent)
        action.setShortcut(key)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    # the selection ------------------------------------------------------------------
    def targets(self) -> list[MessageRow]:
        """The messages the selected rows stand for."""
        model = self.view.list_model()
        found = {m.id: m for row in self.view.selected_rows() for m in model.member_rows(row)}
        return list(found.values())

    def update_state(self) -> None:
        """Enable the actions for a selection, and name what Mark and Flag will do."""
        model = self.view.list_model()
        rows = self.view.selected_rows()
        for action in (self.delete_action, self.read_action, self.flag_action):
            action.setEnabled(bool(rows))
        self.move_menu.setEnabled(bool(rows))
        unread = any(self._unread(row) for row in rows)
        read_all = bool(rows) and not unread
        flagged_all = bool(rows) and all("flagged" in model.message_row(r).flags for r in rows)
        self.read_action.setText(tr("Mark as &Unread") if read_all else tr("Mark as &Read"))
        self.flag_action.setText(tr("Remove &Flag") if flagged_all else tr("&Flag"))

    def _unread(self, row: int) -> bool:
        model = self.view.list_model()
        thread = model.thread_row(row)
        return thread.unread > 0 if thread else "seen" not in model.message_row(row).flags

    # the actions --------------------------------------------------------------------
    def delete(self) -> None:
        """To Trash; in Trash (or an account without one) for good. The next row is chosen."""
        targets = self.targets()
        if not targets:
            return
        trash = {f.account: f.name for f in self.store.folders() if f.role == "trash"}
        for_good = all(trash.get(m.account) in (None, m.folder) for m in targets)
        following = self.view.neighbour_key()
        if self._change(targets, lambda ids: self.mailbox.delete(ids),
                        tr("not deleted")):
            self.messages_removed.emit(following)
            done = (tr("{count} deleted for good.") if for_good
                    else tr("{count} moved to Trash."))
            self.note.emit(done.format(count=message_count(len(targets))))

    def move_to(self, account: str, folder: str,
                targets: list[MessageRow] | None = None) -> None:
        """Move the selection (or ``targets``) to ``folder`` of ``account`` (their own
        account)."""
        targets = self.targets() if targets is None else targets
        following = self.view.neighbour_key()
        if self._change(targets, lambda ids: self.mailbox.move(ids, account, folder),
                        tr("not moved")):
            self.messages_removed.emit(following)
            self.note.emit(tr("{count} moved to {folder}.").format(
                count=message_count(len(targets)), folder=folder_name(folder)))

    def move_ids(self, idents: list[str], account: str, folder: str) -> None:
        """Move the messages ``idents`` (dropped on a folder) if they are all of ``account``."""
        try:
            targets = [self.store.message(i) for i in idents]
        except MailError as exc:
            self.note.emit(tr("The messages were not moved: {error}").format(error=exc))
            return
        if any(m.account != account for m in targets):
            self.note.emit(tr("Messages can only be moved to a folder of their own account."))
            return
        self.move_to(account, folder, [m for m in targets if m.folder != folder])

    def _flag_row(self, row: int) -> None:
        """A click on a row's flag: flag or unflag that row's messages alone."""
        targets = self.view.list_model().member_rows(row)
        if all("flagged" in m.flags for m in targets):
            self.mark(targets, remove=["flagged"])
        else:
            self.mark(targets, add=["flagged"])

    def toggle_read(self) -> None:
        """Read if any selected is unread, else unread (Thunderbird's M)."""
        targets = self.targets()
        if any("seen" not in m.flags for m in targets):
            self.mark(targets, add=["seen"])
        else:
            self.mark(targets, remove=["seen"])

    def toggle_flag(self) -> None:
        """Flag unless every selected message is flagged, then unflag."""
        targets = self.targets()
        if all("flagged" in m.flags for m in targets):
            self.mark(targets, remove=["flagged"])
        else:
            self.mark(targets, add=["flagged"])

    def mark_read(self, rows: list[MessageRow]) -> None:
        """Mark read what the reader has shown for a moment (see ``ReadMarker``)."""
        self.mark(rows, add=["seen"])

    def mark(self, rows: list[MessageRow], *, add: Iterable[str] = (),
             remove: Iterable[str] = ()) -> None:
        add, remove = list(add), list(remove)
        self._change(rows, lambda ids: self.mailbox.mark(ids, add=add, remove=remove),
                     tr("not changed"), changed=self.flags_changed.emit)

    def _change(self, rows: list[MessageRow], change: Callable[[list[str]], int], failed: str,
                changed: Callable[[list[str]], None] | None = None) -> bool:
        """Apply ``change`` to the ids here, tell the window, then push in the background."""
        ids = [m.id for m in rows]
        if not ids:
            return False
        try:
            count = change(ids)
        except MailError as exc:
            self.note.emit(tr("The messages were {failed}: {error}").format(failed=failed,
                                                                           error=exc))
            return False
        if count and changed is not None:
            changed(ids)
        if count:
            self.push.push(m.account for m in rows)
        return bool(count)

    # menus --------------------------------------------------------------------------
    def _show_message_menu(self, pos: QPoint) -> None:
        if self.view.selected_rows():
            self._popup(self.message_menu(), self.view.viewport(), pos)

    @staticmethod
    def _popup(menu: QMenu | None, widget: QWidget, pos: QPoint) -> None:
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(widget.mapToGlobal(pos))

    def message_menu(self) -> QMenu:
        """The context menu of the selected messages (the caller shows it)."""
        self.update_state()
        menu = QMenu(self._parent)
        menu.addAction(self.read_action)
        menu.addAction(self.flag_action)
        menu.addMenu(self.move_menu)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        return menu

    def _fill_move_menu(self) -> None:
        menu = self.move_menu
        menu.clear()
        targets = self.targets()
        accounts = {m.account for m in targets}
        if len(accounts) != 1:
            menu.addAction(tr("Choose messages of one account to move them")).setEnabled(False)
            return
        account = accounts.pop()
        here = {m.folder for m in targets}
        for folder in self.store.folders(account):
            action = menu.addAction(icon("inbox" if folder.role == "inbox" else "folder"),
                                    folder_name(folder.name))
            action.setEnabled(here != {folder.name})  # already there
            action.triggered.connect(lambda _=False, name=folder.name: self.move_to(account, name))

    def add_empty_action(self, menu: QMenu, folder: FolderRow) -> None:
        """Add Empty Trash (or Junk) to a folder's context menu, for those folders only."""
        label = EMPTIED_ROLES.get(folder.role or "")
        if label is None:
            return
        action = menu.addAction(icon("trash"), tr("Empty {folder}…").format(folder=tr(label)))
        action.setEnabled(folder.total > 0)
        action.triggered.connect(lambda: self.empty_folder(folder))

    def empty_folder(self, folder: FolderRow) -> None:
        """After a confirmation, delete every message of a Trash or Junk folder for good."""
        if not self.confirm(self._parent, folder):
            return
        try:
            count = self.mailbox.empty_folder(folder.account, folder.name)
        except MailError as exc:
            self.note.emit(tr("{folder} was not emptied: {error}").format(
                folder=folder_name(folder.name), error=exc))
            return
        self.messages_removed.emit(None)
        self.note.emit(tr("{count} deleted for good.").format(count=message_count(count)))
        self.push.push([folder.account])
