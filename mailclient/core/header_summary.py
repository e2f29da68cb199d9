"""A cheap parse of the header fields a message list, threading and search need."""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import getaddresses
from functools import lru_cache

from mailclient.core.conversations import MAX_REFERENCES, parse_message_ids
from mailclient.core.header_date import parse_date
from mailclient.core.message_parse import format_address

MAX_VALUE = 64 * 1024  # bytes of one header value looked at (hostile input is cut there)
_MAX_ADDRESSES = 1000  # items of an address list parsed one by one when getaddresses fails
_CACHED_VALUE = 512  # bytes of an address field value up to which its parse is remembered

_END = re.compile(rb"\n\r?\n")  # the blank line after a header block with LF or CRLF line ends
_LONE_CR = re.compile(rb"\r(?!\n)")
_BLANK_LINE = re.compile(rb"(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r|\n)")  # any mix of line ends
# A wanted field with its continuation lines, after the line end before it (the block gets
# one in front). Other fields, lines that are no field (garbage, an mbox "From " line) and
# continuation lines never match: they do not start with a wanted name and a colon.
_WANTED_FIELD = re.compile(
    rb"\n(message-id|in-reply-to|references|subject|from|to|cc|date|content-type)[ \t]*:"
    rb"([^\n]*(?:\n[ \t][^\n]*)*)", re.IGNORECASE)
# An RFC 2047 encoded word; its text never holds "?", which keeps the scan linear.
_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([bBqQ])\?([^?]*)\?=")
_ATOM = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+"
_ADDR_SPEC = rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
_WORD = r"[^\s\"(),:;<>@\[\]\\]+"
# "Name <a@b>" and "a@b" in plain forms, read as getaddresses() reads them, only faster.
_SIMPLE_ADDRESS = re.compile(
    rf"\s*(?:((?:{_WORD}\s+)*{_WORD})?\s*<({_ADDR_SPEC})>|({_ADDR_SPEC}))\s*")
_BARE_ADDRESS = re.compile(_ADDR_SPEC)
_QUOTED_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|\((?:[^()\\]|\\.)*\)', re.DOTALL)


@dataclass(frozen=True)
class HeaderSummary:
    """The list, threading and search fields of one message, from its header block alone."""

    message_id: str  # "<abc@host>" as written, stripped; '' if none
    in_reply_to: str  # the first msg-id of In-Reply-To, '' if none
    references: list[str]  # msg-ids of References, in order (see reference_ids)
    subject: str  # RFC 2047 decoded, unfolded, whitespace collapsed
    sender: str  # the first From address, "Name <a@b>" or "a@b" (as summarize gives it)
    to: list[str]
    cc: list[str]
    date: datetime | None  # aware; None if missing or unparsable
    multipart_mixed: bool  # Content-Type is multipart/mixed (there may be attachments)


def summarize_header(header: bytes) -> HeaderSummary:
    """Parse the fields of a header block (or of a whole message: the body is ignored).

    Line ends may be CRLF, LF, CR or mixed; the first of duplicate fields wins; lines that
    are no field are skipped; raw 8-bit values are read as UTF-8, else Windows-1252.

    Args:
        header: the raw header block, with or without the blank line and body after it.

    Returns:
        The decoded fields, empty where a field is missing or unusable. Never raises.
    """
    fields = _fields(header)
    get = fields.get
    senders = address_list(get(b"from", b""))
    return HeaderSummary(
        message_id=_message_id(get(b"message-id", b"")),
        in_reply_to=first_message_id(_text(get(b"in-reply-to", b""))),
        references=reference_ids(_text(get(b"references", b""))),
        subject=decode_text(get(b"subject", b"")),
        sender=senders[0] if senders else "",
        to=address_list(get(b"to", b"")),
        cc=address_list(get(b"cc", b"")),
        date=parse_date(_text(get(b"date", b""))),
        multipart_mixed=get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        == b"multipart/mixed",
    )


def _message_id(value: bytes) -> str:
    text = _text(value).strip()
    return text.replace("\r", "").replace("\n", "") if "\n" in text or "\r" in text else text


def first_message_id(value: str) -> str:
    """The first msg-id of an In-Reply-To value as "<id>", '' if it has none."""
    ids = parse_message_ids(value) if value else []
    return ids[0] if ids else ""


def reference_ids(value: str) -> list[str]:
    """The msg-ids of a References value in order; of more than MAX_REFERENCES, the first
    and the last ones (those threading uses)."""
    ids = parse_message_ids(value) if value else []
    return ids if len(ids) <= MAX_REFERENCES else ids[:1] + ids[1 - MAX_REFERENCES :]


def _fields(header: bytes) -> dict[bytes, bytes]:
    """The raw values of the wanted fields (the first of each) by lower-case name.

    Values keep their line ends (folds and a trailing CR): every reader of them takes CR and
    LF for whitespace, which is what unfolding would make of them."""
    if header[:3] == b"\xef\xbb\xbf":  # a UTF-8 byte order mark
        header = header[3:]
    if header[:1] in (b"\r", b"\n"):
        return {}  # it starts with the blank line: no field at all
    end = _END.search(header)
    block = header[: end.start() + 1] if end is not None else header
    if b"\r" in block and _LONE_CR.search(block) is not None:  # CR-only or mixed line ends
        blank = _BLANK_LINE.search(header)
        block = header[: blank.start()] if blank is not None else header
        block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    found: dict[bytes, bytes] = {}
    for name, value in _WANTED_FIELD.findall(b"\n" + block):
        key = name.lower()
        if key not in found:
            found[key] = _cut(key, value) if len(value) > MAX_VALUE else value
    return found


