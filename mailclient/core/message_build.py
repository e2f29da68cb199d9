"""Building outgoing messages with ``email`` and ``policy.default``."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, make_msgid, parseaddr

from mailclient.core.account import check_header_text, validate_address
from mailclient.core.errors import ConfigError
from mailclient.core.wire_format import wire_bytes


@dataclass(frozen=True)
class Attachment:
    """A file to attach: its name as the recipient sees it, its type and its bytes.

    With ``content_id`` it is an inline part (an image the HTML body shows as
    ``<img src="cid:CONTENT_ID">``) rather than a file for the recipient to open.
    """

    filename: str
    data: bytes
    content_type: str | None = None
    content_id: str | None = None

    @property
    def mime_type(self) -> str:
        if self.content_type:
            return self.content_type
        guessed, _ = mimetypes.guess_type(self.filename, strict=False)
        return guessed or "application/octet-stream"


@dataclass
class Draft:
    """What the user wrote: recipients, subject, text and attachments."""

    sender: Address
    to: list[str]
    subject: str
    text: str
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    reply_to: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)

    def recipients(self) -> list[str]:
        """Every envelope recipient (To, Cc and Bcc), without duplicates, in order."""
        seen: dict[str, None] = {}
        for value in (*self.to, *self.cc, *self.bcc):
            seen.setdefault(parse_address(value).addr_spec, None)
        return list(seen)


def parse_address(value: str) -> Address:
    """Parse ``addr`` or ``Name <addr>`` into an ``Address``; ``ConfigError`` if invalid."""
    check_header_text(value, "address")
    display, addr = parseaddr(value)
    if not addr:
        raise ConfigError(f"{value!r} is not an e-mail address")
    validate_address(addr)
    local, _, domain = addr.rpartition("@")
    try:
        return Address(display_name=display, username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise ConfigError(f"{value!r} is not an e-mail address: {exc}") from exc


def build_message(draft: Draft, *, date: datetime | None = None,
                  require_recipient: bool = True) -> EmailMessage:
    """Build the message to send; Bcc never appears in its headers. A draft being saved
    (``require_recipient=False``) may have no recipient yet.

    Raises:
        ConfigError: an address is invalid, a header value holds a line break or a control
            character, or the email package refuses a value (its ValueError, in words).
    """
    try:
        return _build(draft, date, require_recipient)
    except ConfigError:
        raise
    except ValueError as exc:  # the email package's own checks (header values it cannot fold)
        raise ConfigError(f"the message cannot be built: {exc}") from exc


def _build(draft: Draft, date: datetime | None, require_recipient: bool) -> EmailMessage:
    if require_recipient and not draft.to and not draft.cc and not draft.bcc:
        raise ConfigError("the message has no recipient")
    check_header_text(draft.subject, "subject")
    check_header_text(draft.sender.display_name, "display name")
    message = EmailMessage()
    message["From"] = draft.sender
    if draft.to:
        message["To"] = [parse_address(a) for a in draft.to]
    if draft.cc:
        message["Cc"] = [parse_address(a) for a in draft.cc]
    for bcc in draft.bcc:
        parse_address(bcc)
    if draft.reply_to:
        message["Reply-To"] = parse_address(draft.reply_to)
    message["Subject"] = draft.subject.strip()  # no header keeps its edge spaces
    message["Date"] = format_datetime(date or datetime.now().astimezone())
    message["Message-ID"] = make_msgid(domain=draft.sender.domain or None)
    if draft.in_reply_to:
        check_header_text(draft.in_reply_to, "In-Reply-To")
        message["In-Reply-To"] = draft.in_reply_to
        references = [*draft.references, draft.in_reply_to]
        message["References"] = " ".join(dict.fromkeys(references))
    message["MIME-Version"] = "1.0"
    message.set_content(draft.text, cte=_text_cte(draft.text))
    inline = [a for a in draft.attachments if a.content_id and draft.html is not None]
    if draft.html is not None:
        message.add_alternative(draft.html, subtype="html")
    if inline:
        html_part = message.get_body(preferencelist=("html",))
        assert html_part is not None  # just added
        for part in inline:
            _check_attachment(part)
            maintype, _, subtype = part.mime_type.partition("/")
            html_part.add_related(part.data, maintype=maintype, subtype=subtype,
                                  cid=f"<{part.content_id}>", filename=part.filename,
                                  disposition="inline")
    for attachment in draft.attachments:
        if any(attachment is part for part in inline):
            continue
        _check_attachment(attachment)
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def _check_attachment(attachment: Attachment) -> None:
    check_header_text(attachment.filename, "attachment file name")
    cid = attachment.content_id
    if cid is not None and (not cid or any(c in cid for c in "<> \t\r\n")):
        raise ConfigError(f"{cid!r} is not a usable content id (no spaces or angle brackets)")


def _text_cte(text: str) -> str:
    """7bit for short ASCII lines, quoted-printable otherwise (safe on every server)."""
    if text.isascii() and all(len(line) <= 78 for line in text.splitlines()):
        return "7bit"
    return "quoted-printable"


# Header lines up to RFC 5322's limit of 998 octets: Python's folder, splitting a long
# non-ASCII display name into several encoded words at 78, puts a space into the name that
# the reader then shows (found by tests/unit/core/test_property_messages.py).
_WIRE = SMTP.clone(max_line_length=998)
_WIRE_UTF8 = SMTPUTF8.clone(max_line_length=998)


def serialize(message: EmailMessage) -> bytes:
    """Return the wire form (CRLF line ends); UTF-8 headers only when an address needs it."""
    needs_utf8 = any(not str(a.addr_spec).isascii() for a in _all_addresses(message))
    return wire_bytes(message, _WIRE_UTF8 if needs_utf8 else _WIRE)


def _all_addresses(message: EmailMessage) -> list[Address]:
    found: list[Address] = []
    for name in ("from", "to", "cc", "reply-to"):
        header = message.get(name)
        if header is not None:
            found.extend(header.addresses)
    return found
