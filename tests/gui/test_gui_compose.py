"""The compose window: fields to Draft, Send (Ctrl+Return), a failure, Undo, attachments."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from mailclient.core.errors import ConfigError, SendError
from mailclient.ui.compose_fields import SIZE_WARNING, known_addresses, split_addresses
from mailclient.ui.compose_sending import STAYS_QUEUED

ADA = "ada@example.org"
LONG = 60_000  # an undo delay that never ends within a test


@pytest.fixture
def sent(service, monkeypatch) -> list[tuple[str, object]]:
    """Stand-in for ``service.send``: records (account, Draft)."""
    calls: list[tuple[str, object]] = []

    async def send(account: str, draft: object) -> str:
        calls.append((account, draft))
        return "sent"

    async def send_queued(item_id: int) -> str:
        item = service.outbox.item(item_id)
        service.outbox.cancel(item_id)  # as if sent: it leaves the queue
        calls.append((item.account, item.subject))
        return "sent"

    monkeypatch.setattr(service, "send", send)
    monkeypatch.setattr(service, "send_queued", send_queued)
    return calls


def opened(make_window, *, undo_ms: int = 0, **options: object):
    window = make_window(mark_read_ms=LONG)
    window.compose.undo_ms = undo_ms
    for name, value in options.items():
        setattr(window.compose, name, value)
    compose = window.compose.write()
    assert compose is not None
    return window, compose


def fill(compose, *, to: str = "Charles <charles@example.net>", subject: str = "Engines",
         text: str = "Dear Charles,\n\nabout the engine.") -> None:
    compose.to_edit.setText(to)
    compose.subject_edit.setText(subject)
    compose.body.setPlainText(text)


def test_fields_make_the_draft(make_window, account, tmp_path: Path) -> None:
    _window, compose = opened(make_window)
    fill(compose, to='"Babbage, Charles" <charles@example.net>, grace@example.com')
    compose.cc_edit.setText("lord@example.net")
    compose.bcc_edit.setText("me@example.org")
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"n" * 1500)
    compose.attach_files([notes])
    draft = compose.draft()
    assert draft.sender.addr_spec == ADA
    assert draft.to == ["Babbage, Charles <charles@example.net>", "grace@example.com"]
    assert (draft.cc, draft.bcc) == (["lord@example.net"], ["me@example.org"])
    assert (draft.subject, draft.text) == ("Engines", "Dear Charles,\n\nabout the engine.")
    assert [(a.filename, a.data) for a in draft.attachments] == [("notes.txt", b"n" * 1500)]
    assert compose.attachments.list.item(0).text() == "notes.txt  (1.5 KB)"
    assert compose.windowTitle() == "Write: Engines"
    assert compose.from_box.count() == 1


def test_ctrl_return_sends_and_closes(make_window, account, sent, qtbot) -> None:
    window, compose = opened(make_window)
    fill(compose)
    compose.activateWindow()
    qtbot.waitUntil(compose.isActiveWindow)
    compose.body.setFocus()
    qtbot.keyClick(compose.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: compose not in window.compose.windows)  # closed, then deleted
    assert [(name, d.subject) for name, d in sent] == [(ADA, "Engines")]
    assert "Sent “Engines”" in window.statusBar().currentMessage()


def test_invalid_message_is_not_sent(make_window, account, sent) -> None:
    _window, compose = opened(make_window)
    fill(compose, to="")
    compose.request_send()
    assert compose.error_bar.isVisible()
    assert "no recipient" in compose.error_bar.text()
    fill(compose, to="not an address")
    compose.request_send()
    assert "not an e-mail address" in compose.error_bar.text()
    assert sent == []


def test_failure_shows_the_error_and_keeps_the_text(make_window, account, service,
                                                    monkeypatch, qtbot) -> None:
    async def send(_account: str, _draft: object) -> None:
        raise SendError("the server said 451: try again later", code=451, temporary=True)

    monkeypatch.setattr(service, "send", send)
    _window, compose = opened(make_window)
    fill(compose)
    compose.request_send()
    qtbot.waitUntil(compose.error_bar.isVisible)
    assert "451: try again later" in compose.error_bar.text()
    assert STAYS_QUEUED in compose.error_bar.text()
    assert compose.isVisible() and compose.send_action.isEnabled()
    assert compose.body.toPlainText() == "Dear Charles,\n\nabout the engine."
    assert compose.to_edit.text() == "Charles <charles@example.net>"


def test_permanent_failure_does_not_speak_of_the_outbox(make_window, account, service,
                                                        monkeypatch, qtbot) -> None:
    async def send(_account: str, _draft: object) -> None:
        raise ConfigError("the message has no recipient")

    monkeypatch.setattr(service, "send", send)
    _window, compose = opened(make_window)
    fill(compose)
    compose.request_send()
    qtbot.waitUntil(compose.error_bar.isVisible)
    assert "outbox" not in compose.error_bar.text()


def test_undo_within_the_delay_reopens_and_does_not_send(make_window, account, sent,
                                                         qtbot) -> None:
    window, compose = opened(make_window, undo_ms=LONG)
    fill(compose)
    compose.request_send()
    assert not compose.isVisible()
    bar = window.compose.undo_bar
    assert bar.isVisible() and "Sending “Engines”" in bar.label.text()
    qtbot.mouseClick(bar.undo_button, Qt.MouseButton.LeftButton)
    assert compose.isVisible() and not bar.isVisible()
    assert window.compose.waiting == [] and sent == []
    assert window.service.outbox.items() == []  # taken back out of the outbox
    assert compose.body.toPlainText() == "Dear Charles,\n\nabout the engine."


def test_a_message_waiting_for_undo_is_already_safe_in_the_outbox(make_window, account,
                                                                   sent) -> None:
    window, compose = opened(make_window, undo_ms=LONG)
    fill(compose)
    before = time.time()
    compose.request_send()
    (item,) = window.service.outbox.items()  # a crash now loses nothing: Get Mail sends it
    assert item.state == "queued" and item.subject == "Engines"
    assert before + LONG / 1000 - 1 <= item.next_attempt_epoch <= time.time() + LONG / 1000
    assert sent == []


def test_after_the_delay_the_message_is_sent(make_window, account, sent, qtbot) -> None:
    window, compose = opened(make_window, undo_ms=30)
    fill(compose)
    compose.request_send()
    assert window.compose.undo_bar.isVisible() and sent == []
    qtbot.waitUntil(lambda: len(sent) == 1)
    qtbot.waitUntil(lambda: compose not in window.compose.windows)
    assert not window.compose.undo_bar.isVisible()


def test_closing_the_main_window_sends_what_waits(make_window, account, sent, qtbot) -> None:
    window, compose = opened(make_window, undo_ms=LONG)
    fill(compose)
    compose.request_send()
    window.close()
    qtbot.waitUntil(lambda: len(sent) == 1)


def drop_files(target, paths: list[Path]) -> None:
    """Drag the files onto ``target`` and drop them there, as a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action, button = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    modifiers = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), action, mime, button, modifiers)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDropEvent(QPointF(10, 10), action, mime, button, modifiers))


