"""The banner above a bounce's body: who did not get the message, why, and Edit and resend."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QTextDocumentFragment
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.delivery_report import DeliveryFailure, FailedRecipient
from mailclient.ui.i18n import tr
from mailclient.ui.notice_style import is_dark

# The compose window's error bar colours for a failure; the blocked-images amber for a delay:
# (background, text, edge, the server's words), on a light window then on a dark one.
FAILED_COLORS = (("#fbe3e4", "#7a1c1f", "#e8b4b6", "#6b6b6b"),
                 ("#5c1d20", "#f2b8b5", "#7a2e31", "#c9b0af"))
DELAYED_COLORS = (("#fff4d6", "#5c4400", "#ecd8a0", "#6b6b6b"),
                  ("#4a3b12", "#ffe08a", "#6b5520", "#d0c29a"))
MAX_RECIPIENTS = 8  # lines shown; the rest are counted


class ElidedLabel(QLabel):
    """One line of plain text, cut with "…" to the width it has (all of it in the tooltip)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = " ".join(text.split())
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setToolTip(self.full_text)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                   width))


def recipient_line(recipient: FailedRecipient) -> QLabel:
    """The address with the reason and status code, as in "bob@…: no such user (5.1.1)"."""
    label = QLabel(f"<b>{html.escape(recipient.address)}</b>: "
                   f"{html.escape(recipient.explanation())}")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def server_words(recipient: FailedRecipient) -> ElidedLabel:
    """What the server said about ``recipient``, smaller and grey, on one line."""
    label = ElidedLabel(recipient.diagnostic)
    label.setObjectName("serverWords")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.85)
    label.setFont(font)
    return label


class BounceBanner(QFrame):
    """Explains a delivery failure report; hidden for any other message.

    Signals:
        resend_requested(): "Edit and resend" was clicked (a permanent failure only: a
            delayed message is still being tried by the server).
    """

    resend_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bounceBanner")
        self.failure: DeliveryFailure | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(12)
        text = QVBoxLayout()
        text.setSpacing(4)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.summary)
        self.recipients = QWidget()  # per recipient: reason line, the server's words under it
        self._lines = QVBoxLayout(self.recipients)
        self._lines.setContentsMargins(0, 0, 0, 0)
        self._lines.setSpacing(1)
        text.addWidget(self.recipients)
        layout.addLayout(text, 1)
        self.resend_button = QPushButton(tr("Edit and resend"))
        self.resend_button.setToolTip(tr("Open the message again to fix the address and send it"))
        self.resend_button.clicked.connect(self.resend_requested)
        layout.addWidget(self.resend_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_failure(self, failure: DeliveryFailure | None) -> None:
        """Explain ``failure``; None hides the banner."""
        self.failure = failure
        if failure is None:
            self.hide()
            return
        failed = any(r.permanent for r in failure.recipients)
        colours = FAILED_COLORS if failed else DELAYED_COLORS
        back, fore, edge, grey = colours[is_dark(self)]
        self.setStyleSheet(f"#bounceBanner {{ background: {back}; border-bottom: 1px solid "
                           f"{edge}; }} #bounceBanner QLabel {{ color: {fore}; }} "
                           f"#bounceBanner QLabel#serverWords {{ color: {grey}; }}")
        self.summary.setText(failure.summary())
        self._clear_lines()
        shown = failure.recipients[:MAX_RECIPIENTS]
        for recipient in shown:
            self._lines.addWidget(recipient_line(recipient))
            if recipient.diagnostic:
                self._lines.addWidget(server_words(recipient))
        more = len(failure.recipients) - len(shown)
        if more:
            self._lines.addWidget(QLabel(tr("and {count} more").format(count=more)))
        self.resend_button.setVisible(failed)
        self.show()

    def lines(self) -> list[str]:
        """The recipient lines shown, as plain text (the server's words in full)."""
        found = []
        for index in range(self._lines.count()):
            item = self._lines.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, ElidedLabel):
                found.append(widget.full_text)
            elif isinstance(widget, QLabel):
                found.append(QTextDocumentFragment.fromHtml(widget.text()).toPlainText())
        return found

    def _clear_lines(self) -> None:
        while self._lines.count():
            item = self._lines.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # it would show until deleted, over the new lines
                widget.deleteLater()
