"""Reading messages robustly: header values, body text, HTML and attachments from raw bytes.

Real mail is often malformed; every accessor here degrades (raw text at worst) instead of
raising. Each known trap is handled where it occurs: header objects that raise on access,
unknown charsets (LookupError), multiparts without a usable boundary (KeyError).
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

import nh3

_ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "cid"}


def parse_bytes(raw: bytes) -> EmailMessage:
    """Parse a whole message with ``policy.default``."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def header_text(message: Message, name: str) -> str:
    """Return the decoded value of header ``name`` ('' if absent), never raising."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - header classes raise many types on hostile input
        value = _raw_header(message, name)
    return "" if value is None else _clean(str(value))


def all_headers(message: Message) -> list[tuple[str, str]]:
    """Return every header as (name, decoded value), in order, never raising."""
    pairs: list[tuple[str, str]] = []
    for name, raw_value in message.raw_items():
        try:
            value = str(message.policy.header_fetch_parse(name, raw_value))
        except Exception:  # noqa: BLE001 - see header_text
            value = str(raw_value)
        pairs.append((name, _clean(value)))
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


def part_text(part: Message) -> str:
    """Decode a text part (declared charset, else UTF-8, with replacement) with LF line ends;
    never raises."""
    return _decode_part(part).replace("\r\n", "\n")


def _decode_part(part: Message) -> str:
    if part.get_content_charset() in (None, "us-ascii", "ascii"):
        undeclared = _undeclared_8bit(part)
        if undeclared is not None:
            return undeclared
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, KeyError, ValueError, AssertionError, UnicodeError, AttributeError):
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, "replace")
        except LookupError:
            return payload.decode("utf-8", "replace")
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""


def _undeclared_8bit(part: Message) -> str | None:
    """8-bit text that claims ASCII (or no charset): UTF-8 if it decodes, else Windows-1252,
    as other mail clients guess; None if the bytes are ASCII after all."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or payload.isascii():
        return None
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("windows-1252", "replace")


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
        parts = list(message.iter_attachments())
    except (KeyError, LookupError, AttributeError):
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
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else len(str(part.get_payload()))
        found.append(AttachmentInfo(_clean(filename), part.get_content_type(), size))
    return found


def sanitize_html(html: str) -> str:
    """Strip scripts, styles-with-urls and every non-cid image source; keep safe links."""
    return nh3.clean(
        html,
        url_schemes=_ALLOWED_URL_SCHEMES,
        attribute_filter=_drop_remote_sources,
        link_rel="noopener noreferrer",
    )


def _drop_remote_sources(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"src", "srcset", "background", "poster"} and not value.startswith("cid:"):
        return None
    return value


@dataclass
class MessageView:
    """What a reader shows of one message."""

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


def view_message(raw: bytes) -> MessageView:
    """Parse raw bytes into what a reader shows; never raises on malformed input."""
    message = parse_bytes(raw)
    text_part = body_part(message, "plain")
    html_part = body_part(message, "html")
    text = part_text(text_part) if text_part is not None else None
    html = sanitize_html(part_text(html_part)) if html_part is not None else None
    if text is None and html is None and not message.is_multipart():
        text = part_text(message)
    senders = address_list(message, "from")
    return MessageView(
        headers=all_headers(message),
        from_=senders[0] if senders else "",
        to=address_list(message, "to"),
        cc=address_list(message, "cc"),
        subject=header_text(message, "subject"),
        date=message_date(message),
        text=text,
        html=html,
        attachments=attachments(message),
        defects=[_describe_defect(d) for part in message.walk() for d in part.defects],
    )


def _describe_defect(defect: Exception) -> str:
    text = str(defect)
    return f"{type(defect).__name__}: {text}" if text else type(defect).__name__
