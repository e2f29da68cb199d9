"""Clicked mailto: links: a compose window filled in from the link, or a note why not."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mailclient.core.errors import ConfigError
from mailclient.core.mailto import MailtoRequest, parse_mailto
from mailclient.ui.compose_reply import ComposeSeed
from mailclient.ui.i18n import tr

if TYPE_CHECKING:
    from mailclient.ui.compose_window import ComposeWindow
    from mailclient.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def compose_seed(request: MailtoRequest) -> ComposeSeed:
    """The fields of a new message asked for by a mailto: link (with the usual signature)."""
    threading = [request.in_reply_to] if request.in_reply_to else []
    return ComposeSeed(to=list(request.to), cc=list(request.cc), bcc=list(request.bcc),
                       subject=request.subject, text=request.body,
                       in_reply_to=request.in_reply_to, references=threading, signature=True)


def open_mailto(window: MainWindow, link: str) -> ComposeWindow | None:
    """Bring ``window`` forward and open a compose window filled in from ``link``.

    A link that cannot be read (broken, or trying to add headers) opens nothing: a message
    box says why. With no account yet, the window's status bar says to add one.
    """
    window.bring_to_front()
    try:
        request = parse_mailto(link)
    except ConfigError as exc:
        log.warning("refused a mailto: link: %s", exc)
        _show_refusal(window, str(exc))
        return None
    return window.compose.open(compose_seed(request), None)


def _show_refusal(window: MainWindow, reason: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Cannot Write This Message"),
                      tr("The link could not be opened as a new message."),
                      QMessageBox.StandardButton.Ok, window)
    box.setInformativeText(tr("Reason: {reason}").format(reason=reason))
    box.setAccessibleName(tr("Cannot write this message"))
    box.setObjectName("mailto_refused")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
