"""``mailclient autoconfig --network`` against a local DNS responder that knows nothing:
the answer still comes from the bundled database, and says so."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli_runner import assert_ok, assert_one_line_error, run_cli
from tests.helpers.dns_responder import dns_responder


def test_no_network_answer_falls_back_to_the_bundled_database(tmp_path: Path) -> None:
    with dns_responder() as dns:
        server = f"127.0.0.1:{dns.port}"
        data = json.loads(assert_ok(run_cli(tmp_path, "autoconfig", "ada@gmail.com",
                                            "--network", "--dns-server", server, "--json")))
        human = assert_ok(run_cli(tmp_path, "autoconfig", "ada@gmail.com", "--network",
                                  "--dns-server", server))
    assert data["found"] is True and data["offline"] is False
    assert data["network_answered"] is False
    assert data["answered"] == ["bundled provider database"]
    assert len(data["sources_tried"]) == 5 and data["problems"]
    assert "no network source answered" in human.splitlines()[-1]
    assert "bundled provider database alone" in human.splitlines()[-1]
    assert {name for name, _ in dns.queries} >= {"autoconfig.gmail.com", "_imaps._tcp.gmail.com"}


def test_verify_needs_the_password_and_save_needs_verify(tmp_path: Path) -> None:
    assert_one_line_error(run_cli(tmp_path, "autoconfig", "ada@gmail.com", "--verify"), 2,
                          "--password-stdin")
    assert_one_line_error(run_cli(tmp_path, "autoconfig", "ada@gmail.com", "--save"), 2,
                          "--verify")
    assert_one_line_error(run_cli(tmp_path, "autoconfig", "ada@gmail.com", "--network",
                                  "--dns-server", "dns.example"), 2, "IP address")
