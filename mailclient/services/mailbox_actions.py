"""What the user does to stored mail and folders: mark, move, archive, delete, empty Trash,
create/rename/delete folders, fetch a body on demand.

Every action on messages shows in the store at once and is queued for the server; ``push``
replays the queue now when the server is reachable, and otherwise the next sync does (offline
use). Folder changes of an IMAP account need the server at once (they are not queued).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError, MailError, NotFoundError, ProtocolError
from mailclient.services.accounts import AccountService
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.imap.models import FolderInfo
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.store.messages import FolderRow, MessageStore
from mailclient.services.sync.bodies import fetch_body
from mailclient.services.sync.replay import replay_changes
from mailclient.services.sync.report import SyncReport

log = logging.getLogger(__name__)
KEPT_ROLES = {"inbox": "Inbox", "sent": "Sent", "drafts": "Drafts", "trash": "Trash"}
LOCAL_DELIMITER = "/"  # the folders of a POP3 account live only here
SPECIAL_NAMES = {"archive": "Archive", "junk": "Junk"}
_BAD_NAME = re.compile(r"[*%\x00-\x1f\x7f]")


def check_folder_name(name: str) -> str:
    """Return ``name`` stripped if it can name a folder, else raise ``ConfigError``."""
    stripped = name.strip()
    if not stripped:
        raise ConfigError("a folder needs a name")
    if _BAD_NAME.search(stripped):
        raise ConfigError(f"a folder name cannot contain * or % or control characters: "
                          f"{stripped!r}")
    if stripped.upper() == "INBOX":
        raise ConfigError("INBOX is the name of the inbox")
    return stripped


def check_changeable(folder: FolderRow, doing: str) -> None:
    """Refuse to rename or delete the Inbox, Sent, Drafts or Trash (``ConfigError``)."""
    label = KEPT_ROLES.get(folder.role or "")
    if label is not None or folder.name.upper() == "INBOX":
        raise ConfigError(f"the {label or 'Inbox'} folder cannot be {doing}")


def _delimiter(folders: list[FolderInfo], name: str | None) -> str:
    """The hierarchy delimiter of ``name`` (else of any folder; "/" when none is told)."""
    for folder in sorted(folders, key=lambda f: f.name != name):
        if folder.delimiter:
            return folder.delimiter
    return LOCAL_DELIMITER


def _parent_of(name: str, delimiter: str) -> str | None:
    head, found, _leaf = name.rpartition(delimiter)
    return head if found else None


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

    def mark_folder_read(self, account: str, folder: str | None = None) -> list[str]:
        """Mark every unread message of a folder (None: of the account) read; their ids."""
        if folder is not None:
            self.store.folder(account, folder)  # NotFoundError
        rows = self.store.list_messages(account=account, folder=folder)
        unread = [m.id for m in rows if "seen" not in m.flags]
        self.store.change_flags(unread, add=["seen"])
        return unread

    def special_folder(self, account: str, role: str) -> str | None:
        """The account's stored folder with ``role`` (``archive``, ``junk``): by role, else
        by its usual name; None when there is none yet."""
        folders = self.store.folders(account)
        for folder in folders:
            if folder.role == role:
                return folder.name
        usual = SPECIAL_NAMES[role].lower()
        return next((f.name for f in folders if f.name.lower() == usual), None)

    async def ensure_special_folder(self, account_name: str, role: str) -> str:
        """The folder with ``role`` (``archive``, ``junk``), created as "Archive" or "Junk"
        (here and on the server) when the account has none; returns its name."""
        found = self.special_folder(account_name, role)
        if found is not None:
            return found
        name = SPECIAL_NAMES[role]
        account = self.accounts.get(account_name)
        if account.incoming_kind == "imap":
            async with self._server(account) as connection:
                listed = {f.name.lower(): f.name for f in await connection.list_folders()}
                if name.lower() not in listed:
                    await connection.create_folder(name)
                    await self._subscribe(connection, name)
                name = listed.get(name.lower(), name)
        self.store.ensure_folder(account_name, name, role, True)
        return name

    async def create_folder(self, account_name: str, name: str, *,
                            parent: str | None = None) -> str:
        """Create the folder ``name`` (under ``parent``), on the server for an IMAP account;
        returns its full name.

        Raises:
            ConfigError: the name is not usable, or the folder exists.
            MailError: the server cannot be reached or refuses.
        """
        leaf = check_folder_name(name)
        account = self.accounts.get(account_name)
        if parent is not None:
            self.store.folder(account_name, parent)
        if account.incoming_kind != "imap":
            full = leaf if parent is None else f"{parent}{LOCAL_DELIMITER}{leaf}"
            self._refuse_existing(account_name, full)
            self.store.ensure_folder(account_name, full, None, True)
            return full
        async with self._server(account) as connection:
            folders = await connection.list_folders()
            full = leaf if parent is None else f"{parent}{_delimiter(folders, parent)}{leaf}"
            self._refuse_existing(account_name, full, folders)
            await connection.create_folder(full)
            await self._subscribe(connection, full)
        self.store.ensure_folder(account_name, full, None, True)
        return full

    async def rename_folder(self, account_name: str, name: str, new_name: str, *,
                            keep_parent: bool = False) -> str:
        """Rename a folder (and those under it); ``keep_parent``: ``new_name`` is the last
        part only and the folder stays where it is. Returns the new full name.

        Raises:
            ConfigError: a kept folder (Inbox, Sent, Drafts, Trash), a bad or taken name.
            NotFoundError: no such folder.
            MailError: the server cannot be reached or refuses.
        """
        folder = self.store.folder(account_name, name)
        check_changeable(folder, "renamed")
        new_name = check_folder_name(new_name)
        account = self.accounts.get(account_name)
        if account.incoming_kind != "imap":
            full = self._sibling(name, new_name, LOCAL_DELIMITER, keep_parent)
            self._refuse_existing(account_name, full)
            self.store.rename_folder(account_name, name, full, LOCAL_DELIMITER)
            return full
        async with self._server(account) as connection:
            await replay_changes(connection, self.store, account_name, SyncReport(account_name))
            folders = await connection.list_folders()
            delimiter = _delimiter(folders, name)
            full = self._sibling(name, new_name, delimiter, keep_parent)
            self._refuse_existing(account_name, full, folders)
            await connection.rename_folder(name, full)
            await self._subscribe(connection, full)
        self.store.rename_folder(account_name, name, full, delimiter)
        return full

    async def delete_folder(self, account_name: str, name: str) -> int:
        """Delete a folder, the folders under it and their messages, here and on the
        server; returns how many stored messages went.

        Raises:
            ConfigError: a kept folder (Inbox, Sent, Drafts, Trash).
            NotFoundError: no such folder.
            MailError: the server cannot be reached or refuses.
        """
        check_changeable(self.store.folder(account_name, name), "deleted")
        account = self.accounts.get(account_name)
        if account.incoming_kind != "imap":
            return self.store.forget_folder(account_name, name, LOCAL_DELIMITER)
        async with self._server(account) as connection:
            await replay_changes(connection, self.store, account_name, SyncReport(account_name))
            folders = await connection.list_folders()
            delimiter = _delimiter(folders, name)
            doomed = [f.name for f in folders
                      if f.name == name or f.name.startswith(f"{name}{delimiter}")]
            for victim in sorted(doomed, key=len, reverse=True):  # the deepest first
                try:
                    await connection.unsubscribe(victim)
                except ProtocolError:
                    pass
                await connection.delete_folder(victim)
        return self.store.forget_folder(account_name, name, delimiter)

    def _refuse_existing(self, account: str, name: str,
                         listed: list[FolderInfo] | None = None) -> None:
        names = {f.name for f in self.store.folders(account)}
        names |= {f.name for f in listed or []}
        if name in names:
            raise ConfigError(f"{account} already has a folder {name!r}")

    @staticmethod
    def _sibling(name: str, new_name: str, delimiter: str, keep_parent: bool) -> str:
        parent = _parent_of(name, delimiter) if keep_parent else None
        return new_name if parent is None else f"{parent}{delimiter}{new_name}"

    @staticmethod
    async def _subscribe(connection: ImapConnection, name: str) -> None:
        try:
            await connection.subscribe(name)
        except (NotFoundError, ProtocolError) as exc:
            log.info("could not subscribe to %s: %s", name, exc)

    @asynccontextmanager
    async def _server(self, account: Account) -> AsyncIterator[ImapConnection]:
        password = await self.accounts.credential(account)
        async with self.sessions.session(account, password) as connection:
            yield connection

    async def push(self, account_name: str) -> int:
        """Replay the account's queued changes now; returns how many runs were replayed.

        Raises:
            MailError: the server cannot be reached (the changes stay queued).
        """
        if not self.store.pending_changes(account_name):
            return 0
        account = self.accounts.get(account_name)
        password = await self.accounts.credential(account)
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
        password = await self.accounts.credential(account)
        async with self.sessions.session(account, password, urgent=True) as connection:
            try:
                return await fetch_body(connection, self.store, where["folder_id"],
                                        where["name"], where["uidvalidity"], where["uid"])
            except MailError as exc:
                log.warning("could not download message %s: %s", ident, exc)
                raise
