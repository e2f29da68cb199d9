"""Style sheets for inline notes and errors, derived from the widget's palette (dark too)."""

from __future__ import annotations

from typing import Literal

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

NoticeKind = Literal["error", "note", "ok", "plain"]
# (on a light window, on a dark window)
_TEXT: dict[str, tuple[str, str]] = {
    "error": ("#b3261e", "#f2b8b5"),
    "ok": ("#1e6b2e", "#9cd8a8"),
}


def is_dark(widget: QWidget) -> bool:
    """Whether the widget's window colour is dark (a dark palette is in use)."""
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def notice_style(widget: QWidget, kind: NoticeKind) -> str:
    """A style sheet for a label showing a ``kind`` of message under ``widget``'s palette."""
    if kind == "plain":
        return ""
    if kind == "note":
        palette = widget.palette()
        back = palette.color(QPalette.ColorRole.AlternateBase)
        text = palette.color(QPalette.ColorRole.Text)
        accent = QColor(palette.color(QPalette.ColorRole.Highlight))
        return (f"color: {text.name()}; background: {back.name()}; padding: 6px; "
                f"border-left: 3px solid {accent.name()};")
    light, dark = _TEXT[kind]
    return f"color: {dark if is_dark(widget) else light};"
