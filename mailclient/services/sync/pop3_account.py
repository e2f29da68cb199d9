"""A POP3 account synced: new messages by UIDL into the Inbox, deletions as the account says."""

from __future__ import annotations

import asyncio
import time

from mailclient.core.account import Account
from mailclient.services.store.messages import MessageStore, NewMessage
from mailclient.services.sync.bodies import index_in_steps
from mailclient.services.sync.report import Progress, SyncReport

COMMIT_EVERY = 50  # messages per store transaction


async def sync_pop3(account: Account, password: str, store: MessageStore,
                    progress: Progress | None = None) -> SyncReport:
    """Download what is new (in a worker thread: poplib blocks), then index it."""
    report = await asyncio.to_thread(_download, account, password, store, progress)
    await index_in_steps(store)
    return report


def _download(account: Account, password: str, store: MessageStore,
              progress: Progress | None) -> SyncReport:
    from mailclient.services.pop3 import Pop3Session

    report = SyncReport(account.name, folders=["INBOX"])
    folder_id = store.ensure_folder(account.name, "INBOX", "inbox")
    with Pop3Session(account.incoming, password, ca_file=account.ca_file) as session:
        listing = session.uidl()
        known = store.known_uidls(account.name)
        pending: list[NewMessage] = []
        for uidl, number in listing.items():
            if uidl in known:
                continue
            pending.append(NewMessage(account.name, folder_id, session.retrieve(number), [],
                                      uidl=uidl))
            known[uidl] = time.time()
            if len(pending) >= COMMIT_EVERY:
                report.new += _commit(store, pending, progress)
        report.new += _commit(store, pending, progress)
        for uidl, number in listing.items():
            if should_delete(account, known[uidl]):
                session.delete(number)
                report.removed += 1
    return report


def _commit(store: MessageStore, pending: list[NewMessage], progress: Progress | None) -> int:
    count = len(pending)
    if count:
        store.add_messages(pending, index=False)
        pending.clear()
        if progress is not None:
            progress("INBOX", count)
    return count


def should_delete(account: Account, downloaded_epoch: float, now: float | None = None) -> bool:
    """Whether a downloaded message is to be deleted from the POP3 server now."""
    if not account.leave_on_server:
        return True
    if account.delete_after_days is None:
        return False
    elapsed = (now if now is not None else time.time()) - downloaded_epoch
    return elapsed >= account.delete_after_days * 86400
