"""Which provider and client ID an account signs in with: the built-in table (endpoints
overridable), the bundled ISPDB's ``<oAuth2>`` blocks, client IDs from settings or the
environment (for packagers)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError
from mailclient.core.oauth_providers import (
    BUILT_IN,
    OAuthProvider,
    provider_for,
    with_endpoints,
)
from mailclient.core.provider_config import ProviderConfig

CLIENT_ID_ENV = "MAILCLIENT_OAUTH_CLIENT_ID_"
CLIENT_SECRET_ENV = "MAILCLIENT_OAUTH_CLIENT_SECRET_"  # only for providers that demand one
# Other endpoints for a provider (a national cloud; a local test server with its CA file).
ENDPOINT_ENV = ("MAILCLIENT_OAUTH_AUTHORIZATION_URL_", "MAILCLIENT_OAUTH_TOKEN_URL_",
                "MAILCLIENT_OAUTH_CA_FILE_")


@dataclass(frozen=True)
class OAuthClient:
    """The app as registered with a provider: a public client ID (and, where the provider
    insists, its non-confidential installed-app secret)."""

    client_id: str
    client_secret: str | None = None


def env_suffix(key: str) -> str:
    """``google`` -> ``GOOGLE``; ``login.yahoo.com`` -> ``LOGIN_YAHOO_COM``."""
    return re.sub(r"[^A-Z0-9]", "_", key.upper())


class OAuthProviders:
    """The providers of this run: built-in, overridden (tests, national clouds), or read from
    the bundled provider database for an address."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        """``environ``: where client IDs and endpoint overrides are read (``os.environ``)."""
        self._overrides: dict[str, OAuthProvider] = {}
        self._environ = os.environ if environ is None else environ

    def override(self, provider: OAuthProvider) -> None:
        """Use ``provider`` for its key from now on (a local test server, say)."""
        self._overrides[provider.key] = provider

    def for_address(self, address: str, config: ProviderConfig | None = None
                    ) -> OAuthProvider | None:
        """The provider offering OAuth2 sign-in for ``address`` (``config``: what discovery
        found for it; else the bundled database is asked), or None."""
        domain = address.rpartition("@")[2].lower()
        for overridden in self._overrides.values():
            if domain in overridden.domains:
                return overridden
        if config is None:
            config = _bundled(address)
        found = provider_for(address, config)
        return None if found is None else self._resolved(found)

    def _resolved(self, provider: OAuthProvider) -> OAuthProvider:
        """``provider`` as overridden in this run or by the environment."""
        if provider.key in self._overrides:
            return self._overrides[provider.key]
        suffix = env_suffix(provider.key)
        authorize, token, ca_file = (self._environ.get(name + suffix) for name in ENDPOINT_ENV)
        if not (authorize and token):
            return provider
        return with_endpoints(provider, authorization_url=authorize, token_url=token,
                              ca_file=ca_file or None)

    def built_in(self, key: str) -> OAuthProvider:
        """The built-in provider ``key`` ("google", "microsoft"), as overridden.

        Raises:
            ConfigError: no such provider.
        """
        if key not in BUILT_IN:
            raise ConfigError(f"unknown sign-in provider {key!r}: google or microsoft")
        return self._resolved(BUILT_IN[key])

    def for_account(self, account: Account) -> OAuthProvider:
        """The provider an OAuth2 account signs in with.

        Raises:
            ConfigError: its provider is unknown (the bundled database no longer has it).
        """
        key = account.oauth_provider or ""
        if key in BUILT_IN:
            return self._resolved(BUILT_IN[key])
        found = self.for_address(account.email)
        if found is None or found.key != key:
            raise ConfigError(f"the sign-in provider {key!r} of account {account.name!r} "
                              "is not known")
        return found

    def client(self, provider: OAuthProvider, client_ids: Mapping[str, str]) -> OAuthClient:
        """The client ID for ``provider``: the setting ``oauth_client_ids`` first, else the
        environment variable ``MAILCLIENT_OAUTH_CLIENT_ID_<PROVIDER>``.

        Raises:
            ConfigError: neither is set; the message says how to set one.
        """
        suffix = env_suffix(provider.key)
        client_id = client_ids.get(provider.key) or self._environ.get(CLIENT_ID_ENV + suffix)
        if not client_id:
            raise ConfigError(
                f"no OAuth2 client ID is set for {provider.display_name}: register mailclient "
                f"with {provider.display_name} (see the README) and put the ID in the setting "
                f"oauth_client_ids or in {CLIENT_ID_ENV}{suffix}")
        return OAuthClient(client_id, self._environ.get(CLIENT_SECRET_ENV + suffix) or None)

    def has_client(self, provider: OAuthProvider, client_ids: Mapping[str, str]) -> bool:
        """Whether a client ID is set for ``provider`` (sign-in can be offered)."""
        try:
            self.client(provider, client_ids)
        except ConfigError:
            return False
        return True


def _bundled(address: str) -> ProviderConfig | None:
    from mailclient.services.discovery.bundled import lookup_bundled

    try:
        return lookup_bundled(address)
    except ConfigError:
        return None
