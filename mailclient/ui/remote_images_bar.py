"""The bar above a message whose remote images were blocked: load them once or always."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from mailclient.ui.i18n import plural, tr
from mailclient.ui.reader_body import mix_colours


class RemoteImagesBar(QFrame):
    """Says that remote images were blocked, with [Load for this message] and
    [Always for <sender>] (shown only when the message has a sender address).

    Signals:
        load_requested(): load the images of the shown message.
        always_requested(): load them now and for every later message of this sender.
    """

    load_requested = Signal()
    always_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remoteImagesBar")
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.message = QLabel(tr("Remote images were blocked to protect your privacy."))
        self.message.setWordWrap(True)
        self.load_button = QPushButton(tr("Load for this message"))
        self.load_button.setAccessibleName(tr("Load remote images for this message"))
        self.always_button = QPushButton()
        self.always_button.setAccessibleName(tr("Always load remote images from this sender"))
        layout.addWidget(self.message, 1)
        layout.addWidget(self.load_button)
        layout.addWidget(self.always_button)
        self.load_button.clicked.connect(self.load_requested)
        self.always_button.clicked.connect(self.always_requested)
        self._apply_palette()
        self.hide()

    def _apply_palette(self) -> None:
        """A tint of the highlight colour over the window colour: visible in light and dark."""
        palette = self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        accent = palette.color(QPalette.ColorRole.Highlight)
        palette.setColor(QPalette.ColorRole.Window, mix_colours(window, accent, 0.82))
        self.setPalette(palette)

    def offer(self, count: int, sender: str) -> None:
        """Show the bar for ``count`` blocked images of ``sender`` (an address or '')."""
        text = tr("Remote images were blocked to protect your privacy.")
        self.message.setText(text)
        self.message.setToolTip(plural(count, tr("{count} remote image"),
                                       tr("{count} remote images")))
        self.always_button.setText(tr("Always for {sender}").format(sender=sender))
        self.always_button.setAccessibleName(
            tr("Always load remote images from {sender}").format(sender=sender))
        self.always_button.setVisible(bool(sender))
        self.load_button.setEnabled(True)
        self.always_button.setEnabled(True)
        self.show()

    def loading(self) -> None:
        """The images are being fetched: say so, and no second click."""
        self.message.setText(tr("Loading remote images…"))
        self.load_button.setEnabled(False)
        self.always_button.setEnabled(False)
        self.show()
