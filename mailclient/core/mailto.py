"""Reading ``mailto:`` URLs (RFC 6068) into the fields a new message starts with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import formataddr, getaddresses
from urllib.parse import unquote_to_bytes

from mailclient.core.errors import ConfigError

SCHEME = "mailto:"
MAX_URL_LENGTH = 256 * 1024  # a body typed into a link, not an attachment
MAX_ADDRESSES = 200
# Only these header fields are taken from a link; RFC 6068 section 7 warns that others
# (From, Sender, Reply-To, Bcc from a hostile page...) must not be trusted. Bcc is kept but
# shown in the compose window, where the user sees it before sending.
ADDRESS_FIELDS = ("to", "cc", "bcc")
TEXT_FIELDS = ("subject", "body", "in-reply-to")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HEADER_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # CR and LF among them; tab allowed
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")


@dataclass
class MailtoRequest:
    """What a ``mailto:`` link asks for: recipients, subject, body and the message replied to."""

    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""
    in_reply_to: str | None = None


def is_mailto_url(text: str) -> bool:
    """True if ``text`` starts with the ``mailto:`` scheme (in any case)."""
    return text[: len(SCHEME)].lower() == SCHEME


def parse_mailto(url: str) -> MailtoRequest:
    """Read ``url`` (``mailto:a@x,b@y?subject=Hi&body=...&cc=...``).

    Percent-escapes are decoded as UTF-8; ``+`` stays a plus sign (RFC 6068, not a form).
    Header fields other than to, cc, bcc, subject, body and in-reply-to are ignored.

    Raises:
        ConfigError: not a mailto URL, too long, a bad escape or invalid UTF-8, a line break
            or control character in a header field, an address that is not one, or too many.
    """
    if not is_mailto_url(url):
        raise ConfigError("not a mailto: link")
    if len(url) > MAX_URL_LENGTH:
        raise ConfigError(f"the mailto: link is too long (over {MAX_URL_LENGTH} characters)")
    addresses, _, query = url[len(SCHEME):].partition("?")
    request = MailtoRequest()
    request.to += _addresses(_decode(addresses, "address"), "to")
    seen: set[str] = set()
    for pair in query.split("&") if query else []:
        if not pair:
            continue
        raw_name, equals, raw_value = pair.partition("=")
        name = _decode(raw_name, "field name").strip().lower()
        if not equals:
            raise ConfigError(f"the mailto: field {name!r} has no value")
        value = _decode(raw_value, name)
        if name in ADDRESS_FIELDS:
            getattr(request, name).extend(_addresses(value, name))
        elif name in TEXT_FIELDS and name not in seen:  # the first of each counts
            seen.add(name)
            _set_text(request, name, value)
    if len(request.to) + len(request.cc) + len(request.bcc) > MAX_ADDRESSES:
        raise ConfigError(f"the mailto: link names more than {MAX_ADDRESSES} recipients")
    return request


def _decode(text: str, what: str) -> str:
    if _BAD_ESCAPE.search(text):
        raise ConfigError(f"the mailto: {what} has a broken %-escape")
    try:
        return unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"the mailto: {what} is not valid UTF-8") from None


def _addresses(value: str, name: str) -> list[str]:
    """The addresses of a comma-separated list, each as ``Name <addr>`` or ``addr``."""
    if not value.strip():
        return []
    _refuse_controls(value, name)
    found: list[str] = []
    for display, address in getaddresses([value]):
        if not address:
            continue
        local, at, domain = address.rpartition("@")
        if not at or not local or not domain or any(c in address for c in " <>,;\"\\"):
            raise ConfigError(f"the mailto: {name} field has an address that is not one: "
                              f"{address!r}")
        found.append(formataddr((display, address)) if display else address)
    if not found:
        raise ConfigError(f"the mailto: {name} field has no address: {value!r}")
    return found


def _set_text(request: MailtoRequest, name: str, value: str) -> None:
    if name == "body":
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        if _BODY_CONTROL.search(text):
            raise ConfigError("the mailto: body has control characters")
        request.body = text
        return
    _refuse_controls(value, name)
    if name == "subject":
        request.subject = value.strip()
    elif value.strip():
        match = _MESSAGE_ID.fullmatch(value.strip())
        if match is None:
            raise ConfigError(f"the mailto: in-reply-to is not a message id: {value!r}")
        request.in_reply_to = match.group(0)


def _refuse_controls(value: str, name: str) -> None:
    """Header values stay on one line: a CR or LF would let a link add its own headers."""
    if _HEADER_CONTROL.search(value):
        raise ConfigError(f"the mailto: {name} field has a line break or control character")
