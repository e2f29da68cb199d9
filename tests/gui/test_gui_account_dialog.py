"""The account dialog: guesses, inline validation, saving through the bridge."""

from __future__ import annotations

import socket

from keyring.errors import KeyringError
from PySide6.QtCore import Qt

from mailclient.ui.account_dialog import AccountDialog


def open_dialog(qtbot, service, bridge) -> AccountDialog:
    dialog = AccountDialog(service, bridge)
    qtbot.addWidget(dialog)
    return dialog


def fill(qtbot, dialog: AccountDialog, email: str = "ada@example.org") -> None:
    qtbot.keyClicks(dialog.display_name, "Ada Lovelace")
    qtbot.keyClicks(dialog.email, email)
    qtbot.keyClicks(dialog.password, "s3cret")


def test_hosts_and_ports_follow_the_address_and_security(qtbot, service, bridge) -> None:
    dialog = open_dialog(qtbot, service, bridge)
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert dialog.verify.isChecked()
    fill(qtbot, dialog)
    assert dialog.incoming.host.text() == "imap.example.org"
    assert dialog.outgoing.host.text() == "smtp.example.org"
    assert (dialog.incoming.port.text(), dialog.outgoing.port.text()) == ("993", "465")
    dialog.incoming.security.setCurrentIndex(dialog.incoming.security.findData("starttls"))
    dialog.outgoing.security.setCurrentIndex(dialog.outgoing.security.findData("starttls"))
    assert (dialog.incoming.port.text(), dialog.outgoing.port.text()) == ("143", "587")
    dialog.incoming_kind.setCurrentIndex(dialog.incoming_kind.findData("pop3"))
    assert dialog.incoming.host.text() == "pop.example.org"
    qtbot.keyClicks(dialog.outgoing.host, "x")  # typed by the user: no longer guessed
    dialog.email.setText("ada@example.net")
    assert dialog.incoming.host.text() == "pop.example.net"
    assert dialog.outgoing.host.text() == "smtp.example.orgx"


def test_insecure_needs_the_explicit_checkbox(qtbot, service, bridge) -> None:
    dialog = open_dialog(qtbot, service, bridge)
    combo = dialog.incoming.security
    none_item = combo.model().item(combo.findData("none"))
    assert not none_item.isEnabled()
    dialog.allow_insecure.setChecked(True)
    assert none_item.isEnabled()
    combo.setCurrentIndex(combo.findData("none"))
    dialog.allow_insecure.setChecked(False)
    assert combo.currentData() == "ssl"


def test_bad_port_is_shown_inline_without_network(qtbot, service, bridge) -> None:
    dialog = open_dialog(qtbot, service, bridge)
    fill(qtbot, dialog)
    dialog.incoming.port.setText("70000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "IMAP port must be a number from 1 to 65535" in dialog.error_text()
    assert not bridge.busy
    dialog.incoming.port.setText("abc")
    dialog.save()
    assert dialog.error_text() == "IMAP port must be a number from 1 to 65535, not 'abc'"
    assert not bridge.busy
    assert service.accounts.accounts() == []


def test_bad_address_and_empty_password(qtbot, service, bridge) -> None:
    dialog = open_dialog(qtbot, service, bridge)
    dialog.email.setText("not-an-address")
    dialog.save()
    assert "is not an e-mail address" in dialog.error_text()
    dialog.email.setText("ada@example.org")
    dialog.save()
    assert dialog.error_text() == "The password is empty"
    assert not bridge.busy


def test_saving_without_verification_adds_the_account(qtbot, service, bridge,
                                                       keyring_backend) -> None:
    dialog = open_dialog(qtbot, service, bridge)
    fill(qtbot, dialog)
    dialog.verify.setChecked(False)
    with qtbot.waitSignal(dialog.account_added) as blocker:
        dialog.save()
        assert bridge.busy and not dialog.save_button.isEnabled()
    assert blocker.args == ["ada@example.org"]
    assert dialog.result() == AccountDialog.DialogCode.Accepted
    account = service.accounts.get("ada@example.org")
    assert account.incoming.host == "imap.example.org"
    assert account.smtp.username == "ada@example.org"
    assert "s3cret" in keyring_backend.entries.values()


def test_without_keyring_the_password_is_kept_for_this_session(qtbot, service, bridge,
                                                                keyring_backend,
                                                                monkeypatch) -> None:
    def broken(*_args: object) -> None:
        raise KeyringError("locked")

    monkeypatch.setattr(keyring_backend, "set_password", broken)
    dialog = open_dialog(qtbot, service, bridge)
    fill(qtbot, dialog)
    dialog.verify.setChecked(False)
    with qtbot.waitSignal(dialog.account_added):
        dialog.save()
    assert "kept for this session only" in dialog.message.text()
    assert dialog.save_button.text() == "Done"
    assert dialog.result() != AccountDialog.DialogCode.Accepted
    dialog.save()
    assert dialog.result() == AccountDialog.DialogCode.Accepted


def test_a_failed_check_is_shown_in_plain_words(qtbot, service, bridge) -> None:
    with socket.socket() as probe:  # a port on loopback that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog = open_dialog(qtbot, service, bridge)
    fill(qtbot, dialog)
    for fields in (dialog.incoming, dialog.outgoing):
        fields.host.setText("127.0.0.1")
        fields.port.setText(str(port))
    dialog.save()
    qtbot.waitUntil(lambda: not bridge.busy, timeout=15_000)
    assert dialog.error_text()
    error = dialog.error_text()
    assert error.startswith(("SMTP: ", "IMAP: ")), error
    assert "unexpected" not in error and "Traceback" not in error
    assert service.accounts.accounts() == []
    assert dialog.save_button.isEnabled()
