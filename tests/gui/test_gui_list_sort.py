"""Clicking a column header sorts the list in SQL (From, Subject, Date, Size, either way);
the other columns leave the order and the arrow as they were; the choice is remembered."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mailclient.ui.message_list import FLAG, SIZE, SUBJECT

LONG = 60_000


def subjects(window) -> list[str]:
    model = window.model
    return [model.index(r, SUBJECT).data() for r in range(model.rowCount())]


def sizes(window) -> list[int]:
    return [window.model.message_row(r).size for r in range(window.model.rowCount())]


def inbox(window) -> None:
    item = window.folders.folder_item("ada@example.org", "INBOX")
    window.folders.setCurrentItem(item)


def test_headers_sort_in_sql(make_window, mailbox, qtbot) -> None:
    window = make_window(mark_read_ms=LONG)
    inbox(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    newest_first = subjects(window)
    header = window.messages.header()
    header.setSortIndicator(SUBJECT, Qt.SortOrder.AscendingOrder)
    assert subjects(window) == sorted(newest_first, key=str.lower)
    header.setSortIndicator(SUBJECT, Qt.SortOrder.DescendingOrder)
    assert subjects(window) == sorted(newest_first, key=str.lower, reverse=True)
    header.setSortIndicator(SIZE, Qt.SortOrder.DescendingOrder)
    assert sizes(window) == sorted(sizes(window), reverse=True)
    before = subjects(window)
    header.setSortIndicator(FLAG, Qt.SortOrder.AscendingOrder)  # not a sort: nothing moves
    assert subjects(window) == before
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        SIZE, Qt.SortOrder.DescendingOrder)


def test_the_order_is_remembered(make_window, mailbox, qtbot) -> None:
    window = make_window(mark_read_ms=LONG)
    inbox(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3)
    window.messages.header().setSortIndicator(SUBJECT, Qt.SortOrder.AscendingOrder)
    expected = subjects(window)
    window.close()
    again = make_window(mark_read_ms=LONG)
    inbox(again)
    qtbot.waitUntil(lambda: again.model.rowCount() == 3)
    assert subjects(again) == expected
