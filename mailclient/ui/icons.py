"""Small icons drawn in code (no image files to ship): paperclip, envelope, folders, flag...
in the palette's colours (see ``icon_engine``)."""

from __future__ import annotations

import math
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen

from mailclient.ui.icon_engine import Inks, Painter, PaletteIconEngine


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _envelope(painter: QPainter, ink: Inks, top: float = 5.0) -> None:
    painter.setPen(_pen(ink.accent, 1.6))
    painter.setBrush(ink.paper)
    painter.drawRoundedRect(QRectF(2.5, top, 19, 14), 2, 2)
    flap = QPainterPath(QPointF(3, top + 1))
    flap.lineTo(12, top + 8)
    flap.lineTo(21, top + 1)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(flap)


def _paint_paperclip(painter: QPainter, ink: Inks) -> None:
    painter.translate(12, 12)
    painter.rotate(35)
    painter.translate(-12, -12)
    path = QPainterPath(QPointF(15.5, 7))
    path.lineTo(15.5, 16.5)
    path.arcTo(QRectF(9.5, 13.5, 6, 6), 0, -180)
    path.lineTo(9.5, 5.5)
    path.arcTo(QRectF(9.5, 2.5, 8.5, 6), 180, -180)
    path.lineTo(18, 17)
    path.arcTo(QRectF(7, 12, 11, 10), 0, -180)
    path.lineTo(7, 8)
    painter.setPen(_pen(ink.ink, 1.7))
    painter.drawPath(path)


def _paint_get_mail(painter: QPainter, ink: Inks) -> None:
    _envelope(painter, ink, top=8.0)
    painter.setPen(_pen(ink.signal("#1f8a4c", "#5cc98a"), 2.2))
    painter.drawLine(QPointF(12, 1.5), QPointF(12, 9.5))
    painter.drawLine(QPointF(8.5, 6.5), QPointF(12, 10))
    painter.drawLine(QPointF(15.5, 6.5), QPointF(12, 10))


def _paint_add_account(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.accent, 1.6))
    painter.setBrush(ink.paper)
    painter.drawEllipse(QRectF(5, 3, 8, 8))
    body = QPainterPath(QPointF(1.5, 21))
    body.cubicTo(QPointF(2, 14), QPointF(16, 14), QPointF(16.5, 21))
    body.closeSubpath()
    painter.drawPath(body)
    painter.setPen(_pen(ink.signal("#1f8a4c", "#5cc98a"), 2.2))
    painter.drawLine(QPointF(19, 9), QPointF(19, 17))
    painter.drawLine(QPointF(15, 13), QPointF(23, 13))


def _paint_app(painter: QPainter, ink: Inks) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink.accent)
    painter.drawRoundedRect(QRectF(0.5, 0.5, 23, 23), 5, 5)
    painter.setPen(_pen(QColor("white"), 1.6))
    painter.setBrush(ink.accent.darker(115))
    painter.drawRoundedRect(QRectF(4, 6.5, 16, 11), 1.5, 1.5)
    flap = QPainterPath(QPointF(4.5, 7.5))
    flap.lineTo(12, 13)
    flap.lineTo(19.5, 7.5)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(flap)


def _paint_folder(painter: QPainter, ink: Inks) -> None:
    path = QPainterPath(QPointF(2.5, 6))
    path.lineTo(9, 6)
    path.lineTo(11, 8)
    path.lineTo(21.5, 8)
    path.lineTo(21.5, 19.5)
    path.lineTo(2.5, 19.5)
    path.closeSubpath()
    painter.setPen(_pen(QColor("#b08a2e"), 1.4))
    painter.setBrush(QColor("#f3d37a"))
    painter.drawPath(path)


def _paint_inbox(painter: QPainter, ink: Inks) -> None:
    path = QPainterPath(QPointF(2.5, 13))
    path.lineTo(6, 4.5)
    path.lineTo(18, 4.5)
    path.lineTo(21.5, 13)
    path.lineTo(21.5, 19.5)
    path.lineTo(2.5, 19.5)
    path.closeSubpath()
    painter.setPen(_pen(ink.accent, 1.5))
    painter.setBrush(ink.paper)
    painter.drawPath(path)
    tray = QPainterPath(QPointF(2.5, 13))
    tray.lineTo(8, 13)
    tray.lineTo(9.5, 15.5)
    tray.lineTo(14.5, 15.5)
    tray.lineTo(16, 13)
    tray.lineTo(21.5, 13)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(tray)


def _paint_all_inboxes(painter: QPainter, ink: Inks) -> None:
    for dx, dy in ((5.0, 0.0), (0.0, 7.0)):  # a tray behind, one in front
        painter.save()
        painter.translate(dx, dy)
        painter.scale(0.78, 0.78)
        _paint_inbox(painter, ink)
        painter.restore()


def _paint_search(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.ink, 2.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QRectF(3.5, 3.5, 12, 12))
    painter.setPen(_pen(ink.ink, 2.6))
    painter.drawLine(QPointF(14.5, 14.5), QPointF(20.5, 20.5))


def _paint_account(painter: QPainter, ink: Inks) -> None:
    _envelope(painter, ink, top=5.0)


