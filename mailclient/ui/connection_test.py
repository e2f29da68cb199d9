"""Test Connection in the account form: log in to both servers and show each result."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from mailclient.core.account import Account
from mailclient.core.errors import CertificateError, MailError, find_cause
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure, Operation
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import notice_style


class ServerResult(QWidget):
    """One server's outcome: "Logged in" or the error, with "Review certificate…" when the
    certificate was not trusted."""

    review_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_button = QPushButton(tr("Review &certificate…"))
        self.review_button.setAutoDefault(False)
        self.review_button.clicked.connect(self.review_requested)
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.certificate_error: CertificateError | None = None
        self.clear()

    def clear(self) -> None:
        self.certificate_error = None
        self.label.clear()
        self.review_button.hide()
        self.hide()

    def show_text(self, text: str, kind: str) -> None:
        self.label.setStyleSheet(notice_style(self, "ok" if kind == "ok" else
                                              "error" if kind == "error" else "plain"))
        self.label.setText(text)
        self.show()

    def show_outcome(self, what: str, error: MailError | None) -> None:
        """``what`` ("IMAP") logged in, or failed with ``error``."""
        if error is None:
            self.certificate_error = None
            self.review_button.hide()
            self.show_text(tr("✓ {what}: logged in").format(what=what), "ok")
            return
        text = str(error)
        self.show_text(tr("✗ {what}: {error}").format(what=what, error=text[:1].upper()
                                                      + text[1:]), "error")
        found = find_cause(error, CertificateError)
        self.certificate_error = found if isinstance(found, CertificateError) else None
        self.review_button.setVisible(self.certificate_error is not None
                                      and bool(self.certificate_error.fingerprint))


class ConnectionTest(QObject):
    """Runs ``accounts.test`` through the bridge; the window stays responsive.

    Signals:
        finished(bool): the test ended; True if both logins worked.
    """

    finished = Signal(bool)

    def __init__(self, service: MailService, bridge: Bridge, parent: QWidget) -> None:
        super().__init__(parent)
        self.service = service
        self.bridge = bridge
        self.operation: Operation | None = None
        self.button = QPushButton(tr("&Test Connection"))
        self.button.setAutoDefault(False)
        self.button.setToolTip(tr("Log in to both servers without saving"))
        self.row = QWidget()  # the button, left-aligned, for the form
        row = QHBoxLayout(self.row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addStretch(1)
        self.incoming_result = ServerResult()
        self.outgoing_result = ServerResult()
        self.tested: Account | None = None

    @property
    def running(self) -> bool:
        return self.operation is not None

    def start(self, account: Account, password: str | None) -> None:
        """Log in to both servers of ``account``; ``password`` None: the saved one."""
        self.cancel()
        accounts = self.service.accounts  # the factory runs on the loop thread: no widgets
        self.tested = account

        async def test() -> dict[str, MailError | None]:
            secret = password if password is not None else await accounts.credential(account)
            return await accounts.test(account, secret)

        for result in (self.incoming_result, self.outgoing_result):
            result.show_text(tr("Logging in…"), "plain")
            result.review_button.hide()
        self.button.setEnabled(False)
        self.operation = self.bridge.run(test, self._tested, self._failed,
                                         label=tr("testing the connection"))

    def cancel(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation = None
            self.button.setEnabled(True)

    def clear(self) -> None:
        self.cancel()
        self.incoming_result.clear()
        self.outgoing_result.clear()

    def _tested(self, outcome: dict[str, MailError | None]) -> None:
        self.operation = None
        self.button.setEnabled(True)
        kind = self.tested.incoming_kind if self.tested is not None else "imap"
        self.incoming_result.show_outcome(kind.upper(), outcome.get(kind))
        self.outgoing_result.show_outcome("SMTP", outcome.get("smtp"))
        self.finished.emit(all(error is None for error in outcome.values()))

    def _failed(self, failure: Failure) -> None:
        self.operation = None
        self.button.setEnabled(True)
        self.outgoing_result.clear()
        self.incoming_result.show_text(failure.message[:1].upper() + failure.message[1:],
                                       "error")
        self.finished.emit(False)
