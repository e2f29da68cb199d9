"""Receiving, black-box: after ``sync_account`` the store equals what Dovecot holds (first sync,
changes by a second client, a recreated folder), read with imaplib as the server's truth."""

from __future__ import annotations

import imaplib
import time
from pathlib import Path

import pytest

from mailclient.services.sync import sync_account
from tests.helpers.mailservers import MailServers
from tests.helpers.server_truth import (
    SUBJECTS,
    account_for,
    assert_store_equals_server,
    compose,
    every,
    imap,
    ok,
    open_store,
)

pytestmark = pytest.mark.integration


async def test_first_sync_of_a_thousand_messages_equals_the_server(
        mail_servers: MailServers, tmp_path: Path) -> None:
    user = mail_servers.new_user("recv")
    mail_servers.load_maildir(user, (compose(n, "in") for n in range(300)), seen=True)
    mail_servers.load_maildir(user, (compose(n, "in") for n in range(300, 1000)))
    mail_servers.load_maildir(user, (compose(n, "arch") for n in range(4)), "Archive")
    with imap(mail_servers, user) as client:  # some other flags than \Seen too
        ok(client.select("INBOX"))
        ok(client.uid("STORE", every(7, 1000), "+FLAGS", r"(\Flagged)"))
        ok(client.uid("STORE", every(11, 1000), "+FLAGS", r"(\Answered $label1)"))
    store = open_store(tmp_path)

    report = await sync_account(account_for(mail_servers, user), user.password, store)

    assert report.new == 1004
    truth = assert_store_equals_server(store, mail_servers, user, raw_samples=6)
    assert len(truth["INBOX"]) == 1000 and len(truth["Archive"]) == 4
    flags = {entry[0] for entry in truth["INBOX"].values()}
    assert flags >= {(), ("seen",), ("flagged",), ("$label1", "answered")}
    subjects = {entry[2] for entry in truth["INBOX"].values()}
    assert subjects >= {f"{s} #{n} in" for n, s in enumerate(SUBJECTS)}  # decoded as sent
    for message in store.list_messages(account=user.name):
        n = int(message.message_id.split("-")[1].split("@")[0])
        assert message.attachments == (n % 10 == 0) + (n % 45 == 0), message.message_id


async def test_one_resync_reflects_another_clients_changes(
        mail_servers: MailServers, tmp_path: Path) -> None:
    user = mail_servers.new_user("recv")
    mail_servers.load_maildir(user, (compose(n, "in") for n in range(1, 61)), seen=True)
    mail_servers.load_maildir(user, (compose(n, "in") for n in range(61, 121)))
    mail_servers.load_maildir(user, (compose(n, "arch") for n in range(3)), "Archive")
    account, store = account_for(mail_servers, user), open_store(tmp_path)
    await sync_account(account, user.password, store)
    before = assert_store_equals_server(store, mail_servers, user)
    with imap(mail_servers, user) as client:
        ok(client.select("INBOX"))
        ok(client.uid("STORE", "1:10", "+FLAGS", r"(\Flagged)"))
        ok(client.uid("STORE", "5:15", "-FLAGS", r"(\Seen)"))
        ok(client.uid("STORE", "20:24", "+FLAGS", r"(\Deleted)"))
        ok(client.expunge())
        ok(client.uid("MOVE", "1,30:34", "Archive"))

    await sync_account(account, user.password, store)

    after = assert_store_equals_server(store, mail_servers, user)
    inbox, archive = after["INBOX"], after["Archive"]
    assert inbox[7][0] == ("flagged",) and inbox[12][0] == () and inbox[3][0] == (
        "flagged", "seen")
    assert inbox[16] == before["INBOX"][16]
    assert not {1, *range(20, 25), *range(30, 35)} & inbox.keys() and len(inbox) == 109
    moved = {before["INBOX"][uid][3] for uid in (1, 30, 31, 32, 33, 34)}
    expunged = {before["INBOX"][uid][3] for uid in range(20, 25)}
    everywhere = [m.message_id for m in store.list_messages(account=user.name)]
    assert moved <= {entry[3] for entry in archive.values()} and len(archive) == 9
    assert all(everywhere.count(message_id) == 1 for message_id in moved)
    assert not expunged & set(everywhere)
    assert ("flagged", "seen") in [entry[0] for entry in archive.values()]  # flags moved along


async def test_a_recreated_folder_leaves_nothing_stale(
        mail_servers: MailServers, tmp_path: Path) -> None:
    user = mail_servers.new_user("recv")
    mail_servers.load_maildir(user, (compose(n, "old") for n in range(1, 6)), "Work", seen=True)
    account, store = account_for(mail_servers, user), open_store(tmp_path)
    await sync_account(account, user.password, store)
    old_validity = store.folder(user.name, "Work").uidvalidity
    old_ids = {m.message_id for m in store.list_messages(account=user.name, folder="Work")}
    assert len(old_ids) == 5
    with imap(mail_servers, user) as client:
        ok(client.delete("Work"))
        ok(client.create("Work"))
        for n, flags in ((1, ""), (2, r"(\Flagged)"), (3, r"(\Seen)")):
            ok(client.append("Work", flags, imaplib.Time2Internaldate(time.time()),
                             compose(n + 500, "new")))

    await sync_account(account, user.password, store)

    truth = assert_store_equals_server(store, mail_servers, user, raw_samples=3)
    assert sorted(truth["Work"]) == [1, 2, 3]  # the same UIDs as before, other messages
    assert store.folder(user.name, "Work").uidvalidity != old_validity
    assert not old_ids & {m.message_id for m in store.list_messages(account=user.name)}