# PySide marks the only QDragEnterEvent constructor (QPoint) deprecated.
@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_attachments_dropped_listed_removed_and_warned(make_window, account,
                                                       tmp_path: Path) -> None:
    _window, compose = opened(make_window)
    files = []
    for name, size in (("a.pdf", 2000), ("b.png", 3000)):
        path = tmp_path / name
        path.write_bytes(b"x" * size)
        files.append(path)
    drop_files(compose.body.viewport(), files)
    assert [a.filename for a in compose.attachments.files] == ["a.pdf", "b.png"]
    assert compose.body.toPlainText() == ""  # attached, not pasted as text
    assert compose.attachments.total.text() == "2 files, 5.0 KB"
    assert compose.attachments.isVisibleTo(compose)
    assert not compose.attachments.warning.isVisibleTo(compose)
    compose.attachments.list.item(0).setSelected(True)
    compose.attachments.remove_button.click()
    assert [a.filename for a in compose.attachments.files] == ["b.png"]
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * (SIZE_WARNING + 1))
    compose.attach_files([big, tmp_path / "missing.txt"])
    assert compose.attachments.warning.isVisibleTo(compose)
    assert "Not attached: missing.txt" in compose.error_bar.text()


def test_addresses_complete_from_the_store(make_window, mailbox, service) -> None:
    assert known_addresses(service.store) == ["Ada Lovelace <ada@example.org>",
                                              "Charles Babbage <charles@example.net>"]
    _window, compose = opened(make_window)
    edit = compose.to_edit
    edit.setText("grace@example.com, bab")
    edit.setCursorPosition(len(edit.text()))
    edit.textEdited.emit(edit.text())
    assert edit.completer_.currentCompletion() == "Charles Babbage <charles@example.net>"
    edit.insert_completion(edit.completer_.currentCompletion())
    assert split_addresses(edit.text()) == ["grace@example.com",
                                            "Charles Babbage <charles@example.net>"]
    edit.completer_.popup().hide()


def test_several_accounts_choose_the_sender(make_window, account, second_account,
                                            sent, qtbot) -> None:
    _window, compose = opened(make_window)
    assert compose.from_box.count() == 2
    compose.from_box.setCurrentIndex(1)
    fill(compose)
    compose.request_send()
    qtbot.waitUntil(lambda: len(sent) == 1)
    assert sent[0][0] == second_account.name
