"""Drafts from the compose window: Save Draft (Ctrl+S), autosave, on close, reopen, delete."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from PySide6.QtCore import Qt

from mailclient.services.drafts_files import SavedDraft

ADA = "ada@example.org"
LONG = 60_000


@pytest.fixture
def saves(service, monkeypatch) -> list[dict[str, object]]:
    """Stand-in for ``service.drafts.save`` (no IMAP server): records its arguments and
    keeps the draft in the files, as the real one does first."""
    calls: list[dict[str, object]] = []
    drafts = service.drafts

    async def save(account: str, **fields: object) -> SavedDraft:
        calls.append({"account": account, **fields})
        draft_id = fields.pop("draft_id") or drafts.files.new_id()
        saved = SavedDraft(id=str(draft_id), account=account, **fields)  # type: ignore[arg-type]
        drafts.files.write(saved)
        return saved

    monkeypatch.setattr(drafts, "save", save)
    return calls


def opened(make_window, **options: object):
    window = make_window(mark_read_ms=LONG)
    window.compose.undo_ms = 0
    for name, value in options.items():
        setattr(window.compose, name, value)
    return window, window.compose.write()


def fill(compose) -> None:
    compose.to_edit.setText("charles@example.net")
    compose.subject_edit.setText("Engines")
    compose.body.setPlainText("About the engine.")


def test_ctrl_s_saves_the_draft(make_window, account, saves, qtbot) -> None:
    _window, compose = opened(make_window)
    fill(compose)
    compose.activateWindow()
    qtbot.waitUntil(compose.isActiveWindow)
    qtbot.keyClick(compose.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: compose.drafts.draft_id is not None)
    (call,) = saves
    assert {k: call[k] for k in ("account", "to", "cc", "bcc", "subject", "text",
                                 "draft_id", "attachments", "in_reply_to")} == {
        "account": ADA, "to": ["charles@example.net"], "cc": [], "bcc": [],
        "subject": "Engines", "text": "About the engine.", "draft_id": None,
        "attachments": [], "in_reply_to": None}
    assert "ada@example.org" in str(call["sender"])
    assert compose.statusBar().currentMessage().startswith("Draft saved at")
    compose.body.appendPlainText("More.")
    compose.drafts.save()
    qtbot.waitUntil(lambda: len(saves) == 2 and not compose.drafts.saving)
    assert saves[1]["draft_id"] == compose.drafts.draft_id  # a new version, not a new draft


def test_the_real_save_keeps_it_here_when_the_server_cannot_be_reached(
        make_window, account, service, qtbot) -> None:
    _window, compose = opened(make_window)
    fill(compose)
    compose.drafts.save()
    qtbot.waitUntil(lambda: compose.drafts.draft_id is not None)
    [saved] = service.drafts.list_drafts()
    assert (saved.subject, saved.to) == ("Engines", ["charles@example.net"])
    assert "on this computer only" in compose.statusBar().currentMessage()


def test_a_draft_may_have_no_recipient_yet(make_window, account, saves, qtbot) -> None:
    _window, compose = opened(make_window)
    compose.body.setPlainText("Just a thought.")
    compose.drafts.save()
    qtbot.waitUntil(lambda: compose.drafts.draft_id is not None)
    assert saves[0]["to"] == [] and saves[0]["text"] == "Just a thought."


def test_autosave_when_changed(make_window, account, saves, qtbot) -> None:
    _window, compose = opened(make_window, autosave_ms=20)
    fill(compose)
    qtbot.waitUntil(lambda: len(saves) == 1 and compose.drafts.draft_id is not None)
    assert not compose.drafts.changed  # nothing new: the timer saves no more
    compose.subject_edit.setText("Engines, again")
    qtbot.waitUntil(lambda: len(saves) == 2)
    assert saves[1]["subject"] == "Engines, again"


def test_closing_saves_and_the_draft_reopens(make_window, account, service, saves,
                                             qtbot) -> None:
    window, compose = opened(make_window)
    fill(compose)
    compose.close()
    qtbot.waitUntil(lambda: window.compose.windows == [])
    [saved] = service.drafts.list_drafts()
    again = window.compose.open_draft(saved.id)
    assert again.to_edit.text() == "charles@example.net"
    assert (again.subject_edit.text(), again.body.toPlainText()) == ("Engines",
                                                                     "About the engine.")
    assert again.drafts.draft_id == saved.id


def test_sending_deletes_the_draft(make_window, account, service, saves, monkeypatch,
                                   qtbot) -> None:
    async def send(_account: str, _draft: object) -> str:
        return "sent"

    monkeypatch.setattr(service, "send", send)
    window, compose = opened(make_window)
    fill(compose)
    compose.drafts.save()
    qtbot.waitUntil(lambda: compose.drafts.draft_id is not None)
    compose.request_send()
    qtbot.waitUntil(lambda: window.compose.windows == [])
    assert service.drafts.list_drafts() == []


def test_discard_deletes_the_draft_and_closing_empty_saves_nothing(
        make_window, account, service, saves, qtbot) -> None:
    window, compose = opened(make_window)
    fill(compose)
    compose.drafts.save()
    qtbot.waitUntil(lambda: compose.drafts.draft_id is not None)
    compose.discard()
    qtbot.waitUntil(lambda: window.compose.windows == [])
    assert service.drafts.list_drafts() == []
    empty = window.compose.write()
    empty.close()
    qtbot.waitUntil(lambda: window.compose.windows == [])
    assert len(saves) == 1


def test_closing_without_a_recipient_keeps_a_draft(make_window, account, saves,
                                                   qtbot) -> None:
    window, compose = opened(make_window)
    compose.body.setPlainText("Just a thought.")
    assert compose.close()
    qtbot.waitUntil(lambda: window.compose.windows == [])
    assert [save["text"] for save in saves] == ["Just a thought."]


def test_a_draft_from_another_client_opens_with_everything(make_window, account, service,
                                                           qtbot) -> None:
    drafts = service.store.ensure_folder(account.name, "Drafts", "drafts")
    service.store.set_folder_state(drafts, uidvalidity=3, uidnext=10, highestmodseq=None)
    message = EmailMessage()
    message["From"] = f"Ada Lovelace <{ADA}>"
    message["To"] = "charles@example.net"
    message["Subject"] = "Half written on the phone"
    message["In-Reply-To"] = "<question@example.net>"
    message.set_content("To be continued.\n")
    message.add_attachment(b"%PDF-1.4 plan", maintype="application", subtype="pdf",
                           filename="plan.pdf")
    ident = service.store.add_message(account=account.name, folder_id=drafts, flags=["draft"],
                                      raw=message.as_bytes(), uidvalidity=3, uid=9)
    window = make_window(mark_read_ms=LONG)
    compose = window.compose.edit_stored_draft(ident)
    assert compose is not None
    assert (compose.to_edit.text(), compose.subject_edit.text()) == (
        "charles@example.net", "Half written on the phone")
    assert compose.body.toPlainText().startswith("To be continued.")
    assert [a.filename for a in compose.attachments.files] == ["plan.pdf"]
    assert compose.draft().in_reply_to == "<question@example.net>"
    (saved,) = service.drafts.list_drafts()
    assert saved.server is not None and (saved.server.uidvalidity, saved.server.uid) == (3, 9)
    assert compose.drafts.draft_id == saved.id
