"""The Date field read fast: the usual RFC 5322 form by one regex, the rest by email.utils."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

_DATE = re.compile(r"\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):"
                   r"(\d\d)(?::(\d\d))?\s+([+-])(\d\d)(\d\d)\s*(?:\([^()]*\)\s*)?")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def parse_date(value: str) -> datetime | None:
    """A Date value as an aware datetime; None if missing, unparsable or without a zone."""
    if not value:
        return None
    match = _DATE.fullmatch(value)
    month = _MONTHS.get(match.group(2).lower()) if match is not None else None
    if match is not None and month is not None:
        day, _, year, hour, minute, second, sign, zone_hours, zone_minutes = match.groups()
        try:
            zone = _zone(sign + zone_hours + zone_minutes)
            return None if zone is None else datetime(
                int(year), month, int(day), int(hour), int(minute), int(second or 0), tzinfo=zone)
        except (ValueError, OverflowError):
            return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo is not None else None


@lru_cache(maxsize=256)
def _zone(offset: str) -> timezone | None:
    """The zone of a "+hhmm" offset; None for "-0000" (RFC 5322: the zone is unknown)."""
    if offset == "-0000":
        return None
    seconds = int(offset[1:3]) * 3600 + int(offset[3:5]) * 60
    return timezone(timedelta(seconds=-seconds if offset[0] == "-" else seconds))
