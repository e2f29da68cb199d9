"""The reader explains a bounce in a banner, and Edit and resend opens the message again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from mailclient.core.delivery_report import FailedRecipient
from mailclient.ui.bounce_banner import ElidedLabel
from mailclient.ui.resend import not_delivered
from tests.helpers.window_list import ADA, LONG, select

BOUNCE_SUBJECT = "Undelivered Mail Returned to Sender"
DELAY_SUBJECT = "Delayed Mail (still being retried)"
ORIGINAL_SUBJECT = "Plans for Tuesday"
ORIGINAL_ID = "plans-1@example.org"
BODY = "Shall we meet at ten?\n\nAda\n"
DIAGNOSTIC = ("smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in "
              "virtual mailbox table; please check the address and try again later, or ask "
              "the postmaster of example.org for help with this long line")
WHEN = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
EXPECTED_ERROR = ("Not delivered to bob@example.org (no such user, 5.1.1). Fix or remove the "
                  "address, then send.")


def original(body: bool = True) -> str:
    head = (f"From: Ada Lovelace <{ADA}>\r\nTo: Bob <bob@example.org>\r\n"
            "Cc: Carol <carol@example.net>\r\n"
            f"Subject: {ORIGINAL_SUBJECT}\r\nDate: Mon, 04 Mar 2024 09:58:00 +0000\r\n"
            f"Message-ID: <{ORIGINAL_ID}>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n")
    return head + ("\r\n" + BODY.replace("\n", "\r\n") if body else "")


def report(*, status: str = "5.1.1", action: str = "failed",
           diagnostic: str = DIAGNOSTIC, returned: str = "message/rfc822",
           subject: str = BOUNCE_SUBJECT) -> bytes:
    """A small RFC 3464 report from Postfix about the message ``original()``."""
    text = ("This is the mail system at host mx.example.org.\r\n\r\n"
            "I'm sorry to have to inform you that your message could not\r\n"
            "be delivered to one or more recipients.\r\n")
    returned_part = original() if returned == "message/rfc822" else original(body=False)
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        f"To: {ADA}\r\nSubject: {subject}\r\n"
        "Date: Mon, 04 Mar 2024 10:00:00 +0000\r\nMessage-ID: <bounce-1@mx.example.org>\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\r\n\r\n'
        "--B1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n"
        "--B1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; bob@example.org\r\nAction: {action}\r\n"
        f"Status: {status}\r\nDiagnostic-Code: {diagnostic}\r\n\r\n"
        f"--B1\r\nContent-Type: {returned}\r\n\r\n" + returned_part + "\r\n--B1--\r\n"
    ).encode()


@pytest.fixture
def window(make_window, deliver, account):
    def build(*bounces: tuple[str, bytes], sent_copy: bool = False):
        deliver(account.name, "INBOX", "Lunch?", WHEN, text="An ordinary message.")
        for subject, raw in bounces:
            deliver(account.name, "INBOX", subject, WHEN, raw=raw)
        if sent_copy:
            deliver(account.name, "Sent", ORIGINAL_SUBJECT, WHEN, role="sent", seen=True,
                    raw=original().encode())
        shown = make_window(mark_read_ms=LONG)
        shown.compose.undo_ms = 0
        return shown

    return build


def resend(window, qtbot):
    qtbot.mouseClick(window.reader.bounce.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.compose.windows) == 1)
    return window.compose.windows[0]


def test_a_bounce_shows_the_banner_with_recipient_and_reason(window, qtbot) -> None:
    shown = window((BOUNCE_SUBJECT, report()))
    select(shown, BOUNCE_SUBJECT)
    banner = shown.reader.bounce
    qtbot.waitUntil(banner.isVisible)
    assert banner.summary.text() == ("Your message to bob@example.org could not be delivered: "
                                     "no such user (5.1.1).")
    lines = banner.lines()
    assert lines[0] == "bob@example.org: no such user (5.1.1)"
    assert lines[1].startswith("550 5.1.1 <bob@example.org>: Recipient address rejected")
    words = banner.findChild(ElidedLabel, "serverWords")  # one line, cut to the width
    qtbot.waitUntil(lambda: words.text().endswith("…") and len(words.text()) < len(lines[1]))
    assert banner.resend_button.isVisible()


def test_edit_and_resend_opens_the_returned_message(window, qtbot) -> None:
    shown = window((BOUNCE_SUBJECT, report()))
    select(shown, BOUNCE_SUBJECT)
    qtbot.waitUntil(shown.reader.bounce.isVisible)
    compose = resend(shown, qtbot)
    draft = compose.draft()
    assert draft.to == ["Bob <bob@example.org>"] and draft.cc == ["Carol <carol@example.net>"]
    assert draft.subject == ORIGINAL_SUBJECT  # not "Fwd:": a resend
    assert draft.text.replace("\r\n", "\n") == BODY  # as written, not quoted
    assert compose.account.name == ADA
    assert compose.error_bar.isVisible() and compose.error_bar.text() == EXPECTED_ERROR
    assert compose.to_edit.selectedText() == "bob@example.org"


def test_headers_only_returned_resends_the_sent_copy(window, qtbot) -> None:
    shown = window((BOUNCE_SUBJECT, report(returned="text/rfc822-headers")), sent_copy=True)
    select(shown, BOUNCE_SUBJECT)
    qtbot.waitUntil(shown.reader.bounce.isVisible)
    draft = resend(shown, qtbot).draft()
    assert draft.to == ["Bob <bob@example.org>"]
    assert draft.text.replace("\r\n", "\n") == BODY


def test_nothing_to_resend_opens_the_subject_only(window, qtbot) -> None:
    shown = window((BOUNCE_SUBJECT, report(returned="text/rfc822-headers")))
    select(shown, BOUNCE_SUBJECT)
    qtbot.waitUntil(shown.reader.bounce.isVisible)
    compose = resend(shown, qtbot)
    draft = compose.draft()
    assert draft.subject == ORIGINAL_SUBJECT and draft.to == [] and not draft.text
    assert compose.error_bar.text() == EXPECTED_ERROR


def test_an_ordinary_message_has_no_banner(window, qtbot) -> None:
    shown = window((BOUNCE_SUBJECT, report()))
    select(shown, BOUNCE_SUBJECT)
    qtbot.waitUntil(shown.reader.bounce.isVisible)
    select(shown, "Lunch?")
    qtbot.waitUntil(lambda: "An ordinary message." in shown.reader.body_text())
    assert not shown.reader.bounce.isVisible()


def test_a_delayed_report_has_no_resend_button(window, qtbot) -> None:
    delayed = report(status="4.2.2", action="delayed", subject=DELAY_SUBJECT,
                     diagnostic="smtp; 452 4.2.2 Mailbox full")
    shown = window((BOUNCE_SUBJECT, report()), (DELAY_SUBJECT, delayed))
    banner = shown.reader.bounce
    select(shown, BOUNCE_SUBJECT)
    qtbot.waitUntil(banner.resend_button.isVisible)

    def visible() -> list[str]:
        return [w.text() for w in banner.recipients.findChildren(QLabel) if w.isVisible()]

    select(shown, DELAY_SUBJECT)
    assert not any("no such user" in text for text in visible())  # not even until deleted
    assert "the server will keep trying" in banner.summary.text()
    assert banner.lines() == ["bob@example.org: mailbox full (4.2.2)", "452 4.2.2 Mailbox full"]
    qtbot.waitUntil(lambda: visible() == ["<b>bob@example.org</b>: mailbox full (4.2.2)",
                                          "452 4.2.2 Mailbox full"])
    assert not banner.resend_button.isVisible()


def test_several_failed_addresses_are_listed() -> None:
    failed = [FailedRecipient("a@x.org", "5.1.1", "failed", "no such user", "", True),
              FailedRecipient("b@y.org", "", "failed", "permanent failure", "", True)]
    assert not_delivered(failed) == ("Not delivered to a@x.org (no such user, 5.1.1) and "
                                     "b@y.org (permanent failure). Fix or remove the "
                                     "addresses, then send.")
