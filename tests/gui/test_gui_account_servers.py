"""Against the real Dovecot and Postfix: Test Connection, a refused password asked again in
place, and a message sent as an alias through the account's server."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from mailclient.core.account import Account, Identity, ServerConfig
from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.compose_window import ComposeWindow
from mailclient.ui.get_mail import GetMail
from tests.helpers.account_form import fill_account_dialog
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration
NETWORK_MS = 30_000


@pytest.fixture(autouse=True)
def close_kept_connections(service, bridge) -> None:
    """As ``run_gui`` does: kept IMAP connections are logged out when the bridge stops."""
    bridge.at_exit(service.close_connections)


def saved_account(service, servers: MailServers, user: TestUser, password: str,
                  **changes: object) -> Account:
    account = Account(
        name=user.address, email=user.address, display_name="Ada",
        smtp=ServerConfig(servers.host, servers.submission_port, "starttls", user.address),
        incoming_kind="imap",
        incoming=ServerConfig(servers.host, servers.imaps_port, "ssl", user.address),
        ca_file=str(servers.ca_file)).with_changes(**changes)
    service.accounts.settings.add_account(account)
    service.profile.save_settings(service.accounts.settings)
    service.secrets.set_password(account.name, password)
    return account


def test_test_connection_shows_each_server_and_the_window_stays_usable(
        qtbot, service, bridge, mail_servers: MailServers) -> None:
    user = mail_servers.new_user("conn")
    dialog = AccountDialog(service, bridge)
    qtbot.addWidget(dialog)
    fill_account_dialog(dialog, mail_servers, user, "wrong password")
    with qtbot.waitSignal(dialog.check.finished, timeout=NETWORK_MS) as done:
        dialog.check.button.click()
        assert dialog.check.running and not dialog.check.button.isEnabled()
        qtbot.keyClicks(dialog.display_name, "Ada")  # the window answers meanwhile
    assert done.args == [False]
    assert dialog.display_name.text() == "Ada"
    incoming = dialog.check.incoming_result.label.text()
    outgoing = dialog.check.outgoing_result.label.text()
    assert incoming.startswith("✗ IMAP: ") and "refused" in incoming, incoming
    assert outgoing.startswith("✗ SMTP: ") and "refused" in outgoing, outgoing
    assert service.accounts.accounts() == []  # testing saves nothing

    dialog.password.setText(user.password)
    with qtbot.waitSignal(dialog.check.finished, timeout=NETWORK_MS) as done:
        dialog.test_connection()
    assert done.args == [True]
    assert dialog.check.incoming_result.label.text() == "✓ IMAP: logged in"
    assert dialog.check.outgoing_result.label.text() == "✓ SMTP: logged in"


def test_an_untrusted_certificate_offers_a_review(qtbot, service, bridge,
                                                  mail_servers: MailServers) -> None:
    user = mail_servers.new_user("cert")
    dialog = AccountDialog(service, bridge)
    qtbot.addWidget(dialog)
    fill_account_dialog(dialog, mail_servers, user, user.password, ca_file=False)
    with qtbot.waitSignal(dialog.check.finished, timeout=NETWORK_MS):
        dialog.test_connection()
    result = dialog.check.incoming_result
    assert "not trusted" in result.label.text()
    assert result.certificate_error is not None and not result.review_button.isHidden()


def test_a_refused_password_is_asked_again_and_the_mail_comes(
        qtbot, service, bridge, mail_servers: MailServers, keyring_backend) -> None:
    user = mail_servers.new_user("pw")
    mail_servers.load_maildir(user, [b"From: Bob <bob@example.test>\r\nSubject: Hi\r\n"
                                     b"Date: Fri, 01 Mar 2024 10:00:00 +0000\r\n\r\nHi\r\n"])
    account = saved_account(service, mail_servers, user, "changed elsewhere")
    parent = QWidget()
    qtbot.addWidget(parent)
    get_mail = GetMail(service, bridge, parent)
    with qtbot.waitSignal(get_mail.finished, timeout=NETWORK_MS) as done:
        get_mail.start()
    assert "refused" in done.args[0]
    prompt = get_mail.prompts[account.name]
    assert account.name in prompt.windowTitle()
    assert "refused" in prompt.reason.text() and prompt.remember.isChecked()
    assert not prompt.ok_button.isEnabled()
    prompt.password.setText(user.password)
    with qtbot.waitSignal(get_mail.finished, timeout=NETWORK_MS) as done:
        prompt.ok_button.click()
    assert done.args == ["1 new message."]
    assert service.secrets.get_password(account.name) == user.password
    assert user.password in keyring_backend.entries.values()
    assert account.name not in get_mail.prompts


def test_sending_as_an_alias_uses_the_account_server(qtbot, service, bridge,
                                                     mail_servers: MailServers) -> None:
    user, friend = mail_servers.new_user("alias"), mail_servers.new_user("friend")
    alias = Identity(f"desk@{mail_servers.domain}", "The Desk", "replies@example.test",
                     "The Desk")
    account = saved_account(service, mail_servers, user, user.password, identities=(alias,))
    window = ComposeWindow(service, bridge, [account], [], account=account.name)
    qtbot.addWidget(window)
    window.from_box.setCurrentIndex(1)
    window.to_edit.setText(friend.address)
    window.subject_edit.setText("From the desk")
    with qtbot.waitSignal(window.sending.message_sent, timeout=NETWORK_MS):
        window.sending.send_now()
    raw = mail_servers.wait_delivered(friend, 1)[0]
    assert b"From: The Desk <desk@" in raw and b"Reply-To: replies@example.test" in raw
    assert b"-- \nThe Desk" in raw.replace(b"\r\n", b"\n")


def test_a_refused_password_when_sending_is_asked_again(qtbot, service, bridge,
                                                        mail_servers: MailServers) -> None:
    user, friend = mail_servers.new_user("sendpw"), mail_servers.new_user("friend")
    account = saved_account(service, mail_servers, user, "old password")
    window = ComposeWindow(service, bridge, [account], [], account=account.name)
    qtbot.addWidget(window)
    window.to_edit.setText(friend.address)
    window.subject_edit.setText("Retried")
    window.sending.send_now()
    qtbot.waitUntil(lambda: window.sending.prompt is not None, timeout=NETWORK_MS)
    assert "refused" in window.error_bar.text()
    window.sending.prompt.remember.setChecked(False)  # this session only
    window.sending.prompt.password.setText(user.password)
    with qtbot.waitSignal(window.sending.message_sent, timeout=NETWORK_MS):
        window.sending.prompt.ok_button.click()
    assert b"Subject: Retried" in mail_servers.wait_delivered(friend, 1)[0]
    assert service.secrets.get_password(account.name) == user.password
