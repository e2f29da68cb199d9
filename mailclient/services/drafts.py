"""Drafts: saved here first (a JSON file each), then to the IMAP account's Drafts folder.

POP3 accounts keep their drafts here only. Saving again replaces the draft here and on the
server (``drafts_server``); a draft that could not reach the server says why
(``server_error``) and the next save tries again.
"""

from __future__ import annotations

import logging

from mailclient.core.account import Account
from mailclient.core.draft_fields import draft_fields
from mailclient.core.errors import ConfigError, MailError, NotFoundError, StoreError
from mailclient.core.message_build import Attachment
from mailclient.services.accounts import AccountService
from mailclient.services.drafts_files import DraftFiles, SavedDraft, ServerCopy
from mailclient.services.drafts_server import put_draft, remove_draft
from mailclient.services.imap_sessions import ImapSessions

log = logging.getLogger(__name__)


class DraftService:
    """The drafts of every account of a profile.

    Args:
        files: where drafts are kept here.
        accounts: the accounts and their passwords.
        sessions: the kept IMAP command connection of each account.
    """

    def __init__(self, files: DraftFiles, accounts: AccountService,
                 sessions: ImapSessions) -> None:
        self.files = files
        self.accounts = accounts
        self.sessions = sessions

    def list_drafts(self, account: str | None = None) -> list[SavedDraft]:
        """The drafts (of ``account`` if given), the latest saved first."""
        return self.files.all(account)

    def get(self, draft_id: str) -> SavedDraft:
        """One draft; ``NotFoundError`` if there is none with that id."""
        return self.files.read(draft_id)

    async def save(self, account_name: str, *, to: list[str], subject: str, text: str,
                   cc: list[str] | None = None, bcc: list[str] | None = None,
                   draft_id: str | None = None, sender: str | None = None,
                   html: str | None = None, attachments: list[Attachment] | None = None,
                   reply_to: str | None = None, in_reply_to: str | None = None,
                   references: list[str] | None = None) -> SavedDraft:
        """Save a new draft, or a new version of ``draft_id``: here, then on the server.

        ``sender`` is the identity (``Name <addr>``) it is written from, None for the
        account's own; ``in_reply_to`` and ``references`` keep a reply in its conversation.

        Returns:
            The saved draft; its ``server_error`` is set when only the copy here was saved.

        Raises:
            NotFoundError: no such account, or no draft ``draft_id``.
            ConfigError: an address is invalid, or ``draft_id`` is a
                draft of another account.
        """
        account = self.accounts.get(account_name)
        old = self.files.read(draft_id) if draft_id is not None else None
        if old is not None and old.account != account.name:
            raise ConfigError(f"draft {old.id} belongs to account {old.account!r}, "
                              f"not {account.name!r}")
        draft = SavedDraft(id=old.id if old else self.files.new_id(), account=account.name,
                           to=list(to), cc=list(cc or []), bcc=list(bcc or []),
                           subject=subject, text=text, server=old.server if old else None,
                           sender=sender, html=html, attachments=list(attachments or []),
                           reply_to=reply_to, in_reply_to=in_reply_to,
                           references=list(references or []))
        raw = draft.server_bytes(account)  # checks the addresses before anything is kept
        self.files.write(draft)
        if account.incoming_kind != "imap":
            return draft
        try:
            password = await self.accounts.credential(account)
            async with self.sessions.session(account, password) as connection:
                draft.server = await put_draft(connection, draft.id, raw, draft.server)
            draft.server_error = None
        except MailError as exc:
            log.warning("draft %s kept here only: %s", draft.id, exc)
            draft.server_error = str(exc)
            # Where the old copy is may be unsure now (the APPEND may have been done): the
            # next save finds every older copy by its header.
            draft.server = None
        self.files.write(draft)
        return draft

    def adopt(self, account_name: str, raw: bytes, *, folder: str, uidvalidity: int | None,
              uid: int | None) -> SavedDraft:
        """Take a draft found in the server's Drafts folder (another client's, or ours from
        another computer) to go on writing it here: the next save replaces that copy.

        A draft this app saved and still has here is returned as it is.

        Raises:
            NotFoundError: no such account.
        """
        account = self.accounts.get(account_name)
        fields = draft_fields(raw)
        if fields.draft_id is not None:
            try:
                known = self.files.read(fields.draft_id)
            except (NotFoundError, StoreError):
                known = None
            if known is not None and known.account == account.name:
                return known
        draft = SavedDraft(
            id=self.files.new_id(), account=account.name, to=fields.to, cc=fields.cc,
            bcc=fields.bcc, subject=fields.subject, text=fields.text,
            server=ServerCopy(folder, uidvalidity, uid), sender=fields.sender,
            html=fields.html, reply_to=fields.reply_to, in_reply_to=fields.in_reply_to,
            references=fields.references, attachments=fields.attachments)
        self.files.write(draft)
        return draft

    async def delete(self, draft_id: str) -> SavedDraft:
        """Delete a draft here and on the server.

        Returns:
            The draft as it was.

        Raises:
            NotFoundError: there is no such draft.
            MailError: the server copy could not be deleted (the draft is kept).
        """
        draft = self.files.read(draft_id)
        account = self._account(draft)
        if account is not None and account.incoming_kind == "imap":
            password = await self.accounts.credential(account)
            async with self.sessions.session(account, password) as connection:
                await remove_draft(connection, draft.id, draft.server)
        self.files.remove(draft.id)
        return draft

    async def discard(self, draft: SavedDraft) -> str | None:
        """Delete a draft that was sent (it is in the outbox now): here always, on the server
        if possible.

        Returns:
            Why the server copy could not be deleted, or None.
        """
        self.files.remove(draft.id)
        account = self._account(draft)
        if account is None or account.incoming_kind != "imap":
            return None
        try:
            password = await self.accounts.credential(account)
            async with self.sessions.session(account, password) as connection:
                await remove_draft(connection, draft.id, draft.server)
        except MailError as exc:
            log.warning("sent draft %s is still in the server's Drafts: %s", draft.id, exc)
            return str(exc)
        return None

    def _account(self, draft: SavedDraft) -> Account | None:
        try:
            return self.accounts.get(draft.account)
        except NotFoundError:
            return None  # the account was removed: its server is not ours to change
