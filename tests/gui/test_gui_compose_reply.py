"""Reply, Reply All and Forward from the main window: recipients, subject, quote, threading."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from mailclient.ui.compose_reply import FORWARD_RULE, prefixed, reply_seed
from tests.helpers.window_list import ATTACHMENT_SUBJECT, select

ADA = "ada@example.org"
LONG = 60_000
THREAD_SUBJECT = "Re: The analytical engine"


def thread_message() -> bytes:
    message = EmailMessage()
    message["From"] = "Charles Babbage <charles@example.net>"
    message["Reply-To"] = "Engine list <engine@example.net>"
    message["To"] = f"Ada Lovelace <{ADA}>, Mary <mary@example.com>"
    message["Cc"] = "engine@example.net, Lord B <lord@example.net>, ADA@example.org"
    message["Subject"] = THREAD_SUBJECT
    message["Date"] = "Sun, 03 Mar 2024 09:30:00 +0000"
    message["Message-ID"] = "<second@example.net>"
    message["In-Reply-To"] = "<first@example.net>"
    message["References"] = "<first@example.net>"
    message.set_content("Shall we meet?\n\nCharles\n")
    return message.as_bytes()


@pytest.fixture
def window(make_window, mailbox, service, account):
    inbox = service.store.ensure_folder(account.name, "INBOX", "inbox")
    service.store.add_message(account=account.name, folder_id=inbox, raw=thread_message(),
                              flags=["seen"], uidvalidity=1, uid=50)
    shown = make_window(mark_read_ms=LONG)
    shown.compose.undo_ms = 0
    return shown


def test_the_actions_follow_the_selection(window) -> None:
    actions = window.compose
    select(window, THREAD_SUBJECT)
    assert actions.reply_action.isEnabled() and actions.forward_action.isEnabled()
    window.display.show(None)  # nothing in the reader
    assert not actions.reply_action.isEnabled() and not actions.forward_action.isEnabled()
    assert actions.write_action.isEnabled()
    shortcuts = [a.shortcut().toString() for a in (actions.write_action, actions.reply_action,
                                                   actions.reply_all_action,
                                                   actions.forward_action)]
    assert shortcuts == ["Ctrl+N", "Ctrl+R", "Ctrl+Shift+R", "Ctrl+L"]
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert {"&Write", "&Reply", "Reply &All", "&Forward"} <= {a.text() for a in toolbar.actions()}


def test_reply_goes_to_reply_to_with_quote_and_threading(window) -> None:
    select(window, THREAD_SUBJECT)
    compose = window.compose.reply()
    draft = compose.draft()
    assert draft.to == ["Engine list <engine@example.net>"] and draft.cc == []
    assert draft.subject == THREAD_SUBJECT  # not "Re: Re:"
    assert draft.in_reply_to == "<second@example.net>"
    assert draft.references == ["<first@example.net>"]
    assert "Charles Babbage wrote:" in draft.text
    assert "> Shall we meet?\n>\n> Charles" in draft.text
    assert draft.text.startswith("\n\nOn ")
    assert compose.account.name == ADA


def test_reply_all_adds_to_and_cc_without_me_or_repeats(window) -> None:
    select(window, THREAD_SUBJECT)
    draft = window.compose.reply(everyone=True).draft()
    assert draft.to == ["Engine list <engine@example.net>", "Mary <mary@example.com>"]
    assert draft.cc == ["Lord B <lord@example.net>"]


def test_reply_from_the_keyboard(window, qtbot) -> None:
    select(window, ATTACHMENT_SUBJECT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.messages, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.compose.windows) == 1)
    draft = window.compose.windows[0].draft()
    assert draft.to == ["Charles Babbage <charles@example.net>"]
    assert draft.subject == "Re: Quarterly report"
    assert "> The report is attached." in draft.text
    assert draft.attachments == []  # a reply leaves the attachments behind


def test_forward_has_the_header_block_and_the_attachments(window) -> None:
    select(window, ATTACHMENT_SUBJECT)
    compose = window.compose.forward()
    draft = compose.draft()
    assert draft.to == [] and draft.subject == "Fwd: Quarterly report"
    assert FORWARD_RULE in draft.text
    assert "From: Charles Babbage <charles@example.net>" in draft.text
    assert "Subject: Quarterly report" in draft.text
    assert "The report is attached." in draft.text
    assert [(a.filename, a.mime_type, len(a.data)) for a in draft.attachments] == [
        ("report.pdf", "application/pdf", 2700)]
    assert draft.in_reply_to is None
    assert compose.to_edit.hasFocus() or not compose.isActiveWindow()


@pytest.mark.parametrize(("subject", "prefix", "expected"), [
    ("Hello", "Re:", "Re: Hello"),
    ("Re: Hello", "Re:", "Re: Hello"),
    ("RE: Hello", "Re:", "RE: Hello"),
    ("Fwd: Hello", "Fwd:", "Fwd: Hello"),
    ("Re: Hello", "Fwd:", "Fwd: Re: Hello"),
    ("", "Re:", "Re:"),
])
def test_prefixes_are_not_doubled(subject: str, prefix: str, expected: str) -> None:
    assert prefixed(subject, prefix) == expected


def test_a_reply_to_my_own_message_goes_to_its_recipients() -> None:
    message = EmailMessage()
    message["From"] = f"Ada <{ADA}>"
    message["To"] = "Charles <charles@example.net>"
    message["Subject"] = "Plans"
    message["Message-ID"] = "<mine@example.org>"
    message.set_content("Here they are.")
    seed = reply_seed(message.as_bytes(), ADA)
    assert seed.to == ["Charles <charles@example.net>"]
    assert seed.references == [] and seed.in_reply_to == "<mine@example.org>"
