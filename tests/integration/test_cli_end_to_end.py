"""The command line end to end against the real Dovecot and Postfix: add, test, send, sync,
list, show, for IMAP and POP3, and plain one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli_runner import add_account, assert_ok, assert_one_line_error, run_cli
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration
SUBJECT = "Grüße aus Köln ✓ — Ünïcödé"
BODY = "Hallo Bob,\n\nanbei der Bericht. Schöne Grüße!\n"


def send_report(profile: Path, sender: TestUser, recipient: TestUser, tmp_path: Path) -> bytes:
    attachment = tmp_path / "Bericht-Übersicht.bin"
    payload = os.urandom(1_000_000)
    attachment.write_bytes(payload)
    out = assert_ok(run_cli(profile, "send", "--account", sender.name, "--to", recipient.address,
                            "--subject", SUBJECT, "--body", BODY, "--attach", str(attachment)))
    assert f"sent to {recipient.address}" in out
    return payload


def check_received(profile: Path, recipient: TestUser, sender: TestUser) -> None:
    listing = json.loads(assert_ok(run_cli(profile, "list", "--account", recipient.name,
                                           "--json")))
    assert len(listing) == 1, listing
    entry = listing[0]
    assert entry["subject"] == SUBJECT
    assert entry["attachments"] == 1
    assert entry["from"] == f"{sender.name.title()} Tëster <{sender.address}>"
    assert entry["to"] == [recipient.address]
    assert entry["folder"] == "INBOX" and entry["size"] > 1_000_000
    assert "+" in entry["date"] or "-" in entry["date"][10:]
    shown = json.loads(assert_ok(run_cli(profile, "show", entry["id"], "--json")))
    assert shown["text"] == BODY
    assert shown["subject"] == SUBJECT
    assert shown["attachments"][0]["filename"] == "Bericht-Übersicht.bin"
    assert shown["attachments"][0]["size"] == 1_000_000
    assert shown["delivery_failure"] is None
    assert ["Subject", SUBJECT] in shown["headers"]


def assert_password_nowhere(profile: Path, *passwords: str) -> None:
    files = [p for p in profile.rglob("*") if p.is_file()]
    assert files, "the profile holds no files at all"
    for path in files:
        content = path.read_bytes()
        for password in passwords:
            assert password.encode() not in content, f"password found in {path}"


def test_imap_round_trip(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    assert "added account" in assert_ok(add_account(profile, mail_servers, alice))
    assert_ok(add_account(profile, mail_servers, bob))
    assert assert_ok(run_cli(profile, "account", "test", alice.name)).splitlines() == [
        "smtp: ok", "imap: ok"]
    accounts = json.loads(assert_ok(run_cli(profile, "account", "list", "--json")))
    assert [a["name"] for a in accounts] == [alice.name, bob.name]

    send_report(profile, alice, bob, tmp_path)
    mail_servers.wait_delivered(bob, 1)
    assert "1 new" in assert_ok(run_cli(profile, "sync", "--account", bob.name))
    check_received(profile, bob, alice)
    found = json.loads(assert_ok(run_cli(profile, "search", "subject:köln", "has:attachment",
                                         f"account:{bob.name}", "--json")))
    assert [m["subject"] for m in found] == [SUBJECT]
    assert_one_line_error(run_cli(profile, "search", "before:someday"), 2, "before:")

    # The sender's copy went to her Sent folder; a second sync adds nothing twice.
    assert_ok(run_cli(profile, "sync"))
    sent = json.loads(assert_ok(run_cli(profile, "list", "--account", alice.name,
                                        "--folder", "Sent", "--json")))
    assert [m["subject"] for m in sent] == [SUBJECT]
    assert "0 new" in assert_ok(run_cli(profile, "sync", "--account", bob.name))
    raw = subprocess.run([sys.executable, "-m", "mailclient", "--profile", str(profile), "show",
                          sent[0]["id"], "--raw"], capture_output=True, check=True).stdout
    assert b"Subject: =?utf-8?" in raw
    assert_password_nowhere(profile, alice.password, bob.password)


def test_pop3_round_trip(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    assert_ok(add_account(profile, mail_servers, alice))
    assert_ok(add_account(profile, mail_servers, bob, incoming="pop3"))
    assert assert_ok(run_cli(profile, "account", "test", bob.name)).splitlines() == [
        "smtp: ok", "pop3: ok"]
    send_report(profile, alice, bob, tmp_path)
    mail_servers.wait_delivered(bob, 1)
    assert "1 new" in assert_ok(run_cli(profile, "sync", "--account", bob.name))
    check_received(profile, bob, alice)
    assert "0 new" in assert_ok(run_cli(profile, "sync", "--account", bob.name))
    assert len(mail_servers.delivered(bob)) == 1, "leave on server is the default"
    assert_password_nowhere(profile, alice.password, bob.password)


def test_pop3_delete_from_server(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    bob = mail_servers.new_user("bob")
    mail_servers.load_maildir(bob, [b"From: x@example.test\r\nSubject: one\r\n\r\nhi\r\n"])
    assert_ok(add_account(profile, mail_servers, bob, incoming="pop3",
                          extra=("--no-leave-on-server",)))
    assert "1 new" in assert_ok(run_cli(profile, "sync"))
    assert mail_servers.delivered(bob) == []
    assert [m["subject"] for m in json.loads(assert_ok(run_cli(profile, "list", "--json")))] \
        == ["one"]


def test_wrong_password_is_one_clear_line(mail_servers: MailServers, tmp_path: Path) -> None:
    user = mail_servers.new_user()
    result = add_account(tmp_path / "p", mail_servers, user, password="not-the-password")
    assert_one_line_error(result, 1, "password")
    assert json.loads(assert_ok(run_cli(tmp_path / "p", "account", "list", "--json"))) == []


def test_closed_port_is_one_clear_line(mail_servers: MailServers, tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    user = mail_servers.new_user()
    result = run_cli(tmp_path / "p", "account", "add", "x", "--email", user.address,
                     "--smtp-host", "127.0.0.1", "--smtp-port", str(closed),
                     "--smtp-security", "ssl", "--incoming", "imap",
                     "--incoming-host", "127.0.0.1", "--incoming-port", str(closed),
                     "--incoming-security", "ssl", "--password-stdin",
                     stdin=user.password + "\n")
    assert_one_line_error(result, 1, "connection refused", f"127.0.0.1:{closed}")


def test_untrusted_certificate_is_one_clear_line(mail_servers: MailServers,
                                                 tmp_path: Path) -> None:
    user = mail_servers.new_user()
    result = add_account(tmp_path / "p", mail_servers, user, ca_file=False)
    assert_one_line_error(result, 1, "not trusted", "SHA-256")


def test_usage_errors_exit_2(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "p"
    assert_one_line_error(run_cli(profile, "sync", "--account", "nobody"), 2, "no account")
    assert_one_line_error(run_cli(profile, "show", "doesnotexist"), 2, "no message")
    bad_port = run_cli(profile, "account", "add", "x", "--email", "a@b.example",
                       "--smtp-host", "h", "--smtp-port", "99999", "--smtp-security", "ssl",
                       "--incoming", "imap", "--incoming-host", "h", "--incoming-port", "993",
                       "--incoming-security", "ssl", "--password-stdin", stdin="pw\n")
    assert bad_port.returncode == 2 and "port must be from 1 to 65535" in bad_port.stderr
    insecure = add_account(profile, mail_servers, mail_servers.new_user(),
                           extra=("--no-verify",))
    assert_ok(insecure)
    plain = run_cli(profile, "account", "add", "y", "--email", "a@b.example",
                    "--smtp-host", "h", "--smtp-port", "25", "--smtp-security", "none",
                    "--incoming", "imap", "--incoming-host", "h", "--incoming-port", "143",
                    "--incoming-security", "ssl", "--password-stdin", stdin="pw\n")
    assert_one_line_error(plain, 2, "--allow-insecure")
    missing = run_cli(profile, "send", "--account", insecure_name(insecure), "--to",
                      "b@example.test", "--subject", "s", "--body", "b",
                      "--attach", str(tmp_path / "missing.pdf"))
    assert_one_line_error(missing, 1, "missing.pdf")


def insecure_name(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout.split()[2]


def test_without_keyring_password_is_asked_each_run(mail_servers: MailServers,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    profile = tmp_path / "p"
    user = mail_servers.new_user()
    added = add_account(profile, mail_servers, user)
    assert added.returncode == 0, added.stderr
    assert "kept for this run only" in added.stderr and "keyring" in added.stderr
    assert_one_line_error(run_cli(profile, "sync"), 1, "--password-stdin")
    assert "0 new" in assert_ok(run_cli(profile, "sync", "--password-stdin",
                                        stdin=user.password + "\n"))
    assert_password_nowhere(profile, user.password)
