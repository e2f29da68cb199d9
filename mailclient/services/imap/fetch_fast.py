"""FETCH responses of the usual shape read by one regex; the generic parser reads the rest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from mailclient.services.imap.models import FetchedMessage
from mailclient.services.imap.parse import Part, parse_fetch

# A flag atom as the generic tokenizer reads it, printable ASCII only; NIL is no flag there.
_FLAG = rb"(?![Nn][Ii][Ll][ )])[!#-'*-Z\\^-z|~]+"
_ITEM = (
    rb"(?:UID (\d+)"
    rb"|FLAGS \(((?:" + _FLAG + rb"(?: " + _FLAG + rb")*)?)\)"
    rb"|RFC822\.SIZE (\d+)"
    rb'|INTERNALDATE " ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([-+]\d{4})"'
    rb"|MODSEQ \((\d+)\))"
)
# Items separated by single spaces, then ")" or the one literal: BODY[HEADER] {n} and so on.
# A group repeated by "*" keeps its last value, as the generic parser keeps the last item.
_USUAL = re.compile(
    rb"\d+ FETCH \((?:" + _ITEM + rb"(?: (?=[A-Z])|(?=\)\Z)))*"
    rb"(?:\)|(BODY\[(?:HEADER)?\]|RFC822(?:\.HEADER)?) \{\d+\})\Z"
)
_HEADER_KEYS = (b"BODY[HEADER]", b"RFC822.HEADER")
_MONTHS = {
    m: i for i, m in enumerate(b"jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)
}
_ZONES: dict[bytes, timezone] = {}
_FLAG_SETS: dict[bytes, frozenset[str]] = {}


def _zone(text: bytes) -> timezone:
    zone = _ZONES.get(text)
    if zone is None:
        offset = timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))
        zone = _ZONES[text] = timezone(-offset if text[:1] == b"-" else offset)
    return zone


def _flags(text: bytes) -> frozenset[str]:
    flags = _FLAG_SETS.get(text)
    if flags is None:
        if len(_FLAG_SETS) >= 1000:  # a server sending ever new keywords
            _FLAG_SETS.clear()
        flags = _FLAG_SETS[text] = frozenset(text.decode("ascii").split(" ") if text else ())
    return flags


def parse_usual_fetch(parts: Sequence[Part]) -> FetchedMessage | None:
    """Read ``N FETCH (UID .. FLAGS (..) RFC822.SIZE .. INTERNALDATE ".." MODSEQ (..))``.

    Items in any order, each at most of these, single spaces, with or without one trailing
    ``BODY[HEADER]``, ``BODY[]``, ``RFC822.HEADER`` or ``RFC822`` literal. Returns what
    ``parse_fetch`` would, or None if the response has another shape, no UID, a date
    ``parse_fetch`` would drop, or a MODSEQ without RFC822.SIZE (``answer_only`` decides).
    """
    count = len(parts)
    first = parts[0] if count else b""
    if type(first) is not bytes:
        return None
    if count != 1 and (count != 3 or type(parts[1]) is not bytearray or parts[2] != b")"):
        return None
    match = _USUAL.match(first)
    if match is None:
        return None
    uid, flags, size, day, month, year, hour, minute, second, zone, modseq, key = match.groups()
    if uid is None or (size is None and modseq is not None) or (key is None) != (count == 1):
        return None
    date = None
    if day is not None:
        number = _MONTHS.get(month.lower())
        if number is None:
            return None
        try:
            date = datetime(
                int(year), number, int(day), int(hour), int(minute), int(second),
                tzinfo=_zone(zone),
            )  # fmt: skip
        except ValueError:
            return None
    raw = header = None
    if key is not None:
        if key in _HEADER_KEYS:
            header = bytes(parts[1])
        else:
            raw = bytes(parts[1])
    return FetchedMessage(
        int(uid), _flags(flags) if flags is not None else frozenset(), int(size or 0), date,
        raw, header, int(modseq) if modseq is not None else None,
    )  # fmt: skip


def read_fetch(parts: Sequence[Part], *, answer_only: bool = False) -> FetchedMessage | None:
    """``parse_fetch`` (same arguments, same result), faster for the usual shape."""
    message = parse_usual_fetch(parts)
    if message is None:
        return parse_fetch(parts, answer_only=answer_only)
    return message
