"""Identities: the main one is implicit, aliases are validated and survive the settings file."""

import json

import pytest

from mailclient.core.account import Identity
from mailclient.core.errors import ConfigError
from mailclient.core.settings import SETTINGS_VERSION, Settings
from tests.helpers.factories import make_account

ALIAS = Identity("ada@lovelace.example", "Ada L.", reply_to="desk@example.org",
                 signature="Ada\nAnalytical Engines")


def test_main_identity_comes_first_then_aliases() -> None:
    account = make_account(signature="Alice", identities=(ALIAS,))
    account.validate()
    main, alias = account.all_identities()
    assert (main.email, main.display_name, main.signature) == ("alice@example.org", "Alice",
                                                                "Alice")
    assert alias == ALIAS
    assert account.identity_for("ADA@Lovelace.example") == ALIAS
    assert account.identity_for("someone@else.example") == main
    assert str(ALIAS.sender) == "\"Ada L.\" <ada@lovelace.example>"
    assert ALIAS.label == "Ada L. <ada@lovelace.example>"


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        (Identity("not-an-address"), "is not an e-mail address"),
        (Identity("x@example.org", "Eve\r\nBcc: victim@example.org"), "line breaks"),
        (Identity("x@example.org", reply_to="a@b.org\nBcc: c@d.org"), "line breaks"),
        (Identity("x@example.org", reply_to="nobody"), "is not an e-mail address"),
        (Identity("ALICE@example.org"), "there twice"),
    ],
)
def test_bad_identities_are_named(identity: Identity, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        make_account(identities=(identity,)).validate()


def test_main_reply_to_is_checked() -> None:
    with pytest.raises(ConfigError, match="line breaks"):
        make_account(reply_to="a@b.org\r\nX: y").validate()


def test_identities_round_trip_through_settings() -> None:
    settings = Settings()
    settings.add_account(make_account(signature="-- me", reply_to="r@example.org",
                                      identities=(ALIAS,)))
    again = Settings.from_json(settings.to_json())
    assert again.accounts == settings.accounts
    assert again.accounts[0].identities == (ALIAS,)


def test_a_version_1_file_still_loads() -> None:
    old = make_account().to_dict()
    for key in ("reply_to", "signature", "identities"):
        del old[key]
    text = json.dumps({"version": 1, "accounts": [old], "sync_interval_minutes": 7})
    settings = Settings.from_json(text)
    account = settings.accounts[0]
    assert (account.identities, account.signature, account.reply_to) == ((), "", None)
    assert settings.sync_interval_minutes == 7
    assert json.loads(settings.to_json())["version"] == SETTINGS_VERSION == 3


def test_a_malformed_identity_is_a_config_error() -> None:
    data = make_account().to_dict()
    data["identities"] = [{"address": "x@example.org"}]
    with pytest.raises(ConfigError, match="malformed"):
        Settings.from_json(json.dumps({"version": 2, "accounts": [data]}))


def test_identities_are_replaced_added_and_removed_by_position() -> None:
    account = make_account(identities=(ALIAS,))
    other = Identity("al@example.net", "Al")
    added = account.with_identity(None, other)
    assert added.identities == (ALIAS, other)
    assert added.with_identity(1, other.__class__("x@example.net")).identities[0].email == \
        "x@example.net"
    main = account.with_identity(0, Identity(account.email, "Alice B.", "r@example.org", "AB"))
    assert (main.display_name, main.reply_to, main.signature) == ("Alice B.", "r@example.org",
                                                                   "AB")
    assert added.without_identity(1).identities == (other,)
    with pytest.raises(ConfigError, match="cannot be removed"):
        added.without_identity(0)
