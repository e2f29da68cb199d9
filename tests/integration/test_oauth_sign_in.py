"""OAuth2 accounts end to end: the browser sign-in (consent over HTTP), IMAP and POP3 sync and
SMTP send with the token, a silent refresh after expiry, "sign in again" after revocation
(queued mail waits), and the tokens only in the keyring."""

from __future__ import annotations

import asyncio
from email.headerregistry import Address
from pathlib import Path

import pytest

from mailclient.core.errors import AuthenticationError
from mailclient.core.message_build import Draft
from mailclient.core.oauth_providers import GOOGLE, with_endpoints
from mailclient.services.mail_service import MailService
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from tests.helpers.mailservers import TestUser
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.oauth_mailservers import OAuthMailServers
from tests.helpers.oauth_server import OAuthServer
from tests.helpers.server_truth import account_for

pytestmark = pytest.mark.integration


def oauth_service(tmp_path: Path, oauth_server: OAuthServer) -> tuple[MailService, MemoryKeyring]:
    """A profile whose "google" provider is the local authorization server."""
    profile = Profile.locate(tmp_path / "profile")
    keyring = MemoryKeyring()
    service = MailService(profile, SecretStore(profile.key, backend=keyring))
    service.accounts.providers.override(with_endpoints(
        GOOGLE, authorization_url=oauth_server.authorize_url, token_url=oauth_server.token_url,
        ca_file=str(oauth_server.ca_file)))
    service.accounts.settings.oauth_client_ids["google"] = oauth_server.client_id
    service.profile.save_settings(service.accounts.settings)
    return service, keyring


async def sign_in_account(service: MailService, oauth_server: OAuthServer,
                          servers: OAuthMailServers, user: TestUser, kind: str = "imap") -> None:
    provider = service.accounts.providers.built_in("google")
    tokens = await service.accounts.sign_in(
        provider, login_hint=user.address,
        open_browser=lambda url: asyncio.to_thread(oauth_server.consent, url, user=user.name))
    account = account_for(servers, user, kind, auth="oauth2", oauth_provider="google")
    assert await service.accounts.add_signed_in(account, tokens)  # both servers accepted it


def draft(user: TestUser, subject: str) -> Draft:
    local, _, domain = user.address.partition("@")
    return Draft(sender=Address("Ada", local, domain), to=[user.address], subject=subject,
                 text="Hallo!\n")


async def wait_for_new(service: MailService, name: str) -> int:
    for _ in range(50):
        report, _flushed = await service.sync(name)
        if report.new:
            return report.new
        await asyncio.sleep(0.1)  # Postfix delivers through LMTP in the background
    return 0


@pytest.mark.parametrize("kind", ["imap", "pop3"])
async def test_signed_in_account_sends_and_syncs(
        tmp_path: Path, oauth_server: OAuthServer, oauth_mail_servers: OAuthMailServers,
        kind: str) -> None:
    user = oauth_mail_servers.new_user("oa")
    service, keyring = oauth_service(tmp_path, oauth_server)
    await sign_in_account(service, oauth_server, oauth_mail_servers, user, kind)
    outcome = await service.send(user.name, draft(user, f"over {kind}"))
    assert outcome.state == "sent"
    assert await wait_for_new(service, user.name) >= 1
    await service.close_connections()
    stored = {name for (_service, name) in keyring.entries}
    assert stored == {f"{user.name}#oauth2"}  # tokens only, no password
    tokens = service.accounts.tokens.load(user.name)
    assert tokens is not None and tokens.refresh_token
    for path in (tmp_path / "profile").rglob("*"):  # no file under the profile holds them
        if path.is_file():
            data = path.read_bytes()
            assert tokens.refresh_token.encode() not in data, path
            assert tokens.access_token.encode() not in data, path


async def test_expired_token_is_refreshed_silently(
        tmp_path: Path, oauth_server: OAuthServer,
        oauth_mail_servers: OAuthMailServers) -> None:
    user = oauth_mail_servers.new_user("oe")
    service, _keyring = oauth_service(tmp_path, oauth_server)
    await sign_in_account(service, oauth_server, oauth_mail_servers, user)
    before = service.accounts.tokens.load(user.name)
    oauth_server.expire_access_tokens()
    await service.sync(user.name)  # refused, refreshed, synced: no error
    after = service.accounts.tokens.load(user.name)
    assert before is not None and after is not None
    assert after.access_token != before.access_token
    await service.close_connections()


async def test_revoked_grant_asks_to_sign_in_again_and_mail_waits(
        tmp_path: Path, oauth_server: OAuthServer,
        oauth_mail_servers: OAuthMailServers) -> None:
    user = oauth_mail_servers.new_user("or")
    service, _keyring = oauth_service(tmp_path, oauth_server)
    await sign_in_account(service, oauth_server, oauth_mail_servers, user)
    await service.close_connections()
    oauth_server.revoke_grants(user.name)
    with pytest.raises(AuthenticationError, match="Sign in to Google again") as refused:
        await service.send(user.name, draft(user, "waits"))
    assert getattr(refused.value, "oauth_rejected", False)
    [item] = service.outbox.items(user.name)
    assert item.state == "queued"
    with pytest.raises(AuthenticationError, match="Sign in to Google again"):
        await service.sync(user.name)
    assert service.outbox.item(item.id).state == "queued"
    await service.close_connections()

