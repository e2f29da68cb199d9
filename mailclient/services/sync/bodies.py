"""Whole messages after the headers: downloaded as the account says, then indexed for search."""

from __future__ import annotations

import asyncio
import time

from mailclient.core.account import Account
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.store.ingest import thread_pending
from mailclient.services.store.messages import MessageStore
from mailclient.services.sync.imap_folder import FolderTarget
from mailclient.services.sync.report import Progress, SyncReport, chunks, uid_set
from mailclient.services.sync.writer import StoreWriter

BODY_CHUNK = 200
INDEX_STEP = 50  # messages parsed between two turns of the event loop
THREAD_STEP = 500  # messages threaded between two turns of the event loop


def body_cutoff(account: Account, now: float | None = None) -> float | None:
    """Bodies of messages dated after this epoch are downloaded (None: all)."""
    if account.body_download != "recent":
        return None
    return (now if now is not None else time.time()) - account.body_days * 86400


async def download_bodies(connection: ImapConnection, store: MessageStore, account: Account,
                          targets: list[tuple[FolderTarget, int]], report: SyncReport,
                          progress: Progress | None = None) -> None:
    """Fetch the bodies of header-only messages (folder by folder, newest first)."""
    if account.body_download == "none":
        return
    since = body_cutoff(account)
    for target, uidvalidity in targets:
        uids = store.missing_bodies(target.folder_id, uidvalidity, since_epoch=since)
        if not uids:
            continue
        await connection.select(target.name)
        writer = StoreWriter(store, target.name, report, progress)
        try:
            for chunk in chunks(uids, BODY_CHUNK, BODY_CHUNK):
                async for batch in connection.fetch(uid_set(chunk), body=True, batch=100):
                    await writer.bodies(target.folder_id, uidvalidity, [
                        (item.uid, item.raw) for item in batch if item.raw is not None])
        finally:
            await writer.flush()


async def fetch_body(connection: ImapConnection, store: MessageStore, folder_id: int,
                     folder: str, uidvalidity: int, uid: int) -> bool:
    """Download one message's body now (opened by the user); False if the server lost it."""
    selected = await connection.select(folder)
    if selected.uidvalidity != uidvalidity:
        return False
    stored = 0
    async for batch in connection.fetch(str(uid), body=True):
        stored += store.store_bodies(
            folder_id, uidvalidity, [(m.uid, m.raw) for m in batch if m.raw is not None])
    return stored > 0  # indexed for search by the next sync


async def index_in_steps(store: MessageStore) -> int:
    """Index what was stored without, yielding to the event loop between small steps:
    threads of the rows the sync stored, then the body text of whole messages."""
    total = 0
    while done := thread_pending(store.db, limit=THREAD_STEP):
        total += done
        await asyncio.sleep(0)
    while done := store.index_pending(limit=INDEX_STEP):
        total += done
        await asyncio.sleep(0)
    return total
