"""PySide6 6.12.0 (Python 3.11) dropped a reference to None at each call of a Qt method
returning nothing, and one to True per signal emitted: after ~20,000 calls the process
aborted ("none_dealloc"). pyproject.toml keeps that release out; this guards it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class Emitter(QObject):
    fired = Signal(bool)


def test_void_calls_and_signals_keep_their_references(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = Emitter()
    seen: list[bool] = []
    emitter.fired.connect(seen.append)
    nones, trues = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2_000):
        label.setText("x")
        emitter.fired.emit(True)
    seen.clear()
    assert sys.getrefcount(None) >= nones - 50
    assert sys.getrefcount(True) >= trues - 50
