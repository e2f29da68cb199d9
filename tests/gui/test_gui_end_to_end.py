"""The first window against the real Dovecot and Postfix: add an account, get its mail."""

from __future__ import annotations

import pytest

from mailclient.ui.message_list import SUBJECT
from tests.helpers.account_form import fill_account_dialog
from tests.helpers.mailservers import MailServers

pytestmark = pytest.mark.integration
NETWORK_TIMEOUT_MS = 30_000


def test_add_account_then_mail_arrives_in_the_window(qtbot, make_window, service,
                                                     mail_servers: MailServers) -> None:
    user = mail_servers.new_user("gui")
    mail_servers.load_maildir(user, [
        b"From: Bob <bob@example.test>\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
        b"Date: Fri, 01 Mar 2024 10:00:00 +0000\r\n\r\nHallo!\r\n",
        b"From: Carol <carol@example.test>\r\nSubject: Later one\r\n"
        b"Date: Sat, 02 Mar 2024 10:00:00 +0000\r\n\r\nHi again\r\n",
    ])
    window = make_window()
    dialog = window.add_account()
    dialog.display_name.setText("Gui Tëster")
    fill_account_dialog(dialog, mail_servers, user, "wrong password")
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.error_text()), timeout=NETWORK_TIMEOUT_MS)
    error = dialog.error_text()
    assert error.startswith(("SMTP: ", "IMAP: ")) and "refused" in error, error
    assert service.accounts.accounts() == []

    dialog.password.setText(user.password)
    with qtbot.waitSignal(dialog.account_added, timeout=NETWORK_TIMEOUT_MS):
        dialog.save()
    qtbot.waitUntil(lambda: not window.get_mail.running, timeout=NETWORK_TIMEOUT_MS)
    assert window.statusBar().currentMessage() == "2 new messages."
    model = window.model
    assert [model.index(r, SUBJECT).data() for r in range(model.rowCount())] == [
        "Later one", "Grüße"]
    assert window.folders.folder_item(user.address, "INBOX").text(0) == "Inbox (2)"
    window.messages.setCurrentIndex(model.index(1, SUBJECT))
    assert "Hallo!" in window.reader.body_text()
