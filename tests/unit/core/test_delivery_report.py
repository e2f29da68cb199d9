"""Bounces of each common format read into a DeliveryFailure; ordinary mail is left alone."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest

from mailclient.core.bounce_reasons import reason_for
from mailclient.core.delivery_report import DeliveryFailure, delivery_failure

ORIGINAL = (
    "From: Alice <alice@example.com>\n"
    "To: bob@example.org\n"
    "Subject: Lunch on Friday\n"
    "Message-ID: <lunch-1@example.com>\n"
    "\n"
    "Shall we?\n"
)


def _dsn(recipients: str, *, subject: str = "Undelivered Mail Returned to Sender",
         notice: str = "This is the mail system at host mx.example.com.") -> bytes:
    return (
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\n"
        f"To: alice@example.com\nSubject: {subject}\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        f"--B\nContent-Type: text/plain\n\n{notice}\n\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.com\n\n"
        f"{recipients}\n"
        f"--B\nContent-Type: message/rfc822\n\n{ORIGINAL}\n--B--\n"
    ).encode()


def _plain(sender: str, subject: str, body: str, extra: str = "") -> bytes:
    return (f"From: {sender}\nTo: alice@example.com\nSubject: {subject}\n{extra}"
            f"Content-Type: text/plain; charset=utf-8\n\n{body}").encode()


def _parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _only(failure: DeliveryFailure | None) -> tuple[str, str, str, bool]:
    assert failure is not None
    assert len(failure.recipients) == 1
    r = failure.recipients[0]
    return r.address, r.status, r.reason, r.permanent


def test_rfc3464_with_several_recipients() -> None:
    raw = _dsn(
        "Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected:\n"
        "    User unknown in local recipient table\n\n"
        "Final-Recipient: rfc822; carol@example.net\nAction: failed\nStatus: 5.2.2\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n"
    )
    failure = delivery_failure(raw)
    assert failure is not None
    assert [r.address for r in failure.recipients] == ["bob@example.org", "carol@example.net"]
    bob, carol = failure.recipients
    assert (bob.status, bob.action, bob.reason, bob.permanent) == \
        ("5.1.1", "failed", "no such user", True)
    assert bob.diagnostic == ("550 5.1.1 <bob@example.org>: Recipient address rejected: "
                              "User unknown in local recipient table")
    assert carol.reason == "mailbox full"
    assert failure.reporting_mta == "mx.example.com"
    assert failure.original_message_id == "lunch-1@example.com"
    assert failure.original_subject == "Lunch on Friday"
    assert failure.summary() == (
        "Your message could not be delivered to bob@example.org (no such user, 5.1.1) "
        "and carol@example.net (mailbox full, 5.2.2).")
    assert delivery_failure(_parse(raw)) == failure  # an EmailMessage reads the same


def test_single_recipient_summary() -> None:
    failure = delivery_failure(_dsn(
        "Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.1.1\n"))
    assert failure is not None
    assert failure.summary() == \
        "Your message to bob@example.org could not be delivered: no such user (5.1.1)."


def test_delayed_dsn() -> None:
    failure = delivery_failure(_dsn(
        "Final-Recipient: rfc822; bob@example.org\nAction: delayed\nStatus: 4.4.1\n"
        "Diagnostic-Code: smtp; 421 4.4.1 connection timed out\n",
        subject="Delayed Mail (still being retried)"))
    assert _only(failure) == ("bob@example.org", "4.4.1", "temporarily deferred", False)
    assert failure is not None
    assert failure.recipients[0].action == "delayed"
    assert failure.summary() == ("Your message to bob@example.org is delayed, the server will "
                                 "keep trying: temporarily deferred (4.4.1).")


def test_dsn_fields_without_blank_lines_and_status_comment() -> None:
    failure = delivery_failure(_dsn(
        "Action: failed\nStatus: 5.0.0 (recipient reached disk quota)\n"
        "Final-Recipient: rfc822;bob@example.org\n"))
    assert _only(failure) == ("bob@example.org", "5.0.0", "mailbox full", True)


POSTFIX_TEXT = """This is the mail system at host mx.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1
    <bob@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)

--- Below this line is a copy of the message.

""" + ORIGINAL


def test_postfix_plain_text() -> None:
    failure = delivery_failure(_plain("MAILER-DAEMON@mx.example.com",
                                      "Undelivered Mail Returned to Sender", POSTFIX_TEXT))
    assert _only(failure) == ("bob@example.org", "5.1.1", "no such user", True)
    assert failure is not None
    assert failure.recipients[0].diagnostic.startswith("550 5.1.1")
    assert failure.original_message_id == "lunch-1@example.com"


def test_exim() -> None:
    body = """This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  bob@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after end of data:
    552 5.3.4 Message size exceeds fixed limit

------ This is a copy of the message, including all the headers. ------

