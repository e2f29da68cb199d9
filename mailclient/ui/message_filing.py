"""Archive (A) and Junk (J): the selected messages go to the account's Archive or Junk folder,
which is made (here and on the server) the first time it is needed."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from mailclient.services.mail_service import MailService
from mailclient.services.store.messages import MessageRow
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import tr
from mailclient.ui.icons import icon
from mailclient.ui.message_actions import MessageActions


class MessageFiling(QObject):
    """The Archive and Junk actions on the list's selection (through ``MessageActions``'s
    move, so the next row is chosen and the change is pushed as for any move)."""

    def __init__(self, actions: MessageActions, service: MailService, bridge: Bridge,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.actions = actions
        self.service = service
        self.bridge = bridge
        self.archive_action = QAction(icon("archive"), tr("&Archive"), parent)
        self.archive_action.setShortcut(QKeySequence("A"))
        self.archive_action.setToolTip(tr("Move the selected messages to the Archive folder (A)"))
        self.archive_action.triggered.connect(lambda: self.file("archive"))
        self.junk_action = QAction(icon("junk"), tr("&Junk"), parent)
        self.junk_action.setShortcut(QKeySequence("J"))
        self.junk_action.setToolTip(tr("Move the selected messages to the Junk folder (J)"))
        self.junk_action.triggered.connect(lambda: self.file("junk"))
        view = actions.view
        view.selectionModel().selectionChanged.connect(self.update_state)
        view.list_model().modelReset.connect(self.update_state)
        self.update_state()

    def update_state(self) -> None:
        selected = bool(self.actions.view.selected_rows())
        self.archive_action.setEnabled(selected)
        self.junk_action.setEnabled(selected)

    def file(self, role: str) -> None:
        """Move the selection to each account's folder of ``role`` (``archive``, ``junk``)."""
        by_account: dict[str, list[MessageRow]] = {}
        for message in self.actions.targets():
            by_account.setdefault(message.account, []).append(message)
        mailbox = self.service.mailbox
        for account, messages in by_account.items():
            folder = mailbox.special_folder(account, role)
            if folder is not None:
                self._move(account, folder, messages)
                continue
            self._create_then_move(account, role, messages)

    def _create_then_move(self, account: str, role: str, messages: list[MessageRow]) -> None:
        mailbox = self.service.mailbox
        self.bridge.run(lambda: mailbox.ensure_special_folder(account, role),
                        lambda name: self._created(account, str(name), messages),
                        self._failed, key=account,
                        label=tr("creating the {role} folder").format(role=role))

    def _move(self, account: str, folder: str, messages: list[MessageRow]) -> None:
        self.actions.move_to(account, folder, [m for m in messages if m.folder != folder])

    def _created(self, account: str, folder: str, messages: list[MessageRow]) -> None:
        self.actions.messages_removed.emit(None)  # the tree shows the new folder
        self._move(account, folder, messages)

    def _failed(self, failure: Failure) -> None:
        self.actions.note.emit(tr("The messages were not moved: {error}").format(
            error=failure.message))
