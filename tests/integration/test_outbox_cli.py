"""``mailclient outbox`` end to end against the real servers: a crashed send that is not in
Sent stays held until ``outbox retry``; ``outbox cancel`` removes what waits, never what is
being sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from email.headerregistry import Address
from pathlib import Path

import pytest

from mailclient.core.message_build import Draft, build_message
from mailclient.services.outbox import Outbox
from mailclient.services.outbox_copies import sent_copy
from mailclient.services.profile import Profile
from mailclient.services.store.database import Database
from tests.helpers.cli_runner import add_account, assert_ok, assert_one_line_error, run_cli
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration
SUBJECT = "Bericht für Bob ✓"


def profile_outbox(profile: Path) -> Outbox:
    return Outbox(Database(Profile.locate(profile).store_file))


def queue(outbox: Outbox, sender: TestUser, to: TestUser) -> int:
    local, _, domain = sender.address.partition("@")
    message = build_message(Draft(sender=Address("", local, domain), to=[to.address],
                                  subject=SUBJECT, text="Hallo Bob\n"))
    return outbox.queue(sender.name, raw=sent_copy(message, []), sender=sender.address,
                        recipients=[to.address], message_id=str(message["Message-ID"]),
                        subject=SUBJECT)


def claim_for(outbox: Outbox, item: int, pid: int) -> None:
    assert outbox.claim(item) is not None
    outbox.db.connection.execute("UPDATE outbox SET claim_pid = ? WHERE id = ?", (pid, item))


def dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout)


def test_held_after_a_crash_until_retry(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    assert_ok(add_account(profile, mail_servers, alice))
    outbox = profile_outbox(profile)
    item = queue(outbox, alice, bob)
    claim_for(outbox, item, dead_pid())

    out = assert_ok(run_cli(profile, "sync", "--account", alice.name))
    assert "sent outbox message" not in out
    (listed,) = json.loads(assert_ok(run_cli(profile, "outbox", "list", "--json")))
    assert listed["state"] == "held" and "not in the Sent folder" in listed["last_error"]
    assert f"mailclient outbox retry {item}" in listed["last_error"]
    time.sleep(1.5)
    assert mail_servers.delivered(bob) == []

    out = assert_ok(run_cli(profile, "outbox", "retry", str(item)))
    assert out.startswith(f"sent to {bob.address}: 250")
    mail_servers.wait_delivered(bob, 1)
    assert outbox.item(item).state == "copied"
    assert len(mail_servers.delivered(alice, "Sent")) == 1
    again = run_cli(profile, "outbox", "retry", str(item))
    assert_one_line_error(again, 1, "not waiting to be sent")
    time.sleep(1.0)
    assert len(mail_servers.delivered(bob)) == 1


def test_cancel(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    assert_ok(add_account(profile, mail_servers, alice, extra=("--no-verify",)))
    outbox = profile_outbox(profile)
    waiting, sending, crashed = (queue(outbox, alice, bob) for _ in range(3))
    claim_for(outbox, sending, os.getpid())  # a live process is sending it
    claim_for(outbox, crashed, dead_pid())

    out = assert_ok(run_cli(profile, "outbox", "cancel", str(waiting)))
    assert out == f"removed outbox message {waiting} (queued): {SUBJECT!r} to {bob.address}\n"
    assert_one_line_error(run_cli(profile, "outbox", "cancel", str(sending)), 1,
                          "being sent right now")
    assert "(held)" in assert_ok(run_cli(profile, "outbox", "cancel", str(crashed)))
    assert_one_line_error(run_cli(profile, "outbox", "cancel", str(waiting)), 2,
                          f"no outbox message with id {waiting}")
    assert [(i.id, i.state) for i in outbox.items()] == [(sending, "sending")]
    assert mail_servers.delivered(bob) == []
