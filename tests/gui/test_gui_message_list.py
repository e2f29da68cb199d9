"""The message list model: pages from the store on demand, columns and fonts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt

from mailclient.services.store.messages import MessageRow
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_list import (
    ACCOUNT,
    DATE,
    FOLDER,
    FROM,
    PAGE_SIZE,
    SIZE,
    SUBJECT,
    MessageListModel,
    format_date,
    sender_name,
    short_size,
)

TEMPLATE = MessageRow(
    id="x", account="a", folder="INBOX", sender="Ada <ada@example.org>", to=[], subject="s",
    date="2024-03-01T10:00:00+00:00", flags=[], size=2048, attachments=0, message_id="",
    blob="", uid=None, uidl=None,
)


class FakeStore:
    """Answers list_messages like MessageStore, from a generated list, counting queries."""

    def __init__(self, total: int) -> None:
        self.rows = [replace(TEMPLATE, id=f"m{i}", subject=f"message {i}",
                             flags=["seen"] if i % 2 else [], attachments=i % 3 == 0)
                     for i in range(total)]
        self.queries: list[tuple[int | None, int]] = []

    def list_messages(self, *, account=None, folder=None, role=None, limit=None, offset=0):
        self.queries.append((limit, offset))
        end = None if limit is None else offset + limit
        return self.rows[offset:end]


def test_a_thousand_messages_arrive_one_page_at_a_time(qtmodeltester) -> None:
    store = FakeStore(1000)
    model = MessageListModel(store)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    assert model.rowCount() == PAGE_SIZE == 256
    counts = [model.rowCount()]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        counts.append(model.rowCount())
    assert counts == [256, 512, 768, 1000]
    assert store.queries == [(256, 0), (256, 256), (256, 512), (256, 768)]
    assert all(limit is not None for limit, _ in store.queries)
    qtmodeltester.check(model, force_py=True)


def test_reload_keeps_as_many_rows_loaded() -> None:
    store = FakeStore(1000)
    model = MessageListModel(store, page_size=100)  # type: ignore[arg-type]
    model.set_scope(ListScope("a"))
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.reload(keep_rows=model.rowCount())
    assert model.rowCount() == 300
    model.reload()
    assert model.rowCount() == 100


def test_columns_fonts_and_marks() -> None:
    model = MessageListModel(FakeStore(3))  # type: ignore[arg-type]
    model.set_scope(ListScope("a"))
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "From", "Subject", "Date", "Size"]
    assert model.index(0, FROM).data() == "Ada"
    assert model.index(0, SUBJECT).data() == "message 0"
    assert model.index(0, SIZE).data() == "2.0 KB"
    assert model.index(0, DATE).data()
    assert model.index(0, SUBJECT).data(Qt.ItemDataRole.FontRole).bold()  # unread
    assert model.index(1, SUBJECT).data(Qt.ItemDataRole.FontRole) is None  # seen
    assert model.index(0, SUBJECT).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(1, SUBJECT).data(Qt.ItemDataRole.DecorationRole) is None


def test_no_scope_means_no_rows_and_no_queries() -> None:
    store = FakeStore(10)
    model = MessageListModel(store)  # type: ignore[arg-type]
    assert model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())
    assert store.queries == []


def test_search_results_replace_the_pages(qtmodeltester) -> None:
    store = FakeStore(1000)
    model = MessageListModel(store, page_size=100)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    assert not model.spans_folders and not model.spans_accounts
    model.show_results("message", store.rows[10:13])
    assert (model.query, model.scope) == ("message", None)
    assert model.spans_folders and model.spans_accounts
    assert [model.index(r, SUBJECT).data() for r in range(3)] == [
        "message 10", "message 11", "message 12"]
    assert not model.canFetchMore(QModelIndex())
    model.reload()  # a sync does not page the folder into the results
    assert model.rowCount() == 3 and len(store.queries) == 1
    assert model.index(0, ACCOUNT).data() == "a" and model.index(0, FOLDER).data() == "Inbox"
    qtmodeltester.check(model, force_py=True)


def test_leaving_results_pages_again() -> None:
    store = FakeStore(1000)
    model = MessageListModel(store, page_size=100)  # type: ignore[arg-type]
    model.show_results("message", store.rows[:3])
    model.set_scope(ListScope(role="inbox"))
    assert model.query is None and model.rowCount() == 100
    assert model.spans_accounts and not model.spans_folders


def test_real_store_pages_newest_first(service, mailbox) -> None:
    model = MessageListModel(service.store, page_size=2)
    model.set_scope(ListScope("ada@example.org", "INBOX"))
    assert model.rowCount() == 2
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3
    assert not model.canFetchMore(QModelIndex())
    assert [model.index(r, SUBJECT).data() for r in range(3)] == list(mailbox)


def test_dates_are_short_and_local() -> None:
    now = datetime(2024, 6, 15, 12, 0, tzinfo=UTC).astimezone()
    assert format_date(None) == ""
    assert format_date("garbage") == "garbage"
    assert format_date(now.replace(hour=9, minute=5).isoformat(), now) == "09:05"
    two_days_ago = now - timedelta(days=2)
    assert format_date(two_days_ago.isoformat(), now) == two_days_ago.strftime("%a %H:%M")
    assert format_date(now.replace(month=2, day=3).isoformat(), now) == "3 Feb"
    assert format_date(now.replace(year=2021).isoformat(), now) == "2021-06-15"


def test_short_sizes() -> None:
    assert short_size(812) == "812 B"
    assert short_size(4200) == "4.2 KB"
    assert short_size(1_300_000) == "1.3 MB"


def test_sender_name() -> None:
    assert sender_name("Ada Lovelace <ada@example.org>") == "Ada Lovelace"
    assert sender_name("ada@example.org") == "ada@example.org"
    assert sender_name("") == ""
