"""The reading pane: headers, attachments and the body of one message."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFont, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mailclient.core.delivery_report import delivery_failure
from mailclient.core.errors import format_size
from mailclient.core.list_unsubscribe import Unsubscribe
from mailclient.core.message_parse import MessageView
from mailclient.services.remote_images import sender_address
from mailclient.ui.bounce_banner import BounceBanner
from mailclient.ui.i18n import plural, tr
from mailclient.ui.icons import icon
from mailclient.ui.notice_style import notice_style
from mailclient.ui.reader_body import (
    PreparedBody,
    header_line,
    palette_colours,
    prepare_body,
    shortened_note,
)
from mailclient.ui.remote_images_bar import RemoteImagesBar
from mailclient.ui.safe_browser import SafeBrowser


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ReaderPane(QWidget):
    """Shows one ``MessageView``; a placeholder when no message is chosen.

    Remote images are never fetched here: the bar asks, ``remote_images_requested`` tells,
    and whoever fetched them hands them back through ``show_remote_images``.

    Signals:
        remote_images_requested(list): the image URLs the user (or the sender rule) allowed.
        always_allow_requested(str): always load the images of this From value.
        message_changed(): another message (or none) is shown.
        link_hovered(str): the target of the link under the mouse ('' when none).
    """

    remote_images_requested = Signal(list)
    always_allow_requested = Signal(str)
    message_changed = Signal()
    link_hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.raw: bytes | None = None  # the bytes of the message shown
        self.view: MessageView | None = None
        self.prepared = PreparedBody()
        self.images_allowed: Callable[[str], bool] = lambda _from: False  # by From value
        self._stack = QStackedLayout(self)
        self.placeholder = QLabel(tr("No message selected"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        larger = QFont(self.placeholder.font())
        larger.setPointSizeF(larger.pointSizeF() * 1.3)
        self.placeholder.setFont(larger)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self._build_message_page())
        self._apply_palette()
        self.clear()

    def _build_message_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QFrame()
        header.setObjectName("readerHeader")
        header.setAutoFillBackground(True)  # the window colour, following palette changes
        header.setBackgroundRole(QPalette.ColorRole.Window)
        box = QVBoxLayout(header)
        box.setContentsMargins(12, 10, 12, 10)
        top = QHBoxLayout()
        self.subject = _value_label()
        font = QFont(self.subject.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.subject.setFont(font)
        top.addWidget(self.subject, 1)
        self.action_row = QHBoxLayout()  # per-message actions (``add_action``)
        self.action_row.setSpacing(2)
        top.addLayout(self.action_row)
        box.addLayout(top)
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(2)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLabel] = {}
        self._dimmed = [self.placeholder]  # secondary text, in a tone of the palette
        captions = {"From": tr("From"), "To": tr("To"), "Cc": tr("Cc"), "Date": tr("Date")}
        for name, caption_text in captions.items():
            value = _value_label()
            caption = QLabel(caption_text)
            self._dimmed.append(caption)
            caption.setBuddy(value)
            form.addRow(caption, value)
            self.fields[name] = value
        self._form = form
        box.addLayout(form)
        self.attachment_row = QWidget()
        row = QHBoxLayout(self.attachment_row)
        row.setContentsMargins(0, 6, 0, 0)
        self._clip = QLabel()
        self._clip.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._clip)
        self.attachments = _value_label()
        self.attachments.setTextFormat(Qt.TextFormat.RichText)  # each name a link: open, save
        self.attachments.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        row.addWidget(self.attachments, 1)
        box.addWidget(self.attachment_row)
        layout.addWidget(header)
        self.bounce = BounceBanner()  # a delivery failure report explained
        layout.addWidget(self.bounce)
        self.shortened = _value_label()  # a message over the bounds of parse_limits
        self.shortened.setContentsMargins(12, 4, 12, 4)
        layout.addWidget(self.shortened)
        self.blocked = RemoteImagesBar()
        layout.addWidget(self.blocked)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        self.body = SafeBrowser()
        self.body.setAccessibleName(tr("Message body"))
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.document().setDocumentMargin(12)
        self.body.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._menu_actions: list[QAction] = []
        layout.addWidget(self.body, 1)
        self._connect_signals()
        return page

    def _apply_palette(self) -> None:
        for label in self._dimmed:
            label.setStyleSheet(notice_style(self, "dim"))
        self.shortened.setStyleSheet(notice_style(self, "warning"))
        self._clip.setPixmap(icon("paperclip").pixmap(16, 16))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # a dark palette now, or a light one
            self._apply_palette()

    def _connect_signals(self) -> None:
        self.blocked.load_requested.connect(self.load_remote_images)
        self.blocked.always_requested.connect(self._always_allow)
        self.body.link_hovered.connect(self.link_hovered)
        self.body.customContextMenuRequested.connect(self._show_menu)

    def add_action(self, action: QAction, *, button: bool = True) -> None:
        """Offer ``action`` in the body's context menu and (``button``) as a header button
        that follows the action's visibility."""
        self._menu_actions.append(action)
        self.addAction(action)  # its shortcut works wherever the reader's window has focus
        if button:
            tool = QToolButton()
            tool.setDefaultAction(action)
            tool.setAutoRaise(True)
            tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            tool.setVisible(action.isVisible())
            action.changed.connect(lambda: tool.setVisible(action.isVisible()))
            self.action_row.addWidget(tool)

    def _show_menu(self, position: QPoint) -> None:
        menu = self.body.createStandardContextMenu(position)
        shown = [a for a in self._menu_actions if a.isVisible()]
        if shown:
            menu.addSeparator()
            menu.addActions(shown)
        menu.exec(self.body.viewport().mapToGlobal(position))
        menu.deleteLater()

    def clear(self, text: str | None = None) -> None:
        """Show the placeholder instead of a message."""
        self.placeholder.setText(text if text is not None else tr("No message selected"))
        self.raw, self.view, self.prepared = None, None, PreparedBody()
        self.body.set_parts({})
        self.body.set_remote_images({})
        self.body.set_misleading({})
        self.body.clear()
        self.blocked.hide()
        self._stack.setCurrentIndex(0)
        self.message_changed.emit()

    def show_message(self, view: MessageView, raw: bytes | None = None) -> None:
        """Show a parsed message; ``raw`` supplies the ``cid:`` parts of an HTML body, its
        remote images, format=flowed and List-Unsubscribe."""
        self.raw, self.view = raw, view
        self.subject.setText(header_line(view.subject, 300) or tr("(no subject)"))
        values = {
            "From": view.from_,
            "To": ", ".join(view.to),
            "Cc": ", ".join(view.cc),
            "Date": view.date.astimezone().strftime("%A %d %B %Y, %H:%M") if view.date else "",
        }
        for name, value in values.items():
            self.fields[name].setText(header_line(value, 1_000))
            self._form.setRowVisible(self.fields[name], bool(value))
        self._show_attachments(view)
        report = None if raw is None else view.message or raw
        self.bounce.show_failure(delivery_failure(report) if report is not None else None)
        self.shortened.setText(shortened_note(view.shortened))
        self.shortened.setVisible(bool(view.shortened))
        self.prepared = prepare_body(view, raw, palette_colours(self.body))
        self.body.set_parts(self.prepared.parts)
        self.body.set_remote_images({})
        self.body.set_misleading(self.prepared.misleading)
        safe = self.prepared.html
        self.body.setHtml(safe.blocked if safe is not None else self.prepared.text_html)
        self.blocked.hide()
        self._stack.setCurrentIndex(1)
        self.message_changed.emit()
        if safe is not None and safe.remote_urls:
            if self.images_allowed(view.from_):
                self.load_remote_images()
            else:
                self.blocked.offer(len(safe.remote_urls), sender_address(view.from_))

    def remote_urls(self) -> list[str]:
        """The remote images of the message shown (none for plain text)."""
        return list(self.prepared.html.remote_urls) if self.prepared.html is not None else []

    def load_remote_images(self) -> None:
        """Ask for the remote images of the message shown (``remote_images_requested``)."""
        urls = self.remote_urls()
        if urls:
            self.blocked.loading()
            self.remote_images_requested.emit(urls)

    def _always_allow(self) -> None:
        if self.view is not None:
            self.always_allow_requested.emit(self.view.from_)
            self.load_remote_images()

    def show_remote_images(self, urls: list[str], images: dict[str, bytes]) -> None:
        """Show the message again with the ``images`` fetched for ``urls``; ignored when
        another message is shown by now."""
        safe = self.prepared.html
        if safe is None or urls != safe.remote_urls:
            return
        self.body.set_remote_images({url: images.get(url, b"") for url in urls})
        self.body.setHtml(safe.with_remote)
        self.blocked.hide()

    def unsubscribe(self) -> Unsubscribe | None:
        """How to leave the mailing list of the message shown, if it says."""
        return self.prepared.unsubscribe

    def show_headers_only(self, view: MessageView, text: str, detail: str = "") -> None:
        """Show a message's headers with ``text`` (and a smaller ``detail``) where its body
        goes: the body is not here yet (downloading, or the server cannot be reached)."""
        self.show_message(view)
        self.blocked.hide()
        dim = palette_colours(self.body).dim
        detail_html = f'<p style="color:{dim}">{html.escape(detail)}</p>' if detail else ""
        self.body.setHtml(f"<p>{html.escape(text)}</p>{detail_html}")

    def _show_attachments(self, view: MessageView) -> None:
        files = view.attachments
        self.attachment_row.setVisible(bool(files))
        if not files:
            self.attachments.clear()
            return
        dim = palette_colours(self.attachments).dim
        names = " &nbsp;·&nbsp; ".join(
            f"<a href='attachment:{n}'><b>{html.escape(a.filename or tr('(unnamed)'))}</b></a> "
            f"<span style='color:{dim}'>({format_size(a.size)})</span>"
            for n, a in enumerate(files))
        self.attachments.setText(names)
        self.attachments.setToolTip(plural(len(files), tr("{count} attachment"),
                                           tr("{count} attachments")))

    def body_text(self) -> str:
        """The shown body as plain text (for tests and copying)."""
        return self.body.toPlainText()
