"""Sync against the real Dovecot: first sync, then flag changes, expunges, moves and a new
UIDVALIDITY made by a second client (imaplib); POP3 deletion after N days."""

from __future__ import annotations

import imaplib
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from mailclient.services.sync import sync_account
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration


def sample(n: int, folder: str = "INBOX") -> bytes:
    return (f"From: Sender <s{n}@example.test>\r\nTo: x@example.test\r\n"
            f"Subject: {folder} message {n}\r\nMessage-ID: <{folder}-{n}@example.test>\r\n"
            f"Date: Mon, 2 Mar 2026 10:{n % 60:02d}:00 +0000\r\n\r\nBody {n}\r\n").encode()


def account_for(servers: MailServers, user: TestUser, kind: str = "imap",
                **changes: object) -> Account:
    port = servers.imaps_port if kind == "imap" else servers.pop3s_port
    return Account(name=user.name, email=user.address, display_name="",
                   smtp=ServerConfig(servers.host, servers.smtps_port, "ssl", user.name),
                   incoming_kind=kind,  # type: ignore[arg-type]
                   incoming=ServerConfig(servers.host, port, "ssl", user.name),
                   ca_file=str(servers.ca_file)).with_changes(**changes)


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    return MessageStore(Database(tmp_path / "m.db"), BlobStore(tmp_path / "blobs"))


@contextmanager
def second_client(servers: MailServers, user: TestUser) -> Iterator[imaplib.IMAP4_SSL]:
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.name, user.password)
        yield client


def server_uids(client: imaplib.IMAP4_SSL, folder: str) -> set[int]:
    client.select(folder)
    _, data = client.uid("SEARCH", "ALL")
    return {int(uid) for uid in data[0].split()}


def stored(store: MessageStore, user: TestUser, folder: str) -> dict[int, list[str]]:
    row = store.folder(user.name, folder)
    assert row.uidvalidity is not None
    return store.known_uids(row.id, row.uidvalidity)


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
    store.db.connection.execute("UPDATE messages SET added_epoch = ? WHERE id = ?",
                                (time.time() - 4 * 86400, old.id))
    report = await sync_account(account, user.password, store)
    assert (report.new, report.removed) == (0, 1)
    remaining = mail_servers.delivered(user)
    assert len(remaining) == 1 and store.count() == 2
    assert old.subject.encode() not in remaining[0]
