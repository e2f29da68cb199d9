"""The sync engine's paths against Dovecot: QRESYNC, CONDSTORE only, plain UID compare (the
same changes seen each way); changes made here replayed; bodies later or on demand."""

from __future__ import annotations

import imaplib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailclient.core.account import Account
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.store import MessageStore
from mailclient.services.sync import imap_account, sync_account
from mailclient.services.sync.bodies import fetch_body
from tests.helpers.mailservers import MailServers
from tests.helpers.sync_support import (
    account_for,
    sample,
    second_client,
    server_uids,
    stored,
)

pytestmark = pytest.mark.integration


@pytest.fixture(params=["qresync", "condstore", "plain"])
def server_offers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Hide QRESYNC (and CONDSTORE) from the client to walk the slower paths."""
    hidden = {"qresync": set(), "condstore": {"QRESYNC"},
              "plain": {"QRESYNC", "CONDSTORE"}}[request.param]
    real = ImapConnection.capabilities

    def capabilities(self: ImapConnection) -> frozenset[str]:
        return frozenset(real.fget(self) - hidden)  # type: ignore[attr-defined]

    monkeypatch.setattr(ImapConnection, "capabilities", property(capabilities))
    yield request.param


def server_flags(client: imaplib.IMAP4_SSL, folder: str) -> dict[int, set[str]]:
    client.select(folder, readonly=True)
    _, data = client.uid("FETCH", "1:*", "(FLAGS)")
    flags = {}
    for line in data:
        text = line.decode() if isinstance(line, bytes) else ""
        uid = int(text.split("UID ")[1].split()[0].rstrip(")"))
        words = text.split("FLAGS (")[1].split(")")[0].split()
        flags[uid] = {w[1:].lower() for w in words if w.startswith("\\") and w != "\\Recent"}
    return flags


async def test_resync_sees_each_change(mail_servers: MailServers, store: MessageStore,
                                       server_offers: str) -> None:
    user = mail_servers.new_user("paths")
    mail_servers.load_maildir(user, [sample(n) for n in range(1, 21)])
    mail_servers.load_maildir(user, [sample(1, "Archive")], "Archive")
    account = account_for(mail_servers, user)
    assert (await sync_account(account, user.password, store)).new == 21
    unchanged = await sync_account(account, user.password, store)
    assert (unchanged.new, unchanged.removed, unchanged.flags_changed) == (0, 0, 0)

    with second_client(mail_servers, user) as client:
        client.select("INBOX")
        client.uid("STORE", "3", "+FLAGS", r"(\Flagged \Seen)")
        client.uid("STORE", "4:5", "+FLAGS", r"(\Deleted)")
        client.expunge()
        client.uid("MOVE", "6", "Archive")
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), sample(99))
        report = await sync_account(account, user.password, store)
        assert (report.new, report.removed, report.flags_changed) == (2, 3, 1)
        for folder in ("INBOX", "Archive"):
            assert set(stored(store, user, folder)) == server_uids(client, folder)
        assert set(stored(store, user, "INBOX")[3]) == {"flagged", "seen"}
    again = await sync_account(account, user.password, store)
    assert (again.new, again.removed, again.flags_changed) == (0, 0, 0)


async def test_changes_made_here_reach_the_server(mail_servers: MailServers,
                                                  store: MessageStore, tmp_path: Path) -> None:
    user = mail_servers.new_user("replay")
    mail_servers.load_maildir(user, [sample(n) for n in range(1, 6)])
    mail_servers.load_maildir(user, [sample(1, "Archive")], "Archive")
    account = account_for(mail_servers, user)
    await sync_account(account, user.password, store)
    by_subject = {m.subject: m.id for m in store.list_messages(account=user.name)}
    store.change_flags([by_subject["INBOX message 1"]], add=["seen", "flagged"])
    archive = store.folder(user.name, "Archive").id
    store.move_messages([by_subject["INBOX message 2"]], archive)
    store.delete_messages([by_subject["INBOX message 3"]])  # to Trash
    store.delete_messages([by_subject["INBOX message 4"]])
    store.delete_messages([by_subject["INBOX message 4"]])  # and from Trash, for good
    report = await sync_account(account, user.password, store)
    assert report.replayed == 4 and store.pending_changes(user.name) == []
    with second_client(mail_servers, user) as client:
        assert server_flags(client, "INBOX") == {1: {"seen", "flagged"}, 5: set()}
        assert len(server_uids(client, "Archive")) == 2
        assert len(server_uids(client, "Trash")) == 1
        for folder in ("INBOX", "Archive", "Trash"):
            assert set(stored(store, user, folder)) == server_uids(client, folder)
    moved = store.message(by_subject["INBOX message 2"])  # the same row, now placed
    assert moved.folder == "Archive" and moved.uid is not None
    assert store.count(user.name) == 5


async def test_bodies_later_or_on_demand(mail_servers: MailServers, store: MessageStore) -> None:
    user = mail_servers.new_user("bodies")
    mail_servers.load_maildir(user, [sample(n) for n in range(1, 4)])
    account: Account = account_for(mail_servers, user, body_download="none")
    await sync_account(account, user.password, store)
    rows = store.list_messages(account=user.name)
    assert [r.has_body for r in rows] == [False] * 3
    assert store.raw(rows[0].id).endswith(b"\r\n\r\n")  # the header alone
    folder = store.folder(user.name, "INBOX")
    async with await ImapConnection.open(account.incoming, user.password,
                                         ca_file=account.ca_file) as connection:
        assert await fetch_body(connection, store, folder.id, "INBOX",
                                folder.uidvalidity or 0, rows[0].uid or 0)
    assert store.message(rows[0].id).has_body
    assert store.raw(rows[0].id).endswith(b"Body 3\r\n")
    await sync_account(account.with_changes(body_download="all"), user.password, store)
    assert all(r.has_body for r in store.list_messages(account=user.name))


async def test_folders_keep_role_and_subscription(mail_servers: MailServers,
                                                  store: MessageStore) -> None:
    user = mail_servers.new_user("subs")
    mail_servers.load_maildir(user, [sample(1, "Projects")], "Projects")
    with second_client(mail_servers, user) as client:
        client.subscribe("Projects")
    await sync_account(account_for(mail_servers, user), user.password, store)
    folders = {f.name: f for f in store.folders(user.name)}
    assert (folders["Sent"].role, folders["Sent"].subscribed) == ("sent", True)
    assert (folders["Projects"].role, folders["Projects"].subscribed) == (None, True)
    assert folders["INBOX"].role == "inbox"


async def test_a_move_made_during_a_sync_is_not_fetched_back(
        mail_servers: MailServers, store: MessageStore, monkeypatch: pytest.MonkeyPatch,
        server_offers: str) -> None:
    user = mail_servers.new_user("race")
    mail_servers.load_maildir(user, [sample(n) for n in range(1, 4)])
    account = account_for(mail_servers, user)
    await sync_account(account, user.password, store)
    first = store.list_messages(account=user.name, folder="INBOX")[-1]
    store.move_messages([first.id], store.folder(user.name, "Junk").id)
    store.delete_messages([store.list_messages(account=user.name, folder="INBOX")[0].id])

    async def queued_after_the_replay(*_args: object) -> None:
        return None

    with monkeypatch.context() as patch:  # the changes were queued after this sync's replay
        patch.setattr(imap_account, "replay_changes", queued_after_the_replay)
        report = await sync_account(account, user.password, store)
    assert report.new == 0 and store.count(user.name) == 3  # nothing fetched back
    await sync_account(account, user.password, store)  # now they are replayed
    with second_client(mail_servers, user) as client:
        for folder in ("INBOX", "Junk", "Trash"):
            assert set(stored(store, user, folder)) == server_uids(client, folder)
    assert store.count(user.name) == 3 and store.pending_changes(user.name) == []


async def test_a_queued_move_from_a_recreated_folder_is_dropped(mail_servers: MailServers,
                                                                store: MessageStore) -> None:
    user = mail_servers.new_user("stale")
    mail_servers.load_maildir(user, [sample(n, "Work") for n in range(1, 3)], "Work")
    account = account_for(mail_servers, user)
    await sync_account(account, user.password, store)
    moved = store.list_messages(account=user.name, folder="Work")[0]
    store.move_messages([moved.id], store.folder(user.name, "Junk").id)
    with second_client(mail_servers, user) as client:
        client.delete("Work")
        client.create("Work")
        client.append("Work", "", imaplib.Time2Internaldate(time.time()), sample(7, "Work"))
    await sync_account(account, user.password, store)
    assert store.pending_changes(user.name) == []
    with second_client(mail_servers, user) as client:
        for folder in ("Work", "Junk"):
            assert set(stored(store, user, folder)) == server_uids(client, folder)
    assert store.count(user.name) == 1
