"""Setting up an account by signing in: servers from discovery, tokens from the browser,
both logins checked with the token before anything is saved."""

from __future__ import annotations

from collections.abc import Callable

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.accounts import AccountService
from mailclient.services.discovery import Discovery
from mailclient.services.oauth2.flow import BrowserOpener


def signed_in_account(found: Discovery, provider: OAuthProvider, *, display_name: str = "",
                      ca_file: str | None = None) -> Account:
    """The account for ``found``'s best servers, signing in with ``provider``.

    Raises:
        ConfigError: discovery found no incoming or no outgoing server.
    """
    if not found.incoming or not found.outgoing:
        raise ConfigError(f"no mail servers were found for {found.address}")
    incoming = found.incoming[0]
    return Account(name=found.address, email=found.address, display_name=display_name,
                   smtp=found.outgoing[0].to_server_config(),
                   incoming_kind="pop3" if incoming.protocol == "pop3" else "imap",
                   incoming=incoming.to_server_config(), ca_file=ca_file,
                   auth="oauth2", oauth_provider=provider.key)


async def add_with_sign_in(accounts: AccountService, account: Account,
                           provider: OAuthProvider, *, open_browser: BrowserOpener,
                           on_signed_in: Callable[[], object] = lambda: None) -> bool:
    """Sign in in the browser, check both servers accept the token, save the account;
    False if the tokens are kept in memory only (no usable keyring).

    Raises:
        ConfigError: no client ID for the provider, or the account is invalid/duplicate.
        AuthenticationError: the sign-in failed, or a server refused the token.
    """
    account.validate()
    tokens = await accounts.sign_in(provider, open_browser=open_browser,
                                    login_hint=account.email)
    on_signed_in()
    return await accounts.add_signed_in(account, tokens)
