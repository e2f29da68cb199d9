"""The toolbar search: debounced typing, the CLI's results, refused queries, Escape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from mailclient.core.errors import ConfigError
from mailclient.ui import main_window
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list import ACCOUNT, FOLDER, SUBJECT
from mailclient.ui.search_box import DEBOUNCE_MS, PLACEHOLDER, describe_results

ADA = "ada@example.org"
INBOX_SUBJECTS = ["Grüße aus Köln – déjà vu ✓", "Quarterly report", "Spring newsletter"]


def subjects(window) -> list[str]:
    model = window.model
    return [model.index(row, SUBJECT).data() for row in range(model.rowCount())]


@pytest.fixture
def foo_mail(mailbox, deliver) -> dict[str, str]:
    """The ``mailbox`` fixture plus two messages about foo (one in Sent) and one that only
    mentions foo in its body; subject -> id."""
    return {
        "foo fighters tickets": deliver(ADA, "INBOX", "foo fighters tickets",
                                        datetime(2024, 3, 4, 12, 0, tzinfo=UTC)),
        "Re: Foo meeting": deliver(ADA, "Sent", "Re: Foo meeting",
                                   datetime(2024, 2, 20, 9, 0, tzinfo=UTC), seen=True,
                                   role="sent"),
        "Lunch": deliver(ADA, "INBOX", "Lunch", datetime(2024, 3, 5, 12, 0, tzinfo=UTC),
                         text="foo is on the menu"),
    }


def type_query(window, qtbot, text: str) -> None:
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, text)


def test_the_field_sits_in_the_toolbar_with_a_clear_button(make_window, mailbox) -> None:
    window = make_window()
    box = window.search_box
    assert box.placeholderText() == PLACEHOLDER
    assert box.isClearButtonEnabled()
    assert box.isVisible()
    assert box.width() >= box.fontMetrics().horizontalAdvance(PLACEHOLDER)


def test_typing_shows_the_matching_messages_after_a_pause(make_window, foo_mail, qtbot,
                                                          service) -> None:
    window = make_window()
    requested: list[str] = []
    window.search_box.search_requested.connect(requested.append)
    type_query(window, qtbot, "subject:foo")
    assert window.model.query is None  # not on every keystroke
    assert subjects(window)[0] == "Lunch"
    qtbot.waitUntil(lambda: window.model.query == "subject:foo", timeout=DEBOUNCE_MS * 8)
    assert requested == ["subject:foo"]  # one search for eleven keystrokes
    assert subjects(window) == ["foo fighters tickets", "Re: Foo meeting"]
    cli = service.search("subject:foo", limit=500)  # what `mailclient search` prints
    assert [window.model.message_row(r).id for r in range(window.model.rowCount())] == [
        row.id for row in cli]
    assert window.statusBar().currentMessage() == "2 results for “subject:foo”"
    assert not window.messages.isColumnHidden(FOLDER)  # results come from several folders
    assert window.messages.isColumnHidden(ACCOUNT)  # ... but there is one account
    assert window.model.index(1, FOLDER).data() == "Sent"
    assert not window.folders.currentItem().isSelected()  # results are not of the inbox


def test_a_refused_query_is_explained_without_a_dialog(make_window, foo_mail, qtbot,
                                                       service) -> None:
    window = make_window()
    with pytest.raises(ConfigError) as refused:
        service.search("before:tomorrow")
    type_query(window, qtbot, "before:tomorrow")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == str(refused.value),
                    timeout=DEBOUNCE_MS * 8)
    assert str(refused.value)  # a plain message, not an empty one
    assert window.search_box.toolTip() == str(refused.value)
    assert window.model.query is None  # the folder is still listed
    assert subjects(window)[0] == "Lunch"
    assert window.isVisible()


def test_escape_clears_and_restores_the_folder(make_window, foo_mail, qtbot) -> None:
    window = make_window()
    before = subjects(window)
    type_query(window, qtbot, "subject:foo")
    qtbot.waitUntil(lambda: window.model.query is not None, timeout=DEBOUNCE_MS * 8)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    assert window.model.query is None
    assert window.model.scope == ListScope(ADA, "INBOX")
    assert subjects(window) == before
    assert window.statusBar().currentMessage() == ""
    assert window.messages.isColumnHidden(FOLDER)
    assert window.folders.currentItem().isSelected()


def test_a_chosen_result_shows_in_the_reader_and_stays_chosen(make_window, foo_mail,
                                                              qtbot) -> None:
    window = make_window()
    type_query(window, qtbot, "foo")
    qtbot.waitUntil(lambda: window.model.query == "foo", timeout=DEBOUNCE_MS * 8)
    assert subjects(window) == ["Lunch", "foo fighters tickets", "Re: Foo meeting"]
    window.messages.setCurrentIndex(window.model.index(2, SUBJECT))
    assert window.reader.subject.text() == "Re: Foo meeting"
    qtbot.keyClicks(window.search_box, " meeting")
    qtbot.waitUntil(lambda: window.model.query == "foo meeting", timeout=DEBOUNCE_MS * 8)
    assert window.messages.current_id() == foo_mail["Re: Foo meeting"]
    assert window.reader.subject.text() == "Re: Foo meeting"


def test_clearing_the_field_returns_to_the_folder_that_was_chosen(make_window, foo_mail,
                                                                  qtbot) -> None:
    window = make_window()
    window.folders.setCurrentItem(window.folders.folder_item(ADA, "Sent"))
    type_query(window, qtbot, "lunch")
    qtbot.waitUntil(lambda: subjects(window) == ["Lunch"], timeout=DEBOUNCE_MS * 8)
    window.search_box.clear()  # the clear button does this
    assert window.model.scope == ListScope(ADA, "Sent")
    assert subjects(window) == ["Re: Foo meeting"]


def test_choosing_a_folder_leaves_the_search(make_window, foo_mail, qtbot) -> None:
    window = make_window()
    type_query(window, qtbot, "foo")
    qtbot.waitUntil(lambda: window.model.query == "foo", timeout=DEBOUNCE_MS * 8)
    window.folders.setCurrentItem(window.folders.folder_item(ADA, "Sent"))
    assert window.search_box.text() == ""
    assert window.model.query is None
    assert subjects(window) == ["Re: Foo meeting"]
    type_query(window, qtbot, "foo")
    qtbot.waitUntil(lambda: window.model.query == "foo", timeout=DEBOUNCE_MS * 8)
    sent = window.folders.folder_item(ADA, "Sent")
    rect = window.folders.visualItemRect(sent)
    qtbot.mouseClick(window.folders.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.scope == ListScope(ADA, "Sent")  # a click on the chosen folder
    assert window.search_box.text() == ""
    assert sent.isSelected()


def test_shortcuts_focus_the_field(make_window, mailbox, qtbot) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.messages.hasFocus())
    for key in (Qt.Key.Key_K, Qt.Key.Key_F):
        window.messages.setFocus()
        qtbot.keyClick(window.messages, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.search_box.hasFocus())
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.messages.hasFocus())


def test_blank_text_never_searches(make_window, mailbox, qtbot) -> None:
    window = make_window()
    requested: list[str] = []
    window.search_box.search_requested.connect(requested.append)
    type_query(window, qtbot, "   ")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert requested == []
    assert window.model.query is None


def test_results_follow_new_mail(make_window, foo_mail, qtbot, deliver) -> None:
    window = make_window()
    type_query(window, qtbot, "subject:foo")
    qtbot.waitUntil(lambda: window.model.query is not None, timeout=DEBOUNCE_MS * 8)
    deliver(ADA, "INBOX", "More foo", datetime(2024, 3, 9, tzinfo=UTC))
    window.refresh()  # what Get Mail does after each account
    assert subjects(window) == ["More foo", "foo fighters tickets", "Re: Foo meeting"]
    assert window.search_box.text() == "subject:foo"


def test_results_are_bounded(make_window, foo_mail, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(main_window, "SEARCH_LIMIT", 2)
    window = make_window()
    type_query(window, qtbot, "foo")
    qtbot.waitUntil(lambda: window.model.query == "foo", timeout=DEBOUNCE_MS * 8)
    assert subjects(window) == ["Lunch", "foo fighters tickets"]
    assert window.statusBar().currentMessage() == (
        "More than 2 results for “foo”; showing the newest 2")


def test_describe_results() -> None:
    assert describe_results(0, "x", 500) == "No results for “x”"
    assert describe_results(1, "x", 500) == "1 result for “x”"
    assert describe_results(500, "x", 500) == "500 results for “x”"
    assert describe_results(501, "x", 500) == (
        "More than 500 results for “x”; showing the newest 500")
