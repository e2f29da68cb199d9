"""RFC 3464 delivery-status fields and the parts of a bounce: report, text, returned message."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

from mailclient.core.message_parse import part_text

_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$")
_RECIPIENT_FIELDS = ("final-recipient", "original-recipient", "x-actual-recipient")
_RECORD_FIELDS = ("status", "action", "diagnostic-code")
_MAX_PARTS = 200
_MAX_RECORDS = 100


@dataclass
class DsnRecord:
    """The per-recipient fields of one delivery-status block."""

    address: str = ""
    status: str = ""
    action: str = ""
    diagnostic: str = ""
    fields: set[str] = field(default_factory=set)


@dataclass
class BounceParts:
    """The parts of a message that matter for reading it as a bounce."""

    reports: list[Message] = field(default_factory=list)
    texts: list[Message] = field(default_factory=list)
    original: Message | None = None
    original_headers_text: str = ""


def iter_parts(message: Message) -> Iterator[Message]:
    """Yield the message and its MIME parts, not entering returned messages or reports."""
    stack = [message]
    seen = 0
    while stack and seen < _MAX_PARTS:
        part = stack.pop(0)
        seen += 1
        yield part
        ctype = part.get_content_type()
        if ctype.startswith("message/") or not part.is_multipart():
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend(p for p in payload if isinstance(p, Message))


def split_parts(message: Message) -> BounceParts:
    """Sort a message's parts into reports, readable text and the returned original."""
    found = BounceParts()
    for part in iter_parts(message):
        ctype = part.get_content_type()
        if ctype in ("message/delivery-status", "message/global-delivery-status"):
            found.reports.append(part)
        elif ctype in ("message/rfc822", "message/global") and found.original is None:
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                found.original = payload[0]
            elif isinstance(payload, str):
                found.original_headers_text = payload
        elif ctype in ("text/rfc822-headers", "message/rfc822-headers",
                       "message/global-headers"):
            if not found.original_headers_text:
                found.original_headers_text = part_text(part)
        elif part.get_content_maintype() == "text" and not part.is_multipart():
            found.texts.append(part)
    return found


def report_text(part: Message) -> str:
    """Return the text of a delivery-status part, whether parsed into blocks or left raw."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = []
        for block in payload:
            if isinstance(block, Message):
                lines = [f"{name}: {value}" for name, value in block.raw_items()]
                body = block.get_payload()
                if isinstance(body, str) and body.strip():
                    lines.append(body)  # fields after a missing blank line end up here
                blocks.append("\n".join(lines))
        return "\n\n".join(blocks)
    return part_text(part)


def _unfold(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line[:1] in (" ", "\t") and pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {line.strip()}")
            continue
        match = _FIELD.match(line)
        if match:
            pairs.append((match.group(1).lower(), match.group(2).strip()))
    return pairs


def _typed_value(value: str) -> str:
    """Strip the type prefix ("rfc822;", "smtp;") and angle brackets."""
    if ";" in value:
        prefix, rest = value.split(";", 1)
        if " " not in prefix.strip():
            value = rest
    return value.strip().strip("<>").strip()


def scan_fields(text: str) -> tuple[str, list[DsnRecord]]:
    """Read DSN fields from text, tolerant of missing or extra blank lines between blocks.

    Returns:
        The Reporting-MTA and one record per recipient, in order.
    """
    reporting_mta = ""
    records: list[DsnRecord] = []
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n[ \t]*\n", normalized):
        current: DsnRecord | None = None
        for name, value in _unfold(block):
            if name == "reporting-mta" and not reporting_mta:
                reporting_mta = _typed_value(value)
                continue
            if name not in _RECIPIENT_FIELDS and name not in _RECORD_FIELDS:
                continue
            if current is None or name in current.fields:  # a repeated field: next recipient
                if len(records) >= _MAX_RECORDS:
                    break
                current = DsnRecord()
                records.append(current)
            current.fields.add(name)
            _store(current, name, value)
    return reporting_mta, [r for r in records if "@" in r.address]


def _store(record: DsnRecord, name: str, value: str) -> None:
    if name in _RECIPIENT_FIELDS:
        if name == "final-recipient" or not record.address:
            record.address = _typed_value(value)
    elif name == "status":
        record.status = value.strip()
    elif name == "action":
        record.action = value.strip().lower().split()[0] if value.strip() else ""
    else:
        record.diagnostic = _typed_value(value) if ";" in value else value.strip()


def headers_from_text(text: str) -> Message | None:
    """Parse a block of returned header lines, or None if it does not look like headers."""
    stripped = text.lstrip("\r\n")
    if not stripped or not _FIELD.match(stripped.split("\n", 1)[0].rstrip("\r")):
        return None
    return email.message_from_string(stripped, policy=email.policy.compat32)
