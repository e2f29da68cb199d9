"""A draft message read back into what the compose window edits (drafts other clients saved)."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

from mailclient.core.header_summary import first_message_id, reference_ids
from mailclient.core.message_build import Attachment
from mailclient.core.message_parse import (
    address_list,
    attachment_parts,
    body_part,
    header_text,
    parse_bytes,
    part_text,
)

# The header every server copy this app saves carries: finds its old versions where UIDs
# are not known, and tells a draft of ours from another client's.
DRAFT_HEADER = "X-Mailclient-Draft"


@dataclass
class DraftFields:
    """What a saved draft message holds, as editable fields; ``draft_id`` is set when this
    app wrote it (its ``X-Mailclient-Draft`` header)."""

    to: list[str]
    cc: list[str]
    bcc: list[str]
    subject: str
    text: str
    sender: str | None = None
    html: str | None = None
    reply_to: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    draft_id: str | None = None


def draft_fields(raw: bytes) -> DraftFields:
    """Read a draft message (any client's); never raises on malformed input.

    The text is the plain part (or the whole body of a one-part message); an HTML
    alternative is kept as is for the HTML part; inline parts keep their Content-ID.
    """
    message = parse_bytes(raw)
    plain = body_part(message, "plain")
    html = body_part(message, "html")
    text = part_text(plain) if plain is not None else ""
    if plain is None and html is None and not message.is_multipart():
        text = part_text(message)
    senders = address_list(message, "from")
    reply_to = address_list(message, "reply-to")
    references = reference_ids(header_text(message, "references"))
    return DraftFields(
        to=address_list(message, "to"), cc=address_list(message, "cc"),
        bcc=address_list(message, "bcc"), subject=header_text(message, "subject"),
        text=text, sender=senders[0] if senders else None,
        html=part_text(html) if html is not None else None,
        reply_to=reply_to[0] if reply_to else None,
        in_reply_to=first_message_id(header_text(message, "in-reply-to")) or None,
        references=[r for r in references if r],
        attachments=files_of(message, keep_inline=True),
        draft_id=header_text(message, DRAFT_HEADER).strip() or None,
    )


def files_of(message: EmailMessage, *, keep_inline: bool = False) -> list[Attachment]:
    """The attachments of a parsed message, as files to attach again (forward, resend, a
    draft reopened); ``keep_inline``: parts shown inside the HTML keep their Content-ID."""
    found: list[Attachment] = []
    for number, (part, filename) in enumerate(attachment_parts(message), start=1):
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = " ".join((filename or f"attachment-{number}").split())  # no line breaks
        content_id = header_text(part, "content-id").strip().strip("<>") or None
        inline = keep_inline and content_id is not None and \
            part.get_content_disposition() != "attachment"
        found.append(Attachment(name, payload, part.get_content_type(),
                                content_id if inline else None))
    return found
