"""Sending an account's due messages over one connection, each commit overlapping the network.

Each message still has its claim committed (durably) before any byte of it goes to the server,
and its 250 committed before the next message is handed over: the commit of one message's
state and the claim of the next are one transaction, run in a worker thread while the server
answers the next MAIL FROM and RCPT TO. So at most one message is ever between "sent" and its
commit, exactly as when each is sent alone, and a flush costs one commit per message.
"""

from __future__ import annotations

import asyncio

from mailclient.core.errors import MailError
from mailclient.services.outbox import Outbox
from mailclient.services.outbox_copies import without_bcc
from mailclient.services.outbox_items import SendOutcome, Settled
from mailclient.services.smtp_session import SmtpSession


class NotClaimed(MailError):
    """Another process claimed the message first (or it is no longer due): not sent here."""


async def flush_due(outbox: Outbox, session: SmtpSession, due: list[int]
                    ) -> tuple[list[SendOutcome], list[tuple[int, MailError]]]:
    """Send the messages ``due`` (outbox ids, queued) in order over ``session``.

    Returns what was sent and what failed (with the error), as ``Outbox.send`` would leave
    each; a connection lost during a message ends the flush there (the rest stay queued).
    """
    sent: list[SendOutcome] = []
    failed: list[tuple[int, MailError]] = []
    settled: Settled | None = None
    try:
        for item_id in due:
            if session.broken:
                break
            previous, settled = settled, None  # committed by this message's claim
            outcome, settled, error = await _send_one(outbox, session, item_id, previous)
            if outcome is not None:
                sent.append(outcome)
            if error is not None and not isinstance(error, NotClaimed):
                failed.append((item_id, error))
    finally:
        if settled is not None:  # the last message's 250, committed before anything else
            await asyncio.shield(asyncio.to_thread(outbox.settle_and_claim, settled, None))
    return sent, failed


async def _send_one(outbox: Outbox, session: SmtpSession, item_id: int, settled: Settled | None
                    ) -> tuple[SendOutcome | None, Settled | None, MailError | None]:
    """Claim (committing ``settled`` with it) and send one message.

    Returns its outcome, the state to commit with the next claim (None once committed),
    and the error it failed with.
    """
    commit = asyncio.ensure_future(asyncio.to_thread(outbox.settle_and_claim, settled, item_id))

    async def claimed() -> None:
        if not await asyncio.shield(commit):
            raise NotClaimed(f"outbox message {item_id} is not waiting to be sent")

    try:
        item = outbox.item(item_id)
        raw = outbox.raw(item_id)  # a queued message's bytes never change
        report = await session.send(sender=item.sender, recipients=item.recipients,
                                    message=without_bcc(raw), before_data=claimed)
    except BaseException as exc:
        won = await asyncio.shield(commit)  # the previous state is committed either way
        if won:
            outbox.record_failure(outbox.item(item_id), exc)
        if isinstance(exc, MailError):
            return None, None, exc if won else NotClaimed(str(exc))
        raise
    next_settled, outcome = outbox.outcome(item, raw, report)
    return outcome, next_settled, None
