"""OAuth2 in the window: "Sign in with Google" offered by address, the whole sign-in from the
quick setup against the real servers, and Get Mail asking to sign in again after revocation."""

from __future__ import annotations

import dataclasses
import ssl
import threading
from collections.abc import Iterator
from email.headerregistry import Address

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget

from mailclient.core.message_build import Draft, build_message
from mailclient.core.oauth_providers import GOOGLE, with_endpoints
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.mail_service import MailService
from mailclient.services.outbox_copies import sent_copy
from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.get_mail import GetMail
from mailclient.ui.oauth_sign_in import SystemBrowser
from mailclient.ui.quick_setup import QuickSetupDialog
from tests.helpers.dns_responder import DnsResponder, dns_responder
from tests.helpers.oauth_mailservers import OAuthMailServers
from tests.helpers.oauth_server import OAuthServer

NETWORK_MS = 30_000


def test_sign_in_is_offered_where_the_provider_supports_it(qtbot, service, bridge,
                                                           monkeypatch) -> None:
    monkeypatch.delenv("MAILCLIENT_OAUTH_CLIENT_ID_GOOGLE", raising=False)
    monkeypatch.delenv("MAILCLIENT_OAUTH_CLIENT_ID_MICROSOFT", raising=False)
    service.accounts.settings.oauth_client_ids.update(google="g-id", microsoft="m-id")
    dialog = QuickSetupDialog(service, bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.email.setText("ada@gmail.com")
    assert dialog.sign_in_button.isVisible()
    assert dialog.sign_in_button.text() == "Sign in with Google"
    dialog.email.setText("ada@outlook.com")
    assert dialog.sign_in_button.text() == "Sign in with Microsoft"
    dialog.email.setText("ada@example.org")
    assert not dialog.sign_in_button.isVisible()
    service.accounts.settings.oauth_client_ids.clear()  # no client ID: nothing to offer
    dialog.email.setText("ada@gmail.com")
    assert not dialog.sign_in_button.isVisible()


def consenting_browser(parent: QWidget, oauth_server: OAuthServer, user: str) -> SystemBrowser:
    """A "browser" that consents as ``user`` (over HTTP, in a thread like a real browser)."""
    def consent(url: QUrl) -> None:
        threading.Thread(target=oauth_server.consent, args=(url.toString(),),
                         kwargs={"user": user}, daemon=True).start()
    return SystemBrowser(parent, opener=consent)


def point_google_at(service: MailService, oauth_server: OAuthServer, domain: str) -> None:
    provider = with_endpoints(GOOGLE, authorization_url=oauth_server.authorize_url,
                              token_url=oauth_server.token_url,
                              ca_file=str(oauth_server.ca_file))
    service.accounts.providers.override(dataclasses.replace(provider, domains=(domain,)))
    service.accounts.settings.oauth_client_ids["google"] = oauth_server.client_id
    service.profile.save_settings(service.accounts.settings)


@pytest.fixture
def dns(oauth_mail_servers: OAuthMailServers) -> Iterator[DnsResponder]:
    servers = oauth_mail_servers
    with dns_responder() as responder:
        responder.add(f"_imaps._tcp.{servers.domain}", "SRV",
                      f"0 0 {servers.imaps_port} localhost.")
        responder.add(f"_submission._tcp.{servers.domain}", "SRV",
                      f"0 0 {servers.submission_port} localhost.")
        yield responder


@pytest.mark.integration
def test_quick_setup_signs_in_and_get_mail_asks_again_after_revocation(
        qtbot, service, bridge, dns, oauth_server: OAuthServer,
        oauth_mail_servers: OAuthMailServers, keyring_backend) -> None:
    servers = oauth_mail_servers
    user = servers.new_user("gui")
    point_google_at(service, oauth_server, servers.domain)
    bridge.at_exit(service.close_connections)

    def network(ca_file: str | None) -> DiscoveryNetwork:
        return DiscoveryNetwork(resolver=dns.resolver(), timeout=3.0,
                                ssl_context=ssl.create_default_context(cafile=ca_file))

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = QuickSetupDialog(service, bridge, parent, network=network,
                              ca_file=str(servers.ca_file))
    dialog.show()
    dialog.email.setText(user.address)
    assert dialog.sign_in_button.isVisible()
    dialog.browser = consenting_browser(dialog, oauth_server, user.name)
    with qtbot.waitSignal(dialog.account_added, timeout=NETWORK_MS):
        dialog.sign_in_button.click()
    account = service.accounts.get(user.address)
    assert (account.auth, account.oauth_provider) == ("oauth2", "google")
    assert [name for (_s, name) in keyring_backend.entries] == [f"{user.address}#oauth2"]

    get_mail = GetMail(service, bridge, parent)
    with qtbot.waitSignal(get_mail.finished, timeout=NETWORK_MS) as done:
        get_mail.start()
    assert "Problems" not in done.args[0]
    oauth_server.revoke_grants(user.name)
    item = queue_message(service, user.address)  # goes out through a new SMTP login
    with qtbot.waitSignal(get_mail.sign_in_needed, timeout=NETWORK_MS) as asked:
        get_mail.start()
    assert "Sign in to Google again" in asked.args[1]
    assert service.outbox.item(item).state == "queued"  # waits for the new sign-in
    prompt = get_mail.sign_ins[account.name]
    assert prompt.sign_in_button.text() == "&Sign In to Google Again"
    prompt.browser = consenting_browser(prompt, oauth_server, user.name)
    with qtbot.waitSignal(get_mail.finished, timeout=NETWORK_MS) as done:
        prompt.sign_in_button.click()
    assert "1 queued message sent" in done.args[0] and "Problems" not in done.args[0]
    assert service.outbox.item(item).state in ("sent", "copied")


def queue_message(service: MailService, address: str) -> int:
    local, _, domain = address.partition("@")
    draft = Draft(sender=Address("Ada", local, domain), to=[address], subject="waits",
                  text="Hallo!\n")
    message = build_message(draft)
    return service.outbox.queue(address, raw=sent_copy(message, []), sender=address,
                                recipients=[address], message_id=str(message["Message-ID"]),
                                subject="waits")


@pytest.mark.integration
def test_account_form_signs_in_instead_of_a_password(
        qtbot, service, bridge, oauth_server: OAuthServer,
        oauth_mail_servers: OAuthMailServers, keyring_backend) -> None:
    servers = oauth_mail_servers
    user = servers.new_user("form")
    point_google_at(service, oauth_server, servers.domain)
    bridge.at_exit(service.close_connections)
    dialog = AccountDialog(service, bridge)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.email, user.address)
    assert dialog.sign_in_button.isVisible()
    assert dialog.sign_in_button.text() == "Sign in with Google"
    for fields, port in ((dialog.incoming, servers.imaps_port),
                         (dialog.outgoing, servers.smtps_port)):
        fields.security.setCurrentIndex(fields.security.findData("ssl"))
        fields.host.setText(servers.host)
        fields.port.setText(str(port))
    dialog.username.setText(user.name)
    dialog.ca_file.setText(str(servers.ca_file))
    dialog.sign_in_button.browser = consenting_browser(dialog, oauth_server, user.name)
    with qtbot.waitSignal(dialog.sign_in_button.signed_in, timeout=NETWORK_MS):
        dialog.sign_in_button.click()
    assert not dialog.password.isEnabled() and "Google" in dialog.password.placeholderText()
    with qtbot.waitSignal(dialog.account_added, timeout=NETWORK_MS):
        dialog.save()
    account = service.accounts.get(user.address)
    assert (account.auth, account.oauth_provider) == ("oauth2", "google")
    assert [name for (_s, name) in keyring_backend.entries] == [f"{user.address}#oauth2"]
    edit = AccountDialog(service, bridge, account=account)  # Test Connection, signed in
    qtbot.addWidget(edit)
    edit.show()
    with qtbot.waitSignal(edit.check.finished, timeout=NETWORK_MS) as tested:
        edit.test_connection()
    assert tested.args == [True], edit.check.incoming_result.label.text()
