"""Filling in both servers of the account form from the bundled provider database."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from mailclient.core.errors import ConfigError
from mailclient.ui.i18n import tr

if TYPE_CHECKING:
    from mailclient.ui.server_fields import ServerFields

Discover = Callable[[str], Any]


def bundled_discovery() -> Discover | None:
    """``discover_bundled`` of the discovery service (None while it is not installed)."""
    try:
        from mailclient.services.discovery import (  # type: ignore[import-not-found,unused-ignore]
            discover_bundled,
        )
    except ImportError:
        return None
    found: Discover = discover_bundled
    return found


def looks_complete(address: str) -> bool:
    """Whether ``address`` is worth a look-up (``x@domain.tld``)."""
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain.strip(".") and " " not in address)


class ProviderFill(QObject):
    """Fills host, port, security and user name of both servers when the typed address
    belongs to a provider of the bundled database, leaving alone what the user typed, and
    says so in ``note``; the guesses come back when the address stops matching."""

    def __init__(self, email: QLineEdit, kind: QComboBox, incoming: ServerFields,
                 outgoing: ServerFields, username: QLineEdit, note: QLabel,
                 discover: Discover | None = None) -> None:
        super().__init__(email)
        self.email, self.kind, self.username, self.note = email, kind, username, note
        self.incoming, self.outgoing = incoming, outgoing
        self.discover = discover if discover is not None else bundled_discovery()
        self.provider: str | None = None
        self._filled_username = ""
        self.note.hide()
        email.textChanged.connect(self.look_up)
        email.editingFinished.connect(lambda: self.look_up(self.email.text()))

    def look_up(self, text: str) -> None:
        """Fill in from the provider of ``text``'s domain, if it is known."""
        address = text.strip()
        discovery = None
        if self.discover is not None and looks_complete(address):
            try:
                discovery = self.discover(address)
            except ConfigError:
                discovery = None
        if discovery is None or not discovery.found:
            self._forget()
            return
        incoming = self._pick(discovery.incoming, str(self.kind.currentData()))
        outgoing = discovery.outgoing[0] if discovery.outgoing else None
        if incoming is None and outgoing is None:
            self._forget()
            return
        if incoming is not None:
            if incoming.protocol != self.kind.currentData() and not self.incoming.typed_by_hand:
                self.kind.setCurrentIndex(max(self.kind.findData(incoming.protocol), 0))
            self.incoming.fill(incoming.host, incoming.port, incoming.security)
        if outgoing is not None:
            self.outgoing.fill(outgoing.host, outgoing.port, outgoing.security)
        chosen: Any = incoming if incoming is not None else outgoing
        self._fill_username(str(chosen.username), address)
        self.provider = discovery.provider or address.rpartition("@")[2]
        self.note.setText(tr("Settings for {provider} filled in from the bundled provider "
                             "database.").format(provider=self.provider))
        self.note.show()

    @staticmethod
    def _pick(candidates: tuple[Any, ...], kind: str) -> Any | None:
        for candidate in candidates:
            if candidate.protocol == kind:
                return candidate
        return candidates[0] if candidates else None

    def _fill_username(self, username: str, address: str) -> None:
        typed = self.username.text().strip()
        if typed and typed != self._filled_username:
            return  # the user's own
        value = "" if username in ("", address) else username  # empty: the address
        self.username.setText(value)
        self._filled_username = value

    def _forget(self) -> None:
        if self.provider is None:
            return
        self.provider = None
        self.note.hide()
        if self._filled_username and self.username.text().strip() == self._filled_username:
            self.username.clear()
        self._filled_username = ""
        for fields in (self.incoming, self.outgoing):
            fields.set_email(self.email.text().strip())  # back to the guesses
            if not fields.typed_by_hand:
                fields.security.setCurrentIndex(fields.security.findData("ssl"))
