"""The two forms of a sent message: the Sent copy keeps its Bcc, the copy on the wire never."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8

from mailclient.core.message_build import parse_address, serialize

_BLIND = (b"bcc", b"resent-bcc")
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def sent_copy(message: EmailMessage, bcc: list[str]) -> bytes:
    """``message`` serialized with a ``Bcc`` header naming ``bcc`` (as Thunderbird files it).

    This is what the outbox keeps and what goes to the Sent folder; ``without_bcc`` gives
    what goes to the SMTP server. ``message`` itself is left unchanged.

    Raises:
        ConfigError: a Bcc address is invalid.
    """
    raw = serialize(message)
    if not bcc:
        return raw
    addresses = [parse_address(a) for a in bcc]
    field = EmailMessage()
    field["Bcc"] = addresses
    utf8 = any(not a.addr_spec.isascii() for a in addresses)
    line = field.as_bytes(policy=SMTPUTF8 if utf8 else SMTP).rstrip(b"\r\n") + b"\r\n"
    end = _header_end(raw)
    return raw[:end] + line + raw[end:]


def without_bcc(raw: bytes) -> bytes:
    """``raw`` without its ``Bcc`` and ``Resent-Bcc`` fields; every other byte kept as is."""
    end = _header_end(raw)
    kept: list[bytes] = []
    dropping = False
    for line in raw[:end].splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):  # a folded continuation of the field above
            if not dropping:
                kept.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower()
        dropping = b":" in line and name in _BLIND
        if not dropping:
            kept.append(line)
    return b"".join(kept) + raw[end:]


def _header_end(raw: bytes) -> int:
    """Where the header section ends: just after the last field's line end."""
    found = _HEADER_END.search(raw)
    if found is None:
        return len(raw)
    return found.start() + (2 if raw[found.start():found.start() + 2] == b"\r\n" else 1)
