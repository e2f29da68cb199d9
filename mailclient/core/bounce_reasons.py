"""Plain-word reasons for delivery failures, from RFC 3463 status codes or the server's text."""

from __future__ import annotations

import re

# Exact codes whose meaning is more specific than their subject/detail (providers' extensions).
_EXACT: dict[str, str] = {
    "5.1.10": "no such user",  # RFC 7505 null MX, but Exchange Online means "not found"
    "5.7.23": "failed sender authentication (SPF)",
    "5.7.25": "sending server has no reverse DNS",
    "5.7.26": "failed sender authentication (SPF/DKIM/DMARC)",
    "5.7.27": "sender domain does not accept mail",
    "5.7.509": "failed sender authentication (DMARC)",
    "5.7.510": "recipient does not accept mail from outside its organisation",
    "5.7.511": "blocked as spam",
    "5.7.606": "blocked as spam",
    "5.7.708": "blocked as spam",
    "5.7.750": "blocked as spam",
    "5.4.310": "domain not found",
    "5.4.316": "delivery time expired",
}

# (subject, detail) pairs of RFC 3463, worded for a user.
_SUBJECT_DETAIL: dict[tuple[str, str], str] = {
    ("1", "0"): "recipient address rejected",
    ("1", "1"): "no such user",
    ("1", "2"): "domain not found",
    ("1", "3"): "invalid recipient address",
    ("1", "4"): "ambiguous recipient address",
    ("1", "6"): "recipient has moved",
    ("1", "7"): "invalid sender address",
    ("1", "8"): "sender domain not found",
    ("1", "10"): "domain does not accept mail",
    ("2", "0"): "mailbox unavailable",
    ("2", "1"): "mailbox disabled",
    ("2", "2"): "mailbox full",
    ("2", "3"): "message too large",
    ("2", "4"): "mailing list problem",
    ("3", "0"): "mail system problem",
    ("3", "1"): "recipient's mail system is full",
    ("3", "2"): "recipient's server is not accepting mail",
    ("3", "4"): "message too large",
    ("3", "5"): "recipient's server is misconfigured",
    ("4", "0"): "network or routing problem",
    ("4", "1"): "recipient's server did not answer",
    ("4", "2"): "connection dropped",
    ("4", "3"): "DNS failure",
    ("4", "4"): "domain not found",
    ("4", "6"): "mail routing loop",
    ("4", "7"): "delivery time expired",
    ("5", "3"): "too many recipients",
    ("6", "0"): "message content rejected",
    ("7", "0"): "rejected for security or policy reasons",
    ("7", "1"): "blocked as spam or by policy",
    ("7", "2"): "not allowed to post to the list",
    ("7", "7"): "message integrity failure",
    ("7", "8"): "authentication failed",
}

_SUBJECT: dict[str, str] = {
    "1": "recipient address rejected",
    "2": "mailbox unavailable",
    "3": "mail system problem",
    "4": "network or routing problem",
    "5": "mail protocol error",
    "6": "message content rejected",
    "7": "rejected for security or policy reasons",
}

# Text patterns, most specific first; the first that matches gives the reason.
_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (r"\bdmarc\b|\bdkim\b|\bspf\b|unauthenticated", "failed sender authentication"),
        (r"spam|black\s?list|block\s?list|\brbl\b|spamhaus|reputation|junk|bulk e?mail",
         "blocked as spam"),
        (r"quota|mailbox (is )?full|mailbox size|insufficient (system )?storage|"
         r"over ?(the )?limit|exceed\w* (the )?(storage|local limit)|number of messages|"
         r"mailbox exceeds",
         "mailbox full"),
        (r"too (large|big)|size limit|message size|exceeds? .*size|message length",
         "message too large"),
        (r"host unknown|unknown host|domain not found|no mx|name or service not known|"
         r"host not found|nxdomain|dns error|no such domain|domain .*not exist",
         "domain not found"),
        (r"user unknown|unknown user|no such (user|recipient|mailbox|address)|does ?n[o']t exist|"
         r"not exist|invalid (recipient|address|mailbox|user)|recipient not found|"
         r"user not found|no mailbox|not listed|unknown (recipient|address|local)|"
         r"mailbox unavailable|account (is )?(disabled|inactive)|address is (possibly )?incorrect|"
         r"no longer (active|valid|available)|unrouteable address|not found",
         "no such user"),
        (r"recipient (address )?rejected", "recipient address rejected"),
        (r"relay(ing)? (access )?denied|not permitted to relay|relay not permitted",
         "relaying denied"),
        (r"timed? ?out|connection refused|could not connect|unreachable|no route",
         "recipient's server could not be reached"),
        (r"deferred|temporar|try again|still being retried|greylist|"
         r"will (keep|continue) trying|delayed", "temporarily deferred"),
        (r"reject|denied|refused|blocked|policy|not (authorized|allowed)|prohibited",
         "rejected by the recipient's server"),
    )
)

_STATUS = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d]|\.\d)")


def find_status(text: str) -> str:
    """Return the first enhanced status code ("5.1.1") in ``text``, or ''."""
    match = _STATUS.search(text)
    return ".".join(match.groups()) if match else ""


def normalize_status(value: str) -> str:
    """Reduce a Status field ("5.1.1 (user unknown)") to its code, '' if there is none."""
    return find_status(value.strip())


def text_reason(text: str) -> str:
    """Return a reason worded from the server's own text, or '' if nothing is recognised."""
    for pattern, reason in _TEXT_RULES:
        if pattern.search(text):
            return reason
    return ""


def code_reason(status: str) -> str:
    """Return the reason an enhanced status code stands for, or '' if it is not one."""
    match = _STATUS.fullmatch(status)
    if not match:
        return ""
    klass, subject, detail = match.groups()
    if klass == "2":
        return "delivered"
    if status in _EXACT:
        return _EXACT[status]
    specific = _SUBJECT_DETAIL.get((subject, detail))
    if specific:
        return "temporarily deferred" if klass == "4" and subject == "4" else specific
    if klass == "4":
        return "temporarily deferred"
    return _SUBJECT.get(subject, "permanent failure")


def is_generic(status: str) -> bool:
    """True for codes that say little (missing, X.0.0, protocol class or unknown detail)."""
    match = _STATUS.fullmatch(status)
    if not match:
        return True
    _klass, subject, detail = match.groups()
    return status not in _EXACT and (
        detail == "0" or subject in ("0", "5") or (subject, detail) not in _SUBJECT_DETAIL
    )


def reason_for(status: str, text: str, *, permanent: bool) -> str:
    """Word the reason of one failure: the code when it is specific, else the server's text.

    Args:
        status: enhanced status code or ''.
        text: the server's diagnostic and any explanation around it.
        permanent: whether the failure is final (used when nothing else is known).
    Returns:
        A few plain words, never empty.
    """
    from_text = text_reason(text)
    refines_policy = from_text in ("failed sender authentication", "blocked as spam")
    if status[1:4] == ".7." and status not in _EXACT and refines_policy:
        return from_text
    if status and not is_generic(status):
        return code_reason(status)
    if from_text and not (from_text == "temporarily deferred" and permanent):
        return from_text
    if status and permanent and status.startswith("4"):
        return "gave up after repeated temporary failures"
    if status:
        return code_reason(status)
    return "permanent failure" if permanent else "temporarily deferred"
