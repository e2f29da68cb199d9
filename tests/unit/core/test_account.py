"""Account validation gives clear messages for each bad field."""

import pytest

from mailclient.core.account import Account, ServerConfig, validate_address
from mailclient.core.errors import ConfigError
from tests.helpers.factories import make_account


def test_valid_account_passes() -> None:
    make_account().validate()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"smtp": ServerConfig("smtp.example.org", 0, "ssl", "a")}, "SMTP port"),
        ({"incoming": ServerConfig("", 993, "ssl", "a")}, "IMAP host is empty"),
        ({"email": "not-an-address"}, "is not an e-mail address"),
        ({"display_name": "Eve\r\nBcc: x@y.org"}, "line breaks"),
        ({"smtp": ServerConfig("smtp.example.org", 25, "none", "a")}, "--allow-insecure"),
        ({"name": ""}, "account name"),
    ],
)
def test_invalid_fields_are_named(changes: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        make_account(**changes).validate()


def test_insecure_allowed_explicitly() -> None:
    make_account(smtp=ServerConfig("h", 25, "none", "a"), allow_insecure=True).validate()


def test_idn_address_accepted() -> None:
    assert validate_address("jürgen@bücher.example") == "jürgen@bücher.example"


def test_round_trip_through_dict() -> None:
    account = make_account(ca_file="/etc/ca.pem", delete_after_days=7)
    assert Account.from_dict(account.to_dict()) == account


def test_malformed_dict_is_config_error() -> None:
    with pytest.raises(ConfigError, match="malformed"):
        Account.from_dict({"name": "x"})
