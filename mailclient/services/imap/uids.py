"""IMAP UID sets (``1:3,7``): checking, expanding and compressing them; COPYUID and APPENDUID."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import NamedTuple

from mailclient.core.errors import ProtocolError

log = logging.getLogger(__name__)

UID_SET = re.compile(r"(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*")
MAX_EXPANDED = 1_000_000  # UIDs one server answer may expand to (a tuple of ints each)
_RANGE = re.compile(rb"(\d+)(?::(\d+))?")
_COPYUID = re.compile(rb"\[COPYUID (\d+) ([\d:,]+) ([\d:,]+)\]", re.IGNORECASE)
_APPENDUID = re.compile(rb"\[APPENDUID ([1-9]\d{0,9}) ([1-9]\d{0,9})\]", re.IGNORECASE)
_MAX_UID = 2**32 - 1


class AppendedUid(NamedTuple):
    """Where an APPEND put the message: the folder's UIDVALIDITY and the message's UID."""

    uidvalidity: int
    uid: int


def check_uid_set(uids: str, *, star: bool = True) -> str:
    """Return ``uids`` if it is a UID set (``"1:*"``, ``"5,7:9"``), else raise ``ValueError``.

    ``star=False`` also refuses ``*`` (a set naming the UIDs exactly).
    """
    if not UID_SET.fullmatch(uids) or (not star and "*" in uids):
        raise ValueError(f"not a UID set: {uids!r}")
    return uids


def expand_uid_set(
    text: bytes | str, *, below: int | None = None, limit: int = MAX_EXPANDED
) -> list[int]:
    """Expand a UID set the server sent (no ``*``): ``"3,5:7"`` -> ``[3, 5, 6, 7]``.

    Items keep their order (COPYUID pairs the source and target sets item by item); a range
    counts upwards whichever way it is written. UIDs of ``below`` and above cannot exist
    (UIDNEXT) and are left out.

    Raises:
        ProtocolError: the set is malformed or names more than ``limit`` UIDs.
    """
    data = text.encode("ascii", "replace") if isinstance(text, str) else text
    uids: list[int] = []
    for item in data.split(b","):
        match = _RANGE.fullmatch(item)
        if match is None:
            raise ProtocolError(f"the server sent a malformed UID set: {data[:80]!r}")
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        low, high = min(first, last), max(first, last)
        if below is not None:
            high = min(high, below - 1)
        if high - low + 1 > limit - len(uids):
            raise ProtocolError(f"the server named more than {limit:,} UIDs at once")
        uids.extend(range(low, high + 1))
    return uids


def compress_uids(uids: Iterable[int]) -> str:
    """Write UIDs as a UID set: ``[7, 1, 2, 3]`` -> ``"1:3,7"`` (empty for none)."""
    ranges: list[str] = []
    start = prev = -2
    for uid in sorted(set(uids)):
        if uid == prev + 1:
            prev = uid
            continue
        if start >= 0:
            ranges.append(f"{start}:{prev}" if start != prev else str(start))
        start = prev = uid
    if start >= 0:
        ranges.append(f"{start}:{prev}" if start != prev else str(start))
    return ",".join(ranges)


def parse_copyuid(lines: Iterable[bytes | bytearray]) -> dict[int, int]:
    """Old UID -> new UID from the ``[COPYUID validity source target]`` codes (UIDPLUS).

    Looks in every text line (the untagged ``OK`` of MOVE and the tagged answer of COPY);
    ``{}`` if there is none or the two sets do not pair up.
    """
    mapping: dict[int, int] = {}
    for line in lines:
        if isinstance(line, bytearray):
            continue  # a literal
        for match in _COPYUID.finditer(line):
            try:
                source = expand_uid_set(match.group(2))
                target = expand_uid_set(match.group(3))
            except ProtocolError as exc:
                log.warning("unreadable COPYUID %r: %s", match.group(0)[:200], exc)
                return {}
            if len(source) != len(target):
                log.warning("COPYUID sets of unequal size: %r", match.group(0)[:200])
                return {}
            mapping.update(zip(source, target, strict=True))
    return mapping


def parse_appenduid(lines: Iterable[bytes | bytearray]) -> AppendedUid | None:
    """The ``[APPENDUID uidvalidity uid]`` code of an APPEND's answer (UIDPLUS, RFC 4315).

    None if there is none (no UIDPLUS), or it names a UID set (several messages appended at
    once, MULTIAPPEND) or a number out of range.
    """
    for line in lines:
        if isinstance(line, bytearray):
            continue  # a literal
        match = _APPENDUID.search(line)
        if match is not None:
            validity, uid = int(match.group(1)), int(match.group(2))
            if validity <= _MAX_UID and uid <= _MAX_UID:
                return AppendedUid(validity, uid)
            log.warning("APPENDUID out of range: %r", match.group(0)[:200])
    return None
