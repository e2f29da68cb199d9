"""The durable outbox: committed before any network step, claimed in a transaction, sent once.

States: queued -> sending -> sent -> copied (to the Sent folder), plus failed (permanent
refusal, to edit and resend) and held (a crash mid-send: it may have been sent, ask first).
The outbox keeps the Sent copy of a message (with its Bcc); what goes to the SMTP server is
that copy without Bcc (``outbox_copies``). Its bytes live in ``outbox_raw``, apart from the
state, so a state change commits a small row, never the message again.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time

from mailclient.core.account import Account
from mailclient.core.credentials import Credential
from mailclient.core.errors import MailError, NotFoundError, RecipientsRefusedError
from mailclient.services import smtp
from mailclient.services.outbox_copies import without_bcc
from mailclient.services.outbox_items import OutboxItem, SendOutcome, Settled, maybe_sent
from mailclient.services.smtp_errors import DeliveryUnknownError
from mailclient.services.smtp_session import SmtpSession
from mailclient.services.store.database import Database

log = logging.getLogger(__name__)
BACKOFF_SECONDS = (60, 300, 900, 3600)
CANCELLABLE = ("queued", "failed", "held")


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Outbox:
    """Outgoing messages of every account, in the store's database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # A store migrated by a SQLite without DROP COLUMN keeps outbox.raw, emptied.
        columns = {r["name"] for r in db.query("PRAGMA table_info(outbox)")}
        self._legacy_raw = ", raw" if "raw" in columns else ""

    def queue(self, account: str, *, raw: bytes, sender: str, recipients: list[str],
              message_id: str, subject: str = "", not_before: float = 0.0) -> int:
        """Commit a message to the outbox (durably) and return its id; ``not_before`` (an
        epoch) keeps it from being sent earlier (send later)."""
        now = time.time()
        legacy = self._legacy_raw
        with self.db.transaction() as tx:
            cursor = tx.execute(
                f"""INSERT INTO outbox (account, state, sender, recipients, message_id,
                       subject, created_epoch, updated_epoch, next_attempt_epoch{legacy})
                   VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?{", X''" if legacy else ""})""",
                (account, sender, json.dumps(recipients), message_id, subject, now, now,
                 not_before),
            )
            item_id = int(cursor.lastrowid or 0)
            tx.execute("INSERT INTO outbox_raw (id, data) VALUES (?, ?)", (item_id, raw))
        return item_id

    def items(self, account: str | None = None) -> list[OutboxItem]:
        rows = self.db.query(
            "SELECT * FROM outbox WHERE (:a IS NULL OR account = :a) ORDER BY id", {"a": account}
        )
        return [self._item(r) for r in rows]

    def item(self, item_id: int) -> OutboxItem:
        rows = self.db.query("SELECT * FROM outbox WHERE id = ?", (item_id,))
        if not rows:
            raise NotFoundError(f"no outbox message with id {item_id}")
        return self._item(rows[0])

    @staticmethod
    def _item(r: sqlite3.Row) -> OutboxItem:
        return OutboxItem(r["id"], r["account"], r["state"], r["sender"],
                          json.loads(r["recipients"]), r["message_id"], r["subject"],
                          r["attempts"], r["last_error"], r["server_reply"],
                          r["next_attempt_epoch"], r["updated_epoch"])

    def claim(self, item_id: int, *, force: bool = False) -> bytes | None:
        """Move a queued (or, with ``force``, held/failed) message to sending; return its
        bytes (read after the claim is committed), or None if another process has it or it is
        not due."""
        with self.db.transaction() as tx:
            won = _claim(tx, item_id, force=force)
        return self.raw(item_id) if won else None

    def due(self, account: str) -> list[int]:
        """Ids of queued messages whose next attempt is due."""
        rows = self.db.query(
            "SELECT id FROM outbox WHERE account = ? AND state = 'queued' "
            "AND next_attempt_epoch <= ? ORDER BY id", (account, time.time()),
        )
        return [r["id"] for r in rows]

    def next_due(self) -> tuple[str, float] | None:
        """The account and time (epoch) of the queued message due first (a send-later time
        or a retry after a temporary failure), None when nothing is queued."""
        rows = self.db.query(
            "SELECT account, next_attempt_epoch FROM outbox WHERE state = 'queued' "
            "ORDER BY next_attempt_epoch, id LIMIT 1")
        return (rows[0]["account"], float(rows[0]["next_attempt_epoch"])) if rows else None

    def recover_crashed(self) -> list[int]:
        """Hold messages left in 'sending' by a process that died: they may have been sent."""
        held = []
        with self.db.transaction() as tx:
            for row in tx.execute("SELECT id, claim_pid FROM outbox WHERE state = 'sending'"):
                if not _pid_alive(row["claim_pid"]):
                    held.append(row["id"])
            for item_id in held:
                self._set(tx, item_id, "held", error=maybe_sent(item_id))
        return held

    def held(self, account: str) -> list[OutboxItem]:
        """The account's held messages (interrupted sends, to look up in the Sent folder)."""
        return [item for item in self.items(account) if item.state == "held"]

    def settle_held(self, item_id: int, *, in_sent: bool) -> bool:
        """Record what the Sent folder says of a held message: there -> ``copied`` (it was
        sent and the copy exists); not there -> still held, saying so. False if it is no
        longer held (another process retried or cancelled it meanwhile)."""
        with self.db.transaction() as tx:
            if tx.execute("SELECT 1 FROM outbox WHERE id = ? AND state = 'held'",
                          (item_id,)).fetchone() is None:
                return False
            if in_sent:
                self._set(tx, item_id, "copied",
                          reply="found in the Sent folder after an interrupted send")
            else:
                why = "sending was interrupted and it is not in the Sent folder"
                self._set(tx, item_id, "held", error=maybe_sent(item_id, why))
        return True

    def raw(self, item_id: int) -> bytes:
        """The stored message: its Sent copy, with Bcc."""
        rows = self.db.query("SELECT data FROM outbox_raw WHERE id = ?", (item_id,))
        if not rows:
            raise NotFoundError(f"no outbox message with id {item_id}")
        return bytes(rows[0]["data"])

    def cancel(self, item_id: int) -> OutboxItem:
        """Remove a queued, failed or held message from the outbox for good.

        Returns:
            The message as it was (its subject, recipients...).

        Raises:
            NotFoundError: there is no such message.
            MailError: it is being sent right now, or was sent already.
        """
        item = self.item(item_id)
        with self.db.transaction() as tx:
            row = tx.execute(
                f"""DELETE FROM outbox WHERE id = ?
                    AND state IN ({",".join("?" * len(CANCELLABLE))}) RETURNING id""",
                (item_id, *CANCELLABLE),
            ).fetchone()
        if row is not None:
            return item
        state = self.item(item_id).state
        if state == "sending":
            raise MailError(f"outbox message {item_id} is being sent right now and cannot be "
                            "cancelled")
        raise MailError(f"outbox message {item_id} was sent already; there is nothing to cancel")

    def _set(self, tx: sqlite3.Connection, item_id: int, state: str, *, error: str | None = None,
             reply: str | None = None, retry_in: float | None = None) -> None:
        tx.execute(
            # sent -> copied keeps what the send said (who did not get it, for instance).
            """UPDATE outbox SET state = ?,
                   last_error = CASE WHEN ? = 'copied' AND ? IS NULL AND state = 'sent'
                                     THEN last_error ELSE ? END,
                   server_reply = COALESCE(?, server_reply), updated_epoch = ?,
                   attempts = attempts + (? = 'queued' OR ? = 'failed'),
                   next_attempt_epoch = ?, claim_pid = NULL
               WHERE id = ?""",
            (state, state, error, error, reply, time.time(), state, state,
             time.time() + (retry_in or 0), item_id),
        )

    def mark(self, item_id: int, state: str, *, error: str | None = None,
             reply: str | None = None, retry_in: float | None = None) -> None:
        """Move a message to ``state``, recording the error or the server's reply."""
        with self.db.transaction() as tx:
            self._set(tx, item_id, state, error=error, reply=reply, retry_in=retry_in)

    async def send(self, item_id: int, account: Account, password: Credential, *,
                   force: bool = False, session: SmtpSession | None = None) -> SendOutcome:
        """Claim and send one message; the 250 after DATA is committed at once.

        ``session``, if given, is an open connection to the account's SMTP server to send it
        through; else a connection is made for this one. (A flush of several messages goes
        through ``outbox_flush``, which overlaps these commits with the network.)

        Raises:
            MailError: the send failed; the message stays in the outbox, queued for a retry
                (temporary failure) or failed with the reason (permanent).
        """
        raw = self.claim(item_id, force=force)
        if raw is None:
            raise self.not_waiting(item_id)
        item = self.item(item_id)
        try:
            if session is None:
                report = await smtp.send_message(
                    account.smtp, password, sender=item.sender, recipients=item.recipients,
                    message=without_bcc(raw), ca_file=account.ca_file,
                )
            else:
                report = await session.send(sender=item.sender, recipients=item.recipients,
                                            message=without_bcc(raw))
        except BaseException as exc:
            self.record_failure(item, exc)
            raise
        settled, outcome = self.outcome(item, raw, report)
        self.mark(item_id, settled.state, error=settled.error, reply=settled.reply)
        return outcome

    def not_waiting(self, item_id: int) -> MailError:
        """The error for a message another process has, or that is not due."""
        return MailError(f"outbox message {item_id} is not waiting to be sent "
                         f"(it is {self.item(item_id).state})")

    def record_failure(self, item: OutboxItem, exc: BaseException) -> None:
        """Keep a claimed message whose send failed: queued again after a backoff (temporary),
        failed with the reason (permanent), or held when the server may have it."""
        if isinstance(exc, DeliveryUnknownError):  # handed over, no answer: it may have it
            self.mark(item.id, "held", error=maybe_sent(item.id, str(exc).split(":")[0]))
        elif getattr(exc, "oauth_rejected", False):  # waits for a new sign-in, never failed
            self.mark(item.id, "queued", error=str(exc))
        elif isinstance(exc, MailError):
            if exc.temporary:
                delay = BACKOFF_SECONDS[min(item.attempts, len(BACKOFF_SECONDS) - 1)]
                self.mark(item.id, "queued", error=str(exc), retry_in=delay)
            else:
                self.mark(item.id, "failed", error=str(exc))
        else:  # interrupted: the server may have accepted it first, so never resend blindly
            self.mark(item.id, "held", error=maybe_sent(item.id))

    def outcome(self, item: OutboxItem, raw: bytes, report: smtp.SendReport
                ) -> tuple[Settled, SendOutcome]:
        """What a 250 after DATA makes of the message: its state to commit, and the outcome.

        Recipients refused for now (4xx) are queued again at once as a message of their own
        (the others have it).
        """
        refused = [f"{r.address} ({r.code} {r.text})" for r in report.refused]
        note = str(RecipientsRefusedError(report.refused, report.accepted)) if refused else None
        later = [r.address for r in report.refused if r.temporary]
        if later:
            again = self.queue(item.account, raw=raw, sender=item.sender, recipients=later,
                               message_id=item.message_id, subject=item.subject,
                               not_before=time.time() + BACKOFF_SECONDS[0])
            note = f"{note}; tried again later for {', '.join(later)} (outbox message {again})"
        settled = Settled(item.id, "sent", note, report.reply)
        return settled, SendOutcome(item.id, "sent", report.accepted, refused, report.reply)

    def settle_and_claim(self, settled: Settled | None, item_id: int | None) -> bool:
        """Commit the state of the message sent before (if any) and claim ``item_id`` (if
        any) in one durable transaction; whether the claim was won."""
        with self.db.transaction() as tx:
            if settled is not None:
                self._set(tx, settled.item_id, settled.state, error=settled.error,
                          reply=settled.reply)
            return item_id is not None and _claim(tx, item_id, force=False)


def _claim(tx: sqlite3.Connection, item_id: int, *, force: bool) -> bool:
    """In ``tx``: move a due queued message (with ``force`` also a held or failed one, due or
    not) to sending, claimed by this process; whether it was there to take."""
    states = ("queued", "held", "failed") if force else ("queued",)
    row = tx.execute(
        f"""UPDATE outbox SET state = 'sending', claim_pid = ?, updated_epoch = ?
            WHERE id = ? AND state IN ({",".join("?" * len(states))})
              AND (? OR next_attempt_epoch <= ?)
            RETURNING id""",
        (os.getpid(), time.time(), item_id, *states, force, time.time()),
    ).fetchone()
    return row is not None
