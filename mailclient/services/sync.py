"""Bringing the store up to date from an account's IMAP or POP3 server."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from mailclient.core.account import Account
from mailclient.core.message_summary import imap_flags_to_words
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.store.messages import MessageStore, NewMessage

BODY_BATCH = 200


@dataclass
class SyncReport:
    """What one sync of one account changed."""

    account: str
    new: int = 0
    removed: int = 0
    flags_changed: int = 0
    folders: list[str] = field(default_factory=list)


def uid_set(uids: list[int]) -> str:
    """Compress UIDs into an IMAP sequence set: [1, 2, 3, 7] -> '1:3,7'."""
    ordered = sorted(set(uids))
    ranges: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        ranges.append(f"{start}:{prev}" if start != prev else str(start))
        start = prev = uid
    ranges.append(f"{start}:{prev}" if start != prev else str(start))
    return ",".join(ranges)


async def sync_account(account: Account, password: str, store: MessageStore) -> SyncReport:
    """Sync one account (IMAP: every selectable folder; POP3: its inbox)."""
    if account.incoming_kind == "pop3":
        return await asyncio.to_thread(_sync_pop3, account, password, store)
    return await _sync_imap(account, password, store)


async def _sync_imap(account: Account, password: str, store: MessageStore) -> SyncReport:
    report = SyncReport(account.name)
    opened = await ImapConnection.open(account.incoming, password, ca_file=account.ca_file)
    async with opened as connection:
        for info in await connection.list_folders():
            if {"\\noselect", "\\nonexistent"} & {flag.lower() for flag in info.flags}:
                continue
            folder_id = store.ensure_folder(account.name, info.name, info.role)
            await _sync_imap_folder(connection, account, store, folder_id, info.name, report)
            report.folders.append(info.name)
        store.remove_folder_missing(account.name, report.folders)
    return report


async def _sync_imap_folder(connection: ImapConnection, account: Account, store: MessageStore,
                            folder_id: int, name: str, report: SyncReport) -> None:
    selected = await connection.select(name)
    cached = store.folder_uidvalidity(folder_id)
    if cached is not None and cached != selected.uidvalidity:
        store.clear_folder(folder_id)
    known = store.known_uids(folder_id, selected.uidvalidity)
    on_server: dict[int, list[str]] = {}
    if selected.exists:
        async for batch in connection.fetch("1:*"):
            for item in batch:
                on_server[item.uid] = imap_flags_to_words(item.flags)
    gone = [uid for uid in known if uid not in on_server]
    if gone:
        store.remove_uids(folder_id, gone)
        report.removed += len(gone)
    changed = {uid: flags for uid, flags in on_server.items()
               if uid in known and sorted(known[uid]) != flags}
    if changed:
        store.set_flags(folder_id, changed)
        report.flags_changed += len(changed)
    new = sorted((uid for uid in on_server if uid not in known), reverse=True)
    for start in range(0, len(new), BODY_BATCH):
        chunk = new[start:start + BODY_BATCH]
        async for batch in connection.fetch(uid_set(chunk), body=True):
            items = [NewMessage(account.name, folder_id, item.raw,
                                imap_flags_to_words(item.flags), selected.uidvalidity, item.uid,
                                fallback_date=item.internaldate)
                     for item in batch if item.raw is not None]
            store.add_messages(items)
            report.new += len(items)
    store.set_folder_state(folder_id, uidvalidity=selected.uidvalidity,
                           uidnext=selected.uidnext, highestmodseq=selected.highestmodseq)


def _sync_pop3(account: Account, password: str, store: MessageStore) -> SyncReport:
    """Download what is new by UIDL; delete from the server as the account says."""
    from mailclient.services.pop3 import Pop3Session

    report = SyncReport(account.name, folders=["INBOX"])
    folder_id = store.ensure_folder(account.name, "INBOX", "inbox")
    with Pop3Session(account.incoming, password, ca_file=account.ca_file) as session:
        listing = session.uidl()
        known = store.known_uidls(account.name)
        for uidl, number in listing.items():
            if uidl in known:
                continue
            raw = session.retrieve(number)
            store.add_message(account=account.name, folder_id=folder_id, raw=raw, flags=[],
                              uidl=uidl)
            known[uidl] = time.time()
            report.new += 1
        for uidl, number in listing.items():
            if _pop3_should_delete(account, known[uidl]):
                session.delete(number)
                report.removed += 1
    return report


def _pop3_should_delete(account: Account, downloaded_epoch: float) -> bool:
    if not account.leave_on_server:
        return True
    if account.delete_after_days is None:
        return False
    return time.time() - downloaded_epoch >= account.delete_after_days * 86400
