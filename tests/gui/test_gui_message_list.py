"""The message list model: pages from the store on demand, columns and fonts."""

from __future__ import annotations

from array import array
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt

from mailclient.services.store.messages import MessageRow
from mailclient.ui import list_scope
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
from tests.helpers.window_list import HTML_SUBJECT

TEMPLATE = MessageRow(
    id="x", account="a", folder="INBOX", sender="Ada <ada@example.org>", to=[], subject="s",
    date="2024-03-01T10:00:00+00:00", flags=[], size=2048, attachments=0, message_id="",
    blob="", uid=None, uidl=None,
)


class FakeStore:
    """Answers the message list's key and page queries like MessageStore, from a generated
    list (keys 1..total, newest first), counting the page queries."""

    def __init__(self, total: int) -> None:
        self.rows: list[MessageRow] = []
        self.dates: dict[int, float] = {}
        self.queries: list[list[int]] = []  # the keys of each page read
        for i in range(total):
            self.add(i, float(10_000 - i))

    def add(self, i: int, date: float) -> int:
        """Store message number ``i``; returns its key."""
        self.rows.append(replace(TEMPLATE, id=f"m{i}", subject=f"message {i}",
                                 flags=["seen"] if i % 2 else [], attachments=i % 3 == 0))
        self.dates[len(self.rows)] = date
        return len(self.rows)

    def remove(self, key: int) -> None:
        del self.dates[key]

    def _order(self) -> list[int]:
        return sorted(self.dates, key=lambda k: (self.dates[k], k), reverse=True)

    def scope_folder_ids(self, *, account=None, folder=None, role=None):
        return [1]

    def list_keys(self, folder_ids, order="date-desc"):
        order = self._order()
        return array("q", order), array("d", (self.dates[k] for k in order))

    def keys_after(self, folder_ids, key):
        return ([(k, self.dates[k]) for k in self._order() if k > key],
                (len(self.dates), sum(self.dates)))

    def messages_by_key(self, keys):
        self.queries.append(list(keys))
        return {k: self.rows[k - 1] for k in keys if k in self.dates}

    def key_of(self, ident):
        return next((k for k in self.dates if self.rows[k - 1].id == ident), None)


def subjects(model: MessageListModel) -> list[str]:
    return [model.index(r, SUBJECT).data() for r in range(model.rowCount())]


def test_a_thousand_messages_are_keys_read_a_page_at_a_time(qtmodeltester) -> None:
    store = FakeStore(1000)
    model = MessageListModel(store)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    assert model.rowCount() == 1000 and not model.canFetchMore(QModelIndex())
    assert store.queries == []  # nothing read before a view asks
    assert model.index(999, SUBJECT).data() == "message 999"
    assert model.index(768, SUBJECT).data() == "message 768"
    assert store.queries == [list(range(769, 1001))]  # the last page (of 256) only
    assert model.index(0, SUBJECT).data() == "message 0"
    assert store.queries[1] == list(range(1, PAGE_SIZE + 1))
    assert model.row_of("m500") == 500
    qtmodeltester.check(model, force_py=True)


def test_only_so_many_pages_stay_read() -> None:
    store = FakeStore(20 * 40)
    model = MessageListModel(store, page_size=20)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    for row in range(0, 800, 20):
        model.index(row, SUBJECT).data()
    model.index(0, SUBJECT).data()  # read again: the oldest pages were let go
    assert len(store.queries) == 41


def test_reload_adds_what_a_sync_stored_without_a_reset(qtbot) -> None:
    store = FakeStore(5)
    model = MessageListModel(store, page_size=2)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    assert subjects(model)[0] == "message 0"
    store.add(50, 20_000.0)  # newer than every row
    store.add(51, 1.0)  # older than every row
    store.add(52, 0.5)
    with qtbot.assertNotEmitted(model.modelReset):
        model.reload(keep_rows=model.rowCount())
    assert subjects(model) == ["message 50", "message 0", "message 1", "message 2",
                               "message 3", "message 4", "message 51", "message 52"]
    store.add(53, 9_998.5)  # between rows, in two places
    store.add(54, 9_998.4)
    store.add(55, 9_996.5)
    with qtbot.assertNotEmitted(model.modelReset):
        model.reload()
    assert subjects(model)[2:9] == ["message 1", "message 53", "message 54", "message 2",
                                    "message 3", "message 55", "message 4"]


def test_arrivals_in_too_many_places_read_the_keys_again(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(list_scope, "MAX_BLOCKS", 2)
    store = FakeStore(5)
    model = MessageListModel(store)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    for n, date in enumerate((9_999.5, 9_998.5, 9_997.5, 9_996.5)):
        store.add(70 + n, date)
    with qtbot.waitSignal(model.modelReset, timeout=0):
        model.reload()
    assert subjects(model) == ["message 0", "message 70", "message 1", "message 71",
                               "message 2", "message 72", "message 3", "message 73",
                               "message 4"]


def test_reload_after_a_message_went_reads_the_keys_again(qtbot) -> None:
    store = FakeStore(5)
    model = MessageListModel(store)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    store.remove(2)
    store.add(60, 0.1)  # as many rows as before: the census still differs
    with qtbot.waitSignal(model.modelReset, timeout=0):
        model.reload()
    assert subjects(model) == ["message 0", "message 2", "message 3", "message 4",
                               "message 60"]
    store.remove(6)
    with qtbot.waitSignal(model.modelReset, timeout=0):
        model.reload()
    assert subjects(model) == ["message 0", "message 2", "message 3", "message 4"]


def test_flags_changed_by_a_sync_show_after_reload() -> None:
    store = FakeStore(3)
    model = MessageListModel(store)  # type: ignore[arg-type]
    model.set_scope(ListScope("a", "INBOX"))
    assert model.index(0, SUBJECT).data(Qt.ItemDataRole.FontRole).bold()
    store.rows[0] = replace(store.rows[0], flags=["seen"])
    model.reload()
    assert model.index(0, SUBJECT).data(Qt.ItemDataRole.FontRole) is None


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
    model.index(0, SUBJECT).data()
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
    assert model.query is None and model.rowCount() == 1000
    assert model.spans_accounts and not model.spans_folders


def test_real_store_pages_newest_first(service, mailbox) -> None:
    model = MessageListModel(service.store, page_size=2)
    model.set_scope(ListScope("ada@example.org", "INBOX"))
    assert model.rowCount() == 3
    assert not model.canFetchMore(QModelIndex())
    assert subjects(model) == list(mailbox)
    assert model.row_of(mailbox[HTML_SUBJECT]) == 2 and model.row_of("nothing") is None


def test_a_folder_the_first_sync_makes_fills_the_list(service, make_raw) -> None:
    model = MessageListModel(service.store)
    model.set_scope(ListScope("ada@example.org", "INBOX"))  # no such folder yet
    assert model.rowCount() == 0
    inbox = service.store.ensure_folder("ada@example.org", "INBOX", "inbox")
    for uid in (1, 2):
        service.store.add_message(
            account="ada@example.org", folder_id=inbox, uidvalidity=1, uid=uid, flags=[],
            raw=make_raw(f"first sync {uid}", when=datetime(2024, 3, uid, tzinfo=UTC)))
    model.reload()
    assert subjects(model) == ["first sync 2", "first sync 1"]


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
