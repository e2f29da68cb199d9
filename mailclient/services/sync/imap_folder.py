"""One IMAP folder brought up to date: expunges, flag changes, and the headers of new mail.

The cheapest way the server allows: with QRESYNC (RFC 7162) an unchanged folder costs one
SELECT and the changes arrive with it; with CONDSTORE a ``CHANGEDSINCE`` fetch, plus a UID
SEARCH only when the message count does not add up; otherwise every UID's flags are
compared. New messages come as headers only, newest first; bodies are another step.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailclient.core.message_summary import imap_flags_to_words
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.imap.models import FetchedMessage, QresyncState, SelectedFolder
from mailclient.services.store.messages import MessageStore, NewMessage
from mailclient.services.sync.process_writer import ProcessStoreWriter, worker_available
from mailclient.services.sync.report import Progress, SyncReport, chunks, uid_set
from mailclient.services.sync.writer import StoreWriter

FIRST_CHUNK = 100  # the newest messages first, so a list shows at once
HEADER_CHUNK, HEADER_BATCH = 2000, 1000  # UIDs a command, messages a store transaction
WHOLE_CHUNK, WHOLE_BATCH = 500, 100
PROCESS_MIN = 5000  # new messages from which a worker process stores them (a second core)


@dataclass(frozen=True)
class FolderTarget:
    """A folder to sync: its store id, server name, and account; ``whole``: new messages are
    fetched whole at once (the account downloads every body) rather than headers first."""

    account: str
    folder_id: int
    name: str
    whole: bool = False


async def sync_folder(connection: ImapConnection, store: MessageStore, target: FolderTarget,
                      report: SyncReport, progress: Progress | None = None) -> int:
    """Sync one folder's messages (headers, flags, expunges); returns its UIDVALIDITY."""
    state = store.folder_state(target.folder_id)
    resync = None
    if connection.qresync_enabled and state.uidvalidity and state.highestmodseq:
        resync = QresyncState(state.uidvalidity, state.highestmodseq)
    selected = await connection.select(target.name, qresync=resync)
    same = state.uidvalidity == selected.uidvalidity
    condstore = bool(same and "CONDSTORE" in connection.capabilities and state.highestmodseq
                     and selected.highestmodseq)
    if state.uidvalidity is not None and not same:
        report.removed += store.count_folder(target.folder_id)
        store.clear_folder(target.folder_id)
    if same and resync is not None and not selected.changed and not selected.vanished:
        pass  # QRESYNC says nothing changed: one round trip
    elif same and resync is not None:
        await _apply(connection, store, target, selected, report, progress,
                     server=_flags_of(selected.changed), gone=set(selected.vanished))
    elif condstore and selected.highestmodseq == state.highestmodseq and \
            store.count_uids(target.folder_id, selected.uidvalidity) == selected.exists:
        pass  # CONDSTORE: nothing changed, nothing expunged
    elif condstore:
        await _condstore(connection, store, target, selected, state.highestmodseq or 0, report,
                         progress)
    else:
        await _full(connection, store, target, selected, report, progress)
    store.set_folder_state(target.folder_id, uidvalidity=selected.uidvalidity,
                           uidnext=selected.uidnext, highestmodseq=selected.highestmodseq)
    return selected.uidvalidity


def _flags_of(messages: tuple[FetchedMessage, ...] | list[FetchedMessage]) -> dict[int, list[str]]:
    return {m.uid: imap_flags_to_words(m.flags) for m in messages}


async def _condstore(connection: ImapConnection, store: MessageStore, target: FolderTarget,
                     selected: SelectedFolder, since: int, report: SyncReport,
                     progress: Progress | None) -> None:
    server: dict[int, list[str]] = {}
    if selected.highestmodseq != since:
        async for batch in connection.fetch("1:*", changed_since=since):
            server.update(_flags_of(batch))
    await _apply(connection, store, target, selected, report, progress, server=server,
                 gone=None)


async def _full(connection: ImapConnection, store: MessageStore, target: FolderTarget,
                selected: SelectedFolder, report: SyncReport, progress: Progress | None) -> None:
    known = store.known_uids(target.folder_id, selected.uidvalidity)
    server: dict[int, list[str]] = {}
    if not selected.exists:
        pass
    elif not known:  # first sync: the UIDs alone; flags come with the headers
        leaving = store.leaving_uids(target.folder_id, selected.uidvalidity)
        uids = [uid for uid in await connection.search_uids("ALL") if uid not in leaving]
        await _fetch_headers(connection, store, target, selected, uids, report, progress)
        return
    else:
        async for batch in connection.fetch("1:*"):
            server.update(_flags_of(batch))
    await _apply(connection, store, target, selected, report, progress, server=server,
                 gone=set(known) - server.keys(), known=known)


async def _apply(connection: ImapConnection, store: MessageStore, target: FolderTarget,
                 selected: SelectedFolder, report: SyncReport, progress: Progress | None, *,
                 server: dict[int, list[str]], gone: set[int] | None,
                 known: dict[int, list[str]] | None = None) -> None:
    """Apply what the server reported: ``server`` maps UIDs (changed or all) to flags;
    ``gone`` is None when expunges are unknown (then counted, and searched if needed)."""
    if known is None:
        known = store.known_uids(target.folder_id, selected.uidvalidity)
    leaving = store.leaving_uids(target.folder_id, selected.uidvalidity)
    new = [uid for uid in server if uid not in known and uid not in leaving]
    if gone is None and len(known) + len(new) + len(leaving) != selected.exists:
        gone = set(known) - set(await connection.search_uids("ALL"))
    gone = (gone or set()) & known.keys()
    if gone:
        store.remove_uids(target.folder_id, gone)
        report.removed += len(gone)
    changed = {uid: flags for uid, flags in server.items()
               if uid in known and uid not in gone and sorted(known[uid]) != flags}
    if changed:
        store.set_flags(target.folder_id, changed)
        report.flags_changed += len(changed)
    await _fetch_headers(connection, store, target, selected, new, report, progress)


async def _fetch_headers(connection: ImapConnection, store: MessageStore, target: FolderTarget,
                         selected: SelectedFolder, uids: list[int], report: SyncReport,
                         progress: Progress | None) -> None:
    """Store ``uids`` (headers only, or whole for ``target.whole``), newest first; each
    batch is committed on a worker thread while the next one arrives, or for many new
    messages, after the first chunk, by a worker process (``ProcessStoreWriter``)."""
    writer = StoreWriter(store, target.name, report, progress)
    bulk = None
    if len(uids) >= PROCESS_MIN and worker_available():
        bulk = await ProcessStoreWriter.start(store, target.name, report, progress)
    size, batch = (WHOLE_CHUNK, WHOLE_BATCH) if target.whole else (HEADER_CHUNK, HEADER_BATCH)
    try:
        for number, chunk in enumerate(chunks(sorted(uids, reverse=True), FIRST_CHUNK, size)):
            if number == 1 and bulk is not None:
                await writer.flush()  # the newest are listed; the worker takes the rest
            fetched = connection.fetch(uid_set(chunk), header=not target.whole,
                                       body=target.whole, batch=batch)
            async for messages in fetched:
                await (writer if bulk is None or number == 0 else bulk).add([
                    NewMessage(target.account, target.folder_id,
                               (item.raw if target.whole else item.header) or b"",
                               imap_flags_to_words(item.flags), selected.uidvalidity, item.uid,
                               fallback_date=item.internaldate, header_only=not target.whole,
                               modseq=item.modseq, size=item.size)
                    for item in messages])
    finally:
        try:
            await writer.flush()
        finally:
            if bulk is not None:
                await bulk.close()
