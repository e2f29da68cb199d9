"""Bringing the store up to date from an account's IMAP or POP3 server."""

from __future__ import annotations

from mailclient.core.account import Account
from mailclient.core.credentials import Credential
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.store.messages import MessageStore
from mailclient.services.sync.imap_account import sync_imap
from mailclient.services.sync.pop3_account import sync_pop3
from mailclient.services.sync.report import Progress, SyncReport, uid_set

__all__ = ["Progress", "SyncReport", "sync_account", "uid_set"]


async def sync_account(account: Account, password: Credential, store: MessageStore,
                       progress: Progress | None = None,
                       sessions: ImapSessions | None = None) -> SyncReport:
    """Sync one account (IMAP: every selectable folder; POP3: its inbox). IMAP uses the
    account's kept connection from ``sessions`` if given."""
    if account.incoming_kind == "pop3":
        return await sync_pop3(account, password, store, progress)
    return await sync_imap(account, password, store, progress, sessions)