def _cut(key: bytes, value: bytes) -> bytes:
    """A value cut to about MAX_VALUE bytes between items or words; of References, the head
    and the tail (threading wants the first and the last ids)."""
    half = MAX_VALUE // 2
    if key == b"references":
        return value[: value.rfind(b">", 0, half) + 1] + b" " + value[value.find(b"<", -half) :]
    value = value[:MAX_VALUE]
    end = value.rfind(b"," if key in (b"to", b"cc", b"from") else b" ")
    return value[:end] if end > half else value


def _text(value: bytes) -> str:
    """Raw header bytes as text: ASCII, else UTF-8, else Windows-1252 (as mail clients guess)."""
    if value.isascii():
        return value.decode("ascii")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("windows-1252", "replace")


def decode_text(value: bytes) -> str:
    """An unstructured value (Subject) with encoded words decoded and whitespace collapsed."""
    text = _text(value)
    return " ".join((decode_words(text) if "=?" in text else text).split())


def decode_words(text: str) -> str:
    """Decode the RFC 2047 encoded words in ``text``.

    Whitespace between two encoded words goes, and adjacent words in one charset are decoded
    together (mailers split characters across words). Unknown charsets are guessed like raw
    8-bit text; bad base64 is shown as written.
    """
    parts: list[str] = []
    position = 0
    charset = ""
    pending: list[bytes] = []  # the bytes of the adjacent words in ``charset`` so far
    for match in _ENCODED_WORD.finditer(text):
        data = _word_bytes(match.group(2), match.group(3))
        gap = text[position : match.start()]
        adjacent = bool(pending) and (not gap or gap.isspace())
        word_charset = match.group(1).split("*", 1)[0].lower()  # RFC 2231 "charset*lang"
        if adjacent and word_charset == charset:
            pending.append(data)
        else:
            if pending:
                parts.append(_decode_bytes(b"".join(pending), charset))
            parts.append("" if adjacent else gap)
            charset, pending = word_charset, [data]
        position = match.end()
    if not pending:
        return text
    parts += (_decode_bytes(b"".join(pending), charset), text[position:])
    return "".join(parts)


def _word_bytes(encoding: str, encoded: str) -> bytes:
    """The bytes of an encoded word's text (bad base64 as it is written)."""
    data = encoded.encode("utf-8")  # ASCII unless the header had raw 8-bit bytes
    if encoding in "qQ":
        if not data.endswith(b"="):
            return binascii.a2b_qp(data, header=True)
        return binascii.a2b_qp(data[:-1], header=True) + b"="  # not a soft line break here
    try:
        return binascii.a2b_base64(data + b"=" * (-len(data) % 4))
    except (binascii.Error, ValueError):
        return data  # shown as written, as policy.default does


def _decode_bytes(data: bytes, charset: str) -> str:
    if _known_charset(charset):
        try:
            return data.decode(charset, "replace")
        except (LookupError, UnicodeError, ValueError):
            pass
    return _text(data)


@lru_cache(maxsize=128)
def _known_charset(charset: str) -> bool:
    """Whether Python has a text codec of this name."""
    try:
        b"".decode(charset)
    except (LookupError, UnicodeError, ValueError):
        return False
    return True


def address_list(value: bytes) -> list[str]:
    """The addresses of an address field formatted as ``summarize`` does them; group names
    and comments are dropped (an empty group gives no address)."""
    if not value:
        return []
    if len(value) <= _CACHED_VALUE:
        return list(_known_addresses(value))
    return _addresses(value)


@lru_cache(maxsize=4096)
def _known_addresses(value: bytes) -> tuple[str, ...]:
    """``_addresses`` of a short value, remembered: senders and recipients recur."""
    return tuple(_addresses(value))


def _addresses(value: bytes) -> list[str]:
    text = _text(value)
    if '"' not in text and "\\" not in text and "(" not in text:
        result = []
        for item in text.split(","):
            match = _SIMPLE_ADDRESS.fullmatch(item)
            if match is None:
                words = item.split()  # "a@b c@d": addresses without commas (broken scripts)
                if len(words) < 2 or not all(_BARE_ADDRESS.fullmatch(w) for w in words):
                    break
                result += words
                continue
            display, addr, bare = match.groups()
            result.append(addr or bare if display is None else _format(display, addr))
        else:
            return result
    return [_format(display, addr) for display, addr in _address_pairs(text)
            if display or addr]


def _format(display: str, addr: str) -> str:
    """As summarize formats it: encoded words decoded, whitespace collapsed."""
    display = " ".join((decode_words(display) if "=?" in display else display).split())
    return format_address(display, addr)


def _address_pairs(text: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of ``getaddresses``, at worst item by item."""
    if "(" in text:
        text = _strip_comments(text)
    try:
        return getaddresses([text])
    except Exception:  # noqa: BLE001 - getaddresses is fragile (RecursionError on long lists)
        pass
    pairs = []
    for item in text.split(",")[:_MAX_ADDRESSES]:
        try:
            pairs += getaddresses([item])
        except Exception:  # noqa: BLE001 - as above
            continue
    return pairs


def _strip_comments(text: str) -> str:
    """``text`` without its comments (nested ones to a depth of 8); quoted strings kept."""
    for _ in range(8):
        stripped = _QUOTED_OR_COMMENT.sub(lambda m: m[0] if m[0][0] == '"' else " ", text)
        if stripped == text:
            break
        text = stripped
    return text