def _star(painter: QPainter, outline: QColor, fill: QColor | None) -> None:
    path = QPainterPath()
    for point in range(10):
        radius = 10.0 if point % 2 == 0 else 4.3
        angle = math.pi * (point / 5 - 0.5)
        corner = QPointF(12 + radius * math.cos(angle), 12.8 + radius * math.sin(angle))
        if point:
            path.lineTo(corner)
        else:
            path.moveTo(corner)
    path.closeSubpath()
    painter.setPen(_pen(outline, 1.4))
    painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


def _paint_flag(painter: QPainter, ink: Inks) -> None:
    _star(painter, QColor("#c77700"), QColor("#f5a623"))


def _paint_flag_column(painter: QPainter, ink: Inks) -> None:
    _star(painter, ink.mid, None)


def _paint_trash(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.ink, 1.6))
    painter.setBrush(ink.paper)
    can = QPainterPath(QPointF(5.5, 7))
    can.lineTo(7, 21)
    can.lineTo(17, 21)
    can.lineTo(18.5, 7)
    can.closeSubpath()
    painter.drawPath(can)
    painter.drawLine(QPointF(3.5, 6.5), QPointF(20.5, 6.5))
    painter.drawLine(QPointF(9.5, 3.5), QPointF(14.5, 3.5))
    painter.drawLine(QPointF(9.5, 3.5), QPointF(9.5, 6.5))
    painter.drawLine(QPointF(14.5, 3.5), QPointF(14.5, 6.5))
    for x in (10.0, 14.0):
        painter.drawLine(QPointF(x, 10), QPointF(x, 18))


def _paint_archive(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.ink, 1.5))
    painter.setBrush(QColor("#e8d9b5"))
    painter.drawRect(QRectF(2.5, 4.5, 19, 5))
    painter.drawRect(QRectF(4, 9.5, 16, 11))
    painter.drawLine(QPointF(9.5, 13), QPointF(14.5, 13))


def _paint_junk(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.signal("#c0392b", "#ef6f61"), 2.2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QRectF(3.5, 3.5, 17, 17))
    painter.drawLine(QPointF(6.5, 6.5), QPointF(17.5, 17.5))


def _paint_write(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.ink, 1.5))
    painter.setBrush(QColor("#f3d37a"))
    pencil = QPainterPath(QPointF(5, 19))
    for x, y in ((6, 14.5), (16.5, 4), (20, 7.5), (9.5, 18)):
        pencil.lineTo(x, y)
    pencil.closeSubpath()
    painter.drawPath(pencil)
    painter.drawLine(QPointF(14.5, 6), QPointF(18, 9.5))
    painter.setPen(_pen(ink.accent, 1.6))
    painter.drawLine(QPointF(3, 21.5), QPointF(21, 21.5))


def _paint_send(painter: QPainter, ink: Inks) -> None:
    plane = QPainterPath(QPointF(2.5, 11))
    for x, y in ((21.5, 3), (14.5, 21), (11, 13.5)):
        plane.lineTo(x, y)
    plane.closeSubpath()
    painter.setPen(_pen(ink.accent, 1.5))
    painter.setBrush(ink.paper)
    painter.drawPath(plane)
    painter.drawLine(QPointF(11, 13.5), QPointF(21.5, 3))


def _arrow(painter: QPainter, tip_x: float, y: float, back: bool, offset: float = 0) -> None:
    sign = -1 if back else 1
    path = QPainterPath(QPointF(12 - sign * 8 + offset, 20))
    path.cubicTo(QPointF(12 - sign * 8 + offset, 12), QPointF(tip_x - sign * 8, y),
                 QPointF(tip_x, y))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.drawLine(QPointF(tip_x, y), QPointF(tip_x - sign * 4.5, y - 4.5))
    painter.drawLine(QPointF(tip_x, y), QPointF(tip_x - sign * 4.5, y + 4.5))


def _paint_reply(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.accent, 2.0))
    _arrow(painter, 3.5, 9, back=True)


def _paint_reply_all(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.accent, 1.8))
    _arrow(painter, 7.5, 9, back=True)
    painter.setPen(_pen(ink.ink, 1.6))
    painter.drawLine(QPointF(2, 9), QPointF(6, 5))
    painter.drawLine(QPointF(2, 9), QPointF(6, 13))


def _paint_forward(painter: QPainter, ink: Inks) -> None:
    painter.setPen(_pen(ink.accent, 2.0))
    _arrow(painter, 20.5, 9, back=False)


_PAINTERS: dict[str, Painter] = {
    "paperclip": _paint_paperclip,
    "get-mail": _paint_get_mail,
    "add-account": _paint_add_account,
    "app": _paint_app,
    "folder": _paint_folder,
    "inbox": _paint_inbox,
    "all-inboxes": _paint_all_inboxes,
    "search": _paint_search,
    "account": _paint_account,
    "flag": _paint_flag,
    "flag-column": _paint_flag_column,
    "trash": _paint_trash,
    "archive": _paint_archive,
    "junk": _paint_junk,
    "write": _paint_write,
    "send": _paint_send,
    "reply": _paint_reply,
    "reply-all": _paint_reply_all,
    "forward": _paint_forward,
}


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name`` (see ``_PAINTERS``), painted in the palette's colours."""
    return QIcon(PaletteIconEngine(_PAINTERS[name]))
