"""A message stored with its headers only: the reader downloads its body, or says why not."""

from __future__ import annotations

import asyncio
import concurrent.futures
from datetime import UTC, datetime

import pytest

from mailclient.core.errors import NetworkError
from mailclient.services.store.messages import NewMessage
from mailclient.ui.message_display import DOWNLOADING, NOT_DOWNLOADED
from mailclient.ui.message_list import SUBJECT

ADA = "ada@example.org"
SUBJECT_TEXT = "Minutes of the Analytical Society"
BODY = "The whole story, at last."
UID = 50
LONG = 60_000  # a mark-read delay that never ends within a test


def select(window, subject: str) -> None:
    model = window.model
    found = [row for row in range(model.rowCount()) if model.index(row, SUBJECT).data() == subject]
    window.messages.setCurrentIndex(model.index(found[0], SUBJECT))


@pytest.fixture
def full_raw(make_raw) -> bytes:
    return make_raw(SUBJECT_TEXT, when=datetime(2024, 3, 4, 8, tzinfo=UTC), text=BODY,
                    attachment=("minutes.pdf", b"%PDF-1.4 " * 2000))


@pytest.fixture
def header_only(service, mailbox, full_raw) -> str:
    """The id of an INBOX message stored as the headers-first sync stores it."""
    inbox = service.store.ensure_folder(ADA, "INBOX", "inbox")
    header = full_raw.split(b"\n\n", 1)[0] + b"\n\n"
    [ident] = service.store.add_messages(
        [NewMessage(ADA, inbox, header, [], uidvalidity=1, uid=UID, header_only=True,
                    size=len(full_raw))], index=False)
    assert not service.store.message(ident).has_body
    return ident


def stub_download(service, monkeypatch, full_raw: bytes,
                  release: concurrent.futures.Future[None] | None = None) -> list[str]:
    """Replace ``ensure_body`` by one storing ``full_raw`` (after ``release``, if given)."""
    asked: list[str] = []

    async def ensure_body(ident: str) -> bool:
        asked.append(ident)
        if release is not None:
            await asyncio.wrap_future(release)
        folder = service.store.folder(ADA, "INBOX")
        return service.store.store_bodies(folder.id, 1, [(UID, full_raw)]) == 1

    monkeypatch.setattr(service.mailbox, "ensure_body", ensure_body)
    return asked


def test_the_body_is_downloaded_then_shown(make_window, header_only, full_raw, service,
                                           monkeypatch, qtbot) -> None:
    asked = stub_download(service, monkeypatch, full_raw)
    window = make_window(mark_read_ms=LONG)
    with qtbot.waitSignal(window.display.body_downloaded):
        select(window, SUBJECT_TEXT)
        assert window.reader.subject.text() == SUBJECT_TEXT  # the headers at once
        assert window.reader.fields["From"].text() == "Charles Babbage <charles@example.net>"
        assert window.reader.body_text().strip() == DOWNLOADING
    assert asked == [header_only]
    assert BODY in window.reader.body_text()
    assert "minutes.pdf" in window.reader.attachments.text()
    assert service.store.message(header_only).has_body
    row = window.model.row_of(header_only)
    assert window.model.message_row(row).has_body  # the list's row was read again


def test_offline_says_so_in_plain_words_then_retries(make_window, header_only, full_raw,
                                                    service, monkeypatch, qtbot) -> None:
    async def offline(ident: str) -> bool:
        raise NetworkError("cannot connect to imap.example.org: connection refused")

    monkeypatch.setattr(service.mailbox, "ensure_body", offline)
    window = make_window(mark_read_ms=LONG)
    select(window, SUBJECT_TEXT)
    qtbot.waitUntil(lambda: NOT_DOWNLOADED in window.reader.body_text())
    text = window.reader.body_text()
    assert "cannot connect to imap.example.org: connection refused" in text
    assert "Downloading" not in text
    assert window.reader.subject.text() == SUBJECT_TEXT  # the headers stay
    assert NOT_DOWNLOADED == ("This message has not been downloaded yet; it will be when the "
                              "server can be reached.")
    stub_download(service, monkeypatch, full_raw)  # the server is back
    select(window, "Quarterly report")
    with qtbot.waitSignal(window.display.body_downloaded):
        select(window, SUBJECT_TEXT)
    assert BODY in window.reader.body_text()


def test_a_download_finishing_later_leaves_the_reader_alone(make_window, header_only,
                                                            full_raw, service, monkeypatch,
                                                            qtbot) -> None:
    release: concurrent.futures.Future[None] = concurrent.futures.Future()
    asked = stub_download(service, monkeypatch, full_raw, release)
    window = make_window(mark_read_ms=LONG)
    select(window, SUBJECT_TEXT)
    select(window, "Quarterly report")  # the user moves on while it downloads
    select(window, SUBJECT_TEXT)  # and back: the same download goes on
    select(window, "Quarterly report")
    with qtbot.waitSignal(window.display.body_downloaded):
        release.set_result(None)
    assert asked == [header_only]
    assert window.reader.subject.text() == "Quarterly report"
    select(window, SUBJECT_TEXT)
    assert BODY in window.reader.body_text()  # stored now: no second download
    assert asked == [header_only]
