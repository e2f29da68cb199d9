"""Settings files edited by hand into nonsense: a clear error naming the file and the way
out, never a crash; the command line says so in one line and the file can be set aside."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mailclient.core.errors import ConfigError
from mailclient.core.settings import SETTINGS_VERSION, Settings
from mailclient.services.profile import BrokenSettingsError, Profile
from tests.helpers.factories import make_account


def good_document() -> dict:
    return json.loads(Settings(accounts=[make_account()]).to_json())


def with_account(**changes: object) -> str:
    document = good_document()
    document["accounts"][0].update(changes)
    return json.dumps(document)


def without(field: str) -> str:
    document = good_document()
    del document["accounts"][0][field]
    return json.dumps(document)


NONSENSE = {
    "cut short": ('{"version": 2, "accounts": [', "not valid JSON"),
    "empty": ("", "not valid JSON"),
    "a list": ("[1, 2]", "settings object"),
    "a string": ('"hello"', "settings object"),
    "version text": ('{"version": "two"}', "version must be a whole number"),
    "version negative": ('{"version": -3}', "version must be a whole number"),
    "version true": ('{"version": true}', "version must be a whole number"),
    "version unknown": (f'{{"version": {SETTINGS_VERSION + 7}}}', "newer than this program"),
    "accounts not a list": ('{"version": 2, "accounts": {"a": 1}}', "accounts must be a list"),
    "account not an object": ('{"version": 2, "accounts": ["work"]}', "not an object"),
    "interval text": ('{"version": 2, "sync_interval_minutes": "ten"}', "whole number"),
    "interval zero": ('{"version": 2, "sync_interval_minutes": 0}', "whole number"),
    "senders not a list": ('{"version": 2, "remote_image_senders": 5}', "list of addresses"),
    "missing smtp": (without("smtp"), "lacks smtp"),
    "missing name": (without("name"), "lacks name"),
    "server a string": (with_account(smtp="smtp.example.org"), "must be objects"),
    "port text": (with_account(incoming={"host": "h.example", "port": "993",
                                         "security": "ssl", "username": "u"}), "port"),
    "server field missing": (with_account(incoming={"host": "h.example"}), "malformed"),
    "unknown field": (with_account(colour="blue"), "malformed"),
    "bad address": (with_account(email="not an address"), "not an e-mail address"),
    "bad security": (with_account(smtp={"host": "h.example", "port": 25,
                                        "security": "maybe", "username": "u"}), "security"),
    "identities text": (with_account(identities="me"), "malformed"),
    "identity missing email": (with_account(identities=[{"display_name": "x"}]), "malformed"),
}


@pytest.mark.parametrize("case", sorted(NONSENSE))
def test_nonsense_is_a_config_error_that_says_what(case: str) -> None:
    text, words = NONSENSE[case]
    with pytest.raises(ConfigError, match=words):
        Settings.from_json(text)


@pytest.mark.parametrize("case", ["cut short", "port text", "missing smtp"])
def test_profile_names_the_file_and_the_way_out(case: str, tmp_path: Path) -> None:
    profile = Profile.locate(tmp_path)
    profile.ensure_dirs()
    profile.settings_file.write_text(NONSENSE[case][0], encoding="utf-8")
    with pytest.raises(BrokenSettingsError) as caught:
        profile.load_settings()
    message = str(caught.value)
    assert str(profile.settings_file) in message
    assert "move it aside" in message and "fresh settings" in message
    assert caught.value.path == profile.settings_file
    aside = profile.set_aside_settings()
    assert aside.name.startswith("settings.json.broken-")
    assert aside.read_text(encoding="utf-8") == NONSENSE[case][0]  # kept for the user
    assert profile.load_settings() == Settings()


def test_not_utf8_is_broken_settings(tmp_path: Path) -> None:
    profile = Profile.locate(tmp_path)
    profile.ensure_dirs()
    profile.settings_file.write_bytes(b'{"version": 2, "x": "\xff\xfe"}')
    with pytest.raises(BrokenSettingsError, match="not UTF-8"):
        profile.load_settings()


def test_older_settings_still_load(tmp_path: Path) -> None:
    document = good_document()
    document["version"] = 1
    for name in ("reply_to", "signature", "identities"):
        del document["accounts"][0][name]
    assert Settings.from_json(json.dumps(document)).accounts == [make_account()]


@pytest.mark.parametrize("case", ["cut short", "version unknown", "port text"])
def test_cli_prints_one_clear_line(case: str, tmp_path: Path) -> None:
    profile = Profile.locate(tmp_path)
    profile.ensure_dirs()
    profile.settings_file.write_text(NONSENSE[case][0], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mailclient", "--profile", str(tmp_path),
                             "account", "list"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(profile.settings_file) in lines[0] and "move it aside" in lines[0]
    assert NONSENSE[case][1].split()[0] in lines[0]
    assert profile.settings_file.read_text(encoding="utf-8") == NONSENSE[case][0]
