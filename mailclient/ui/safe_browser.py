"""A QTextBrowser for untrusted mail: loads only cid: parts and images the app fetched,
opens only web and mailto links, and warns before a link that hides where it leads."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl, Signal
from PySide6.QtGui import QCursor, QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QMessageBox, QTextBrowser, QToolTip, QWidget

from mailclient.core.link_check import LinkMismatch
from mailclient.ui.i18n import tr

log = logging.getLogger(__name__)
OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
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


def url_key(url: QUrl | str) -> str:
    """One spelling of a URL, the same for the text of an attribute and the QUrl Qt makes."""
    return (url if isinstance(url, QUrl) else QUrl(url)).toString(
        QUrl.ComponentFormattingOption.FullyEncoded)


def ask_to_open(parent: QWidget, mismatch: LinkMismatch) -> bool:
    """Ask whether to open a link whose text shows another domain; No is the default."""
    answer = QMessageBox.warning(
        parent, tr("Misleading link"),
        tr("The link text shows {shown} but leads to {target}. Open it anyway?").format(
            shown=mismatch.shown, target=mismatch.target),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class SafeBrowser(QTextBrowser):
    """Shows a message body without ever fetching anything remote or local.

    ``loadResource`` answers ``cid:`` URLs from the parts given to ``set_parts`` and web
    URLs from the images the app fetched (``set_remote_images``); for every other URL it
    returns an empty ``QByteArray`` (not None, which would let QTextDocument read local files
    itself). An image that is missing or not decodable gets a blank pixel, since
    QTextDocument would otherwise try its name as a local file. Links are never followed
    inside the widget; one whose text shows another domain (``set_misleading``) is opened
    only after ``confirm`` (a warning dialog) agrees.

    Signals:
        link_refused(str): a clicked link that was not opened (file:, javascript:, ...).
        link_hovered(str): the target of the link under the mouse or focus ('' when none).
    """

    link_refused = Signal(str)
    link_hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self._parts: dict[str, bytes] = {}
        self._remote: dict[str, bytes] = {}
        self._misleading: dict[str, LinkMismatch] = {}
        self.confirm: Callable[[QWidget, LinkMismatch], bool] = ask_to_open
        self.anchorClicked.connect(self.open_link)
        self.highlighted.connect(self._hovered)

    def set_parts(self, parts: dict[str, bytes]) -> None:
        """The inline parts of the shown message, by Content-ID (without angle brackets)."""
        self._parts = dict(parts)

    def set_remote_images(self, images: dict[str, bytes]) -> None:
        """The remote images the app fetched for the shown message, by URL (b'' if failed)."""
        self._remote = {url_key(url): data for url, data in images.items()}

    def set_misleading(self, links: dict[str, LinkMismatch]) -> None:
        """The shown message's links whose text shows another domain, by target."""
        self._misleading = {url_key(href): mismatch for href, mismatch in links.items()}

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt override
        qurl = url if isinstance(url, QUrl) else QUrl(url)
        image = kind == QTextDocument.ResourceType.ImageResource
        if qurl.scheme().lower() in {"http", "https"} and url_key(qurl) in self._remote:
            data = self._remote[url_key(qurl)]
            return _blank_png() if image and QImage.fromData(data).isNull() else QByteArray(data)
        if qurl.scheme().lower() != "cid":
            return QByteArray()
        found = self._parts.get(qurl.path()) or self._parts.get(qurl.toString()[4:])
        if image and (found is None or QImage.fromData(found).isNull()):
            return _blank_png()
        return QByteArray(found or b"")

    def open_link(self, url: QUrl) -> None:
        """Open web and mailto links with the desktop (a misleading one only if the user
        agrees); refuse everything else."""
        if not is_openable(url):
            log.info("refused to open link %s", url.toString())
            self.link_refused.emit(url.toString())
            return
        mismatch = self._misleading.get(url_key(url))
        if mismatch is not None and not self.confirm(self, mismatch):
            self.link_refused.emit(url.toString())
            return
        QDesktopServices.openUrl(url)

    def _hovered(self, url: QUrl) -> None:
        target = url.toString() if not url.isEmpty() else ""
        self.link_hovered.emit(target)
        if target:
            QToolTip.showText(QCursor.pos(), target, self)
        else:
            QToolTip.hideText()
