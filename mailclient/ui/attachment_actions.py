"""The reader's attachments: each name a link that offers Open and Save As…, and Save All…."""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QCursor, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from mailclient.core.message_parse import attachment_parts
from mailclient.ui.i18n import tr
from mailclient.ui.reader import ReaderPane

LINK_PREFIX = "attachment:"
# Opened by the desktop, these would run rather than show: saved only, never opened from here.
RUNNABLE = {".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".msp", ".jar", ".js",
            ".jse", ".vbs", ".vbe", ".wsf", ".ps1", ".sh", ".bash", ".py", ".pl", ".rb",
            ".desktop", ".appimage", ".run", ".bin", ".lnk", ".reg", ".hta", ".cpl"}


def safe_file_name(name: str, number: int) -> str:
    """``name`` as a plain file name: its last part only (no directories), no control
    characters, not hidden, never empty."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "_", last).strip().lstrip(".")
    return base[:200] or f"attachment-{number}"


@functools.cache
def opened_copies() -> Path:
    """A private folder for the copies handed to other programs, removed when the app ends
    (they read the files meanwhile)."""
    folder = Path(tempfile.mkdtemp(prefix="mailclient-open-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


class AttachmentActions(QObject):
    """Acts on the attachments ``reader`` shows (its links are ``attachment:N``).

    ``ask_path(suggested) -> str``: the file to save to ('' to cancel); ``ask_folder() ->
    str``: the folder for Save All ('' to cancel); ``open_url``: hands a file to the desktop.
    Tests replace them.

    Signals:
        note(str): what happened, for the status bar.
    """

    note = Signal(str)

    def __init__(self, reader: ReaderPane, parent: QWidget) -> None:
        super().__init__(parent)
        self.reader = reader
        self._parent = parent
        self.ask_path: Callable[[str], str] = lambda suggested: QFileDialog.getSaveFileName(
            parent, tr("Save Attachment"), suggested)[0]
        self.ask_folder: Callable[[], str] = lambda: QFileDialog.getExistingDirectory(
            parent, tr("Save All Attachments"))
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        reader.attachments.linkActivated.connect(self.chosen)

    def files(self) -> list[tuple[str, bytes]]:
        """(file name, bytes) of each attachment of the shown message, in the listed order."""
        message = self.reader.view.message if self.reader.view is not None else None
        if message is None:
            return []
        found = []
        for number, (part, name) in enumerate(attachment_parts(message), start=1):
            payload = part.get_payload(decode=True)
            found.append((safe_file_name(name, number),
                          payload if isinstance(payload, bytes) else b""))
        return found

    def chosen(self, link: str) -> None:
        """An attachment's name was clicked: offer to open or save it."""
        if not link.startswith(LINK_PREFIX) or not link[len(LINK_PREFIX):].isdigit():
            return
        index = int(link[len(LINK_PREFIX):])
        menu = QMenu(self._parent)
        menu.addAction(tr("&Open"), lambda: self.open(index))
        menu.addAction(tr("&Save As…"), lambda: self.save(index))
        if len(self.files()) > 1:
            menu.addAction(tr("Save &All…"), self.save_all)
        menu.popup(QCursor.pos())

    def save(self, index: int) -> Path | None:
        """Save attachment ``index`` where the user says; the path, or None."""
        files = self.files()
        if not 0 <= index < len(files):
            return None
        name, data = files[index]
        chosen = self.ask_path(name)
        if not chosen:
            return None
        return self._write(Path(chosen), data)

    def save_all(self) -> list[Path]:
        """Save every attachment into a folder the user chooses (names kept, never
        overwriting: a number is added)."""
        folder = self.ask_folder()
        saved: list[Path] = []
        if not folder:
            return saved
        for name, data in self.files():
            target = Path(folder) / name
            stem, suffix, count = target.stem, target.suffix, 1
            while target.exists():
                count += 1
                target = target.with_name(f"{stem} ({count}){suffix}")
            written = self._write(target, data)
            if written is not None:
                saved.append(written)
        return saved

    def open(self, index: int) -> Path | None:
        """Open attachment ``index`` with the desktop's program for it (a private copy);
        one that would run as a program is not opened (save it instead)."""
        files = self.files()
        if not 0 <= index < len(files):
            return None
        name, data = files[index]
        if Path(name).suffix.lower() in RUNNABLE:
            self.note.emit(tr("{name} would run as a program: save it instead, and open it "
                              "only if you trust it.").format(name=name))
            return None
        folder = Path(tempfile.mkdtemp(dir=opened_copies()))  # one each: names may repeat
        written = self._write(folder / name, data, quiet=True)
        if written is not None:
            written.chmod(0o400)
            self.open_url(QUrl.fromLocalFile(str(written)))
        return written

    def _write(self, path: Path, data: bytes, *, quiet: bool = False) -> Path | None:
        try:
            path.write_bytes(data)
        except OSError as exc:
            self.note.emit(tr("{name} was not saved: {error}").format(
                name=path.name, error=exc.strerror or exc))
            return None
        if not quiet:
            self.note.emit(tr("Saved {path}").format(path=path))
        return path
