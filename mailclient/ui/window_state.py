"""What the main window remembers between runs (geometry, pane sizes, list columns, grouping,
the chosen folder), in an ini file of the profile's config directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter

from mailclient.ui.list_scope import ListScope

if TYPE_CHECKING:
    from mailclient.ui.main_window import MainWindow

FILE_NAME = "window.ini"
VERSION = 1  # bump when a saved layout would no longer fit


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class WindowState:
    """Saves the window's layout on close and restores it at start.

    Args:
        config_dir: the profile's config directory (tests use a temporary profile).
    """

    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / FILE_NAME
        self.settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    @staticmethod
    def splitters(window: MainWindow) -> list[QSplitter]:
        """The main splitter (tree | right side) and the right one (list above reader)."""
        main = window.centralWidget()
        if not isinstance(main, QSplitter):
            return []
        return [main, *(w for w in main.findChildren(QSplitter) if w.parent() is main)]

    def save(self, window: MainWindow) -> None:
        """Write the window's layout and choices now."""
        settings = self.settings
        settings.setValue("version", VERSION)
        settings.setValue("window/geometry", window.saveGeometry())
        settings.setValue("window/state", window.saveState(VERSION))
        for index, splitter in enumerate(self.splitters(window)):
            settings.setValue(f"splitter/{index}", splitter.saveState())
        settings.setValue("list/header", window.messages.header().saveState())
        settings.setValue("list/grouped", window.group_action.isChecked())
        scope = window.folders.current_scope()
        for field in ("account", "folder", "role"):
            settings.setValue(f"folder/{field}", getattr(scope, field, None) or "")
        settings.sync()

    def restore(self, window: MainWindow) -> None:
        """Put back what ``save`` wrote (nothing the first time or after a version change)."""
        settings = self.settings
        if settings.value("version", 0, int) != VERSION:
            return
        geometry = _bytes(settings.value("window/geometry"))
        if geometry is not None:
            window.restoreGeometry(geometry)
        state = _bytes(settings.value("window/state"))
        if state is not None:
            window.restoreState(state, VERSION)
        for index, splitter in enumerate(self.splitters(window)):
            sizes = _bytes(settings.value(f"splitter/{index}"))
            if sizes is not None:
                splitter.restoreState(sizes)
        header = _bytes(settings.value("list/header"))
        if header is not None:
            window.messages.restore_header(header)
        window.group_action.setChecked(bool(settings.value("list/grouped", False, bool)))
        scope = ListScope(*(_text(settings.value(f"folder/{field}"))
                            for field in ("account", "folder", "role")))
        item = window.folders.find_scope(scope)
        if item is not None:
            window.folders.setCurrentItem(item)
