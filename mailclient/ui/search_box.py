"""The toolbar's search field (asks for a search once typing pauses) and the search it runs."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QLineEdit, QWidget

from mailclient.services.store.messages import MessageRow, MessageStore
from mailclient.services.store.search import search_text
from mailclient.ui.i18n import QT_TRANSLATE_NOOP, plural, tr
from mailclient.ui.icons import icon
from mailclient.ui.notice_style import is_dark

PLACEHOLDER = QT_TRANSLATE_NOOP(
    "mailclient", "Search  (from: to: subject: has:attachment is:unread before: after:)")
TOOLTIP = QT_TRANSLATE_NOOP("mailclient", "Search the stored messages of every account (Ctrl+K)")
DEBOUNCE_MS = 250
ERROR_COLORS = (QColor("#b3261e"), QColor("#f2b8b5"))  # on a light window, on a dark one


def search_store(store: MessageStore, query: str, *, limit: int) -> list[MessageRow]:
    """``mailclient search``'s code (``search_text``) on ``store``'s connection: the window
    reads through its own, as the service's connection belongs to the bridge thread while it
    syncs.

    Raises:
        ConfigError: the query cannot be understood (``before:tomorrow``).
    """
    return search_text(store.db, query, limit=limit)


def describe_results(count: int, query: str, limit: int) -> str:
    """The status line for a search: ``3 results for “from:ada”``.

    ``count`` above ``limit`` means the search found more than it shows.
    """
    if count > limit:
        return tr("More than {limit} results for “{query}”; showing the newest {limit}").format(
            limit=limit, query=query)
    if count == 0:
        return tr("No results for “{query}”").format(query=query)
    return plural(count, tr("{count} result for “{query}”"),
                  tr("{count} results for “{query}”"), query=query)


class SearchBox(QLineEdit):
    """A line edit with a clear button that asks for a search ``DEBOUNCE_MS`` after the last
    keystroke (at once on Return), never for an empty text.

    Signals:
        search_requested(str): the stripped query, when it changed.
        search_cleared(): the field was emptied (typing, the clear button or Escape).
        dismissed(): Escape was pressed: give the focus back to the list.
    """

    search_requested = Signal(str)
    search_cleared = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(tr(PLACEHOLDER))
        self.setToolTip(tr(TOOLTIP))
        self.setAccessibleName(tr("Search"))
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(tr(PLACEHOLDER)) + 64)
        self._normal_palette = QPalette(self.palette())
        self._active = ""  # the query last requested; "" while there is none
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._request)
        self.textChanged.connect(self._text_changed)
        self.returnPressed.connect(self._request)

    def focus_for_typing(self) -> None:
        """Take the keyboard focus with the text selected, ready to type over it."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()

    def reset(self) -> None:
        """Empty the field without emitting anything (the window left the search itself)."""
        self._timer.stop()
        self._active = ""
        self.blockSignals(True)
        try:
            self.clear()
        finally:
            self.blockSignals(False)
        self.show_error(None)

    def show_error(self, message: str | None) -> None:
        """Mark the query as refused (red text, ``message`` as tooltip); None: unmark."""
        palette = QPalette(self._normal_palette)
        if message:
            palette.setColor(QPalette.ColorRole.Text, ERROR_COLORS[is_dark(self)])
        self.setPalette(palette)
        self.setToolTip(message or tr(TOOLTIP))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.dismissed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _text_changed(self, text: str) -> None:
        if text.strip():
            self._timer.start()
            return
        self._timer.stop()
        self.show_error(None)
        if self._active:
            self._active = ""
            self.search_cleared.emit()

    def _request(self) -> None:
        self._timer.stop()
        query = self.text().strip()
        if query and query != self._active:
            self._active = query
            self.search_requested.emit(query)
