"""Reading IMAP responses (as aioimaplib collects them) into folders, messages and numbers.

Pure functions, no I/O. A response is a list of parts: ``bytes`` text, where text ending in
``{n}`` is followed by the literal as a ``bytearray`` and then by the rest of the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from mailclient.core.errors import ProtocolError
from mailclient.services.imap.models import FetchedMessage, FolderInfo, SelectedFolder
from mailclient.services.imap.uids import expand_uid_set
from mailclient.services.imap.utf7 import decode_mailbox

Part = bytes | bytearray
Value = Any  # str (atom), bytes (string or literal), None (NIL) or list of values

_TOKEN = re.compile(
    rb' *(?:(?P<open>\()|(?P<close>\))|"(?P<quoted>[^"\\]*(?:\\.[^"\\]*)*)"'
    rb"|\{(?P<literal>\d+)\+?\}\Z"
    rb'|(?P<atom>[^ ()"\[\]]+(?:\[[^\]]*\][^ ()"]*)?|\[[^\]]*\][^ ()"]*))'
)
_ESCAPE = re.compile(rb"\\(.)")
_DATE = re.compile(rb" ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([-+])(\d\d)(\d\d)")
_MONTH_NAMES = b"jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES.split(), 1)}
_SELECT_CODE = re.compile(rb"OK \[(UIDVALIDITY|UIDNEXT|HIGHESTMODSEQ) (\d+)\]", re.I)
_EXISTS = re.compile(rb"(\d+) EXISTS", re.I)
_NOMODSEQ_OR_CLOSED = re.compile(rb"OK \[(NOMODSEQ|CLOSED)\]", re.I)
_FETCH = re.compile(rb"\d+ FETCH ", re.I)
_VANISHED = re.compile(rb"VANISHED (?:\(EARLIER\) )?(\S+)", re.I)
_CAPABILITY_CODE = re.compile(rb"\[CAPABILITY ([^\]]*)\]", re.I)
_CODE = re.compile(rb"\[([A-Za-z0-9.-]+)")
ROLES = {
    "\\sent": "sent",
    "\\drafts": "drafts",
    "\\trash": "trash",
    "\\junk": "junk",
    "\\archive": "archive",
    "\\all": "all",
    "\\flagged": "flagged",
}
_ROLE_NAMES = {
    "sent": "sent", "sent items": "sent", "sent messages": "sent", "sent mail": "sent",
    "drafts": "drafts", "draft": "drafts",
    "trash": "trash", "deleted items": "trash", "deleted messages": "trash",
    "junk": "junk", "spam": "junk", "junk e-mail": "junk", "junk email": "junk",
    "archive": "archive", "archives": "archive",
}  # fmt: skip


def literal_size(line: Part) -> int | None:
    """Return ``n`` if ``line`` ends with a literal announcement ``{n}`` (or ``{n+}``)."""
    if not line.endswith(b"}"):
        return None
    start = line.rfind(b"{")
    digits = bytes(line[start + 1 : -1]) if start >= 0 else b""
    if digits.endswith(b"+"):
        digits = digits[:-1]
    return int(digits) if digits.isdigit() else None


def group_responses(lines: Iterable[Part]) -> Iterator[list[Part]]:
    """Split a command's untagged lines into responses (a line, its literals, their rests)."""
    current: list[Part] = []
    for item in lines:
        current.append(item)
        if isinstance(item, bytearray) or literal_size(item) is not None:
            continue
        yield current
        current = []
    if current:
        yield current


def tokenize(parts: Sequence[Part]) -> list[Value]:
    """Parse one response into atoms (``str``), strings (``bytes``), NIL (None) and lists."""
    root: list[Value] = []
    stack = [root]
    for part in parts:
        if isinstance(part, bytearray):
            stack[-1].append(bytes(part))
            continue
        pos, end = 0, len(part)
        while pos < end:
            match = _TOKEN.match(part, pos)
            if match is None:
                if part[pos:].strip():
                    raise ProtocolError(f"cannot read the server's answer at {part[pos:][:60]!r}")
                break
            pos = match.end()
            kind = match.lastgroup
            if kind == "atom":
                atom = match.group("atom").decode("utf-8", "replace")
                stack[-1].append(None if atom.upper() == "NIL" else atom)
            elif kind == "quoted":
                text = match.group("quoted")
                stack[-1].append(_ESCAPE.sub(rb"\1", text) if b"\\" in text else text)
            elif kind == "open":
                child: list[Value] = []
                stack[-1].append(child)
                stack.append(child)
            elif kind == "close":
                if len(stack) > 1:
                    stack.pop()
            # a literal marker: its data is the next part
    return root


