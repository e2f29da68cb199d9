"""Adding, testing, listing and removing accounts: settings file plus keyring together."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from mailclient.core.account import Account
from mailclient.core.credentials import Credential, OAuthToken
from mailclient.core.errors import MailError, MissingPasswordError
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.core.settings import Settings
from mailclient.services.oauth2.flow import BrowserOpener, sign_in
from mailclient.services.oauth2.providers import OAuthProviders
from mailclient.services.oauth2.token_source import AccountTokens
from mailclient.services.oauth2.tokens import TokenSet
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore


class AccountService:
    """The accounts of a profile; passwords and OAuth2 tokens go to the keyring, never the
    settings file."""

    def __init__(self, profile: Profile, secrets: SecretStore,
                 providers: OAuthProviders | None = None) -> None:
        self.profile = profile
        self.secrets = secrets
        self.settings: Settings = profile.load_settings()
        self.providers = providers or OAuthProviders()
        self.tokens = AccountTokens(secrets, self.providers,
                                    lambda: self.settings.oauth_client_ids)

    def reload(self) -> None:
        """Re-read the settings file (another process may have changed it)."""
        self.settings = self.profile.load_settings()

    def accounts(self) -> list[Account]:
        return list(self.settings.accounts)

    def get(self, name: str) -> Account:
        """The account called ``name``; ``NotFoundError`` if none."""
        return self.settings.account(name)

    def password(self, account: Account) -> str:
        """The account's password from this run's memory or the keyring (password
        accounts; an OAuth2 account's login is ``credential``)."""
        if account.auth == "oauth2":
            raise MissingPasswordError(f"account {account.name!r} signs in with "
                                       f"{account.oauth_provider}, not a password")
        secret = self.secrets.get_password(account.name)
        if secret is None:
            reason = f" ({self.secrets.problem})" if self.secrets.problem else ""
            raise MissingPasswordError(
                f"no password is stored for account {account.name!r}{reason}; "
                "give it with --password-stdin"
            )
        return secret

    async def credential(self, account: Account, *, refresh: bool = False) -> Credential:
        """What the account logs in with: its password, or for an OAuth2 account a fresh
        access token (``refresh``: a new one, the server refused the last).

        Raises:
            MissingPasswordError: no password is stored (password accounts).
            AuthenticationError: with ``oauth_rejected``: the user must sign in again.
            NetworkError: the sign-in provider cannot be reached.
        """
        if account.auth == "oauth2":
            return await self.tokens.access_token(account, refresh=refresh)
        return self.password(account)

    async def sign_in(self, provider: OAuthProvider, *, open_browser: BrowserOpener,
                      login_hint: str = "") -> TokenSet:
        """Run the browser sign-in with ``provider`` (see ``oauth2.flow.sign_in``).

        Raises:
            ConfigError: no client ID is set for the provider.
            AuthenticationError: the sign-in was declined, refused or not completed.
        """
        client = self.providers.client(provider, self.settings.oauth_client_ids)
        return await sign_in(provider, client, open_browser=open_browser,
                             login_hint=login_hint)

    async def add_signed_in(self, account: Account, tokens: TokenSet, *,
                            verify: bool = True) -> bool:
        """Like ``add`` for an OAuth2 account (``auth`` oauth2): both servers must accept
        the access token; then the settings are saved and the tokens go to the keyring.
        False if the tokens could only be kept in memory."""
        account.validate()
        self.reload()
        probe = replace(self.settings, accounts=list(self.settings.accounts))
        probe.add_account(account)
        if verify:
            await self._verify(account, OAuthToken(tokens.access_token))
        self.settings = probe
        self.profile.save_settings(self.settings)
        return self.tokens.save(account.name, tokens)

    def signed_in_again(self, name: str, tokens: TokenSet) -> bool:
        """Keep the tokens of a new sign-in of account ``name`` (the old grant was revoked);
        False if only in memory."""
        return self.tokens.save(name, tokens)

    async def test(self, account: Account, password: Credential
                   ) -> dict[str, MailError | None]:
        """Log in to both servers; map ``smtp`` and ``imap``/``pop3`` to None or the error."""
        from mailclient.services import transports

        results = await asyncio.gather(
            transports.check_outgoing(account, password),
            transports.check_incoming(account, password),
            return_exceptions=True,
        )
        outcome: dict[str, MailError | None] = {}
        for key, result in zip(("smtp", account.incoming_kind), results, strict=True):
            if isinstance(result, MailError):
                outcome[key] = result
            elif isinstance(result, BaseException):
                raise result
            else:
                outcome[key] = None
        return outcome

    async def add(self, account: Account, password: str, *, verify: bool = True) -> bool:
        """Validate, optionally verify both logins, then save; return False if the
        password could only be kept in memory (no usable keyring: see ``secrets.problem``).

        Raises:
            ConfigError: invalid or duplicate account.
            MailError: a login failed (the first failure, with the server named).
        """
        account.validate()
        self.reload()
        probe = replace(self.settings, accounts=list(self.settings.accounts))
        probe.add_account(account)  # duplicate names are refused before any network step
        if verify:
            await self._verify(account, password)
        self.settings = probe
        self.profile.save_settings(self.settings)
        return self.secrets.set_password(account.name, password)

    async def update(self, account: Account, password: str | None, *,
                     verify: bool = True) -> bool:
        """Save changed settings of an existing account (found by name), optionally checking
        both logins first; ``password`` None keeps the saved one. Return False if a new
        password could only be kept in memory (see ``secrets.problem``).

        Raises:
            ConfigError: invalid settings.
            NotFoundError: no account of that name.
            MissingPasswordError: checking needs a password and none is saved.
            MailError: a login failed (the first failure, with the server named).
        """
        account.validate()
        self.reload()
        probe = replace(self.settings, accounts=list(self.settings.accounts))
        probe.replace_account(account)
        if verify:
            await self._verify(account, password if password is not None
                               else await self.credential(account))
        self.settings = probe
        self.profile.save_settings(self.settings)
        if password is None:
            return True
        return self.secrets.set_password(account.name, password)

    def change_password(self, name: str, password: str, *, keep: bool = True) -> bool:
        """Use ``password`` for account ``name`` from now on: in the keyring with ``keep``
        (False if that failed and it is kept in memory only), else for this run only."""
        if not keep:
            self.secrets.remember(name, password)
            return True
        return self.secrets.set_password(name, password)

    async def _verify(self, account: Account, password: Credential) -> None:
        for server, error in (await self.test(account, password)).items():
            if error is not None:
                error.args = (f"{server}: {error}",)
                raise error

    def remove(self, name: str) -> Account:
        """Remove an account and forget its password or tokens."""
        self.reload()
        account = self.settings.remove_account(name)
        self.profile.save_settings(self.settings)
        self.secrets.delete_password(name)
        self.tokens.forget(name)
        return account

    def pin_certificate(self, name: str, host: str, port: int, fingerprint: str) -> None:
        """Trust the certificate ``fingerprint`` of ``host:port`` for account ``name`` from
        now on (saved with the account); any other certificate there is refused as changed.

        Raises:
            NotFoundError: no account of that name.
            ValueError: ``fingerprint`` is not a SHA-256 fingerprint.
        """
        from mailclient.services.certificate_trust import TRUST, endpoint, normalized_fingerprint

        self.reload()
        account = self.settings.account(name)
        pins = {**account.pinned_certificates,
                endpoint(host, port): normalized_fingerprint(fingerprint)}
        self.settings.replace_account(account.with_changes(pinned_certificates=pins))
        self.profile.save_settings(self.settings)
        self.reload()
        TRUST.read_pins_from(self.accounts)  # counts from the next connection on
