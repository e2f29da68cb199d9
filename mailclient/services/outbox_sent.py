"""The account's Sent folder for the outbox: the copy after a send, the look-up after a crash."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from mailclient.core.account import Account
from mailclient.core.credentials import Credential
from mailclient.core.errors import MailError
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.outbox import Outbox
from mailclient.services.store.messages import MessageStore

log = logging.getLogger(__name__)
COPY_GRACE_SECONDS = 60.0
LOCAL_SENT = "Sent"  # a POP3 account's Sent folder, kept here only

# Servers that file what their SMTP server sends in the Sent folder themselves: an APPEND
# would make a second copy there.
FILES_SENT_MAIL = frozenset({"imap.gmail.com", "imap.googlemail.com"})


def server_files_sent_mail(account: Account) -> bool:
    """Whether the account's server puts sent mail in its Sent folder itself (Gmail)."""
    return account.incoming.host.lower().rstrip(".") in FILES_SENT_MAIL


def message_id_criteria(message_id: str) -> str:
    """``HEADER Message-ID "<id>"`` for ``UID SEARCH``.

    Raises:
        ValueError: the Message-ID is empty or holds a line break or a non-ASCII character.
    """
    value = message_id.strip()
    if not value or not value.isascii() or any(c in value for c in "\r\n\0"):
        raise ValueError(f"cannot search for the Message-ID {message_id!r}")
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'HEADER Message-ID "{quoted}"'


async def _sent_folder(connection: ImapConnection) -> str | None:
    folders = await connection.list_folders()
    return next((f.name for f in folders if f.role == "sent"), None)


async def _already_in(connection: ImapConnection, folder: str, message_id: str) -> bool:
    """Whether a message with this Message-ID is in ``folder`` (a copy made before: a retry
    to the recipients a server deferred, or a copy a crash left unrecorded)."""
    try:
        criteria = message_id_criteria(message_id)
    except ValueError:
        return False
    await connection.select(folder, readonly=True)
    return bool(await connection.search_uids(criteria))


@dataclass
class HeldCheck:
    """What looking up an account's held messages in its Sent folder found."""

    found: list[int] = field(default_factory=list)  # sent after all: now copied
    missing: list[int] = field(default_factory=list)  # not in Sent: still held
    unchecked: list[int] = field(default_factory=list)  # no look-up possible: still held


class SentFolder:
    """Copies to, and look-ups in, the Sent folder of IMAP accounts, over their kept
    connection.

    Args:
        outbox: where the states are recorded.
        sessions: the kept IMAP command connection of each account.
    """

    def __init__(self, outbox: Outbox, sessions: ImapSessions,
                 store: MessageStore | None = None) -> None:
        self.outbox = outbox
        self.sessions = sessions
        self.store = store  # where POP3 accounts keep their Sent folder

    def keep_locally(self, account: Account, item_id: int) -> None:
        """A POP3 account's Sent folder is here: store the sent copy (with its Bcc) in it,
        once per Message-ID, and mark it copied."""
        if self.store is None:
            return
        item = self.outbox.item(item_id)
        folder_id = self.store.ensure_folder(account.name, LOCAL_SENT, "sent")
        self.store.add_message(account=account.name, folder_id=folder_id, flags=["seen"],
                               raw=self.outbox.raw(item_id), uidl=f"sent:{item.message_id}")
        self.outbox.mark(item_id, "copied")

    async def copy(self, account: Account, password: Credential, item_id: int) -> None:
        """APPEND a sent message (with its Bcc) to the Sent folder and mark it copied.

        A POP3 account keeps it here instead (``keep_locally``); servers that file sent mail
        themselves get none (it is marked copied at once). A failure is logged, not raised:
        the message was sent.
        """
        if account.incoming_kind != "imap":
            self.keep_locally(account, item_id)
            return
        if server_files_sent_mail(account):
            self.outbox.mark(item_id, "copied")
            return
        try:
            item = self.outbox.item(item_id)
            raw = self.outbox.raw(item_id)
            async with self.sessions.session(account, password) as connection:
                sent = await _sent_folder(connection)
                if sent is not None:
                    if not await _already_in(connection, sent, item.message_id):
                        await connection.append(sent, raw, flags="\\Seen")
                    self.outbox.mark(item_id, "copied")
        except MailError as exc:
            log.warning("could not copy message %s to Sent: %s", item_id, exc)

    async def check_held(self, account: Account, password: Credential) -> HeldCheck:
        """Look up each held message of the account in its Sent folder by Message-ID.

        Found: it was sent, so it becomes ``copied`` and is never sent again. Not found: it
        stays held, saying it is not in Sent. Without a look-up (POP3, no Sent folder, the
        server unreachable) it stays held as it was: a failed look-up never resends.
        """
        held = self.outbox.held(account.name)
        check = HeldCheck()
        if not held or account.incoming_kind != "imap":
            check.unchecked = [item.id for item in held]
            return check
        try:
            async with self.sessions.session(account, password) as connection:
                sent = await _sent_folder(connection)
                if sent is None:
                    check.unchecked = [item.id for item in held]
                    return check
                await connection.select(sent, readonly=True)
                for item in held:
                    try:
                        criteria = message_id_criteria(item.message_id)
                    except ValueError:
                        check.unchecked.append(item.id)
                        continue
                    in_sent = bool(await connection.search_uids(criteria))
                    if self.outbox.settle_held(item.id, in_sent=in_sent):
                        (check.found if in_sent else check.missing).append(item.id)
        except MailError as exc:
            log.warning("could not look for held messages of %s in Sent: %s", account.name, exc)
            done = set(check.found) | set(check.missing)
            check.unchecked = [item.id for item in held if item.id not in done]
        return check

    async def finish_copies(self, account: Account, password: Credential) -> list[int]:
        """Give Sent its copy of messages sent earlier whose copy never got there (the
        program stopped between the server's 250 and the APPEND, or the server was
        unreachable then): looked up by Message-ID first, so a copy is never made twice.
        Returns the ids now copied."""
        stale = time.time() - COPY_GRACE_SECONDS  # a live send still copies its own
        waiting = [item for item in self.outbox.items(account.name)
                   if item.state == "sent" and item.updated_epoch < stale]
        if waiting and account.incoming_kind != "imap":
            for item in waiting:  # the copy here is made once: its Message-ID is its key
                self.keep_locally(account, item.id)
            return [item.id for item in waiting] if self.store is not None else []
        if not waiting:
            return []
        if server_files_sent_mail(account):
            for item in waiting:
                self.outbox.mark(item.id, "copied")
            return [item.id for item in waiting]
        done: list[int] = []
        try:
            async with self.sessions.session(account, password) as connection:
                sent = await _sent_folder(connection)
                if sent is None:
                    return []
                for item in waiting:
                    await connection.select(sent, readonly=True)
                    try:
                        there = bool(await connection.search_uids(
                            message_id_criteria(item.message_id)))
                    except ValueError:
                        there = False
                    if not there:
                        await connection.append(sent, self.outbox.raw(item.id), flags="\\Seen")
                    self.outbox.mark(item.id, "copied")
                    done.append(item.id)
        except MailError as exc:
            log.warning("could not finish the Sent copies of %s: %s", account.name, exc)
        return done
