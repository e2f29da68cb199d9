"""Fresh access tokens for OAuth2 accounts: read from the keyring, refreshed silently when
less than a minute remains (or a server refused one), saved back to the keyring only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from mailclient.core.account import Account
from mailclient.core.credentials import OAuthRejectedError, OAuthToken
from mailclient.core.errors import AuthenticationError, ProtocolError
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.oauth2.providers import OAuthProviders
from mailclient.services.oauth2.token_endpoint import TokenRequestRefused, post_token_request
from mailclient.services.oauth2.tokens import TokenSet, token_set_from_reply
from mailclient.services.secrets import SecretStore

log = logging.getLogger(__name__)
# Token endpoint errors after which only a new sign-in helps (RFC 6749 section 5.2).
_SIGN_IN_AGAIN = ("invalid_grant", "invalid_token", "unauthorized_client", "invalid_client")


def sign_in_again(provider_name: str, why: str) -> AuthenticationError:
    """The error of a sign-in that no longer works: ``oauth_rejected``, never temporary."""
    return OAuthRejectedError(f"Sign in to {provider_name} again: {why}")


class AccountTokens:
    """The OAuth2 tokens of a profile's accounts (one refresh at a time per account).

    Args:
        secrets: the keyring access; tokens live only there.
        providers: where each account signs in.
        client_ids: returns the ``oauth_client_ids`` setting (read at each refresh).
    """

    def __init__(self, secrets: SecretStore, providers: OAuthProviders,
                 client_ids: Callable[[], Mapping[str, str]]) -> None:
        self.secrets = secrets
        self.providers = providers
        self._client_ids = client_ids
        self._locks: dict[str, asyncio.Lock] = {}

    def save(self, account_name: str, tokens: TokenSet) -> bool:
        """Keep an account's tokens in the keyring; False if only in memory for this run."""
        return self.secrets.set_tokens(account_name, tokens.to_json())

    def load(self, account_name: str) -> TokenSet | None:
        text = self.secrets.get_tokens(account_name)
        return None if text is None else TokenSet.from_json(text)

    def forget(self, account_name: str) -> None:
        self.secrets.delete_tokens(account_name)

    async def access_token(self, account: Account, *, refresh: bool = False) -> OAuthToken:
        """A usable access token of ``account``; refreshed first when it has less than a
        minute left, or with ``refresh`` (a server refused the one stored).

        Raises:
            AuthenticationError: no sign-in is stored, or the provider refused the refresh
                (the grant was revoked): ``oauth_rejected`` is set; sign in again.
            NetworkError: the provider cannot be reached (try again later).
        """
        provider = self.providers.for_account(account)
        lock = self._locks.setdefault(account.name, asyncio.Lock())
        async with lock:
            try:
                tokens = self.load(account.name)
            except ProtocolError as exc:
                raise sign_in_again(provider.display_name, str(exc)) from exc
            if tokens is None:
                raise sign_in_again(provider.display_name,
                                    f"no sign-in is stored for account {account.name!r}")
            if refresh or not tokens.fresh():
                tokens = await self._refreshed(account, provider, tokens)
            return OAuthToken(tokens.access_token)

    async def _refreshed(self, account: Account, provider: OAuthProvider,
                         tokens: TokenSet) -> TokenSet:
        if not tokens.refresh_token:
            raise sign_in_again(provider.display_name, "the sign-in has expired")
        client = self.providers.client(provider, self._client_ids())
        form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token,
                "client_id": client.client_id}
        if client.client_secret:
            form["client_secret"] = client.client_secret
        try:
            reply = await post_token_request(provider, form)
        except TokenRequestRefused as exc:
            if exc.code not in _SIGN_IN_AGAIN:
                raise
            log.info("refresh of account %s refused: %s", account.name, exc.code)
            raise sign_in_again(provider.display_name,
                                "the permission to read and send mail was withdrawn or has "
                                f"expired ({exc.code})") from exc
        fresh = token_set_from_reply(reply, previous=tokens)
        self.save(account.name, fresh)
        log.info("access token of account %s refreshed", account.name)
        return fresh
