"""What the user does to stored mail: mark, move, delete, empty Trash, fetch a body on demand.

Every action shows in the store at once and is queued for the server; ``push`` replays the
queue now when the server is reachable, and otherwise the next sync does (offline use).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from mailclient.core.errors import ConfigError, MailError
from mailclient.services.accounts import AccountService
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.store.messages import MessageStore
from mailclient.services.sync.bodies import fetch_body
from mailclient.services.sync.replay import replay_changes
from mailclient.services.sync.report import SyncReport

log = logging.getLogger(__name__)


class MailboxActions:
    """Changes to stored messages, for the GUI and the CLI alike."""

    def __init__(self, store: MessageStore, accounts: AccountService,
                 sessions: ImapSessions | None = None) -> None:
        self.store = store
        self.accounts = accounts
        self.sessions = sessions or ImapSessions()

    def mark(self, idents: Iterable[str], *, add: Iterable[str] = (),
             remove: Iterable[str] = ()) -> int:
        """Add/remove flag words (``seen``, ``flagged``, ``answered``, ``deleted``)."""
        return self.store.change_flags(idents, add=add, remove=remove)

    def move(self, idents: Iterable[str], account: str, folder: str) -> int:
        """Move messages to ``folder`` of ``account`` (the messages' own account)."""
        return self.store.move_messages(idents, self.store.folder(account, folder).id)

    def delete(self, idents: Iterable[str]) -> int:
        """To Trash; from Trash (or without one) for good."""
        return self.store.delete_messages(idents)

    def empty_folder(self, account: str, folder: str | None = None) -> int:
        """Delete every message of Trash (or Junk) for good; ``None``: the account's Trash."""
        if folder is None:
            found = [f for f in self.store.folders(account) if f.role == "trash"]
            if not found:
                raise ConfigError(f"account {account!r} has no Trash folder")
            row = found[0]
        else:
            row = self.store.folder(account, folder)
        if row.role not in ("trash", "junk"):
            raise ConfigError(f"only Trash and Junk can be emptied, not {row.name!r}")
        return self.store.empty_folder(row.id)

    async def push(self, account_name: str) -> int:
        """Replay the account's queued changes now; returns how many runs were replayed.

        Raises:
            MailError: the server cannot be reached (the changes stay queued).
        """
        if not self.store.pending_changes(account_name):
            return 0
        account = self.accounts.get(account_name)
        password = self.accounts.password(account)
        report = SyncReport(account.name)
        async with self.sessions.session(account, password) as connection:
            await replay_changes(connection, self.store, account.name, report)
        return report.replayed

    async def ensure_body(self, ident: str) -> bool:
        """Download the body of a message stored with its headers only; False if the server
        no longer has it. Raises ``MailError`` when the server cannot be reached."""
        row = self.store.message(ident)
        if row.has_body:
            return True
        located = self.store.db.query(
            "SELECT m.folder_id, m.uidvalidity, m.uid, f.name FROM messages m "
            "JOIN folders f ON f.id = m.folder_id WHERE m.id = ?", (ident,))
        if not located or located[0]["uid"] is None:
            return False
        where = located[0]
        account = self.accounts.get(row.account)
        password = self.accounts.password(account)
        async with self.sessions.session(account, password, urgent=True) as connection:
            try:
                return await fetch_body(connection, self.store, where["folder_id"],
                                        where["name"], where["uidvalidity"], where["uid"])
            except MailError as exc:
                log.warning("could not download message %s: %s", ident, exc)
                raise
