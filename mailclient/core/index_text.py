"""The body text, attachment names and defect count the search index needs, parsed cheaply."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from typing import Any

from mailclient.core.header_summary import decode_text
from mailclient.core.html_text import html_to_text

BODY_LIMIT = 200_000  # characters of body text indexed, as summarize() keeps
MAX_PARTS = 1000  # MIME parts looked at (for the body and the defects) of one message
MAX_ENCODED = 2_000_000  # characters of a part's encoded payload decoded
MAX_NESTING = 200  # multiparts and message/* parts parsed (deeper ones recurse, slow and fail)
MAX_HTML = 1_000_000  # characters of HTML turned into text (html_to_text takes ~1 s per MB)
MAX_PARAMS = 8192  # characters of a Content-Type or -Disposition value whose parameters are read

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_NESTING = re.compile(rb"boundary\s*=|message/")  # in lower-case bytes
_PARAM_HEADERS = ("content-type", "content-disposition")
_BODY_TYPES = frozenset(("text/plain", "text/html", "multipart/related", "multipart/alternative"))
_ASCII = (None, "us-ascii", "ascii")


class _Part(Message):
    """A compat32 message whose boundary is read unfolded, as ``policy.default`` reads it."""

    def get_boundary(self, failobj: Any = None) -> Any:
        _tidy_params(self, decode=False)
        boundary = super().get_boundary(failobj)
        return _FOLD.sub("", boundary) if isinstance(boundary, str) else boundary


_PARSER = BytesParser(_Part, policy=compat32)


@dataclass(frozen=True)
class IndexText:
    """What the search index keeps of a whole message."""

    body_text: str  # first text/plain body part, else first text/html as text; ≤ BODY_LIMIT
    attachment_names: list[str]  # one per attachment ('' for an unnamed one)
    defects: int  # parse defects of the parts looked at

    @property
    def attachment_count(self) -> int:
        return len(self.attachment_names)


def index_text(raw: bytes) -> IndexText:
    """Parse a whole message with ``compat32`` for the index, as ``summarize()`` would fill it.

    The body is the part ``EmailMessage.get_body(("plain", "html"))`` picks and attachments
    are the parts ``iter_attachments()`` yields; charsets are read as ``part_text`` reads them.

    Args:
        raw: the whole message.

    Returns:
        The body text, attachment names and defect count. Never raises.
    """
    try:
        message = _PARSER.parsebytes(_bounded(raw))
    except Exception:  # noqa: BLE001 - the parser is robust, but deep nesting can recurse
        return IndexText("", [], 1)  # the failure itself is the one defect known
    large = len(raw) > MAX_ENCODED  # only then can a part's payload be over MAX_ENCODED
    try:
        body = _body_text(message, large=large)
    except Exception:  # noqa: BLE001 - header parameters can be broken in many ways
        body = ""
    try:
        parts = _attachments(message)
        names = [_filename(part) for part in parts]
    except Exception:  # noqa: BLE001 - as above
        parts, names = [], []
    for part in parts:  # bad base64 is a defect too, as summarize() finds when it sizes them
        if str(part.get("content-transfer-encoding", "")).lower() == "base64":
            _payload_bytes(part, large=large)
    return IndexText(body, names, sum(len(part.defects) for part in _walk(message)))


def _bounded(raw: bytes) -> bytes:
    """``raw`` up to the line of its MAX_NESTING-th "boundary" or "message/" (the parser
    recurses into each nested part, and checks each line against every open boundary)."""
    lower = raw.lower()
    if lower.count(b"boundary") + lower.count(b"message/") <= MAX_NESTING:
        return raw
    for count, match in enumerate(_NESTING.finditer(lower)):
        if count == MAX_NESTING:
            return raw[: raw.rfind(b"\n", 0, match.start()) + 1]
    return raw


def _walk(message: Message) -> Iterator[Message]:
    """The parts of ``message`` depth first, at most MAX_PARTS of them, without recursion."""
    stack = [message]
    count = 0
    while stack and count < MAX_PARTS:
        part = stack.pop()
        count += 1
        yield part
        stack.extend(reversed(_children(part)))


def _children(part: Message) -> list[Message]:
    """The subparts of a multipart or message/* part ([] for a leaf)."""
    if not part.is_multipart():  # before get_payload(), which decodes 8-bit text
        return []
    payload = part.get_payload()
    if not isinstance(payload, list):
        return []
    return [p for p in payload[:MAX_PARTS] if isinstance(p, Message)]


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment"


def _body_part(message: Message) -> Message | None:
    """The first text/plain, else the first text/html part that ``get_body`` would visit."""
    html = None
    stack = [message]
    count = 0
    while stack and count < MAX_PARTS:
        part = stack.pop()
        count += 1
        if _is_attachment(part):
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            return part
        if ctype == "text/html":
            html = part if html is None else html
            continue
        children = _children(part) if ctype.startswith("multipart/") else []
        if not children:
            continue
        if ctype != "multipart/related":
            stack.extend(reversed(children))
            continue
        _tidy_params(part, decode=False)
        start = part.get_param("start")
        root = next((c for c in children if start and c.get("content-id") == start), None)
        stack.append(root or children[0])
    return html


def _body_text(message: Message, *, large: bool) -> str:
    part = _body_part(message)
    if part is None:
        return ""
    text = _part_text(part, large=large)
    if part.get_content_type() == "text/html":
        text = html_to_text(text[:MAX_HTML])
    return text[:BODY_LIMIT]


def _part_text(part: Message, *, large: bool) -> str:
    """The text of a leaf part as ``message_parse.part_text`` decodes it (declared charset;
    undeclared 8-bit as UTF-8, else Windows-1252), of at most MAX_ENCODED payload characters."""
    data = _payload_bytes(part, large=large)
    if data is None:
        return ""
    _tidy_params(part, decode=False)
    charset = part.get_content_charset()
    if charset in _ASCII:
        if data.isascii():
            return data.decode("ascii").replace("\r\n", "\n")
        try:
            return data.decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError:
            return data.decode("windows-1252", "replace").replace("\r\n", "\n")
    try:
        text = data.decode(charset or "utf-8", "replace")
    except LookupError:
        text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n")


def _payload_bytes(part: Message, *, large: bool) -> bytes | None:
    """The decoded payload of a leaf part, of at most MAX_ENCODED encoded characters (looked
    at only in a ``large`` message: get_payload() alone decodes 8-bit text)."""
    payload = part.get_payload() if large else None
    if isinstance(payload, str) and len(payload) > MAX_ENCODED:
        end = payload.rfind("\n", 0, MAX_ENCODED)  # whole lines: no base64 quantum cut apart
        part.set_payload(payload[: end + 1 if end > 0 else MAX_ENCODED])
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else None


def _attachments(message: Message) -> list[Message]:
    """The parts ``EmailMessage.iter_attachments()`` yields (top-level parts only)."""
    ctype = message.get_content_type()
    if not ctype.startswith("multipart/") or ctype == "multipart/alternative":
        return []
    children = _children(message)
    if ctype == "multipart/related":
        _tidy_params(message, decode=False)
        start = message.get_param("start")
        if start:
            rest = [c for c in children if c.get("content-id") != start]
            if len(rest) < len(children):
                return rest
        return children[1:]
    found = []
    seen: set[str] = set()
    for part in children:
        ctype = part.get_content_type()
        subtype = ctype.partition("/")[2]
        if ctype in _BODY_TYPES and not _is_attachment(part) and subtype not in seen:
            seen.add(subtype)
            continue
        found.append(part)
    return found


def _filename(part: Message) -> str:
    """The decoded file name of an attachment ('' if none): RFC 2231 parameters, RFC 2047
    encoded words in quotes (as ``policy.default`` reads them), raw 8-bit as UTF-8/1252."""
    try:
        _tidy_params(part, decode=True)
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - RFC 2231 parameters can be arbitrarily broken
        return ""
    if "=?" in name or not name.isascii():
        name = decode_text(name.encode("utf-8", "surrogateescape"))
    return name


def _tidy_params(part: Message, *, decode: bool) -> None:
    """Cut over-long Content-Type and -Disposition values (parameter parsing is quadratic) and,
    if ``decode``, read raw 8-bit ones as text (compat32 would show them as U+FFFD)."""
    seen = set()
    for key, value in part.raw_items():
        name = key.lower()
        if name not in _PARAM_HEADERS or name in seen:
            continue  # replace_header() and get() take the first field of a name
        seen.add(name)
        text = value
        if len(text) > MAX_PARAMS:
            end = text.rfind(";", 0, MAX_PARAMS)
            text = text[: end if end > 0 else MAX_PARAMS]
        if decode and not text.isascii():
            text = _raw_text(text.encode("utf-8", "surrogateescape"))
        if text is not value:
            part.replace_header(key, text)


def _raw_text(data: bytes) -> str:
    """Raw 8-bit bytes as text: UTF-8 if most non-ASCII characters decode (a name cut short
    mid-character still does), else Windows-1252."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    return data.decode("windows-1252", "replace") if bad and bad >= good else text
