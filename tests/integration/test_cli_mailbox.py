"""``mailclient mark|move|delete|empty|thread|show`` end to end: each change reaches Dovecot
at once, or waits in the queue while the server is unreachable and goes at the next sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailclient.services.profile import Profile
from tests.helpers.cli_runner import add_account, assert_ok, run_cli
from tests.helpers.mailservers import MailServers
from tests.helpers.sync_support import sample, second_client, server_uids

pytestmark = pytest.mark.integration


def listing(profile: Path, folder: str) -> dict[str, dict[str, object]]:
    rows = json.loads(assert_ok(run_cli(profile, "list", "--folder", folder, "--json")))
    return {row["subject"]: row for row in rows}


def set_imap_port(profile: Path, port: int) -> int:
    """Point the profile's one account at another IMAP port; returns the old one."""
    settings = Profile.locate(profile).settings_file
    data = json.loads(settings.read_text("utf-8"))
    old = int(data["accounts"][0]["incoming"]["port"])
    data["accounts"][0]["incoming"]["port"] = port
    settings.write_text(json.dumps(data), "utf-8")
    return old


def test_changes_reach_the_server(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    user = mail_servers.new_user("cli")
    mail_servers.load_maildir(user, [sample(n) for n in range(1, 5)])
    reply = sample(5).replace(b"Message-ID: <INBOX-5@", b"In-Reply-To: <INBOX-1@example.test>"
                              b"\r\nMessage-ID: <INBOX-5@")
    mail_servers.load_maildir(user, [reply], "Sent")
    assert_ok(add_account(profile, mail_servers, user))
    assert "5 new" in assert_ok(run_cli(profile, "sync"))
    inbox = listing(profile, "INBOX")
    first, second, third = (str(inbox[f"INBOX message {n}"]["id"]) for n in (1, 2, 3))

    assert "1 marked flagged" in assert_ok(run_cli(profile, "mark", first, "--as", "flagged"))
    assert "1 moved to Junk" in assert_ok(run_cli(profile, "move", second, "--to", "Junk"))
    assert "1 deleted" in assert_ok(run_cli(profile, "delete", third))
    thread = json.loads(assert_ok(run_cli(profile, "thread", first, "--json")))
    assert [m["folder"] for m in thread] == ["INBOX", "Sent"]
    with second_client(mail_servers, user) as client:
        client.select("INBOX", readonly=True)
        _, data = client.uid("FETCH", "1", "(FLAGS)")
        assert b"\\Flagged" in data[0]
        assert len(server_uids(client, "Junk")) == 1 and len(server_uids(client, "Trash")) == 1
    assert "1 deleted for good" in assert_ok(run_cli(profile, "empty", "--account", user.name))
    with second_client(mail_servers, user) as client:
        assert server_uids(client, "Trash") == set()


def test_offline_changes_wait_for_the_next_sync(mail_servers: MailServers,
                                                tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    user = mail_servers.new_user("offline")
    mail_servers.load_maildir(user, [sample(1)])
    assert_ok(add_account(profile, mail_servers, user))
    assert_ok(run_cli(profile, "sync"))
    ident = str(listing(profile, "INBOX")["INBOX message 1"]["id"])
    right = set_imap_port(profile, 1)  # nothing listens there: offline
    marked = run_cli(profile, "mark", ident, "--as", "read")
    assert marked.returncode == 0 and "next sync" in marked.stderr
    assert listing(profile, "INBOX")["INBOX message 1"]["flags"] == ["seen"]  # shown here
    set_imap_port(profile, right)
    assert_ok(run_cli(profile, "sync"))
    with second_client(mail_servers, user) as client:
        client.select("INBOX", readonly=True)
        _, data = client.uid("FETCH", "1", "(FLAGS)")
        assert b"\\Seen" in data[0]
