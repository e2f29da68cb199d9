"""Reading the plain-text bounces of Postfix, Exim, qmail, Exchange, Gmail and others."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Wording that only mail systems use when they return a message.
BOUNCE_PHRASES = re.compile(
    r"|".join((
        r"following addresses? had (permanent fatal errors|delivery (problems|errors))",
        r"this is the mail system at host",
        r"delivery to the following recipients? failed",
        r"i'm sorry to have to inform you",
        r"your message (couldn't|could not|wasn't|was not|cannot|can't) (be )?deliver",
        r"hi\. this is the qmail-send program",
        r"this is the qmail-send program",
        r"could not be delivered to one or more of\s+its\s+recipients",
        r"the following address(\(es\))? failed",
        r"unable to deliver (your )?(message|mail)",
        r"(message|mail) delivery (has )?failed",
        r"delivery (has )?failed",
        r"delivery failed \d+ attempts",
        r"delivery status notification",
        r"(transcript of session|unsent message) follows",
        r"undeliver(able|ed) (mail|message)",
        r"was not delivered to",
        r"could not be delivered",
        r"failed to deliver",
        r"error (has )?occurred while (trying|attempting) to deliver",
        r"delivery (to the following recipients? )?(was )?(delayed|deferred)",
        r"has not yet been delivered",
        r"will (keep|continue) (on )?trying",
        r"failure reasons",
        r"returned mail",
        r"unknown user:",
        r"not listed in domino directory",
        r"recipients? (was|were) rejected",
        r"не может быть доставлено",
    )),
    re.IGNORECASE,
)

_ORIGINAL_MARKERS = re.compile(
    r"^[ \t>-]*("
    r"-+ ?original message ?-+|original message follows|"
    r"-+ ?below this line is a copy of the message|below is a copy of the original message|"
    r"-+ ?this is a copy of the message|-+ ?unsent message follows|"
    r"-+ ?the header of the original message|-+ ?returned message|"
    r"-+ ?original message headers|------ ?original message|content of the original"
    r").*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_START = re.compile(
    r"^(Received|Return-Path|DKIM-Signature|X-Received|Message-ID|MIME-Version) ?:",
    re.IGNORECASE | re.MULTILINE,
)
_ADDRESS = re.compile(r"[A-Za-z0-9._%+=!#$&'*/?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_SMTP_REPLY = re.compile(r"(?:^|(?<=[\s:(\]]))([245][0-9]{2})(?:[ -]|$)(.*)$", re.MULTILINE)
_DECORATION = re.compile(r"^[\s\-=*_#]*$|^\s*[-=*_]{3,}.*[-=*_]{3,}\s*$")
_DELAY_WORDS = re.compile(
    r"delayed|deferred|will (keep|continue) (on )?trying|still being retried|"
    r"not yet been delivered|temporary (error|failure|problem)|warning:",
    re.IGNORECASE,
)
_PERMANENT_WORDS = re.compile(r"permanent|fatal|given up|failed permanently", re.IGNORECASE)
_MAX_ADDRESSES = 20


@dataclass
class TextRecipient:
    """One recipient found in a bounce's explanation, with the lines that concern it."""

    address: str
    diagnostic: str
    smtp_code: str


def looks_like_bounce(text: str) -> bool:
    """True if the text carries the wording of a delivery failure notice."""
    return BOUNCE_PHRASES.search(text[:20000]) is not None


def split_original(text: str) -> tuple[str, str]:
    """Split a bounce body into its explanation and the returned message that follows it."""
    marker = _ORIGINAL_MARKERS.search(text)
    if marker:
        return text[: marker.start()], text[marker.end():]
    header = _HEADER_START.search(text)
    if header and header.start() > 0:
        return text[: header.start()], text[header.start():]
    return text, ""


def says_delayed(text: str) -> bool:
    """True if the explanation speaks of a delay rather than a final failure."""
    return _DELAY_WORDS.search(text) is not None and _PERMANENT_WORDS.search(text) is None


def _trim(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def smtp_reply(text: str) -> tuple[str, str]:
    """Return (code, whole reply line) of the first SMTP reply quoted in ``text``."""
    match = _SMTP_REPLY.search(text)
    if not match:
        return "", ""
    lines = text[match.start(1):].split("\n")
    reply = [lines[0]]
    for more in lines[1:4]:  # Postfix and Exim indent the rest of a wrapped reply
        if not more[:1].isspace() or not more.strip():
            break
        reply.append(more)
    line = " ".join(reply)
    return match.group(1), _trim(line)


def addresses_in(text: str, exclude: set[str]) -> list[str]:
    """Distinct addresses mentioned in ``text`` (lower-cased keys), in order of appearance."""
    found: list[str] = []
    seen = set(exclude)
    for match in _ADDRESS.finditer(text):
        address = match.group(0).strip(".'`")
        key = address.lower()
        if key in seen or key.split("@", 1)[0] == "mailer-daemon":
            continue
        seen.add(key)
        found.append(address)
        if len(found) >= _MAX_ADDRESSES:
            break
    return found


def recipients_in(explanation: str, candidates: list[str]) -> list[TextRecipient]:
    """Cut the explanation into one stretch per candidate address and read each stretch.

    Each stretch runs from the line where the address first appears to the line where the
    next candidate appears; it gives the SMTP reply quoted there, or its plain lines.
    """
    lower = explanation.lower()
    starts: list[tuple[int, str]] = []
    for address in candidates:
        index = lower.find(address.lower())
        starts.append((explanation.rfind("\n", 0, index) + 1 if index >= 0 else -1, address))
    located = sorted((s, a) for s, a in starts if s >= 0)
    stretches: dict[str, str] = {}
    for number, (start, address) in enumerate(located):
        end = len(explanation)
        for later, _other in located[number + 1:]:
            if later > start:
                end = later
                break
        stretches[address] = explanation[start:end]
    result = []
    for address in candidates:
        stretch = stretches.get(address, explanation)
        code, reply = smtp_reply(stretch)
        if not reply:
            code, reply = smtp_reply(explanation)
        if not reply:
            lines = [line for line in stretch.split("\n")[1:] if not _DECORATION.match(line)]
            first = stretch.split("\n", 1)[0].replace(address, "").strip(" \t<>:-*[]")
            reply = _trim(" ".join(([first] if len(first) > 3 else []) + lines[:3]))
        result.append(TextRecipient(address, reply, code))
    return result
