"""Replaying changes made here (flags, moves, deletions) on the IMAP server, oldest first."""

from __future__ import annotations

import logging
from itertools import groupby

from mailclient.core.errors import MailError, NotFoundError, ProtocolError
from mailclient.core.message_summary import words_to_imap_flags
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.store.changes import PendingChange
from mailclient.services.store.messages import MessageStore
from mailclient.services.sync.report import SyncReport, uid_set

log = logging.getLogger(__name__)


async def replay_changes(connection: ImapConnection, store: MessageStore, account: str,
                         report: SyncReport) -> None:
    """Carry out the account's queued changes. A change the server refuses for good (its
    folder is gone) is dropped with a log line; a network failure stops the replay and the
    rest waits for the next sync."""
    pending = store.pending_changes(account)
    by_folder = groupby(pending, key=lambda c: (c.folder_id, c.folder))
    for (_, folder), group in by_folder:
        changes = list(group)
        try:
            selected = await connection.select(folder, readonly=False)
        except NotFoundError as exc:
            log.warning("dropping %d queued changes: %s", len(changes), exc)
            _drop(store, changes)
            continue
        _drop(store, [c for c in changes if c.uidvalidity != selected.uidvalidity])  # gone
        live = [c for c in changes if c.uidvalidity == selected.uidvalidity]
        for (action, argument), run in groupby(live, key=lambda c: (c.action, c.argument)):
            await _replay_run(connection, store, account, action, argument, list(run))
            report.replayed += 1


def _drop(store: MessageStore, changes: list[PendingChange]) -> None:
    """Forget changes that can no longer be made; a moved message's local copy goes too (a
    sync brings back whatever the server still has)."""
    for change in changes:
        if change.action == "move" and change.message_pk is not None:
            store.place_moved(change.message_pk, None, None)
    store.finish_changes(c.id for c in changes)


async def _replay_run(connection: ImapConnection, store: MessageStore, account: str,
                      action: str, argument: str, run: list[PendingChange]) -> None:
    uids = uid_set([c.uid for c in run])
    try:
        if action == "add_flags":
            await connection.store_flags(uids, add=words_to_imap_flags(argument.split()))
        elif action == "remove_flags":
            await connection.store_flags(uids, remove=words_to_imap_flags(argument.split()))
        elif action == "expunge":
            await connection.expunge(uids)
        elif action == "move":
            moved = await connection.move(uids, argument)
            target = store.folder_state_by_name(account, argument)
            for change in run:
                if change.message_pk is not None:
                    store.place_moved(change.message_pk,
                                      target.uidvalidity if target else None,
                                      moved.get(change.uid))
        else:
            raise ProtocolError(f"unknown queued change {action!r}")
    except (NotFoundError, ProtocolError) as exc:
        log.warning("dropping queued %s of %s: %s", action, uids, exc)
        for change in run:  # the local copy comes back from the server's state
            if action == "move" and change.message_pk is not None:
                store.place_moved(change.message_pk, None, None)
        store.forget_modseq(run[0].folder_id)  # the next look at the folder is a full one
    except MailError as exc:
        store.fail_changes([c.id for c in run], str(exc))
        raise
    store.finish_changes(c.id for c in run)
