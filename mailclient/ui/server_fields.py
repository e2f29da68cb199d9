"""One server's host, port and security inputs, with guesses from the e-mail domain."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from mailclient.core.account import SECURITIES, Security, ServerConfig
from mailclient.core.errors import ConfigError
from mailclient.ui.i18n import QT_TRANSLATE_NOOP, tr

SECURITY_CHOICES: tuple[tuple[Security, str], ...] = (
    ("ssl", "SSL/TLS"),
    ("starttls", "STARTTLS"),
    ("none", QT_TRANSLATE_NOOP("mailclient", "None (insecure)")),  # shown through tr()
)
DEFAULT_PORTS: dict[str, dict[str, int]] = {
    "imap": {"ssl": 993, "starttls": 143, "none": 143},
    "pop3": {"ssl": 995, "starttls": 110, "none": 110},
    "smtp": {"ssl": 465, "starttls": 587, "none": 587},
}
HOST_PREFIXES = {"imap": "imap", "pop3": "pop", "smtp": "smtp"}


def guess_host(protocol: str, email: str) -> str:
    """``imap.DOMAIN`` / ``pop.DOMAIN`` / ``smtp.DOMAIN`` from an address ('' if none)."""
    domain = email.rpartition("@")[2].strip().lower()
    return f"{HOST_PREFIXES[protocol]}.{domain}" if domain and "." in domain else ""


def parse_port(text: str, what: str) -> int:
    """The port typed by the user; ``ConfigError`` in plain words if it is not a number."""
    try:
        return int(text.strip())
    except ValueError:
        raise ConfigError(
            tr("{what} port must be a number from 1 to 65535, not {text!r}").format(
                what=what, text=text.strip())
        ) from None


class ServerFields(QWidget):
    """Host, port and security of one server; the port follows the security choice
    until the user types one, and the host follows the e-mail domain likewise."""

    changed = Signal()

    def __init__(self, protocol: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.protocol = protocol
        self.host = QLineEdit()
        self.host.setPlaceholderText(f"{HOST_PREFIXES[protocol]}.example.org")
        self.host.setAccessibleName(tr("{protocol} host").format(protocol=protocol.upper()))
        self.port = QLineEdit()
        self.port.setMaxLength(6)
        self.port.setFixedWidth(64)
        self.port.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.security = QComboBox()
        self.security.setAccessibleName(
            tr("{protocol} security").format(protocol=protocol.upper()))
        for value, label in SECURITY_CHOICES:
            self.security.addItem(tr(label), value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.host, 1)
        port_label = QLabel(tr("Port"))
        port_label.setBuddy(self.port)
        layout.addWidget(port_label)
        layout.addWidget(self.port)
        layout.addWidget(self.security)
        self._email = ""
        self._host_typed = False
        self._port_typed = False
        self._security_chosen = False
        self.host.textEdited.connect(self._host_edited)
        self.port.textEdited.connect(self._port_edited)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.security.activated.connect(self._security_activated)
        self.set_insecure_allowed(False)
        self._update_port()

    def current_security(self) -> Security:
        value = self.security.currentData()
        return cast(Security, value if value in SECURITIES else "ssl")

    def set_protocol(self, protocol: str) -> None:
        """Switch between IMAP and POP3: new host guess and default port."""
        self.protocol = protocol
        self.host.setPlaceholderText(f"{HOST_PREFIXES[protocol]}.example.org")
        self.set_email(self._email)
        self._port_typed = False
        self._update_port()

    def set_email(self, email: str) -> None:
        """Follow the e-mail address with a host guess unless the user typed a host."""
        self._email = email
        if not self._host_typed:
            self.host.setText(guess_host(self.protocol, email))

    def set_insecure_allowed(self, allowed: bool) -> None:
        """Offer "None (insecure)" only when the user explicitly allowed it."""
        model = self.security.model()
        assert isinstance(model, QStandardItemModel)
        index = self.security.findData("none")
        item = model.item(index)
        item.setEnabled(allowed)
        item.setToolTip("" if allowed else tr("Allow unencrypted connections below to use this"))
        if not allowed and self.current_security() == "none":
            self.security.setCurrentIndex(self.security.findData("ssl"))

    @property
    def typed_by_hand(self) -> bool:
        """Whether the user typed the host or port or chose the security."""
        return self._host_typed or self._port_typed or self._security_chosen

    def set_config(self, config: ServerConfig) -> None:
        """Show saved settings; they count as typed (an address change keeps them)."""
        self.security.setCurrentIndex(max(self.security.findData(config.security), 0))
        self.host.setText(config.host)
        self.port.setText(str(config.port))
        self._host_typed = self._port_typed = self._security_chosen = True

    def fill(self, host: str, port: int, security: Security) -> None:
        """Take known settings (a provider's), each unless the user typed it by hand."""
        if not self._security_chosen:
            self.security.setCurrentIndex(max(self.security.findData(security), 0))
        if not self._port_typed:
            self.port.setText(str(port))
        if not self._host_typed:
            self.host.setText(host)

    def config(self, what: str, username: str) -> ServerConfig:
        """The typed settings; ``ConfigError`` if the port is not a number."""
        return ServerConfig(self.host.text().strip(), parse_port(self.port.text(), what),
                            self.current_security(), username)

    def _host_edited(self, text: str) -> None:
        self._host_typed = bool(text)
        self.changed.emit()

    def _port_edited(self, text: str) -> None:
        self._port_typed = bool(text)
        self.changed.emit()

    def _security_activated(self, _index: int) -> None:
        self._security_chosen = True

    def _security_changed(self, _index: int) -> None:
        defaults = DEFAULT_PORTS[self.protocol].values()
        if not self._port_typed or self.port.text().strip() in {str(p) for p in defaults}:
            self._port_typed = False
            self._update_port()
        self.changed.emit()

    def _update_port(self) -> None:
        self.port.setText(str(DEFAULT_PORTS[self.protocol][self.current_security()]))
