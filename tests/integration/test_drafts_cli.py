"""Drafts and send later end to end against the real Dovecot and Postfix: one server copy per
draft (the newest, flagged \\Draft), ``draft send`` delivers it and clears Drafts, and a
message sent ``--at`` a time waits in the outbox until a sync after that time."""

from __future__ import annotations

import imaplib
import json
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest

from tests.helpers.cli_runner import add_account, assert_ok, assert_one_line_error, run_cli
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration
SUBJECT = "Entwurf für Bob ✓"


@contextmanager
def drafts_folder(servers: MailServers, user: TestUser) -> Iterator[imaplib.IMAP4_SSL]:
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.name, user.password)
        assert client.select("Drafts", readonly=True)[0] == "OK"
        yield client


def server_drafts(servers: MailServers, user: TestUser) -> list[tuple[bytes, bytes]]:
    """(FLAGS response, message) of every message in the user's Drafts folder."""
    with drafts_folder(servers, user) as client:
        _, data = client.uid("SEARCH", "ALL")
        found = []
        for uid in data[0].split():
            _, fetched = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
            head, raw = fetched[0]
            assert isinstance(head, bytes) and isinstance(raw, bytes)
            found.append((head, raw))
        return found


def save(profile: Path, user: TestUser, to: TestUser, body: str, *extra: str) -> str:
    out = assert_ok(run_cli(profile, "draft", "save", "--account", user.name, "--to",
                            to.address, "--subject", SUBJECT, "--body", body, *extra))
    return out.strip()


def test_draft_saved_twice_then_sent(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    assert_ok(add_account(profile, mail_servers, alice))

    draft_id = save(profile, alice, bob, "Erste Fassung\n")
    plan = tmp_path / "Plan ü.txt"
    plan.write_text("Schritt eins\n")
    assert save(profile, alice, bob, "Zweite Fassung, besser\n", "--id", draft_id,
                "--attach", str(plan), "--in-reply-to", "<frage@example.net>") == draft_id
    ((flags, raw),) = server_drafts(mail_servers, alice)
    assert b"\\Draft" in flags and b"\\Seen" in flags
    copy = message_from_bytes(raw)
    assert copy["X-Mailclient-Draft"] == draft_id
    assert "Zweite Fassung" in raw.decode() and "Erste" not in raw.decode()
    (listed,) = json.loads(assert_ok(run_cli(profile, "draft", "list", "--json")))
    assert (listed["id"], listed["subject"], listed["server"]["folder"]) == (
        draft_id, SUBJECT, "Drafts")
    assert listed["server"]["uid"] is not None, "Dovecot answers APPENDUID (UIDPLUS)"

    out = assert_ok(run_cli(profile, "draft", "send", draft_id))
    assert out.startswith(f"sent to {bob.address}: 250")
    (delivered,) = mail_servers.wait_delivered(bob, 1)
    assert b"Zweite Fassung" in delivered and b"X-Mailclient-Draft" not in delivered
    sent = message_from_bytes(delivered)
    assert sent["In-Reply-To"] == "<frage@example.net>"
    assert [p.get_filename() for p in sent.walk() if p.get_filename()] == ["Plan ü.txt"]
    assert server_drafts(mail_servers, alice) == []
    assert json.loads(assert_ok(run_cli(profile, "draft", "list", "--json"))) == []
    assert len(mail_servers.delivered(alice, "Sent")) == 1
    assert_one_line_error(run_cli(profile, "draft", "send", draft_id), 2, "no draft")


def test_draft_delete_clears_the_server(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    assert_ok(add_account(profile, mail_servers, alice))
    keep = save(profile, alice, bob, "bleibt\n")
    gone = save(profile, alice, bob, "geht\n")
    out = assert_ok(run_cli(profile, "draft", "delete", gone))
    assert out.startswith(f"deleted draft {gone}")
    ((_, raw),) = server_drafts(mail_servers, alice)
    assert message_from_bytes(raw)["X-Mailclient-Draft"] == keep
    assert [d["id"] for d in json.loads(assert_ok(run_cli(profile, "draft", "list",
                                                          "--json")))] == [keep]
    assert_one_line_error(run_cli(profile, "draft", "save", "--account", alice.name, "--to",
                                  "not an address", "--body", "x"), 2, "address")


def test_send_at_waits_for_a_sync_after_its_time(mail_servers: MailServers,
                                                 tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    assert_ok(add_account(profile, mail_servers, alice))
    assert_one_line_error(run_cli(profile, "send", "--account", alice.name, "--to",
                                  bob.address, "--subject", "x", "--body", "x",
                                  "--at", "2020-01-01 09:00"), 2, "in the past")

    at = datetime.now().astimezone() + timedelta(seconds=2)
    out = assert_ok(run_cli(profile, "send", "--account", alice.name, "--to", bob.address,
                            "--subject", SUBJECT, "--body", "Guten Morgen\n",
                            "--at", at.isoformat(timespec="seconds")))
    assert out.startswith("queued as outbox message ")
    assert f"\tat {at.strftime('%Y-%m-%d %H:%M')}" in assert_ok(
        run_cli(profile, "outbox", "list"))
    before = assert_ok(run_cli(profile, "sync", "--account", alice.name))
    synced_early = time.time() < at.timestamp()
    assert "sent outbox message" not in before
    assert synced_early, "the sync before the time took longer than the 2 s"
    assert mail_servers.delivered(bob) == []

    time.sleep(max(0.0, at.timestamp() - time.time()) + 0.1)  # the time has to come
    after = assert_ok(run_cli(profile, "sync", "--account", alice.name))
    assert "sent outbox message" in after
    (delivered,) = mail_servers.wait_delivered(bob, 1)
    assert b"Guten Morgen" in delivered
    (listed,) = json.loads(assert_ok(run_cli(profile, "outbox", "list", "--json")))
    assert listed["state"] == "copied"
