"""A QTextBrowser for untrusted mail: loads only cid: parts, opens only web and mailto links."""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

log = logging.getLogger(__name__)
OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
# The sanitiser leaves <img> without src where a remote or local source was removed.
_IMG_WITHOUT_SOURCE = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def drop_blocked_images(html: str) -> tuple[str, int]:
    """Remove the images whose source the sanitiser removed; return the HTML and how many."""
    return _IMG_WITHOUT_SOURCE.subn("", html)


def _blank_png() -> QByteArray:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs lack this overload
    return data


def is_openable(url: QUrl) -> bool:
    """Whether a clicked link may be handed to the desktop (web pages and mail addresses)."""
    return url.isValid() and url.scheme().lower() in OPENABLE_SCHEMES


class SafeBrowser(QTextBrowser):
    """Shows a message body without ever fetching anything remote or local.

    ``loadResource`` answers only ``cid:`` URLs, from the parts given to ``set_parts``; for
    every other URL it returns an empty ``QByteArray`` (not None, which would let
    QTextDocument read local files itself). An image that is missing or not decodable gets
    a blank pixel, since QTextDocument would otherwise try its name as a local file.
    Links are never followed inside the widget.

    Signals:
        link_refused(str): a clicked link that was not opened (file:, javascript:, ...).
    """

    link_refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self._parts: dict[str, bytes] = {}
        self.anchorClicked.connect(self.open_link)

    def set_parts(self, parts: dict[str, bytes]) -> None:
        """The inline parts of the shown message, by Content-ID (without angle brackets)."""
        self._parts = dict(parts)

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt override
        qurl = url if isinstance(url, QUrl) else QUrl(url)
        if qurl.scheme().lower() != "cid":
            return QByteArray()
        data = self._parts.get(qurl.path()) or self._parts.get(qurl.toString()[4:])
        if kind == QTextDocument.ResourceType.ImageResource and (
                data is None or QImage.fromData(data).isNull()):
            return _blank_png()
        return QByteArray(data or b"")

    def open_link(self, url: QUrl) -> None:
        """Open web and mailto links with the desktop; refuse everything else."""
        if is_openable(url):
            QDesktopServices.openUrl(url)
        else:
            log.info("refused to open link %s", url.toString())
            self.link_refused.emit(url.toString())
