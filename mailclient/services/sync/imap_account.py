"""An IMAP account synced in phases: queued changes, then every folder's headers (Inbox
first), then bodies, then the search index."""

from __future__ import annotations

from mailclient.core.account import Account
from mailclient.core.credentials import Credential
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.imap.models import FolderInfo
from mailclient.services.imap_sessions import ImapSessions, open_connection
from mailclient.services.store.messages import MessageStore
from mailclient.services.sync.bodies import download_bodies, index_in_steps
from mailclient.services.sync.imap_folder import FolderTarget, sync_folder
from mailclient.services.sync.replay import replay_changes
from mailclient.services.sync.report import Progress, SyncReport

_UNSELECTABLE = {"\\noselect", "\\nonexistent"}


def _sync_order(folders: list[FolderInfo]) -> list[FolderInfo]:
    """Selectable folders, the Inbox first, then by role, then by name."""
    usable = [f for f in folders if not _UNSELECTABLE & {x.lower() for x in f.flags}]
    return sorted(usable, key=lambda f: (f.role != "inbox", f.role is None, f.name))


async def sync_imap(account: Account, password: Credential, store: MessageStore,
                    progress: Progress | None = None,
                    sessions: ImapSessions | None = None) -> SyncReport:
    """Sync every selectable folder of an IMAP account (on the account's kept connection
    when ``sessions`` is given, else on a connection of its own)."""
    report = SyncReport(account.name)
    if sessions is None:
        async with await open_connection(account, password) as connection:
            await _sync(connection, store, account, report, progress)
    else:
        async with sessions.session(account, password) as connection:
            await _sync(connection, store, account, report, progress)
    await index_in_steps(store)
    return report


async def _sync(connection: ImapConnection, store: MessageStore, account: Account,
                report: SyncReport, progress: Progress | None) -> None:
    folders = _sync_order(await connection.list_folders())
    whole = account.body_download == "all"
    targets = [FolderTarget(account.name,
                            store.ensure_folder(account.name, f.name, f.role, f.subscribed),
                            f.name, whole) for f in folders]
    store.remove_folder_missing(account.name, [f.name for f in folders])
    await replay_changes(connection, store, account.name, report)
    synced = []
    for target in targets:
        uidvalidity = await sync_folder(connection, store, target, report, progress)
        synced.append((target, uidvalidity))
        report.folders.append(target.name)
    await download_bodies(connection, store, account, synced, report, progress)
