"""Reading messages robustly: header values, body text, HTML and attachments from raw bytes.

Real mail is often malformed; every accessor here degrades (raw text at worst) instead of
raising. Each known trap is handled where it occurs: header objects that raise on access,
unknown charsets (LookupError), multiparts without a usable boundary (KeyError).
"""

from __future__ import annotations

import email
import email.policy
import functools
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from email.errors import MessageError
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import cast

from mailclient.core.html_safety import sanitize_html
from mailclient.core.parse_limits import (
    MAX_BODY_CHARS,
    MAX_DECODED_HEADERS,
    MAX_ENCODED_PART,
    MAX_HEADER_BYTES,
    MAX_HEADER_CHARS,
    MAX_PARTS,
    Shortened,
    base64_size,
    bound_raw,
    shortened_value,
    walk_parts,
)
from mailclient.core.part_decode import part_text as part_text


class _ReadingPolicy(email.policy.EmailPolicy):
    """``policy.default`` that parses each header value once: the parser and ``get_body``
    ask for a part's Content-Type five times or more, and each time parsed it anew."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if hasattr(value, "name"):  # a header object already
            return value
        if len(value) > MAX_HEADER_CHARS:
            return cast(str, super().header_fetch_parse(name, value))
        return _fetch_parse(name, value)


@functools.lru_cache(maxsize=512)  # the repeated asks come close together
def _fetch_parse(name: str, value: str) -> str:
    return cast(str, email.policy.default.header_fetch_parse(name, value))


READING_POLICY = _ReadingPolicy()


def parse_bytes(raw: bytes) -> EmailMessage:
    """Parse a whole message with ``policy.default`` (each header value parsed once)."""
    message = email.message_from_bytes(raw, policy=READING_POLICY)
    assert isinstance(message, EmailMessage)
    return message


# What header classes raise on hostile values: AttributeError for a group such as
# ``unlisted-recipients:;`` read as an address, ValueError for CR or LF in address parts,
# LookupError for an unknown charset in an encoded word.
_HEADER_ERRORS = (AttributeError, ValueError, TypeError, IndexError, LookupError, MessageError)


def header_text(message: Message, name: str) -> str:
    """Return the decoded value of header ``name`` ('' if absent; its raw text where it cannot
    be decoded; its first ``MAX_HEADER_CHARS`` when longer), never raising."""
    raw_value = _raw_header(message, name)
    return "" if raw_value is None else decoded_header(message, name, raw_value)


def decoded_header(message: Message, name: str, raw_value: str) -> str:
    """One header value decoded by the message's policy (at most ``MAX_HEADER_CHARS`` of it),
    on one line; its raw text where the header class raises."""
    try:
        value = str(message.policy.header_fetch_parse(name, shortened_value(raw_value)))
    except _HEADER_ERRORS:
        value = raw_value
    return _clean(value)


def all_headers(message: Message, shortened: list[Shortened] | None = None
                ) -> list[tuple[str, str]]:
    """Return every header as (name, decoded value), in order, never raising: the first
    ``MAX_DECODED_HEADERS`` characters decoded, the rest as they are, up to
    ``MAX_HEADER_BYTES`` in all (noted in ``shortened``)."""
    pairs: list[tuple[str, str]] = []
    decoded = shown = 0
    for name, raw_value in message.raw_items():
        raw_text = str(raw_value)
        shown += len(raw_text)
        if shown > MAX_HEADER_BYTES:
            if shortened is not None:
                shortened.append(Shortened("headers", len(pairs)))
            break
        if decoded < MAX_DECODED_HEADERS:
            decoded += min(len(raw_text), MAX_HEADER_CHARS)
            pairs.append((name, decoded_header(message, name, raw_text)))
        else:
            pairs.append((name, _clean(raw_text)))
    return pairs


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _clean(value: str) -> str:
    """Fold a header value onto one line and turn surrogates into replacement marks."""
    text = " ".join(value.split()) if ("\n" in value or "\r" in value) else value
    return text.encode("utf-8", "replace").decode("utf-8")


def address_list(message: Message, name: str) -> list[str]:
    """Return the addresses of an address header as ``"Name <addr>"`` strings."""
    value = header_text(message, name)
    if not value:
        return []
    try:
        pairs = getaddresses([value])
    except Exception:  # noqa: BLE001 - getaddresses is fragile on hostile input
        return [value]
    result = []
    for display, addr in pairs:
        if not addr and not display:
            continue
        result.append(format_address(display, addr))
    return result or [value]


def format_address(display: str, addr: str) -> str:
    """Format one address as ``Name <addr>`` or plain ``addr``."""
    return f"{display} <{addr}>" if display and addr else (addr or display)


def message_date(message: Message) -> datetime | None:
    """Return the Date header as an aware datetime, or None if missing or unparsable."""
    value = header_text(message, "date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed


def body_part(message: EmailMessage, subtype: str) -> Message | None:
    """The message's ``text/SUBTYPE`` body (``get_body``), None if it has none or is too
    broken to tell."""
    try:
        return message.get_body(preferencelist=(subtype,))
    except (KeyError, LookupError, AttributeError):
        return None


@dataclass
class AttachmentInfo:
    """One attachment as listed to the user."""

    filename: str
    content_type: str
    size: int


def attachment_parts(message: EmailMessage) -> list[tuple[EmailMessage, str]]:
    """The parts ``EmailMessage.iter_attachments()`` finds, each with its file name ('' when
    it has none or its parameters are unreadable); none for a message too broken to walk."""
    try:
        parts = list(itertools.islice(message.iter_attachments(), MAX_PARTS))
    except (KeyError, LookupError, AttributeError):  # a multipart without boundary
        return []
    found: list[tuple[EmailMessage, str]] = []
    for part in parts:
        try:
            filename = part.get_filename() or ""
        except Exception:  # noqa: BLE001 - RFC 2231 parameters can be arbitrarily broken
            filename = ""
        found.append((part, filename))
    return found


def attachments(message: EmailMessage) -> list[AttachmentInfo]:
    """List the attachments as ``EmailMessage.iter_attachments()`` finds them."""
    found: list[AttachmentInfo] = []
    for part, filename in attachment_parts(message):
        found.append(AttachmentInfo(_clean(filename), part.get_content_type(), _size(part)))
    return found


def _size(part: Message) -> int:
    """The decoded size of a leaf part; a payload over ``MAX_ENCODED_PART`` is measured, not
    decoded."""
    encoded = part.get_payload()
    if not isinstance(encoded, str):
        return len(str(encoded))
    if len(encoded) > MAX_ENCODED_PART:
        base64 = part.get("content-transfer-encoding", "").lower() == "base64"
        return base64_size(encoded) if base64 else len(encoded)
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else len(encoded)


@dataclass
class MessageView:
    """What a reader shows of one message; ``shortened`` says what it leaves out of a message
    over the bounds of ``parse_limits``; ``message`` is the parsed message it was read from,
    ``source_html`` its HTML body before sanitising (for a reader that sanitises its own way)."""

    headers: list[tuple[str, str]]
    from_: str
    to: list[str]
    cc: list[str]
    subject: str
    date: datetime | None
    text: str | None
    html: str | None
    attachments: list[AttachmentInfo] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    shortened: list[Shortened] = field(default_factory=list)
    message: EmailMessage | None = field(default=None, repr=False, compare=False)
    source_html: str | None = field(default=None, repr=False, compare=False)  # unsanitised


def view_message(raw: bytes) -> MessageView:
    """Parse raw bytes into what a reader shows; never raises on malformed input. A message
    over the bounds is shown in part, one the parser cannot take as raw text."""
    bounded, shortened = bound_raw(raw)
    try:
        message = parse_bytes(bounded)
        return _view(message, shortened)
    except RecursionError:  # nesting the structure scan did not see; the parser gave up
        return raw_view(raw)


def raw_view(raw: bytes) -> MessageView:
    """A message shown as its raw text (at most ``MAX_BODY_CHARS`` of it)."""
    text = raw[:MAX_BODY_CHARS].decode("utf-8", "replace")
    return MessageView(headers=[], from_="", to=[], cc=[], subject="", date=None, text=text,
                       html=None, shortened=[Shortened("raw", len(text))])


def _view(message: EmailMessage, shortened: list[Shortened]) -> MessageView:
    text_part = body_part(message, "plain")
    html_part = body_part(message, "html")
    text = part_text(text_part) if text_part is not None else None
    html = part_text(html_part) if html_part is not None else None
    if text is None and html is None and not message.is_multipart():
        text = part_text(message)
    text, html = _cut(text, shortened), _cut(html, shortened)
    senders = address_list(message, "from")
    shortened.extend(Shortened("header", MAX_HEADER_CHARS, name)
                     for name, value in message.raw_items() if len(value) > MAX_HEADER_CHARS)
    return MessageView(
        headers=all_headers(message, shortened),
        from_=senders[0] if senders else "",
        to=address_list(message, "to"),
        cc=address_list(message, "cc"),
        subject=header_text(message, "subject"),
        date=message_date(message),
        text=text,
        html=sanitize_html(html) if html is not None else None,
        attachments=attachments(message),
        defects=[_describe_defect(d) for part in walk_parts(message) for d in part.defects],
        shortened=shortened,
        message=message,
        source_html=html,
    )


def _cut(body: str | None, shortened: list[Shortened]) -> str | None:
    if body is None or len(body) <= MAX_BODY_CHARS:
        return body
    shortened.append(Shortened("body", MAX_BODY_CHARS))
    return body[:MAX_BODY_CHARS]


def _describe_defect(defect: Exception) -> str:
    text = str(defect)
    return f"{type(defect).__name__}: {text}" if text else type(defect).__name__
