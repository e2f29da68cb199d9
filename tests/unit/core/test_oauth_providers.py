"""The OAuth2 provider table: built-in Google and Microsoft, ISPDB blocks trimmed to mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailclient.core.errors import ConfigError
from mailclient.core.oauth_providers import (
    GOOGLE,
    MICROSOFT,
    built_in_for,
    from_ispdb,
    mail_scopes,
    provider_for,
    with_endpoints,
)
from mailclient.core.provider_config import OAuth2Settings, parse_provider_config

ISPDB = Path(__file__).resolve().parents[3] / "mailclient" / "resources" / "ispdb"


def _config(name: str, address: str):  # type: ignore[no-untyped-def]
    return parse_provider_config((ISPDB / name).read_bytes(), address=address, source="test")


def test_google_entry_is_trimmed_to_mail() -> None:
    scope = ("https://mail.google.com/ https://www.googleapis.com/auth/contacts "
             "https://www.googleapis.com/auth/calendar https://www.googleapis.com/auth/carddav")
    assert mail_scopes(scope) == ("https://mail.google.com/",)


def test_other_providers_keep_their_mail_scopes_only() -> None:
    assert mail_scopes("https://email.comcast.net/ profile openid") == (
        "https://email.comcast.net/",)
    assert mail_scopes("mail:imap_full mail:smtp") == ("mail:imap_full", "mail:smtp")
    assert mail_scopes("a/IMAP.AccessAsUser.All b/SMTP.Send offline_access") == (
        "a/IMAP.AccessAsUser.All", "b/SMTP.Send", "offline_access")


def test_built_in_table_by_domain_and_ispdb_id() -> None:
    assert built_in_for("gmail.com") is GOOGLE
    assert built_in_for("Outlook.com") is MICROSOFT
    assert built_in_for(provider_id="googlemail.com") is GOOGLE
    assert built_in_for("example.org") is None
    assert GOOGLE.scopes == ("https://mail.google.com/",)
    assert MICROSOFT.scopes[-1] == "offline_access" and len(MICROSOFT.scopes) == 4


def test_ispdb_google_file_means_the_built_in_google() -> None:
    config = _config("googlemail.com.xml", "ada@googlemail.com")
    assert provider_for("ada@googlemail.com", config) is GOOGLE
    assert provider_for("ada@gmail.com") is GOOGLE


def test_ispdb_block_of_another_provider_is_used_trimmed() -> None:
    block = OAuth2Settings(issuer="o2.example", scope="mail.imap profile",
                           auth_url="https://o2.example/login", token_url="https://o2.example/t")
    provider = from_ispdb(block, display_name="Example Mail")
    assert provider is not None
    assert (provider.key, provider.scopes) == ("o2.example", ("mail.imap",))
    assert from_ispdb(OAuth2Settings("x", "profile", "https://x/a", "https://x/t"),
                      display_name="X") is None  # nothing for mail left


def test_address_without_oauth2_has_no_provider() -> None:
    assert provider_for("ada@example.org") is None


def test_endpoints_must_be_https_unless_loopback_is_allowed() -> None:
    GOOGLE.check_endpoints()
    local = with_endpoints(GOOGLE, authorization_url="http://127.0.0.1:5/authorize",
                           token_url="http://127.0.0.1:5/token")
    with pytest.raises(ConfigError, match="https"):
        local.check_endpoints()
    with_endpoints(GOOGLE, authorization_url="http://127.0.0.1:5/authorize",
                   token_url="http://127.0.0.1:5/token",
                   allow_http_loopback=True).check_endpoints()
    with pytest.raises(ConfigError):
        with_endpoints(GOOGLE, authorization_url="http://example.org/a",
                       token_url="http://example.org/t",
                       allow_http_loopback=True).check_endpoints()
