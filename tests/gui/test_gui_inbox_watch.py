"""Background tasks on the bridge, and new mail showing up in the window without a click."""

from __future__ import annotations

import asyncio
import smtplib
import ssl

import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.ui.bridge import Bridge
from mailclient.ui.message_list import SUBJECT
from tests.helpers.mailservers import MailServers

NETWORK_TIMEOUT_MS = 30_000


def test_background_task_neither_busies_nor_blocks_the_bridge(qtbot, bridge: Bridge) -> None:
    started, cancelled = asyncio.Event(), []

    async def forever() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    handle = bridge.start_background(forever)
    assert not bridge.busy
    results: list[int] = []
    bridge.run(lambda: asyncio.sleep(0, 42), results.append, key="ada")
    qtbot.waitUntil(lambda: results == [42])
    assert not handle.done()
    handle.cancel()
    qtbot.waitUntil(lambda: cancelled == [True])


def test_background_failure_is_logged(qtbot, bridge: Bridge, caplog) -> None:
    async def broken() -> None:
        raise KeyError("oops")

    handle = bridge.start_background(broken)
    qtbot.waitUntil(handle.done)
    assert handle.exception() is None
    assert any("background task failed" in r.getMessage() for r in caplog.records)


def test_shutdown_cancels_background_tasks(qapp) -> None:
    running = Bridge()
    handle = running.start_background(lambda: asyncio.Event().wait())
    running.shutdown()
    assert handle.cancelled()
    with pytest.raises(RuntimeError):
        running.start_background(lambda: asyncio.sleep(0))


def test_window_watches_only_accounts_with_a_password(make_window, account) -> None:
    window = make_window()
    assert window.inbox_watchers.accounts == []  # no password stored: nothing to watch


@pytest.mark.integration
def test_new_mail_appears_without_a_click(qtbot, make_window, service,
                                          mail_servers: MailServers) -> None:
    user = mail_servers.new_user("push")
    account = Account(name=user.address, email=user.address, display_name="",
                      smtp=ServerConfig(mail_servers.host, mail_servers.submission_port,
                                        "starttls", user.name),
                      incoming_kind="imap",
                      incoming=ServerConfig(mail_servers.host, mail_servers.imaps_port, "ssl",
                                            user.name),
                      ca_file=str(mail_servers.ca_file))
    service.accounts.settings.add_account(account)
    service.profile.save_settings(service.accounts.settings)
    service.secrets.remember(account.name, user.password)
    window = make_window()
    qtbot.waitUntil(lambda: window.inbox_watchers.accounts == [account.name])
    watcher = window.inbox_watchers.watchers[account.name]
    qtbot.waitUntil(lambda: watcher.connects == 1, timeout=NETWORK_TIMEOUT_MS)
    assert watcher.running
    context = ssl.create_default_context(cafile=str(mail_servers.ca_file))
    with smtplib.SMTP(mail_servers.host, mail_servers.submission_port, timeout=10) as smtp:
        smtp.starttls(context=context)
        smtp.login(user.name, user.password)
        smtp.sendmail(user.address, [user.address],
                      f"From: {user.address}\r\nSubject: Pushed\r\n\r\nHi\r\n".encode())
    qtbot.waitUntil(lambda: window.folders.folder_item(account.name, "INBOX") is not None,
                    timeout=NETWORK_TIMEOUT_MS)
    inbox = window.folders.folder_item(account.name, "INBOX")
    window.folders.setCurrentItem(inbox)
    model = window.model
    qtbot.waitUntil(lambda: [model.index(r, SUBJECT).data() for r in range(model.rowCount())]
                    == ["Pushed"], timeout=NETWORK_TIMEOUT_MS)
    window.close()
    assert window.inbox_watchers.accounts == []
    qtbot.waitUntil(lambda: not watcher.running, timeout=NETWORK_TIMEOUT_MS)
