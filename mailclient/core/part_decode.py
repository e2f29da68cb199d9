"""Decoding one leaf part's payload to text, whatever its charset and encoding claim."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage, Message

from mailclient.core.parse_limits import MAX_ENCODED_PART


def part_text(part: Message) -> str:
    """Decode a text part (declared charset, else UTF-8, with replacement) with LF line ends;
    never raises."""
    return _decode_part(part).replace("\r\n", "\n")


def _decode_part(part: Message) -> str:
    encoded = part.get_payload()
    if isinstance(encoded, str) and len(encoded) > MAX_ENCODED_PART:
        part = _first_of(part, encoded)
    if part.get_content_charset() in (None, "us-ascii", "ascii"):
        undeclared = _undeclared_8bit(part)
        if undeclared is not None:
            return undeclared
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, KeyError):  # an unknown charset; a multipart without boundary
        pass
    except (ValueError, AssertionError, UnicodeError, AttributeError):  # broken encodings
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, "replace")
        except LookupError:  # an unknown charset (windows-874 before 3.12, us-askey)
            return payload.decode("utf-8", "replace")
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""


def _first_of(part: Message, encoded: str) -> EmailMessage:
    """A copy of a huge leaf ``part`` holding only its first ``MAX_ENCODED_PART`` characters
    (whole lines, a multiple of 4 for base64) of encoded payload."""
    cut = encoded[:MAX_ENCODED_PART]
    cut = cut[:cut.rfind("\n") + 1] or cut
    first = EmailMessage(policy=email.policy.default)
    for name, value in part.raw_items():
        first[name] = value
    if part.get("content-transfer-encoding", "").lower() == "base64":
        compact = "".join(cut.split())
        cut = compact[:len(compact) - len(compact) % 4]
    first.set_payload(cut)
    return first


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
