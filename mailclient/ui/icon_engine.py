"""Icons painted when shown, in the colours of the application's palette (light or dark):
painted again when that palette changes, pixmaps cached per palette."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyleOption


@dataclass(frozen=True)
class Inks:
    """The colours of the icons: ``ink`` for lines, ``accent`` for mail, ``paper`` for light
    fills, ``mid`` for faint marks, and a few signal colours, all fit for the palette."""

    ink: QColor
    accent: QColor
    paper: QColor
    mid: QColor
    dark: bool

    def signal(self, light: str, dark: str) -> QColor:
        """A signal colour (green, red): a brighter variant on a dark palette."""
        return QColor(dark if self.dark else light)


def _mix(one: QColor, other: QColor, share: float) -> QColor:
    rest = 1 - share
    return QColor.fromRgbF(one.redF() * share + other.redF() * rest,
                           one.greenF() * share + other.greenF() * rest,
                           one.blueF() * share + other.blueF() * rest)


def palette_inks(palette: QPalette) -> Inks:
    """The icon colours for ``palette``."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    accent = QColor(palette.color(QPalette.ColorRole.Highlight))
    dark = window.lightness() < 128
    if dark and accent.lightness() < 110:
        accent = accent.lighter(140)
    return Inks(ink=_mix(text, window, 0.8), accent=accent,
                paper=_mix(accent, base, 0.3 if dark else 0.1), mid=_mix(text, window, 0.5),
                dark=dark)


Painter = Callable[[QPainter, Inks], None]


class PaletteIconEngine(QIconEngine):
    """Paints an icon with ``paint`` (on a 24 x 24 canvas) in the application palette of the
    moment: a widget repainted after a palette change shows the new colours."""

    def __init__(self, paint: Painter) -> None:
        super().__init__()
        self.paint_icon = paint

    def clone(self) -> QIconEngine:
        return PaletteIconEngine(self.paint_icon)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        """``size`` device pixels (QIcon sets the device pixel ratio)."""
        palette = QGuiApplication.palette()
        key = tuple(palette.color(role).rgba() for role in _ROLES)
        pixmap = _pixmap(self.paint_icon, size.width(), size.height(), key)
        if mode == QIcon.Mode.Disabled and isinstance(app := QApplication.instance(),
                                                      QApplication):
            return app.style().generatedIconPixmap(mode, pixmap, QStyleOption())
        return pixmap


_ROLES = (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window, QPalette.ColorRole.Base,
          QPalette.ColorRole.Highlight)


@lru_cache(maxsize=1024)  # per icon, size and palette
def _pixmap(paint: Painter, width: int, height: int, _palette_key: tuple[int, ...]) -> QPixmap:
    side = min(width, height)
    pixmap = QPixmap(max(width, 1), max(height, 1))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate((width - side) / 2, (height - side) / 2)
    painter.scale(side / 24, side / 24)
    paint(painter, palette_inks(QGuiApplication.palette()))
    painter.end()
    return pixmap
