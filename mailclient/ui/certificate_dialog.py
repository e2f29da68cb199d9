"""The dialog for an untrusted or changed server certificate: refuse, trust once, trust always."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.errors import CertificateError, MailError
from mailclient.services.certificate_trust import trust_once
from mailclient.services.mail_service import MailService
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import notice_style

log = logging.getLogger(__name__)
REFUSE, ONCE, ALWAYS = "refuse", "once", "always"
_SELECTABLE = (Qt.TextInteractionFlag.TextSelectableByMouse
               | Qt.TextInteractionFlag.TextSelectableByKeyboard)


class CertificateDialog(QDialog):
    """Shows a server's certificate (fingerprint, names, validity) and why it is not trusted.

    "Refuse" is the default button (Enter and Escape refuse); a changed certificate gets a
    warning line. Trusting needs the fingerprint: without it only "Refuse" is enabled.

    Signals:
        decided(str): ``"refuse"``, ``"once"`` or ``"always"``, once, when the dialog closes.
    """

    decided = Signal(str)

    def __init__(self, error: CertificateError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.choice = REFUSE
        server = f"{error.host}:{error.port}" if error.port else error.host
        self.setWindowTitle(tr("Certificate Changed") if error.changed
                            else tr("Untrusted Certificate"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel((
            tr("The certificate of {server} changed since you trusted it.") if error.changed
            else tr("The certificate of {server} is not trusted.")
        ).format(server=server))
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        self.warning = QLabel(tr(
            "This may be an attack: someone may be trying to read your mail and password. "
            "Trust the new certificate only if you know that the server's certificate was "
            "replaced."))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(notice_style(self, "error"))
        self.warning.setVisible(error.changed)
        layout.addWidget(self.warning)
        self.reason = QLabel(tr("Reason: {reason}").format(reason=error.reason))
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(_SELECTABLE)
        layout.addWidget(self.reason)
        layout.addLayout(self._details(error))
        hint = QLabel(tr("Compare the fingerprint with the one your provider publishes before "
                         "you trust the certificate. Nothing, not even your password, was sent."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self._buttons(can_trust=bool(error.fingerprint and error.port)))

    def _details(self, error: CertificateError) -> QFormLayout:
        form = QFormLayout()
        unknown = tr("unknown")
        self.fingerprint = self._value(form, tr("SHA-256 &fingerprint:"),
                                       _two_lines(error.fingerprint) or unknown)
        monospace = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        monospace.setStyleHint(QFont.StyleHint.Monospace)
        self.fingerprint.setFont(monospace)
        self.subject = self._value(form, tr("Issued &to:"), error.subject or unknown)
        self.issuer = self._value(form, tr("Issued &by:"), error.issuer or unknown)
        self.not_before = self._value(form, tr("Valid &from:"), error.not_before or unknown)
        self.not_after = self._value(form, tr("Valid &until:"), error.not_after or unknown)
        return form

    def _value(self, form: QFormLayout, label: str, text: str) -> QLabel:
        """A selectable value with its label as buddy (Alt+letter focuses it)."""
        value = QLabel(text)
        value.setWordWrap(True)
        value.setTextInteractionFlags(_SELECTABLE)
        value.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        value.setAccessibleName(label.replace("&", "").rstrip(":"))
        buddy = QLabel(label)
        buddy.setBuddy(value)
        form.addRow(buddy, value)
        return value

    def _buttons(self, *, can_trust: bool) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.refuse_button = buttons.addButton(tr("&Refuse"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.once_button = buttons.addButton(tr("Trust &Once"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.always_button = buttons.addButton(tr("Trust &Always"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.once_button.setToolTip(tr("Connect now; ask again after the program restarts"))
        self.always_button.setToolTip(tr("Remember this certificate for this account"))
        for button, choice in ((self.refuse_button, REFUSE), (self.once_button, ONCE),
                               (self.always_button, ALWAYS)):
            button.clicked.connect(lambda _=False, choice=choice: self._choose(choice))
        for button in (self.once_button, self.always_button):
            button.setEnabled(can_trust)
            button.setAutoDefault(False)
        self.refuse_button.setDefault(True)
        return buttons

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice == REFUSE:
            self.reject()
        else:
            self.accept()

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Rejected:
            self.choice = REFUSE  # Escape or the window's close button
        super().done(result)
        self.decided.emit(self.choice)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refuse_button.setFocus()  # the safe choice, whatever comes first in the tab order


def _two_lines(fingerprint: str | None) -> str:
    """A fingerprint (95 characters, unbreakable) as two lines of 16 hex pairs."""
    if not fingerprint:
        return ""
    pairs = fingerprint.split(":")
    half = (len(pairs) + 1) // 2
    return ":".join(pairs[:half]) + ":\n" + ":".join(pairs[half:])


def ask_certificate_trust(parent: QWidget, service: MailService, error: CertificateError,
                          account_name: str | None,
                          on_decided: Callable[[str], None]) -> CertificateDialog:
    """Open the dialog (non-blocking, dialog.open()); on a choice apply it — "once": session
    trust; "always": pin for account_name (when None, the caller pins it into the account it
    is creating; still trust it for the session) — then call
    on_decided("refuse"|"once"|"always")."""
    dialog = CertificateDialog(error, parent)

    def apply(choice: str) -> None:
        if choice != REFUSE and error.fingerprint:
            trust_once(error.host, error.port, error.fingerprint)
            if choice == ALWAYS and account_name is not None:
                try:
                    service.accounts.pin_certificate(account_name, error.host, error.port,
                                                     error.fingerprint)
                except (MailError, ValueError, OSError) as exc:
                    log.warning("could not save the trusted certificate: %s", exc)
                    choice = ONCE  # trusted for this run all the same
        on_decided(choice)

    dialog.decided.connect(apply)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