def parse_internaldate(value: Value) -> datetime | None:
    """Read ``"17-Jul-1996 02:44:25 -0700"`` into an aware datetime (None if malformed)."""
    if isinstance(value, str):
        value = value.encode()
    match = _DATE.fullmatch(value) if isinstance(value, bytes) else None
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, tzh, tzm = match.groups()
    offset = timedelta(hours=int(tzh), minutes=int(tzm)) * (-1 if sign == b"-" else 1)
    try:
        return datetime(
            int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), int(second),
            tzinfo=timezone(offset),
        )  # fmt: skip
    except (KeyError, ValueError):
        return None


def _number(value: Value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _data(value: Value) -> bytes | None:
    if isinstance(value, str):
        return value.encode()
    return value if isinstance(value, bytes) else None


def parse_fetch(parts: Sequence[Part], *, answer_only: bool = False) -> FetchedMessage | None:
    """Read one ``N FETCH (...)`` response; None for one without UID (an unsolicited one).

    ``answer_only``: None also for a flag change the server pushed during a FETCH that asked
    for ``RFC822.SIZE``: with CONDSTORE it has a UID and ``MODSEQ``, but no size.
    """
    tokens = tokenize(parts)
    if len(tokens) < 3 or not isinstance(tokens[2], list) or str(tokens[1]).upper() != "FETCH":
        start = bytes(parts[0])[:80] if parts else b""
        raise ProtocolError(f"unexpected FETCH answer: {start!r}")
    uid = size = modseq = None
    flags: frozenset[str] = frozenset()
    internaldate = raw = header = None
    items = tokens[2]
    for name, value in zip(items[0::2], items[1::2], strict=False):
        key = name.upper() if isinstance(name, str) else ""
        if key == "UID":
            uid = _number(value)
        elif key == "FLAGS" and isinstance(value, list):
            flags = frozenset(flag for flag in value if isinstance(flag, str))
        elif key == "RFC822.SIZE":
            size = _number(value)
        elif key == "MODSEQ" and isinstance(value, list) and value:
            modseq = _number(value[0])
        elif key == "INTERNALDATE":
            internaldate = parse_internaldate(value)
        elif key.startswith("BODY[HEADER]") or key == "RFC822.HEADER":
            header = _data(value)
        elif key.startswith("BODY[]") or key == "RFC822":
            raw = _data(value)
    if uid is None or (answer_only and size is None and modseq is not None):
        return None
    return FetchedMessage(uid, flags, size or 0, internaldate, raw, header, modseq)


def parse_list(parts: Sequence[Part]) -> FolderInfo | None:
    """Read one LIST response (with or without the leading ``LIST``); None if malformed."""
    tokens = tokenize(parts)
    if tokens and isinstance(tokens[0], str) and tokens[0].upper() == "LIST":
        tokens = tokens[1:]
    if len(tokens) < 3 or not isinstance(tokens[0], list):
        return None
    flags = frozenset(flag for flag in tokens[0] if isinstance(flag, str))
    delimiter = _data(tokens[1])
    raw_name = _data(tokens[2])
    if raw_name is None:
        return None
    name = decode_mailbox(raw_name)
    role = "inbox" if name.upper() == "INBOX" else None
    for flag in flags:
        role = ROLES.get(flag.lower(), role)
    sep = delimiter.decode("utf-8", "replace") if delimiter is not None else None
    return FolderInfo(name, sep, flags, role)


def guess_roles(folders: list[FolderInfo]) -> list[FolderInfo]:
    """Give roles by well-known names, but only if the server marked no folder itself."""
    if any(f.role not in (None, "inbox") for f in folders):
        return folders
    taken: set[str] = set()
    result = []
    for folder in folders:
        leaf = folder.name
        if folder.delimiter and folder.name.upper().startswith("INBOX" + folder.delimiter):
            leaf = folder.name[len("INBOX" + folder.delimiter) :]
        role = folder.role or _ROLE_NAMES.get(leaf.lower())
        if role and role != folder.role and role not in taken:
            folder = replace(folder, role=role)
        if folder.role:
            taken.add(folder.role)
        result.append(folder)
    return result


def parse_select(name: str, lines: Iterable[Part], *, qresync: bool = False) -> SelectedFolder:
    """Read the untagged answers of SELECT/EXAMINE (UIDVALIDITY, UIDNEXT, EXISTS, MODSEQ).

    With ``qresync`` (the SELECT asked for QRESYNC) also the ``VANISHED`` UIDs and the
    ``FETCH`` answers. Answers before an ``OK [CLOSED]`` were about the folder selected
    before and are skipped; ``EXPUNGE`` answers (sequence numbers) are always skipped.
    """
    codes: dict[str, int] = {}
    exists = 0
    vanished: list[bytes] = []
    changed: dict[int, FetchedMessage] = {}
    for parts in group_responses(lines):
        line = bytes(parts[0])
        if match := _SELECT_CODE.match(line):
            codes[match.group(1).decode().upper()] = int(match.group(2))
        elif match := _EXISTS.fullmatch(line):
            exists = int(match.group(1))
        elif match := _NOMODSEQ_OR_CLOSED.match(line):
            if match.group(1).upper() == b"CLOSED":
                codes, exists, vanished, changed = {}, 0, [], {}
            codes.pop("HIGHESTMODSEQ", None)
        elif qresync and (match := _VANISHED.match(line)):
            vanished.append(match.group(1))
        elif qresync and _FETCH.match(line) and (message := parse_fetch(parts)) is not None:
            changed[message.uid] = message
    if "UIDVALIDITY" not in codes:
        raise ProtocolError(f"the server did not tell the UIDVALIDITY of {name}")
    uidnext = codes.get("UIDNEXT")
    gone = expand_uid_set(b",".join(vanished), below=uidnext) if vanished else []
    return SelectedFolder(
        name, codes["UIDVALIDITY"], uidnext, exists, codes.get("HIGHESTMODSEQ"),
        tuple(sorted(set(gone))), tuple(changed.values()),
    )  # fmt: skip


def parse_search(lines: Iterable[Part]) -> list[int]:
    """Read the numbers of ``SEARCH`` answers (with or without the leading ``SEARCH``)."""
    numbers: list[int] = []
    for line in lines:
        if isinstance(line, bytearray):
            continue
        for word in line.split():
            if word.isdigit():
                numbers.append(int(word))
            elif word.startswith(b"("):
                break  # (MODSEQ n)
    return numbers


def parse_capabilities(lines: Iterable[Part]) -> frozenset[str] | None:
    """Find capabilities in untagged ``CAPABILITY`` lines or a ``[CAPABILITY ...]`` code."""
    for line in lines:
        if isinstance(line, bytearray):
            continue
        if match := _CAPABILITY_CODE.search(line):
            words = match.group(1)
        elif line[:11].upper() == b"CAPABILITY ":
            words = line[11:]
        else:
            continue
        return frozenset(word.decode("ascii", "replace").upper() for word in words.split())
    return None


def parse_enabled(lines: Iterable[Part]) -> frozenset[str]:
    """The extensions of ``ENABLED`` answers (``ENABLED QRESYNC CONDSTORE``), upper case."""
    found: set[str] = set()
    for line in lines:
        if not isinstance(line, bytearray) and line[:8].upper() == b"ENABLED ":
            found.update(word.decode("ascii", "replace").upper() for word in line[8:].split())
    return frozenset(found)


def response_code(text: Part) -> str | None:
    """Return the response code of a status text (``[TRYCREATE] ...`` -> ``TRYCREATE``)."""
    match = _CODE.match(bytes(text).lstrip())
    return match.group(1).decode().upper() if match else None
