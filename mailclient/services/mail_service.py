"""The one facade the GUI and the CLI share: accounts, sending, syncing, reading."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from mailclient.core.account import Account
from mailclient.core.credentials import Credential
from mailclient.core.errors import AuthenticationError, ConfigError, MailError
from mailclient.core.message_build import Draft, build_message
from mailclient.services.accounts import AccountService
from mailclient.services.certificate_trust import TRUST
from mailclient.services.drafts import DraftService
from mailclient.services.drafts_files import DraftFiles
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.mailbox_actions import MailboxActions
from mailclient.services.outbox import Outbox
from mailclient.services.outbox_copies import sent_copy
from mailclient.services.outbox_flush import flush_due
from mailclient.services.outbox_items import SendOutcome
from mailclient.services.outbox_sent import SentFolder
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from mailclient.services.send_later import describe_time
from mailclient.services.smtp_session import SmtpSession
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.database import Database
from mailclient.services.store.messages import MessageRow, MessageStore
from mailclient.services.store.search import search_text
from mailclient.services.sync import Progress, SyncReport, sync_account

log = logging.getLogger(__name__)
Result = TypeVar("Result")


@dataclass
class FlushReport:
    """Outbox messages sent, and those that failed, during a sync."""

    sent: list[SendOutcome]
    failed: list[tuple[int, MailError]]


class MailService:
    """Everything a face of the app needs, over one profile.

    Args:
        profile: where the settings, store and cache live.
        secrets: the keyring access (a default one for the profile if omitted).
    """

    def __init__(self, profile: Profile, secrets: SecretStore | None = None) -> None:
        profile.ensure_dirs()
        self.profile = profile
        self.secrets = secrets or SecretStore(profile.key)
        self.accounts = AccountService(profile, self.secrets)
        self.db = Database(profile.store_file)
        self.store = MessageStore(self.db, BlobStore(profile.messages_dir))
        self.outbox = Outbox(self.db)
        self.sessions = ImapSessions()  # one kept IMAP command connection per account
        self.sent_folder = SentFolder(self.outbox, self.sessions, self.store)
        self.mailbox = MailboxActions(self.store, self.accounts, self.sessions)
        self.drafts = DraftService(DraftFiles(profile.data_dir / "drafts"), self.accounts,
                                   self.sessions)
        TRUST.read_pins_from(self.accounts.accounts)  # certificates the user pinned

    def open_reader(self) -> MessageStore:
        """A second store connection for another thread (the GUI's list model)."""
        return MessageStore(Database(self.profile.store_file), BlobStore(self.profile.messages_dir))

    def close(self) -> None:
        self.db.close()

    async def send(self, account_name: str, draft: Draft) -> SendOutcome:
        """Build, queue durably, then send at once; a failure leaves it in the outbox.

        The SMTP server gets the message without Bcc; the Sent folder gets it with Bcc.

        Raises:
            ConfigError: the draft is invalid (nothing queued).
            MailError: sending failed; temporary failures stay queued for a retry.
        """
        account = self.accounts.get(account_name)
        password = self._password_first(account)
        item_id = self._queue(account, draft)  # a sign-in refused from here on: it waits

        async def send(credential: Credential) -> SendOutcome:
            outcome = await self.outbox.send(item_id, account, credential)
            await self.sent_folder.copy(account, credential, item_id)
            return outcome

        return await self._logged_in(account, send, password)

    def _password_first(self, account: Account) -> Credential | None:
        """A password account's password, looked up before anything is queued (a missing
        one stops the send); None for an OAuth2 account (its token is got afterwards)."""
        return self.accounts.password(account) if account.auth == "password" else None

    async def _logged_in(self, account: Account, work: Callable[[Credential], Awaitable[Result]],
                         credential: Credential | None = None) -> Result:
        """Run ``work`` with the account's login; for an OAuth2 account whose access token a
        server refused (expired early, say), once more with a refreshed token.

        Raises:
            AuthenticationError: with ``oauth_rejected`` when the refresh was refused too
                (sign in again).
        """
        if credential is None:
            credential = await self.accounts.credential(account)
        try:
            return await work(credential)
        except AuthenticationError as exc:
            if account.auth != "oauth2" or not getattr(exc, "oauth_rejected", False):
                raise
            log.info("account %s: the access token was refused; refreshing it", account.name)
        return await work(await self.accounts.credential(account, refresh=True))

    def _queue(self, account: Account, draft: Draft, *, not_before: float = 0.0) -> int:
        message = build_message(draft)
        # The envelope sender is the identity written from (an alias's bounces come back to
        # it, as Thunderbird does); the account's own address when the draft has none.
        sender = draft.sender.addr_spec if draft.sender.addr_spec else account.email
        return self.outbox.queue(
            account.name, raw=sent_copy(message, draft.bcc), sender=sender,
            recipients=draft.recipients(), message_id=str(message["Message-ID"]),
            subject=draft.subject, not_before=not_before,
        )

    def send_later(self, account_name: str, draft: Draft, *, at: float) -> int:
        """Queue a message to be sent at the epoch ``at`` (by a sync then due); its id.

        Raises:
            ConfigError: the draft is invalid or ``at`` is not in the future.
        """
        account = self.accounts.get(account_name)
        if at <= time.time():
            raise ConfigError(f"the time {describe_time(at)} is in the past: give a time to come")
        return self._queue(account, draft, not_before=at)

    async def send_draft(self, draft_id: str) -> tuple[SendOutcome, str | None]:
        """Send a saved draft like ``send``; once it is in the outbox the draft is deleted,
        here and on the server.

        Returns:
            The outcome, and why the server's copy of the draft could not be deleted (or None).

        Raises:
            NotFoundError: no such draft (or its account is gone).
            ConfigError: the draft is invalid (it is kept).
            MailError: sending failed; the message stays in the outbox.
        """
        saved = self.drafts.get(draft_id)
        account = self.accounts.get(saved.account)
        password = self._password_first(account)
        item_id = self._queue(account, saved.compose(account))
        left_on_server = await self.drafts.discard(saved)

        async def send(credential: Credential) -> SendOutcome:
            outcome = await self.outbox.send(item_id, account, credential)
            await self.sent_folder.copy(account, credential, item_id)
            return outcome

        return await self._logged_in(account, send, password), left_on_server

    async def retry_outbox(self, item_id: int) -> SendOutcome | None:
        """Send a held, failed or queued message now, then copy it to Sent.

        A held message is first looked up in the Sent folder: if it is there it was sent,
        it is marked so and not sent again (None is returned).

        Raises:
            NotFoundError: no such outbox message.
            MailError: sending failed, or the message is not waiting to be sent.
        """
        self.outbox.recover_crashed()
        account = self.accounts.get(self.outbox.item(item_id).account)

        async def retry(password: Credential) -> SendOutcome | None:
            if self.outbox.item(item_id).state == "held":
                if item_id in (await self.sent_folder.check_held(account, password)).found:
                    return None
            outcome = await self.outbox.send(item_id, account, password, force=True)
            await self.sent_folder.copy(account, password, item_id)
            return outcome

        return await self._logged_in(account, retry)

    async def send_queued(self, item_id: int) -> SendOutcome | None:
        """Send a queued message now (its undo delay is over), then copy it to Sent; None if
        it is no longer queued (a sync took it first, or it was cancelled)."""
        item = self.outbox.item(item_id)
        if item.state != "queued":
            return None
        account = self.accounts.get(item.account)
        password = await self.accounts.credential(account)
        try:
            outcome = await self.outbox.send(item_id, account, password, force=True)
        except MailError:
            if self.outbox.item(item_id).state == "sending":
                return None  # another process claimed it between the look and the claim
            raise
        await self.sent_folder.copy(account, password, item_id)
        return outcome

    async def flush_outbox(self, account: Account, password: Credential) -> FlushReport:
        """Send every due message of an account over one SMTP connection.

        Each message is claimed, sent and marked on its own (at most once each); one the
        server refuses is recorded and the flush goes on. If the connection fails during a
        message (a reconnect is tried only between messages), the flush ends there and the
        rest stay queued for the next one.

        Raises:
            AuthenticationError: with ``oauth_rejected``: the server refused the access token
                (the messages stay queued).
        """
        report = FlushReport([], [])
        due = self.outbox.due(account.name)
        if not due:
            return report
        async with SmtpSession(account.smtp, password, ca_file=account.ca_file) as session:
            report.sent[:], report.failed[:] = await flush_due(self.outbox, session, due)
        for outcome in report.sent:  # each state is committed now: copy them to Sent
            await self.sent_folder.copy(account, password, outcome.item_id)
        for _item_id, error in report.failed:
            if getattr(error, "oauth_rejected", False):
                raise error  # the token was refused: refresh it, or sign in again (queued)
        return report

    async def send_due(self, account_name: str) -> FlushReport:
        """Send the account's queued messages whose time has come (send later, retries),
        without fetching mail; each copied to Sent."""
        account = self.accounts.get(account_name)
        return await self._logged_in(account, lambda login: self.flush_outbox(account, login))

    async def sync(self, account_name: str, progress: Progress | None = None
                   ) -> tuple[SyncReport, FlushReport]:
        """Flush the account's outbox, replay changes made here, then fetch what is new."""
        account = self.accounts.get(account_name)
        self.outbox.recover_crashed()

        async def sync(password: Credential) -> tuple[SyncReport, FlushReport]:
            await self.sent_folder.check_held(account, password)  # sent after all? no resend
            await self.sent_folder.finish_copies(account, password)  # copies a crash cut short
            flushed = await self.flush_outbox(account, password)
            report = await sync_account(account, password, self.store, progress, self.sessions)
            return report, flushed

        return await self._logged_in(account, sync)

    def remove_account(self, name: str) -> Account:
        """Remove an account: its settings, its password or tokens, and its mail in the store (what
        the server holds is left alone)."""
        account = self.accounts.remove(name)
        self.store.forget_account(name)
        return account

    async def close_connections(self) -> None:
        """Log out the kept IMAP connections (before the event loop ends)."""
        await self.sessions.close_all()

    def search(self, text: str, *, limit: int = 100) -> list[MessageRow]:
        """Stored messages matching a query in the search language, newest first.

        Raises:
            ConfigError: the query cannot be understood (``before:tomorrow``).
        """
        return search_text(self.db, text, limit=limit)
