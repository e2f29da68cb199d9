"""The main window's later entries: Account Settings, the reader's file actions and
Unsubscribe in the menus; a message of the Drafts folder opens in compose; an untrusted
certificate met by Get Mail asks the user, and trusting it gets the mail again."""

from __future__ import annotations

from email.message import EmailMessage

from PySide6.QtCore import Qt

from mailclient.core.errors import CertificateError
from mailclient.services.certificate_trust import TRUST
from mailclient.ui.certificate_dialog import CertificateDialog
from mailclient.ui.message_list import SUBJECT

LONG = 60_000
FINGERPRINT = ":".join(["AB"] * 32)
RECURSIVE = Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchContains


def texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_the_menus_offer_settings_and_the_reader_actions(make_window, account) -> None:
    window = make_window(mark_read_ms=LONG)
    assert "Account Settings…" in texts(window.menus["edit"])
    file_entries = texts(window.menus["file"])
    for wanted in ("Open Message File…", "Save As…", "Print…"):
        assert wanted in file_entries
    assert file_entries[-1] == "Quit"
    assert any("Unsubscribe" in text for text in texts(window.menus["message"]))
    dialog = window.entries.open_settings()
    assert window.entries.open_settings() is dialog, "one settings dialog at a time"
    dialog.reject()


def test_enter_on_a_drafts_folder_message_goes_on_writing_it(make_window, account, service,
                                                             qtbot) -> None:
    drafts = service.store.ensure_folder(account.name, "Drafts", "drafts")
    message = EmailMessage()
    message["From"] = f"Ada Lovelace <{account.email}>"
    message["To"] = "charles@example.net"
    message["Subject"] = "Unfinished"
    message.set_content("Dear Charles,\n")
    service.store.add_message(account=account.name, folder_id=drafts, flags=["draft"],
                              raw=message.as_bytes(), uidvalidity=1, uid=4)
    window = make_window(mark_read_ms=LONG)
    item = next(i for i in window.folders.findItems("Drafts", RECURSIVE))
    window.folders.setCurrentItem(item)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    window.messages.activated.emit(window.model.index(0, SUBJECT))
    (compose,) = window.compose.windows
    assert compose.subject_edit.text() == "Unfinished"
    assert compose.drafts.draft_id is not None
    compose.drafts.discard()
    compose.close()


def test_an_untrusted_certificate_is_asked_about_and_trusting_it_syncs_again(
        make_window, account, qtbot, monkeypatch) -> None:
    window = make_window(mark_read_ms=LONG)
    started: list[list[str] | None] = []
    monkeypatch.setattr(window.get_mail, "start", lambda names=None: started.append(names))
    error = CertificateError("imap.example.org", "self-signed certificate", FINGERPRINT,
                             port=993)
    window.get_mail.certificate_refused.emit(account.name, error)
    window.get_mail.certificate_refused.emit(account.name, error)  # a second sync: one dialog
    dialogs = [w for w in window.findChildren(CertificateDialog) if w.isVisible()]
    assert len(dialogs) == 1
    try:
        dialogs[0].once_button.click()
        assert started == [[account.name]]
        assert TRUST.accepted("imap.example.org", 993)
    finally:
        TRUST.forget_trusted_once()
