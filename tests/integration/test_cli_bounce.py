"""``mailclient show`` explains a bounce synced from Dovecot, as JSON and as plain text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli_runner import add_account, assert_ok, run_cli
from tests.helpers.mailservers import MailServers

pytestmark = pytest.mark.integration

BOUNCE = b"""\
Return-Path: <>
From: MAILER-DAEMON@mx.example.test (Mail Delivery System)
To: %(address)s
Subject: Undelivered Mail Returned to Sender
Date: Fri, 05 Jul 2024 10:00:00 +0000
Message-ID: <bounce-1@mx.example.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host mx.example.test.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<nobody@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test

Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: User unknown

--B
Content-Type: text/rfc822-headers

From: %(address)s
To: nobody@example.org
Subject: Lunch on Friday
Message-ID: <lunch-1@example.test>

--B--
"""

PLAIN = b"""\
From: Bob <bob@example.org>
To: %(address)s
Subject: Undeliverable? No, it arrived
Date: Fri, 05 Jul 2024 11:00:00 +0000
Message-ID: <plain-1@example.org>

Your parcel could not be delivered, the courier says.
"""


def test_show_explains_a_bounce(mail_servers: MailServers, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    user = mail_servers.new_user("bounce")
    values = {b"address": user.address.encode()}
    mail_servers.load_maildir(user, [(BOUNCE % values).replace(b"\n", b"\r\n"),
                                     (PLAIN % values).replace(b"\n", b"\r\n")])
    assert_ok(add_account(profile, mail_servers, user))
    assert "2 new" in assert_ok(run_cli(profile, "sync"))
    rows = json.loads(assert_ok(run_cli(profile, "list", "--folder", "INBOX", "--json")))
    ids = {row["subject"]: str(row["id"]) for row in rows}

    shown = json.loads(assert_ok(run_cli(profile, "show", ids["Undelivered Mail Returned to "
                                                              "Sender"], "--json")))
    failure = shown["delivery_failure"]
    assert failure["summary"] == ("Your message to nobody@example.org could not be delivered: "
                                  "no such user (5.1.1).")
    assert failure["recipients"] == [{
        "address": "nobody@example.org", "status": "5.1.1", "action": "failed",
        "reason": "no such user", "diagnostic": "550 5.1.1 <nobody@example.org>: User unknown",
        "permanent": True,
    }]
    assert failure["original_message_id"] == "lunch-1@example.test"
    assert failure["original_subject"] == "Lunch on Friday"

    text = assert_ok(run_cli(profile, "show", ids["Undelivered Mail Returned to Sender"]))
    assert "Delivery failed: Your message to nobody@example.org could not be delivered" in text
    assert text.index("Delivery failed:") < text.index("This is the mail system")

    plain = json.loads(assert_ok(run_cli(profile, "show", ids["Undeliverable? No, it arrived"],
                                         "--json")))
    assert plain["delivery_failure"] is None
    assert "Delivery failed" not in assert_ok(run_cli(profile, "show",
                                                      ids["Undeliverable? No, it arrived"]))