""" + ORIGINAL
    failure = delivery_failure(_plain(
        "Mail Delivery System <Mailer-Daemon@mx.example.com>",
        "Mail delivery failed: returning message to sender", body,
        "X-Failed-Recipients: bob@example.org\nAuto-Submitted: auto-replied\n"))
    assert _only(failure) == ("bob@example.org", "5.3.4", "message too large", True)
    assert failure is not None
    assert failure.recipients[0].diagnostic == "552 5.3.4 Message size exceeds fixed limit"


def test_qmail() -> None:
    body = """Hi. This is the qmail-send program at mx.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<bob@example.org>:
192.0.2.1 does not like recipient.
Remote host said: 550 sorry, no mailbox here by that name. (#5.1.1)
Giving up on 192.0.2.1.

--- Below this line is a copy of the message.

""" + ORIGINAL
    failure = delivery_failure(_plain("MAILER-DAEMON@mx.example.com", "failure notice", body))
    assert _only(failure) == ("bob@example.org", "5.1.1", "no such user", True)


def test_exchange_ndr_in_report() -> None:
    raw = _dsn(
        "Final-Recipient: rfc822;bob@example.org\nAction: failed\nStatus: 5.7.509\n"
        "Diagnostic-Code: smtp;550 5.7.509 Access denied, sending domain example.com does "
        "not pass DMARC verification and has a DMARC policy of reject.\n",
        subject="Undeliverable: Lunch on Friday",
        notice="Your message to bob@example.org couldn't be delivered.")
    failure = delivery_failure(raw)
    assert _only(failure) == ("bob@example.org", "5.7.509",
                              "failed sender authentication (DMARC)", True)


def test_gmail_plain_text() -> None:
    body = """Delivery to the following recipient failed permanently:

     bob@example.org

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the server for the recipient
domain example.org by mx.example.org. [192.0.2.1].

The error that the other server returned was:
550 5.2.1 The email account that you tried to reach is disabled.

----- Original message -----

""" + ORIGINAL
    failure = delivery_failure(_plain("Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
                                      "Delivery Status Notification (Failure)", body,
                                      "Return-Path: <>\n"))
    assert _only(failure) == ("bob@example.org", "5.2.1", "mailbox disabled", True)
    assert failure is not None
    assert failure.original_subject == "Lunch on Friday"


def test_text_reason_without_code() -> None:
    body = ("Unable to deliver message to: <bob@example.org>\n"
            "Delivery failed for the following reason:\n"
            "Server mx.example.org said: 550 No such user here\n")
    failure = delivery_failure(_plain("MAILER-DAEMON@example.com", "Message delivery has failed",
                                      body))
    assert _only(failure) == ("bob@example.org", "", "no such user", True)


@pytest.mark.parametrize(("status", "text", "reason"), [
    ("5.1.1", "", "no such user"),
    ("5.2.2", "", "mailbox full"),
    ("4.2.2", "", "mailbox full"),
    ("5.7.1", "rejected", "blocked as spam or by policy"),
    ("5.7.1", "554 5.7.1 Service unavailable; client host blocked using Spamhaus",
     "blocked as spam"),
    ("5.4.1", "", "recipient's server did not answer"),
    ("5.1.2", "", "domain not found"),
    ("5.4.4", "", "domain not found"),
    ("5.3.4", "", "message too large"),
    ("4.4.7", "", "temporarily deferred"),
    ("4.4.1", "", "temporarily deferred"),
    ("5.7.26", "", "failed sender authentication (SPF/DKIM/DMARC)"),
    ("5.7.509", "", "failed sender authentication (DMARC)"),
    ("5.0.0", "550 user unknown", "no such user"),
    ("", "Host unknown (Authoritative answer from name server)", "domain not found"),
    ("", "mailbox is over quota", "mailbox full"),
    ("", "", "permanent failure"),
])
def test_reason_wording(status: str, text: str, reason: str) -> None:
    assert reason_for(status, text, permanent=not status.startswith("4")) == reason


@pytest.mark.parametrize("raw", [
    _plain("Bob <bob@example.org>", "Lunch", "See you at noon.\n"),
    _plain("Bob <bob@example.org>", "Undeliverable?",
           "My parcel was undeliverable; your message could not be delivered to me on time.\n"),
    _plain("Bob <bob@example.org>", "Automatic reply: Lunch",
           "I am on vacation until Monday.\n",
           "Auto-Submitted: auto-replied\nReturn-Path: <>\n"),
    _plain("postmaster@example.org", "Welcome", "Your mailbox is ready.\n"),
    b"",
    b"\x00\xff garbage",
])
def test_not_a_bounce(raw: bytes) -> None:
    assert delivery_failure(raw) is None


def test_read_receipt_report_is_not_a_bounce() -> None:
    raw = (b"From: bob@example.org\nTo: alice@example.com\nSubject: Read: Lunch\n"
           b'Content-Type: multipart/report; report-type=disposition-notification; boundary="B"'
           b"\n\n--B\nContent-Type: text/plain\n\nYour message was read.\n"
           b"--B\nContent-Type: message/disposition-notification\n\n"
           b"Final-Recipient: rfc822; bob@example.org\nDisposition: manual-action/MDN-sent-"
           b"manually; displayed\n--B--\n")
    assert delivery_failure(raw) is None
