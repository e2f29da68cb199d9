"""Explaining bounces: which recipients failed, why in plain words, and what was returned."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import asdict, dataclass
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses

from mailclient.core import bounce_text
from mailclient.core.bounce_reasons import find_status, normalize_status, reason_for
from mailclient.core.delivery_report_dsn import (
    BounceParts,
    DsnRecord,
    headers_from_text,
    report_text,
    scan_fields,
    split_parts,
)
from mailclient.core.message_parse import part_text

_BOUNCE_LOCAL_PARTS = ("mailer-daemon", "postmaster", "mail.delivery.system", "mdaemon")
_BOUNCE_NAMES = re.compile(r"mail(er)? deliver|mailer-daemon|postmaster|post office",
                           re.IGNORECASE)


@dataclass(frozen=True)
class FailedRecipient:
    """One recipient a message could not (yet) be delivered to."""

    address: str
    status: str
    action: str
    reason: str
    diagnostic: str
    permanent: bool

    def explanation(self) -> str:
        """The reason with its status code, as in "no such user (5.1.1)"."""
        return f"{self.reason} ({self.status})" if self.status else self.reason


@dataclass(frozen=True)
class DeliveryFailure:
    """What a bounce says about a message the user sent."""

    recipients: list[FailedRecipient]
    reporting_mta: str
    original_message_id: str
    original_subject: str

    def summary(self) -> str:
        """One plain sentence saying who did not get the message and why."""
        failed = [r for r in self.recipients if r.permanent]
        delayed = [r for r in self.recipients if not r.permanent]
        clauses = []
        if len(failed) == 1:
            clauses.append(f"Your message to {failed[0].address} could not be delivered: "
                           f"{failed[0].explanation()}")
        elif failed:
            clauses.append(f"Your message could not be delivered to {_listing(failed)}")
        if delayed:
            lead = "Your message to" if not failed else "delivery to"
            if len(delayed) == 1:
                clauses.append(f"{lead} {delayed[0].address} is delayed, the server will keep "
                               f"trying: {delayed[0].explanation()}")
            else:
                clauses.append(f"{lead} {_listing(delayed)} is delayed, the server will keep "
                               "trying")
        if not clauses:
            return "Your message could not be delivered."
        return "; ".join(clauses) + "."

    def to_json(self) -> dict[str, object]:
        """The failure as JSON-ready data, with its summary."""
        return {
            "summary": self.summary(),
            "recipients": [asdict(r) for r in self.recipients],
            "reporting_mta": self.reporting_mta,
            "original_message_id": self.original_message_id,
            "original_subject": self.original_subject,
        }


def _listing(recipients: list[FailedRecipient]) -> str:
    items = [f"{r.address} ({r.reason}, {r.status})" if r.status else f"{r.address} ({r.reason})"
             for r in recipients]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def delivery_failure(message: EmailMessage | bytes) -> DeliveryFailure | None:
    """Read a message as a bounce (RFC 3464 report or a known MTA's plain-text notice).

    Args:
        message: a parsed message or its raw bytes.
    Returns:
        The failure, or None when the message is not a bounce. Never raises.
    """
    try:
        parsed: Message = message if isinstance(message, Message) else \
            email.message_from_bytes(message, policy=email.policy.compat32)
        return _read_bounce(parsed, nested=False)
    except Exception:  # noqa: BLE001 - hostile input must never break the reader
        return None


def _header(message: Message, name: str) -> str:
    values = [v for k, v in message.raw_items() if k.lower() == name]
    if not values:
        return ""
    raw = str(values[0])
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:  # noqa: BLE001 - broken encoded words: keep the raw text
        text = raw
    return " ".join(text.split()).encode("utf-8", "replace").decode("utf-8")


def _addresses(message: Message, name: str) -> list[str]:
    value = _header(message, name)
    return [addr for _name, addr in getaddresses([value]) if "@" in addr] if value else []


def _is_report(message: Message, parts: BounceParts) -> bool:
    if parts.reports:
        return True
    return (message.get_content_type() == "multipart/report"
            and str(message.get_param("report-type", "")).lower() == "delivery-status")


def _from_bounce_sender(message: Message) -> bool:
    sender = _header(message, "from")
    local = sender.rsplit("<", 1)[-1].split("@", 1)[0].strip(" <>\"").lower()
    return_path = _header(message, "return-path").strip()
    auto = _header(message, "auto-submitted").lower()
    return (local in _BOUNCE_LOCAL_PARTS or _BOUNCE_NAMES.search(sender) is not None
            or return_path in ("<>", "") and "return-path" in (k.lower() for k in message.keys())
            or "mailer-daemon" in return_path.lower()
            or auto.startswith("auto-generated") or auto.startswith("auto-replied"))


def _read_bounce(message: Message, *, nested: bool) -> DeliveryFailure | None:
    parts = split_parts(message)
    text = "\n".join(part_text(p) for p in parts.texts[:5])
    if not parts.texts and not parts.reports:  # e.g. a boundary that never occurs
        text = _unparsed_body(message)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    is_report = _is_report(message, parts)
    if not is_report and not (_from_bounce_sender(message)
                              and bounce_text.looks_like_bounce(
                                  _header(message, "subject") + "\n" + text)):
        return None
    explanation, returned = bounce_text.split_original(text)
    original = parts.original or headers_from_text(parts.original_headers_text) \
        or headers_from_text(returned)
    reporting_mta, records = "", []
    for report in parts.reports:
        mta, found = scan_fields(report_text(report))
        reporting_mta = reporting_mta or mta
        records.extend(found)
    if not records:  # some MTAs paste the DSN fields into the text part
        reporting_mta, records = scan_fields(explanation)
    delayed = bounce_text.says_delayed(explanation + " " + _header(message, "subject"))
    if not records and not nested and parts.original is not None \
            and _from_bounce_sender(parts.original):  # a bounce forwarded inside another
        inner = _read_bounce(parts.original, nested=True)
        if inner is not None:
            return inner
    if records:
        recipients = [_from_record(r, explanation, delayed) for r in records]
    else:
        recipients = _from_text(message, explanation, original, delayed)
    if not recipients:
        return None
    return DeliveryFailure(
        recipients=recipients,
        reporting_mta=reporting_mta,
        original_message_id=_header(original, "message-id").strip("<> ") if original else "",
        original_subject=_header(original, "subject") if original else "",
    )


def _unparsed_body(message: Message) -> str:
    payload = message.get_payload()
    if isinstance(payload, str):
        return payload
    return "\n".join(t for t in (message.preamble, message.epilogue) if t)


def _from_record(record: DsnRecord, explanation: str, delayed: bool) -> FailedRecipient:
    status = normalize_status(record.status) or find_status(record.diagnostic)
    action = record.action
    if action in ("failed", "delayed"):
        permanent = action == "failed"
    elif status:
        permanent = status.startswith("5")
    else:
        permanent = not delayed
    action = action or ("failed" if permanent else "delayed")
    diagnostic = " ".join(record.diagnostic.split())[:300]
    comment = record.status.partition(" ")[2]
    context = " ".join((diagnostic, comment)).strip() or _nearby(explanation, record.address)
    return FailedRecipient(
        address=record.address.rsplit(":", 1)[-1] if record.address.startswith("@")
        else record.address, status=status, action=action,
        reason=reason_for(status, context, permanent=permanent),
        diagnostic=diagnostic, permanent=permanent,
    )


def _nearby(explanation: str, address: str) -> str:
    found = bounce_text.recipients_in(explanation, [address])
    return found[0].diagnostic if found else ""


def _from_text(message: Message, explanation: str, original: Message | None,
               delayed: bool) -> list[FailedRecipient]:
    exclude = {a.lower() for a in _addresses(message, "from") + _addresses(message, "to")}
    if original is not None:
        exclude |= {a.lower() for a in _addresses(original, "from")}
    candidates = [a.strip() for a in _header(message, "x-failed-recipients").split(",")
                  if "@" in a]
    candidates += [a for a in bounce_text.addresses_in(explanation, exclude)
                   if a.lower() not in {c.lower() for c in candidates}]
    if not candidates and original is not None:
        candidates = _addresses(original, "to") + _addresses(original, "cc")
    recipients = []
    for found in bounce_text.recipients_in(explanation, candidates[:20]):
        status = find_status(found.diagnostic)
        if status:
            permanent = status.startswith("5")
        elif found.smtp_code:
            permanent = found.smtp_code.startswith("5")
        else:
            permanent = not delayed
        recipients.append(FailedRecipient(
            address=found.address, status=status,
            action="failed" if permanent else "delayed",
            reason=reason_for(status, found.diagnostic or explanation, permanent=permanent),
            diagnostic=found.diagnostic, permanent=permanent,
        ))
    return recipients
