"""OAuth2 in the settings: accounts signing in with a provider, client IDs, old files."""

from __future__ import annotations

import json

import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.core.errors import ConfigError
from mailclient.core.settings import Settings

SERVER = ServerConfig("imap.gmail.com", 993, "ssl", "ada@gmail.com")


def oauth_account(**changes: object) -> Account:
    return Account("g", "ada@gmail.com", "Ada", SERVER, "imap", SERVER, auth="oauth2",
                   oauth_provider="google").with_changes(**changes)


def test_oauth_account_and_client_ids_round_trip() -> None:
    settings = Settings(accounts=[oauth_account()], oauth_client_ids={"google": "id-1"})
    text = settings.to_json()
    again = Settings.from_json(text)
    assert again.accounts == settings.accounts
    assert again.oauth_client_ids == {"google": "id-1"}
    assert '"auth": "oauth2"' in text and "token" not in text


def test_version_2_settings_load_as_password_accounts() -> None:
    entry = oauth_account().to_dict()
    del entry["auth"], entry["oauth_provider"]
    old = json.dumps({"version": 2, "accounts": [entry]})
    [account] = Settings.from_json(old).accounts
    assert (account.auth, account.oauth_provider) == ("password", None)
    assert Settings.from_json(old).oauth_client_ids == {}


def test_oauth_account_needs_its_provider_and_a_known_auth() -> None:
    with pytest.raises(ConfigError, match="provider"):
        oauth_account(oauth_provider=None).validate()
    with pytest.raises(ConfigError, match="auth"):
        oauth_account(auth="kerberos").validate()


def test_client_ids_must_be_text() -> None:
    with pytest.raises(ConfigError, match="oauth_client_ids"):
        Settings.from_json(json.dumps({"version": 3, "oauth_client_ids": {"google": 5}}))
