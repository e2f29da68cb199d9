"""Mark read on open: what the reader shows becomes read once it has stayed shown a moment."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from mailclient.services.store.messages import MessageRow

MARK_READ_MS = 1000


class ReadMarker(QObject):
    """Waits ``delay_ms`` after a row is shown; showing another row first starts again, and
    showing the same row again (a list reload) changes nothing.

    Signals:
        due(list[MessageRow]): the unread messages of the row shown long enough.
    """

    due = Signal(list)

    def __init__(self, delay_ms: int = MARK_READ_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._key: str | None = None
        self._rows: list[MessageRow] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._elapsed)

    @property
    def delay_ms(self) -> int:
        return self._timer.interval()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def shown(self, key: str | None, rows: list[MessageRow]) -> None:
        """Row ``key`` (None: nothing) now shows ``rows`` in the reader."""
        if key == self._key:
            return
        self._timer.stop()
        self._key = key
        self._rows = [row for row in rows if "seen" not in row.flags]
        if key is not None and self._rows:
            self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self._rows = []

    def _elapsed(self) -> None:
        rows, self._rows = self._rows, []
        if rows:
            self.due.emit(rows)
