"""Adding an account from name, address and password: the servers are found through a local
DNS responder (SRV records pointing at the real Dovecot and Postfix), logged in to, and only
then saved; a wrong password saves nothing; "Set Up Manually…" opens the full form filled in."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest

from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.quick_setup import QuickSetupDialog
from tests.helpers.dns_responder import DnsResponder, dns_responder
from tests.helpers.mailservers import MailServers

pytestmark = pytest.mark.integration
NETWORK_MS = 30_000


@pytest.fixture
def dns(mail_servers: MailServers) -> Iterator[DnsResponder]:
    with dns_responder() as responder:
        domain = mail_servers.domain
        responder.add(f"_imaps._tcp.{domain}", "SRV", f"0 0 {mail_servers.imaps_port} localhost.")
        responder.add(f"_submission._tcp.{domain}", "SRV",
                      f"0 0 {mail_servers.submission_port} localhost.")
        yield responder


def dialog_for(window, dns: DnsResponder, servers: MailServers) -> QuickSetupDialog:
    def network(ca_file: str | None) -> DiscoveryNetwork:
        context = ssl.create_default_context(cafile=ca_file)
        found = DiscoveryNetwork(resolver=dns.resolver(), ssl_context=context, timeout=3.0)
        assert found.resolver.nameservers == ["127.0.0.1"]  # no query leaves the machine
        return found

    dialog = QuickSetupDialog(window.service, window.bridge, window, network=network,
                              ca_file=str(servers.ca_file))
    dialog.account_added.connect(window.account_added)
    dialog.manual_requested.connect(lambda start: window.entries._manual(start, False))
    return dialog


def test_name_address_and_password_are_enough(make_window, service, qtbot, dns,
                                              mail_servers: MailServers) -> None:
    user = mail_servers.new_user("quick")
    window = make_window()
    dialog = dialog_for(window, dns, mail_servers)
    dialog.display_name.setText("Quick Ada")
    dialog.email.setText(user.address)
    dialog.password.setText(user.password)
    with qtbot.waitSignal(dialog.account_added, timeout=NETWORK_MS):
        dialog.continue_button.click()
    account = service.accounts.get(user.address)
    assert (account.display_name, account.incoming_kind) == ("Quick Ada", "imap")
    assert (account.incoming.port, account.smtp.port) == (mail_servers.imaps_port,
                                                          mail_servers.submission_port)
    assert dialog.log.count() == 2 and "logged in" in dialog.log.item(0).text()
    assert service.secrets.get_password(user.address) == user.password


def test_a_wrong_password_saves_nothing_and_manual_opens_the_form(
        make_window, service, qtbot, dns, mail_servers: MailServers) -> None:
    user = mail_servers.new_user("quickwrong")
    window = make_window()
    dialog = dialog_for(window, dns, mail_servers)
    dialog.email.setText(user.address)
    dialog.password.setText("not the password")
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: dialog.continue_button.isEnabled(), timeout=NETWORK_MS)
    assert "did not accept the login" in dialog.status.text()
    assert service.accounts.accounts() == []
    dialog.manual_button.click()
    form = window.account_dialog
    assert isinstance(form, AccountDialog) and form.isVisible()
    assert form.email.text() == user.address
    assert form.incoming.port.text() == str(mail_servers.imaps_port)
    form.reject()


def test_an_invalid_address_is_said_at_once(make_window, dns, mail_servers) -> None:
    window = make_window()
    dialog = dialog_for(window, dns, mail_servers)
    dialog.email.setText("not an address")
    dialog.password.setText("x")
    dialog.continue_button.click()
    assert dialog.continue_button.isEnabled() and dialog.status.text()
