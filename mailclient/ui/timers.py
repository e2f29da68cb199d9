"""Qt timers made in one call (PySide6 takes the keywords, its type stubs do not)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def repeating(parent: QObject, interval_ms: int, slot: Callable[[], object]) -> QTimer:
    """A started timer that calls ``slot`` every ``interval_ms``."""
    timer = QTimer(parent)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    timer.start()
    return timer
