"""Group by Conversation: one row per conversation, its messages together in the reader."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt

from mailclient.services.store.messages import MessageRow
from mailclient.services.store.threads import ThreadRow
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list import PAGE_SIZE, SUBJECT, MessageListModel
from tests.helpers.window_list import (
    ADA,
    ATTACHMENT_SUBJECT,
    HTML_SUBJECT,
    LONG,
    UNICODE_SUBJECT,
    select,
    subjects,
)

PLANS = "Re: Plans for Saturday"




def message(subject: str, sender: str, when: datetime, ident: str, text: str,
            replies_to: list[str] | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "Someone <someone@example.net>"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(when)
    mail["Message-ID"] = ident
    if replies_to:
        mail["In-Reply-To"] = replies_to[-1]
        mail["References"] = " ".join(replies_to)
    mail.set_content(text)
    return mail.as_bytes()


@pytest.fixture
def plans(service, mailbox) -> list[str]:
    """A conversation of three: Charles asks (Inbox, read), Ada answers (Sent), Charles
    answers again (Inbox, unread); ids oldest first."""
    inbox = service.store.ensure_folder(ADA, "INBOX", "inbox")
    sent = service.store.ensure_folder(ADA, "Sent", "sent")
    charles, ada = "Charles Babbage <charles@example.net>", f"Ada Lovelace <{ADA}>"
    first, second = "<plans-1@example.net>", "<plans-2@example.org>"
    parts = [
        (inbox, 11, ["seen"], message("Plans for Saturday", charles,
                                      datetime(2024, 3, 1, 10, tzinfo=UTC), first,
                                      "Shall we meet at the engine on Saturday?")),
        (sent, 12, ["seen"], message(PLANS, ada, datetime(2024, 3, 1, 12, tzinfo=UTC), second,
                                     "Yes, at ten.", [first])),
        (inbox, 13, [], message(PLANS, charles, datetime(2024, 3, 2, 9, tzinfo=UTC),
                                "<plans-3@example.net>", "Ten it is; bring the cards.",
                                [first, second])),
    ]
    return [service.store.add_message(account=ADA, folder_id=folder, raw=raw, flags=seen,
                                      uidvalidity=1, uid=uid)
            for folder, uid, seen, raw in parts]


def test_the_view_menu_groups_by_conversation(make_window, plans, qtbot) -> None:
    window = make_window(mark_read_ms=LONG)
    group = window.group_action
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert group in menus["&View"].actions()
    assert group.isCheckable() and not group.isChecked()
    assert group.shortcut().toString() == "Ctrl+T"
    assert subjects(window) == [UNICODE_SUBJECT, ATTACHMENT_SUBJECT, PLANS,
                                "Plans for Saturday", HTML_SUBJECT]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.messages, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert group.isChecked() and window.model.grouped
    assert subjects(window) == [UNICODE_SUBJECT, ATTACHMENT_SUBJECT, f"{PLANS} (2)",
                                HTML_SUBJECT]
    font = window.model.index(2, SUBJECT).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()  # one of them is unread
    assert window.model.index(1, SUBJECT).data(Qt.ItemDataRole.FontRole) is None
    group.trigger()
    assert len(subjects(window)) == 5


def test_a_conversation_shows_its_messages_oldest_first_across_folders(make_window,
                                                                       plans) -> None:
    window = make_window(mark_read_ms=LONG)
    window.group_action.trigger()
    select(window, f"{PLANS} (2)")
    pane = window.reading
    assert pane.conversation_shown()
    assert pane.listed_ids() == plans  # the Sent reply too
    assert pane.caption.text() == "Conversation of 3 messages"
    assert "bring the cards" in window.reader.body_text()  # the first unread one
    pane.messages.setCurrentItem(pane.messages.topLevelItem(1))
    assert window.reader.body_text().strip() == "Yes, at ten."
    assert window.reader.fields["From"].text() == f"Ada Lovelace <{ADA}>"
    select(window, HTML_SUBJECT)  # a conversation of one: the reader alone
    assert not pane.conversation_shown()
    assert window.reader.subject.text() == HTML_SUBJECT


def test_opening_a_conversation_marks_it_read(make_window, plans, qtbot, service,
                                              monkeypatch) -> None:
    async def push(name: str) -> int:
        return 0

    monkeypatch.setattr(service.mailbox, "push", push)
    window = make_window(mark_read_ms=0)
    window.group_action.trigger()
    select(window, f"{PLANS} (2)")
    qtbot.waitUntil(lambda: "seen" in service.store.message(plans[2]).flags)
    assert window.model.index(2, SUBJECT).data(Qt.ItemDataRole.FontRole) is None
    assert window.folders.folder_item(ADA, "INBOX").text(0) == "Inbox (2)"
    assert window.messages.current_key() == f"thread:{service.store.message(plans[2]).thread_id}"


def test_delete_takes_the_conversations_messages_in_this_folder(make_window, plans,
                                                                service, monkeypatch) -> None:
    async def push(name: str) -> int:
        return 0

    monkeypatch.setattr(service.mailbox, "push", push)
    service.store.ensure_folder(ADA, "Trash", "trash")
    window = make_window(mark_read_ms=LONG)
    window.group_action.trigger()
    select(window, f"{PLANS} (2)")
    window.message_actions.delete_action.trigger()
    assert [service.store.message(i).folder for i in plans] == ["Trash", "Sent", "Trash"]
    assert subjects(window) == [UNICODE_SUBJECT, ATTACHMENT_SUBJECT, HTML_SUBJECT]
    assert window.reader.subject.text() == HTML_SUBJECT  # the next row
    assert window.statusBar().currentMessage() == "2 messages moved to Trash."


def test_switching_keeps_the_message_in_the_reader(make_window, plans, service) -> None:
    window = make_window(mark_read_ms=LONG)
    select(window, "Plans for Saturday")  # the first message, not the newest
    assert window.messages.current_id() == plans[0]
    window.group_action.trigger()
    assert window.messages.current_key() == f"thread:{service.store.message(plans[0]).thread_id}"
    assert window.reader.body_text().strip() == "Shall we meet at the engine on Saturday?"
    window.group_action.trigger()
    assert window.messages.current_key() == plans[0]


def test_search_results_are_never_grouped(make_window, plans, qtbot) -> None:
    window = make_window(mark_read_ms=LONG)
    window.group_action.trigger()
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "subject:plans")
    qtbot.waitUntil(lambda: window.model.query == "subject:plans")
    assert not window.model.grouped
    assert subjects(window) == [PLANS, PLANS, "Plans for Saturday"]
    window.messages.setCurrentIndex(window.model.index(1, SUBJECT))  # the reply in Sent
    assert window.messages.current_id() == plans[1]
    window.search_box.clear()
    assert window.model.grouped
    assert subjects(window)[window.messages.currentIndex().row()] == f"{PLANS} (2)"
    assert window.reading.conversation_shown()
    assert window.reader.body_text().strip().startswith("Yes, at ten.")  # it stays shown


TEMPLATE = MessageRow(
    id="x", account="a", folder="INBOX", sender="Ada <ada@example.org>", to=[], subject="s",
    date="2024-03-01T10:00:00+00:00", flags=[], size=2048, attachments=0, message_id="",
    blob="", uid=None, uidl=None,
)


class ThreadStore:
    """Answers list_threads like MessageStore, from a generated list, counting queries."""

    def __init__(self, total: int) -> None:
        self.rows = [ThreadRow(i + 1, replace(TEMPLATE, id=f"m{i}", thread_id=i + 1), 3, i % 2)
                     for i in range(total)]
        self.queries: list[tuple[int | None, int]] = []

    def list_threads(self, *, account=None, folder=None, role=None, limit=None, offset=0):
        self.queries.append((limit, offset))
        return self.rows[offset:None if limit is None else offset + limit]


def test_conversations_arrive_one_page_at_a_time(qtmodeltester) -> None:
    store = ThreadStore(600)
    model = MessageListModel(store)  # type: ignore[arg-type]
    model.set_grouped(True)
    model.set_scope(ListScope("a", "INBOX"))
    counts = [model.rowCount()]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        counts.append(model.rowCount())
    assert counts == [PAGE_SIZE, 2 * PAGE_SIZE, 600]
    assert store.queries == [(256, 0), (256, 256), (256, 512)]
    assert model.index(0, SUBJECT).data() == "s (3)"
    assert model.key(0) == "thread:1"
    qtmodeltester.check(model, force_py=True)
