"""The identity form: name, address, Reply-To and signature of one address you send as."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.account import Identity
from mailclient.core.errors import ConfigError
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import notice_style


class IdentityDialog(QDialog):
    """Edits ``identity`` (a new alias when None); ``main`` fixes the address (it is the
    account's own, changed in the account form). ``identity()`` reads it once accepted."""

    def __init__(self, identity: Identity | None = None, parent: QWidget | None = None,
                 *, main: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Edit Identity") if identity else tr("Add Identity"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.display_name = QLineEdit()
        self.email = QLineEdit()
        self.email.setPlaceholderText("ada@example.org")
        self.reply_to = QLineEdit()
        self.reply_to.setPlaceholderText(tr("replies go to the address above"))
        self.signature = QPlainTextEdit()
        self.signature.setTabChangesFocus(True)
        self.signature.setAccessibleName(tr("Signature"))
        self.signature.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.signature.setFixedHeight(110)
        form.addRow(tr("Your &name"), self.display_name)
        form.addRow(tr("&E-mail address"), self.email)
        form.addRow(tr("&Reply-To"), self.reply_to)
        signature_label = QLabel(tr("&Signature"))
        signature_label.setBuddy(self.signature)
        form.addRow(signature_label, self.signature)
        hint = QLabel(tr("The signature goes below a “-- ” line at the end of what you write."))
        hint.setWordWrap(True)
        form.addRow("", hint)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(notice_style(self, "error"))
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if identity is not None:
            self.display_name.setText(identity.display_name)
            self.email.setText(identity.email)
            self.reply_to.setText(identity.reply_to or "")
            self.signature.setPlainText(identity.signature)
        if main:
            self.email.setReadOnly(True)
            self.email.setToolTip(tr("The account's own address: change it in Edit Account"))
        (self.display_name if main or identity else self.email).setFocus()

    def identity(self) -> Identity:
        """The identity as typed; ``ConfigError`` naming the first invalid field."""
        found = Identity(email=self.email.text().strip(),
                         display_name=self.display_name.text().strip(),
                         reply_to=self.reply_to.text().strip() or None,
                         signature=self.signature.toPlainText().rstrip())
        found.validate()
        return found

    def accept(self) -> None:
        """Close only with a valid identity; else say what is wrong."""
        try:
            self.identity()
        except ConfigError as exc:
            text = str(exc)
            self.error.setText(text[:1].upper() + text[1:])
            self.error.show()
            return
        super().accept()
