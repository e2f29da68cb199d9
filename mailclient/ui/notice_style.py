"""Inline notes and errors: style sheets derived from the widget's palette (dark too), and
the busy strip and message label dialogs share."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

NoticeKind = Literal["error", "note", "ok", "plain", "warning", "alert", "dim"]
# (on a light window, on a dark window)
_TEXT: dict[str, tuple[str, str]] = {
    "error": ("#b3261e", "#f2b8b5"),
    "ok": ("#1e6b2e", "#9cd8a8"),
}
# banners: (background, text) on a light window, then on a dark one
_BANNER: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "warning": (("#fff4d6", "#5c4400"), ("#4a3b12", "#ffe08a")),
    "alert": (("#fbe3e4", "#7a1c1f"), ("#5c1d20", "#f2b8b5")),
}


def is_dark(widget: QWidget) -> bool:
    """Whether the widget's window colour is dark (a dark palette is in use)."""
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def dim_colour(widget: QWidget, share: float = 0.65) -> QColor:
    """A secondary text colour: ``share`` of the window text, the rest of the window."""
    palette = widget.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    rest = 1 - share
    return QColor.fromRgbF(text.redF() * share + back.redF() * rest,
                           text.greenF() * share + back.greenF() * rest,
                           text.blueF() * share + back.blueF() * rest)


def notice_style(widget: QWidget, kind: NoticeKind) -> str:
    """A style sheet for a label showing a ``kind`` of message under ``widget``'s palette."""
    if kind == "plain":
        return ""
    if kind == "dim":
        return f"color: {dim_colour(widget).name()};"
    if kind == "note":
        palette = widget.palette()
        back = palette.color(QPalette.ColorRole.AlternateBase)
        text = palette.color(QPalette.ColorRole.Text)
        accent = QColor(palette.color(QPalette.ColorRole.Highlight))
        return (f"color: {text.name()}; background: {back.name()}; padding: 6px; "
                f"border-left: 3px solid {accent.name()};")
    if kind in _BANNER:
        background, foreground = _BANNER[kind][1 if is_dark(widget) else 0]
        return f"background: {background}; color: {foreground};"
    light, dark = _TEXT[kind]
    return f"color: {dark if is_dark(widget) else light};"


def busy_strip() -> QProgressBar:
    """The thin endless bar a dialog shows while it waits for the network (hidden at first)."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.hide()
    return bar


def message_label() -> QLabel:
    """A wrapped, selectable label for what a dialog has to say (so it can be copied)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
