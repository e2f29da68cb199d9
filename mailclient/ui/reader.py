"""The reading pane: headers, attachments and the body of one message."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.delivery_report import delivery_failure
from mailclient.core.errors import format_size
from mailclient.core.message_parse import MessageView, parse_bytes
from mailclient.ui.bounce_banner import BounceBanner
from mailclient.ui.icons import icon
from mailclient.ui.safe_browser import SafeBrowser, drop_blocked_images

_URL = re.compile(r"""\b(https?://[^\s<>"']+[^\s<>"'.,;:!?)\]}])""")
_QUOTE_COLOR = "#5b6b7f"


def plain_to_html(text: str, font_family: str) -> str:
    """Escape plain text for QTextDocument: wrapped, quotes dimmed, web links clickable."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        escaped = _URL.sub(r'<a href="\1">\1</a>', html.escape(line, quote=True))
        if line.startswith(">"):
            escaped = f'<span style="color:{_QUOTE_COLOR}">{escaped}</span>'
        lines.append(escaped)
    family = html.escape(font_family, quote=True)
    return (f"<pre style=\"white-space: pre-wrap; font-family: '{family}', monospace;\">"
            + "\n".join(lines) + "</pre>")


def inline_parts(raw: bytes) -> dict[str, bytes]:
    """The parts of a message that an HTML body may show by ``cid:``, by Content-ID."""
    parts: dict[str, bytes] = {}
    try:
        for part in parse_bytes(raw).walk():
            cid = str(part.get("content-id", "") or "").strip().strip("<>")
            if not cid or part.is_multipart():
                continue
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts[cid] = payload
    except Exception:  # noqa: BLE001 - hostile MIME must not break reading
        return parts
    return parts


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ReaderPane(QWidget):
    """Shows one ``MessageView``; a placeholder when no message is chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack = QStackedLayout(self)
        self.placeholder = QLabel("No message selected")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: palette(mid); font-size: 13pt;")
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self._build_message_page())
        self.clear()

    def _build_message_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QFrame()
        header.setObjectName("readerHeader")
        header.setStyleSheet("#readerHeader { background: palette(window); }")
        box = QVBoxLayout(header)
        box.setContentsMargins(12, 10, 12, 10)
        self.subject = _value_label()
        font = QFont(self.subject.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.subject.setFont(font)
        box.addWidget(self.subject)
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(2)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLabel] = {}
        for name in ("From", "To", "Cc", "Date"):
            value = _value_label()
            caption = QLabel(name)
            caption.setStyleSheet("color: palette(dark);")
            form.addRow(caption, value)
            self.fields[name] = value
        self._form = form
        box.addLayout(form)
        self.attachment_row = QWidget()
        row = QHBoxLayout(self.attachment_row)
        row.setContentsMargins(0, 6, 0, 0)
        clip = QLabel()
        clip.setPixmap(icon("paperclip").pixmap(16, 16))
        clip.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(clip)
        self.attachments = _value_label()
        self.attachments.setTextFormat(Qt.TextFormat.RichText)
        row.addWidget(self.attachments, 1)
        box.addWidget(self.attachment_row)
        layout.addWidget(header)
        self.bounce = BounceBanner()  # a delivery failure report explained
        layout.addWidget(self.bounce)
        self.blocked = QLabel("Remote images in this message are not shown, to protect "
                              "your privacy.")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet("background: #fff4d6; color: #5c4400; padding: 4px 12px;")
        self.blocked.hide()
        layout.addWidget(self.blocked)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        self.body = SafeBrowser()
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.document().setDocumentMargin(12)
        layout.addWidget(self.body, 1)
        return page

    def clear(self, text: str = "No message selected") -> None:
        """Show the placeholder instead of a message."""
        self.placeholder.setText(text)
        self.body.set_parts({})
        self.body.clear()
        self._stack.setCurrentIndex(0)

    def show_message(self, view: MessageView, raw: bytes | None = None) -> None:
        """Show a parsed message; ``raw`` supplies the ``cid:`` parts of an HTML body."""
        self.subject.setText(view.subject or "(no subject)")
        values = {
            "From": view.from_,
            "To": ", ".join(view.to),
            "Cc": ", ".join(view.cc),
            "Date": view.date.astimezone().strftime("%A %d %B %Y, %H:%M") if view.date else "",
        }
        for name, value in values.items():
            self.fields[name].setText(value)
            self._form.setRowVisible(self.fields[name], bool(value))
        self._show_attachments(view)
        self.bounce.show_failure(delivery_failure(raw) if raw is not None else None)
        if view.html is not None:
            html_text, blocked = drop_blocked_images(view.html)
            self.blocked.setVisible(bool(blocked))
            self.body.set_parts(inline_parts(raw) if raw is not None else {})
            self.body.setHtml(html_text)
        else:
            self.blocked.hide()
            self.body.set_parts({})
            family = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
            self.body.setHtml(plain_to_html(view.text or "", family))
        self._stack.setCurrentIndex(1)

    def show_headers_only(self, view: MessageView, text: str, detail: str = "") -> None:
        """Show a message's headers with ``text`` (and a smaller ``detail``) where its body
        goes: the body is not here yet (downloading, or the server cannot be reached)."""
        self.show_message(view)
        detail_html = (f'<p style="color:{_QUOTE_COLOR}">{html.escape(detail)}</p>'
                       if detail else "")
        self.body.setHtml(f"<p>{html.escape(text)}</p>{detail_html}")

    def _show_attachments(self, view: MessageView) -> None:
        files = view.attachments
        self.attachment_row.setVisible(bool(files))
        if not files:
            self.attachments.clear()
            return
        names = " &nbsp;·&nbsp; ".join(
            f"<b>{html.escape(a.filename or '(unnamed)')}</b> "
            f"<span style='color:gray'>({format_size(a.size)})</span>"
            for a in files
        )
        self.attachments.setText(names)
        self.attachments.setToolTip(f"{len(files)} attachment{'s' if len(files) != 1 else ''}")

    def body_text(self) -> str:
        """The shown body as plain text (for tests and copying)."""
        return self.body.toPlainText()
