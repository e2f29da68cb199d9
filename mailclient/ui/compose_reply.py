"""What a reply, reply-all or forward starts with: recipients, subject, quote, threading."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses

from mailclient.core.draft_fields import files_of
from mailclient.core.header_summary import first_message_id, reference_ids
from mailclient.core.html_text import html_to_text
from mailclient.core.message_build import Attachment
from mailclient.core.message_parse import (
    MessageView,
    address_list,
    header_text,
    parse_bytes,
    view_message,
)
from mailclient.core.subjects import split_subject

FORWARD_RULE = "-------- Forwarded Message --------"


@dataclass
class ComposeSeed:
    """The fields a compose window opens with (all empty for a new message)."""

    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    sent_to: list[str] = field(default_factory=list)  # whom the original went to: pick From
    signature: bool = False  # add the From identity's signature (replies and forwards)


def bare_address(value: str) -> str:
    """The addr-spec of ``Name <addr>`` (lower case), '' if there is none."""
    pairs = getaddresses([value])
    return pairs[0][1].strip().lower() if pairs else ""


def prefixed(subject: str, prefix: str) -> str:
    """``subject`` with ``prefix`` ("Re:" or "Fwd:") once, unless it already starts with it."""
    text = subject.strip()
    if text.lower().startswith(prefix.lower()):
        return text
    if prefix == "Re:" and split_subject(text)[1] and text.lower().startswith("re"):
        return text  # "RE:", "Re[2]:": already a reply
    return f"{prefix} {text}" if text else prefix


def _unique(addresses: list[str], skip: set[str]) -> list[str]:
    """``addresses`` without those in ``skip`` (bare, lower case) or repeated; ``skip`` grows."""
    kept = []
    for value in addresses:
        bare = bare_address(value)
        if not bare or bare in skip:
            continue
        skip.add(bare)
        kept.append(value)
    return kept


def body_text(view: MessageView) -> str:
    """The message's text (its HTML as text when it has no plain part)."""
    if view.text is not None:
        return view.text
    return html_to_text(view.html) if view.html is not None else ""


def quote(view: MessageView) -> str:
    """"On DATE, NAME wrote:" and the original text, each line behind "> "."""
    when = view.date.astimezone().strftime("%a %d %b %Y %H:%M") if view.date else ""
    name = getaddresses([view.from_])[0][0] if view.from_ else ""
    who = name or view.from_ or "someone"
    intro = f"On {when}, {who} wrote:" if when else f"{who} wrote:"
    lines = body_text(view).rstrip("\n").split("\n")
    return intro + "\n" + "\n".join(">" if not line else f"> {line}" for line in lines) + "\n"


def sent_to(message: EmailMessage) -> list[str]:
    """The bare addresses (lower case) a message was sent to: To, Cc and Delivered-To."""
    found: list[str] = []
    for name in ("to", "cc", "delivered-to"):
        for value in address_list(message, name):
            bare = bare_address(value)
            if bare and bare not in found:
                found.append(bare)
    return found


def _threading(message: EmailMessage) -> tuple[str | None, list[str]]:
    ident = first_message_id(header_text(message, "message-id"))
    references = reference_ids(header_text(message, "references"))
    if not references:
        parent = first_message_id(header_text(message, "in-reply-to"))
        references = [parent] if parent else []
    return ident or None, references


def reply_seed(raw: bytes, own_address: str, *, everyone: bool = False,
               aliases: Iterable[str] = ()) -> ComposeSeed:
    """A reply to the message ``raw`` from the account of ``own_address`` (and ``aliases``,
    its other identities' addresses).

    To is the Reply-To (else the From; the original To when the message is one's own); with
    ``everyone`` the original To and Cc are added, without one's own addresses or repeats.
    """
    message = parse_bytes(raw)
    view = view_message(raw)
    own = {a.strip().lower() for a in (own_address, *aliases)}
    senders = address_list(message, "reply-to") or ([view.from_] if view.from_ else [])
    if senders and all(bare_address(a) in own for a in senders) and view.to:
        senders = list(view.to)  # a reply to one's own message goes to its recipients
    skip = set(own)
    to = _unique(senders, skip)
    cc: list[str] = []
    if everyone:
        to += _unique(view.to, skip)
        cc = _unique(view.cc, skip)
    ident, references = _threading(message)
    return ComposeSeed(to=to, cc=cc, subject=prefixed(view.subject, "Re:"),
                       text="\n\n" + quote(view), in_reply_to=ident, references=references,
                       sent_to=sent_to(message), signature=True)


def forward_seed(raw: bytes) -> ComposeSeed:
    """The message ``raw`` forwarded inline: its headers and text, and its attachments."""
    message = parse_bytes(raw)
    view = view_message(raw)
    rows = [("Subject", view.subject), ("Date", header_text(message, "date")),
            ("From", view.from_), ("To", ", ".join(view.to)), ("Cc", ", ".join(view.cc))]
    header = "\n".join(f"{name}: {value}" for name, value in rows if value)
    text = f"\n\n{FORWARD_RULE}\n{header}\n\n{body_text(view).rstrip()}\n"
    return ComposeSeed(subject=prefixed(view.subject, "Fwd:"), text=text,
                       attachments=files_of(message), sent_to=sent_to(message),
                       signature=True)
