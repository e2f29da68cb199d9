"""The compose window: From, To, Cc, Bcc, Subject, attachments and a plain-text body."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError
from mailclient.core.message_build import Draft, build_message
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge
from mailclient.ui.compose_drafts import DraftKeeper
from mailclient.ui.compose_fields import AddressEdit, AttachmentList
from mailclient.ui.compose_identity import IdentityPicker
from mailclient.ui.compose_reply import ComposeSeed
from mailclient.ui.compose_sending import ComposeSending
from mailclient.ui.i18n import tr
from mailclient.ui.icons import icon
from mailclient.ui.notice_style import notice_style
from mailclient.ui.timers import repeating

AUTOSAVE_MS = 30_000


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files of a drag (empty when it carries anything else)."""
    if not mime.hasUrls():
        return []
    urls = mime.urls()
    if not all(url.isLocalFile() for url in urls):
        return []
    return [Path(url.toLocalFile()) for url in urls]



class ComposeWindow(QMainWindow):
    """Writes one message from one of ``accounts`` (the first unless ``account`` is named).

    ``seed`` fills the fields (a reply, a forward, a saved draft whose id is ``draft_id``);
    ``addresses`` are offered as completions. The window saves itself as a draft every
    ``autosave_ms`` when changed, and when closed; it is never deleted by closing.

    Signals:
        send_requested(): Send was chosen and the message is valid (the owner delays it,
            then calls ``sending.send_now()``).
        finished(): closed, and nothing it started is still running (delete it now).
    """

    send_requested = Signal()
    finished = Signal()

    def __init__(self, service: MailService, bridge: Bridge, accounts: list[Account],
                 addresses: list[str], *, account: str | None = None,
                 seed: ComposeSeed | None = None, draft_id: str | None = None,
                 autosave_ms: int = AUTOSAVE_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)  # its own window, deleted with parent
        self.accounts = {a.name: a for a in accounts}
        seed = seed or ComposeSeed(signature=True)
        self.threading = (seed.in_reply_to, list(seed.references))
        self.setWindowIcon(icon("app"))
        self.resize(760, 620)
        self.setAcceptDrops(True)
        self._build(addresses)
        self._build_toolbar()
        self.fill(seed, account)
        self.drafts = DraftKeeper(self, service, bridge, draft_id)
        self.sending = ComposeSending(self, service, bridge)
        self.autosave = repeating(self, autosave_ms, self.drafts.autosave)
        self._connect_signals()
        self._update_title()

    # building -----------------------------------------------------------------------
    def _build(self, addresses: list[str]) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.error_bar = QLabel()
        self.error_bar.setWordWrap(True)
        self.error_bar.setStyleSheet(notice_style(self, "alert") + " padding: 6px 10px;")
        self.error_bar.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_bar.hide()
        layout.addWidget(self.error_bar)
        header = QWidget()
        form = QFormLayout(header)
        form.setContentsMargins(12, 10, 12, 6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.from_box = QComboBox()
        self.to_edit, self.cc_edit, self.bcc_edit = (AddressEdit(addresses) for _ in range(3))
        self.subject_edit = QLineEdit()
        for label, widget in ((tr("From"), self.from_box), (tr("To"), self.to_edit),
                              (tr("Cc"), self.cc_edit), (tr("Bcc"), self.bcc_edit),
                              (tr("Subject"), self.subject_edit)):
            form.addRow(label, widget)
            widget.setAccessibleName(label)
        self.attachments = AttachmentList()
        form.addRow(tr("Attached"), self.attachments)
        self._form = form
        form.setRowVisible(self.attachments, False)
        self.attachments.changed.connect(
            lambda: form.setRowVisible(self.attachments, bool(self.attachments.files)))
        layout.addWidget(header)
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.body.document().setDocumentMargin(10)
        self.body.setAccessibleName(tr("Message text"))
        self.identities = IdentityPicker(self.from_box, self.body, self.accounts)
        layout.addWidget(self.body, 1)
        chain = [self.from_box, self.to_edit, self.cc_edit, self.bcc_edit, self.subject_edit,
                 self.body]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        targets: list[QWidget | None] = [self.body.viewport(), self.to_edit, self.cc_edit,
                                         self.bcc_edit, self.subject_edit]
        for target in targets:
            if target is not None:
                target.installEventFilter(self)  # file drops attach rather than insert text
        self.setCentralWidget(page)
        self.statusBar().setSizeGripEnabled(True)

    def _build_toolbar(self) -> None:
        self.send_action = QAction(icon("send"), tr("&Send"), self)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.send_action.setToolTip(tr("Send the message (Ctrl+Return)"))
        self.later_action = QAction(tr("Send &Later…"), self)
        self.later_action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
        self.later_action.setToolTip(tr("Choose when the message is sent (Ctrl+Shift+Return)"))
        self.save_action = QAction(tr("Save &Draft"), self)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setToolTip(tr("Keep the message in Drafts (Ctrl+S)"))
        self.attach_action = QAction(icon("paperclip"), tr("&Attach…"), self)
        self.attach_action.setToolTip(tr("Attach files (or drop them on this window)"))
        self.discard_action = QAction(icon("trash"), tr("Discard"), self)
        self.discard_action.setToolTip(tr("Close without sending, deleting its draft"))
        toolbar = QToolBar(tr("Compose"))
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.send_action, self.later_action, self.save_action,
                       self.attach_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.discard_action)
        self.addToolBar(toolbar)

    def _connect_signals(self) -> None:
        self.send_action.triggered.connect(self.request_send)
        self.later_action.triggered.connect(self.sending.ask_send_later)
        self.save_action.triggered.connect(self.drafts.save)
        self.attach_action.triggered.connect(self.choose_files)
        self.discard_action.triggered.connect(self.discard)
        self.subject_edit.textChanged.connect(self._update_title)
        for edit in (self.to_edit, self.cc_edit, self.bcc_edit, self.subject_edit):
            edit.textChanged.connect(self.drafts.mark_changed)
        self.body.textChanged.connect(self.drafts.mark_changed)
        self.attachments.changed.connect(self.drafts.mark_changed)
        self.from_box.currentIndexChanged.connect(self.drafts.mark_changed)

    # the fields ---------------------------------------------------------------------
    def fill(self, seed: ComposeSeed, account: str | None = None) -> None:
        """Put ``seed`` in the fields; From is the identity of ``account`` the original was
        sent to; the body's cursor goes above a quote (and the signature)."""
        self.identities.select(account, seed.sent_to)
        self.to_edit.set_addresses(seed.to)
        self.cc_edit.set_addresses(seed.cc)
        self.bcc_edit.set_addresses(seed.bcc)
        self.subject_edit.setText(seed.subject)
        self.body.setPlainText(seed.text)
        if seed.signature:
            self.identities.add_signature(seed.text)
        for attachment in seed.attachments:
            self.attachments.add(attachment)
        self.to_edit.setFocus() if not seed.to else self.body.setFocus()

    @property
    def account(self) -> Account:
        """The account sending (its SMTP server), whichever of its identities is From."""
        return self.identities.account

    def draft(self) -> Draft:
        """What the fields say, as a message to build (From and Reply-To: the identity's)."""
        in_reply_to, references = self.threading
        identity = self.identities.identity
        return Draft(sender=identity.sender, reply_to=identity.reply_to,
                     to=self.to_edit.addresses(), cc=self.cc_edit.addresses(),
                     bcc=self.bcc_edit.addresses(), subject=self.subject_edit.text().strip(),
                     text=self.body.toPlainText(),
                     attachments=list(self.attachments.files), in_reply_to=in_reply_to,
                     references=references)

    def is_empty(self) -> bool:
        draft = self.draft()
        return not (draft.recipients() if draft.to or draft.cc or draft.bcc else False) and \
            not draft.subject and not self.identities.written_text().strip() and \
            not draft.attachments

    def _update_title(self) -> None:
        subject = self.subject_edit.text().strip()
        self.setWindowTitle(tr("Write: {subject}").format(subject=subject or tr("(no subject)")))

    # what the user does -------------------------------------------------------------
    def request_send(self) -> None:
        """Check the message, then ask the owner to send it (after the undo delay)."""
        if not self.sending.busy and self.sendable():
            self.send_requested.emit()

    def sendable(self) -> bool:
        """Whether the message can be sent as it is (if not, the error bar says why)."""
        try:
            build_message(self.draft())
        except ConfigError as exc:
            self.show_error(tr("The message cannot be sent: {error}.").format(error=exc))
            return False
        self.show_error(None)
        return True

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Attach files"))
        self.attach_files([Path(p) for p in paths])

    def attach_files(self, paths: list[Path]) -> None:
        """Attach these files; those that cannot be read are named in the error bar."""
        unread = []
        for path in paths:
            try:
                self.attachments.add_file(path)
            except OSError as exc:
                unread.append(f"{path.name} ({exc.strerror or exc})")
        self.show_error(tr("Not attached: {files}.").format(files=", ".join(unread))
                        if unread else None)

    def discard(self) -> None:
        """Close without sending or saving; the draft kept so far is deleted."""
        self.drafts.discard()
        self.close()

    def show_error(self, text: str | None) -> None:
        """Show ``text`` in the bar at the top (None hides it)."""
        self.error_bar.setText(text or "")
        self.error_bar.setVisible(bool(text))

    # events -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
        if isinstance(event, QDropEvent) and dropped_files(event.mimeData()):
            if event.type() == QEvent.Type.Drop:
                self.dropEvent(event)
            else:
                self._accept_files(event)
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _accept_files(event: QDropEvent) -> None:
        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        self._accept_files(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        self._accept_files(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = dropped_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.attach_files(paths)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.drafts.can_close():
            event.ignore()
            return
        self.autosave.stop()
        super().closeEvent(event)
        self.drafts.closed()
