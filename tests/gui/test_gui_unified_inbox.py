"""All Inboxes: every account's inbox in one list, newest first, with an Account column."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QModelIndex, Qt

from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list import ACCOUNT, FOLDER, SUBJECT, MessageListModel

ADA = "ada@example.org"
GRACE = "grace@example.com"
# The ``mailbox`` fixture's INBOX of ada (2 of 3 unread), newest first.
ADA_INBOX = ["Grüße aus Köln – déjà vu ✓", "Quarterly report", "Spring newsletter"]


def column(window, number: int) -> list[str]:
    model = window.model
    return [model.index(row, number).data() for row in range(model.rowCount())]


@pytest.fixture
def grace_mail(mailbox, second_account, deliver) -> dict[str, str]:
    """Grace's INBOX (one of two unread), interleaved in time with Ada's, and her Sent."""
    return {
        "Compiler notes": deliver(GRACE, "INBOX", "Compiler notes",
                                  datetime(2024, 3, 2, 18, 0, tzinfo=UTC)),
        "Bug report": deliver(GRACE, "INBOX", "Bug report",
                              datetime(2024, 2, 28, 7, 0, tzinfo=UTC), seen=True),
        "Sent by Grace": deliver(GRACE, "Sent", "Sent by Grace",
                                 datetime(2024, 3, 9, tzinfo=UTC), seen=True, role="sent"),
    }


def test_two_accounts_open_on_all_inboxes_newest_first(make_window, grace_mail) -> None:
    window = make_window()
    unified = window.folders.topLevelItem(0)
    assert unified.text(0) == "All Inboxes (3)"
    assert unified.font(0).bold()
    assert window.folders.currentItem() is unified
    assert window.model.scope == ListScope.unified_inbox() == ListScope(role="inbox")
    assert column(window, SUBJECT) == [ADA_INBOX[0], "Compiler notes", ADA_INBOX[1],
                                       ADA_INBOX[2], "Bug report"]
    assert "Sent by Grace" not in column(window, SUBJECT)
    assert not window.messages.isColumnHidden(ACCOUNT)
    assert window.model.headerData(ACCOUNT, Qt.Orientation.Horizontal) == "Account"
    assert column(window, ACCOUNT) == [ADA, GRACE, ADA, ADA, GRACE]
    assert window.messages.isColumnHidden(FOLDER)  # they are all inboxes


def test_a_unified_row_opens_in_the_reader(make_window, grace_mail) -> None:
    window = make_window()
    window.messages.setCurrentIndex(window.model.index(1, SUBJECT))
    assert window.reader.subject.text() == "Compiler notes"
    assert window.messages.current_id() == grace_mail["Compiler notes"]


def test_one_account_opens_on_its_inbox_without_an_account_column(make_window,
                                                                  mailbox) -> None:
    window = make_window()
    assert window.folders.current_scope() == ListScope(ADA, "INBOX")
    unified = window.folders.unified_item()
    assert unified is window.folders.topLevelItem(0)
    assert unified.text(0) == "All Inboxes (2)"
    window.folders.setCurrentItem(unified)
    assert column(window, SUBJECT) == ADA_INBOX
    assert window.messages.isColumnHidden(ACCOUNT)


def test_no_account_no_unified_inbox(make_window) -> None:
    window = make_window()
    assert window.folders.topLevelItemCount() == 0
    assert window.folders.unified_item() is None
    assert window.model.rowCount() == 0


def test_the_account_column_is_only_in_unified_view(make_window, grace_mail) -> None:
    window = make_window()
    window.folders.setCurrentItem(window.folders.folder_item(GRACE, "INBOX"))
    assert column(window, SUBJECT) == ["Compiler notes", "Bug report"]
    assert window.messages.isColumnHidden(ACCOUNT)
    window.folders.setCurrentItem(window.folders.folder_item(GRACE, None))  # all of Grace's folders
    assert window.messages.isColumnHidden(ACCOUNT)
    assert not window.messages.isColumnHidden(FOLDER)
    assert column(window, FOLDER) == ["Sent", "Inbox", "Inbox"]
    window.folders.setCurrentItem(window.folders.unified_item())
    assert not window.messages.isColumnHidden(ACCOUNT)


def test_new_mail_updates_the_count_and_keeps_the_choice(make_window, grace_mail,
                                                         deliver) -> None:
    window = make_window()
    window.messages.setCurrentIndex(window.model.index(1, SUBJECT))
    deliver(GRACE, "INBOX", "Fresh", datetime(2024, 3, 10, tzinfo=UTC))
    window.refresh()  # what Get Mail does after each account
    assert window.folders.unified_item().text(0) == "All Inboxes (4)"
    assert window.model.scope == ListScope.unified_inbox()
    assert column(window, SUBJECT)[0] == "Fresh"
    assert window.messages.current_id() == grace_mail["Compiler notes"]


def test_unified_inbox_pages_in_sql(service, grace_mail) -> None:
    model = MessageListModel(service.store, page_size=2)
    model.set_scope(ListScope.unified_inbox())
    assert model.rowCount() == 5  # every key at once, rows read two at a time
    assert not model.canFetchMore(QModelIndex())
    assert [model.message_row(r).account for r in range(5)] == [ADA, GRACE, ADA, ADA, GRACE]
