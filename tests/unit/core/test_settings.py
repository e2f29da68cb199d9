"""The settings document round-trips, refuses newer versions and duplicate accounts."""

import json

import pytest

from mailclient.core.errors import ConfigError, NotFoundError
from mailclient.core.settings import SETTINGS_VERSION, Settings
from tests.helpers.factories import make_account


def test_round_trip() -> None:
    settings = Settings()
    settings.add_account(make_account())
    again = Settings.from_json(settings.to_json())
    assert again.accounts == settings.accounts
    assert json.loads(settings.to_json())["version"] == SETTINGS_VERSION


def test_password_is_never_a_field() -> None:
    settings = Settings(accounts=[make_account()])
    assert "password" not in settings.to_json()


def test_newer_version_refused() -> None:
    with pytest.raises(ConfigError, match="newer than this program"):
        Settings.from_json(json.dumps({"version": SETTINGS_VERSION + 1}))


def test_not_json_is_config_error() -> None:
    with pytest.raises(ConfigError, match="not valid JSON"):
        Settings.from_json("{")


def test_duplicate_and_missing_accounts() -> None:
    settings = Settings()
    settings.add_account(make_account())
    with pytest.raises(ConfigError, match="exists already"):
        settings.add_account(make_account())
    with pytest.raises(NotFoundError):
        settings.account("other")
    assert settings.remove_account("work").name == "work"
