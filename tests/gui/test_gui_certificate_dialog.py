"""The certificate dialog: details shown, Refuse by default, Trust Once and Trust Always applied."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from mailclient.core.account import Account
from mailclient.core.errors import CertificateError
from mailclient.services.certificate_trust import TRUST
from mailclient.services.mail_service import MailService
from mailclient.ui.certificate_dialog import CertificateDialog, ask_certificate_trust

FINGERPRINT = ":".join(["AB", "12", "CD", "34"] * 8)
HOST, PORT = "imap.example.org", 993


@pytest.fixture(autouse=True)
def fresh_trust() -> Iterator[None]:
    yield
    TRUST.forget_trusted_once()
    TRUST.read_pins_from(tuple)


def certificate_error(*, changed: bool = False, fingerprint: str | None = FINGERPRINT
                      ) -> CertificateError:
    reason = ("the server now shows a different certificate" if changed
              else "self-signed certificate")
    return CertificateError(HOST, reason, fingerprint, port=PORT, changed=changed,
                            subject="CN=imap.example.org, O=Example Mail",
                            issuer="CN=imap.example.org, O=Example Mail",
                            not_before="2026-01-01 00:00:00 UTC",
                            not_after="2027-01-01 00:00:00 UTC")


@pytest.fixture
def window(qtbot) -> QWidget:
    """The dialog's parent window, shown and kept alive by the test."""
    parent = QWidget()
    qtbot.addWidget(parent)
    with qtbot.waitExposed(parent):
        parent.show()
    return parent


def ask(qtbot, parent: QWidget, service: MailService, error: CertificateError,
        account: str | None) -> tuple[CertificateDialog, list[str]]:
    decisions: list[str] = []
    dialog = ask_certificate_trust(parent, service, error, account, decisions.append)
    qtbot.waitUntil(lambda: dialog.windowHandle() is not None and dialog.windowHandle().isExposed())
    return dialog, decisions


def test_shows_the_certificate(qtbot, window: QWidget, service: MailService) -> None:
    dialog, _ = ask(qtbot, window, service, certificate_error(), None)
    assert dialog.windowTitle() == "Untrusted Certificate"
    assert dialog.fingerprint.text().replace("\n", "") == FINGERPRINT  # in two lines
    assert dialog.fingerprint.font().styleHint() == QFont.StyleHint.Monospace
    assert dialog.fingerprint.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert dialog.subject.text() == "CN=imap.example.org, O=Example Mail"
    assert dialog.not_after.text() == "2027-01-01 00:00:00 UTC"
    assert "self-signed certificate" in dialog.reason.text()
    assert not dialog.warning.isVisible()
    assert dialog.refuse_button.isDefault() and dialog.focusWidget() is dialog.refuse_button
    assert dialog.fingerprint.accessibleName() == "SHA-256 fingerprint"
    dialog.grab().save("/tmp/h3-certificate-dialog.png")


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Escape])
def test_enter_and_escape_refuse(qtbot, window: QWidget, service: MailService, account: Account,
                                 key: Qt.Key) -> None:
    dialog, decisions = ask(qtbot, window, service, certificate_error(), account.name)
    with qtbot.waitSignal(dialog.decided):
        qtbot.keyClick(dialog.focusWidget(), key)
    assert decisions == ["refuse"]
    assert TRUST.accepted(HOST, PORT) == frozenset()
    assert service.accounts.get(account.name).pinned_certificates == {}


def test_trust_once_is_for_this_run_only(qtbot, window: QWidget, service: MailService,
                                         account: Account) -> None:
    dialog, decisions = ask(qtbot, window, service, certificate_error(), account.name)
    with qtbot.waitSignal(dialog.decided):
        qtbot.mouseClick(dialog.once_button, Qt.MouseButton.LeftButton)
    assert decisions == ["once"]
    assert TRUST.accepted(HOST, PORT) == {FINGERPRINT}
    service.accounts.reload()
    assert service.accounts.get(account.name).pinned_certificates == {}


def test_trust_always_pins_it_in_the_account(qtbot, window: QWidget, service: MailService,
                                             account: Account) -> None:
    dialog, decisions = ask(qtbot, window, service, certificate_error(), account.name)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    with qtbot.waitSignal(dialog.decided):
        qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Trust &Always
    assert decisions == ["always"]
    service.accounts.reload()  # it is in the settings file
    assert service.accounts.get(account.name).pinned_certificates == {f"{HOST}:{PORT}": FINGERPRINT}
    TRUST.forget_trusted_once()
    assert TRUST.accepted(HOST, PORT) == {FINGERPRINT}  # the pin, not the session trust


def test_trust_always_for_an_account_being_created(qtbot, window: QWidget,
                                                   service: MailService) -> None:
    dialog, decisions = ask(qtbot, window, service, certificate_error(), None)
    with qtbot.waitSignal(dialog.decided):
        qtbot.mouseClick(dialog.always_button, Qt.MouseButton.LeftButton)
    assert decisions == ["always"]  # the caller pins it into the new account
    assert TRUST.accepted(HOST, PORT) == {FINGERPRINT}


def test_changed_certificate_warns(qtbot, window: QWidget, service: MailService) -> None:
    dialog, _ = ask(qtbot, window, service, certificate_error(changed=True), None)
    assert dialog.windowTitle() == "Certificate Changed"
    assert dialog.warning.isVisible() and "may be an attack" in dialog.warning.text()
    assert dialog.refuse_button.isDefault()
    dialog.grab().save("/tmp/h3-certificate-changed.png")


def test_without_fingerprint_only_refusing_is_possible(qtbot, window: QWidget,
                                                       service: MailService) -> None:
    dialog, _ = ask(qtbot, window, service, certificate_error(fingerprint=None), None)
    assert dialog.fingerprint.text() == "unknown"
    assert not dialog.once_button.isEnabled() and not dialog.always_button.isEnabled()
