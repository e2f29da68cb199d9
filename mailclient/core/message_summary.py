"""The fields a message list and the search index need, taken once from raw bytes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mailclient.core.header_summary import first_message_id, reference_ids
from mailclient.core.html_text import html_to_text
from mailclient.core.message_parse import (
    address_list,
    attachments,
    header_text,
    message_date,
    parse_bytes,
    part_text,
)

STANDARD_FLAGS = ("seen", "answered", "flagged", "deleted", "draft")
_BODY_INDEX_LIMIT = 200_000  # characters of body text indexed for search


@dataclass(frozen=True)
class Summary:
    """List and index fields of one message."""

    message_id: str
    subject: str
    sender: str
    to: list[str]
    cc: list[str]
    date: datetime | None
    attachment_names: list[str]
    body_text: str
    in_reply_to: str = ""  # the first msg-id of In-Reply-To, as HeaderSummary has it
    references: list[str] = field(default_factory=list)  # msg-ids of References, in order
    defects: int = 0  # parse defects Python's email package found, all parts together

    @property
    def attachment_count(self) -> int:
        return len(self.attachment_names)


def summarize(raw: bytes) -> Summary:
    """Extract the list fields and the searchable text; never raises on malformed input."""
    message = parse_bytes(raw)
    senders = address_list(message, "from")
    files = attachments(message)
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, LookupError, AttributeError):
        body = None
    text = part_text(body) if body is not None else ""
    if body is not None and body.get_content_subtype() == "html":
        text = html_to_text(text)
    return Summary(
        message_id=header_text(message, "message-id").strip(),
        subject=header_text(message, "subject"),
        sender=senders[0] if senders else "",
        to=address_list(message, "to"),
        cc=address_list(message, "cc"),
        date=message_date(message),
        attachment_names=[a.filename for a in files],
        body_text=text[:_BODY_INDEX_LIMIT],
        in_reply_to=first_message_id(header_text(message, "in-reply-to")),
        references=reference_ids(header_text(message, "references")),
        defects=sum(len(part.defects) for part in message.walk()),
    )


def imap_flags_to_words(flags: frozenset[str] | set[str] | list[str]) -> list[str]:
    """``\\Seen`` -> ``seen``; keywords kept as they are; sorted, without duplicates."""
    words = set()
    for flag in flags:
        if flag.startswith("\\"):
            word = flag[1:].lower()
            if word in STANDARD_FLAGS:
                words.add(word)
        elif flag:
            words.add(flag)
    return sorted(words)


def words_to_imap_flags(words: list[str]) -> list[str]:
    """The inverse of ``imap_flags_to_words``."""
    return [f"\\{w.capitalize()}" if w in STANDARD_FLAGS else w for w in words]
