"""Send later: when a message given a time (``--at``) may go; the outbox holds it until then."""

from __future__ import annotations

import time
from datetime import datetime

from mailclient.core.errors import ConfigError

EXAMPLE = '"2026-12-01 09:00" (local time) or "2026-12-01T09:00+01:00"'


def parse_send_time(text: str, *, now: float | None = None) -> float:
    """The epoch of a time to send at: local time, or ISO 8601 with an offset (or ``Z``).

    Raises:
        ConfigError: the text is not such a time, or the time is not in the future.
    """
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"cannot read the time {text!r}: give it as {EXAMPLE}") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a time without offset is local time
    epoch = moment.timestamp()
    if epoch <= (time.time() if now is None else now):
        shown = moment.strftime("%Y-%m-%d %H:%M:%S %z")
        raise ConfigError(f"the time {shown} is in the past: give a time to come")
    return epoch


def describe_time(epoch: float) -> str:
    """An epoch as local time for people: ``2026-12-01 09:00 +0100``."""
    return datetime.fromtimestamp(epoch).astimezone().strftime("%Y-%m-%d %H:%M %z")
