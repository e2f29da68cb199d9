"""Sync against the real Dovecot: first sync, then flag changes, expunges, moves and a new
UIDVALIDITY made by a second client (imaplib); POP3 deletion after N days."""

from __future__ import annotations

import imaplib
import time

import pytest

from mailclient.services.store import MessageStore
from mailclient.services.sync import sync_account
from tests.helpers.mailservers import MailServers
from tests.helpers.sync_support import (
    account_for,
    sample,
    second_client,
    server_uids,
    stored,
)

pytestmark = pytest.mark.integration


async def test_first_sync_then_changes_by_another_client(mail_servers: MailServers,
                                                         store: MessageStore) -> None:
    user = mail_servers.new_user("sync")
    mail_servers.load_maildir(user, (sample(n) for n in range(1, 1001)))
    mail_servers.load_maildir(user, [sample(1, "Archive")], "Archive")
    account = account_for(mail_servers, user)

    report = await sync_account(account, user.password, store)
    assert report.new == 1001
    assert {"INBOX", "Archive", "Sent", "Drafts", "Trash", "Junk"} <= set(report.folders)
    with second_client(mail_servers, user) as client:
        assert set(stored(store, user, "INBOX")) == server_uids(client, "INBOX")
        newest = store.list_messages(account=user.name, folder="INBOX", limit=1)[0]
        assert newest.date == "2026-03-02T10:59:00+00:00"
        client.select("INBOX")
        client.uid("STORE", "1:2", "+FLAGS", r"(\Seen)")
        client.uid("STORE", "3", "+FLAGS", r"(\Flagged)")
        client.uid("STORE", "4", "+FLAGS", r"(\Deleted)")
        client.expunge()
        client.uid("MOVE", "5", "Archive")

    again = await sync_account(account, user.password, store)
    assert (again.new, again.removed, again.flags_changed) == (1, 2, 3)
    inbox = stored(store, user, "INBOX")
    assert inbox[1] == ["seen"] and inbox[2] == ["seen"] and inbox[3] == ["flagged"]
    assert 4 not in inbox and 5 not in inbox and len(inbox) == 998
    archive = store.list_messages(account=user.name, folder="Archive")
    assert sorted(m.subject for m in archive) == ["Archive message 1", "INBOX message 5"]
    unchanged = await sync_account(account, user.password, store)
    assert (unchanged.new, unchanged.removed, unchanged.flags_changed) == (0, 0, 0)


async def test_recreated_folder_drops_its_cache(mail_servers: MailServers,
                                                store: MessageStore) -> None:
    user = mail_servers.new_user("uidv")
    mail_servers.load_maildir(user, [sample(n, "Work") for n in range(3)], "Work")
    account = account_for(mail_servers, user)
    await sync_account(account, user.password, store)
    before = store.folder(user.name, "Work").uidvalidity
    with second_client(mail_servers, user) as client:
        client.delete("Work")
        client.create("Work")
        client.append("Work", "", imaplib.Time2Internaldate(time.time()), sample(99, "New"))
    await sync_account(account, user.password, store)
    assert store.folder(user.name, "Work").uidvalidity != before
    assert [m.subject for m in store.list_messages(account=user.name, folder="Work")] == [
        "New message 99"]


async def test_pop3_deletes_only_what_is_older_than_n_days(mail_servers: MailServers,
                                                           store: MessageStore) -> None:
    user = mail_servers.new_user("pop")
    mail_servers.load_maildir(user, [sample(1), sample(2)])
    account = account_for(mail_servers, user, "pop3", delete_after_days=3)
    assert (await sync_account(account, user.password, store)).new == 2
    assert len(mail_servers.delivered(user)) == 2
    old = store.list_messages(account=user.name)[-1]
    store.db.connection.execute(  # no API for time travel: the download time, 4 days back
        "UPDATE pop3_uidls SET added_epoch = ? WHERE uidl = ?", (time.time() - 4 * 86400, old.uidl))
    report = await sync_account(account, user.password, store)
    assert (report.new, report.removed) == (0, 1)
    remaining = mail_servers.delivered(user)
    assert len(remaining) == 1 and store.count() == 2
    assert old.subject.encode() not in remaining[0]
