"""What the outbox holds and reports: its messages, a send's outcome, the held-message note."""

from __future__ import annotations

from dataclasses import dataclass


def maybe_sent(item_id: int, why: str = "sending was interrupted") -> str:
    """What a held message says: it may have gone out, and how to send it anyway."""
    return (f"this message may already have been sent ({why}); if the recipients did not "
            f"get it, send it again with `mailclient outbox retry {item_id}`")


@dataclass(frozen=True)
class OutboxItem:
    """One message in the outbox."""

    id: int
    account: str
    state: str
    sender: str
    recipients: list[str]
    message_id: str
    subject: str
    attempts: int
    last_error: str | None
    server_reply: str | None
    next_attempt_epoch: float = 0.0  # not sent before then (a retry's backoff, send later)
    updated_epoch: float = 0.0  # when its state last changed


@dataclass(frozen=True)
class Settled:
    """The state a send left a message in, to commit (with the next claim, in a flush)."""

    item_id: int
    state: str
    error: str | None
    reply: str | None


@dataclass(frozen=True)
class SendOutcome:
    """What happened to one send attempt."""

    item_id: int
    state: str
    accepted: list[str]
    refused: list[str]
    reply: str
