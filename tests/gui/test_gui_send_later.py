"""Send Later: the dialog's choices, and the running app sending a scheduled message when its
time comes (against the real Postfix and Dovecot), the time before it untouched."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.core.message_build import Draft
from mailclient.services.outbox import Outbox
from mailclient.ui.outbox_timer import OutboxTimer
from mailclient.ui.send_later_dialog import SendLaterDialog, quick_choices
from tests.helpers.mailservers import MailServers

NETWORK_MS = 30_000


def test_quick_choices_follow_the_clock() -> None:
    friday_morning = datetime(2026, 11, 27, 9, 41).astimezone()
    names = [name for name, _ in quick_choices(friday_morning)]
    assert names == ["In one hour", "This afternoon", "Tomorrow morning", "Monday morning"]
    when = dict(quick_choices(friday_morning))
    assert when["In one hour"].hour == 10 and when["Monday morning"].weekday() == 0
    sunday_evening = datetime(2026, 11, 29, 20, 0).astimezone()
    assert [n for n, _ in quick_choices(sunday_evening)] == ["In one hour", "Tomorrow morning"]


def test_the_dialog_gives_the_chosen_time(qtbot) -> None:
    dialog = SendLaterDialog(now=datetime(2026, 11, 27, 9, 41).astimezone())
    qtbot.addWidget(dialog)
    dialog.when_edit.setDateTime(dialog.when_edit.dateTime().addDays(2))
    dialog.send_button.click()
    assert dialog.chosen is not None and dialog.chosen.day == 29 and dialog.chosen.hour == 10


@pytest.mark.integration
def test_the_running_app_sends_it_when_its_time_comes(service, bridge, qtbot,
                                                      mail_servers: MailServers) -> None:
    bridge.at_exit(service.close_connections)
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    account = Account(
        name=alice.address, email=alice.address, display_name="Alice",
        smtp=ServerConfig(mail_servers.host, mail_servers.submission_port, "starttls",
                          alice.address), incoming_kind="imap",
        incoming=ServerConfig(mail_servers.host, mail_servers.imaps_port, "ssl", alice.address),
        ca_file=str(mail_servers.ca_file))
    service.accounts.settings.add_account(account)
    service.secrets.set_password(account.name, alice.password)
    draft = Draft(sender=account.sender, to=[bob.address], subject="Later", text="Now.\n")
    item_id = service.send_later(account.name, draft, at=time.time() + 1.0)
    timer = OutboxTimer(Outbox(service.open_reader().db), service, bridge)
    notes: list[str] = []
    timer.note.connect(notes.append)
    timer.schedule()
    assert timer.timer.isActive() and 1000 <= timer.timer.remainingTime() <= 1600
    assert service.outbox.item(item_id).state == "queued"
    qtbot.waitUntil(lambda: service.outbox.item(item_id).state in ("sent", "copied"),
                    timeout=NETWORK_MS)
    (delivered,) = mail_servers.wait_delivered(bob, 1)
    assert b"Subject: Later" in delivered
    qtbot.waitUntil(lambda: bool(notes), timeout=NETWORK_MS)
    assert "1 queued message(s) sent" in notes[0]
    assert not timer.timer.isActive(), "nothing else waits"


def test_send_later_from_compose_waits_in_the_outbox(make_window, account, service,
                                                     qtbot) -> None:
    window = make_window(mark_read_ms=60_000)
    compose = window.compose.write()
    compose.to_edit.setText("charles@example.net")
    compose.subject_edit.setText("Tomorrow's agenda")
    compose.body.setPlainText("Items 1 to 3.")
    dialog = compose.sending.ask_send_later()
    assert dialog is not None
    dialog.when_edit.setDateTime(dialog.when_edit.dateTime().addDays(1))
    wanted = dialog.when_edit.dateTime().toSecsSinceEpoch()
    with qtbot.waitSignal(window.compose.scheduled):
        dialog.send_button.click()
    (item,) = service.outbox.items()
    assert (item.state, item.subject) == ("queued", "Tomorrow's agenda")
    assert abs(item.next_attempt_epoch - wanted) < 2
    qtbot.waitUntil(lambda: compose not in window.compose.windows)
    assert "waits in the outbox until" in window.statusBar().currentMessage()
    timer = window.entries.outbox_timer.timer
    assert timer.isActive() and timer.remainingTime() > 3_600_000
    assert service.drafts.list_drafts() == []


def test_send_later_refuses_an_invalid_message(make_window, account) -> None:
    window = make_window(mark_read_ms=60_000)
    compose = window.compose.write()
    compose.to_edit.setText("not an address")
    assert compose.sending.ask_send_later() is None
    assert "cannot be sent" in compose.error_bar.text()
