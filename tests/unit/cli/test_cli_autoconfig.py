"""``mailclient autoconfig``: offline lookup in the bundled provider database, as a user runs it."""

import json
from pathlib import Path

from tests.helpers.cli_runner import assert_ok, assert_one_line_error, run_cli


def test_known_address_prints_each_setting_with_its_source(tmp_path: Path) -> None:
    out = assert_ok(run_cli(tmp_path, "autoconfig", "--offline", "Ada@GMail.com"))
    lines = out.splitlines()
    assert lines[0] == "Provider: Google Mail"
    assert lines[1] == "Incoming:"
    assert lines[2].split() == ["IMAP", "imap.gmail.com:993", "SSL/TLS,", "user",
                                "Ada@GMail.com;", "from", "bundled", "provider", "database",
                                "(gmail.com)"]
    assert "pop.gmail.com:995" in lines[3]
    assert lines[4] == "Outgoing:"
    assert "smtp.gmail.com:465 SSL/TLS" in lines[5]
    assert "offline" in lines[-1] and "bundled provider database only" in lines[-1]


def test_json_says_where_each_value_came_from(tmp_path: Path) -> None:
    data = json.loads(assert_ok(run_cli(tmp_path, "autoconfig", "--offline", "ada@gmx.net",
                                        "--json")))
    assert data["found"] is True and data["offline"] is True
    assert data["provider"] == "GMX Freemail"
    assert data["sources_tried"] == ["bundled provider database"]
    servers = data["incoming"] + data["outgoing"]
    assert {s["source"] for s in servers} == {"bundled provider database (gmx.net)"}
    assert {s["security"] for s in servers} == {"ssl", "starttls"}
    assert data["incoming"][0] | {"authentication": None} == {
        "protocol": "imap", "host": "imap.gmx.net", "port": 993, "security": "ssl",
        "username": "ada@gmx.net", "source": "bundled provider database (gmx.net)",
        "authentication": None}
    assert [s["port"] for s in data["outgoing"]][:2] == [465, 587]


def test_unknown_domain_fails_with_one_plain_line(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "autoconfig", "--offline", "ada@no-such-provider.example")
    assert_one_line_error(result, 1, "no settings known for no-such-provider.example",
                          "bundled provider database")
    assert "offline" in result.stdout


def test_cleartext_only_provider_is_refused(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "autoconfig", "--offline", "ada@nifty.com", "--json")
    assert_one_line_error(result, 1, "no complete set of servers with TLS", "cleartext")
    data = json.loads(result.stdout)
    assert data["found"] is False and data["incoming"] == [] and data["outgoing"] == []


def test_invalid_address_is_a_usage_error(tmp_path: Path) -> None:
    assert_one_line_error(run_cli(tmp_path, "autoconfig", "--offline", "not-an-address"), 2,
                          "not an e-mail address")
