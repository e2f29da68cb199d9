"""What the reader's body view is given: plain text as HTML in the palette's colours, HTML
with its remote images set aside, and the inline parts and headers that go with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

from PySide6.QtGui import QColor, QFontDatabase, QPalette
from PySide6.QtWidgets import QWidget

from mailclient.core.flowed_text import is_flowed, plain_lines, unflow
from mailclient.core.html_images import SafeHtml, html_body, sanitize_keeping_images
from mailclient.core.link_check import LinkMismatch, misleading_links
from mailclient.core.list_unsubscribe import Unsubscribe, message_unsubscribe
from mailclient.core.message_parse import MessageView, parse_bytes
from mailclient.core.parse_limits import Shortened, walk_parts
from mailclient.core.text_html import TextColours, text_to_html
from mailclient.ui.i18n import tr


def mix_colours(one: QColor, other: QColor, share: float) -> QColor:
    """``share`` of ``one`` and the rest of ``other``."""
    rest = 1 - share
    return QColor.fromRgbF(one.redF() * share + other.redF() * rest,
                           one.greenF() * share + other.greenF() * rest,
                           one.blueF() * share + other.blueF() * rest)


def palette_colours(widget: QWidget) -> TextColours:
    """Quote colours from the widget's palette: a tone between text and base (dark or light)."""
    palette = widget.palette()
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return TextColours(dim=mix_colours(text, base, 0.6).name(),
                       bar=mix_colours(text, base, 0.35).name())


def fixed_family() -> str:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()


def plain_to_html(text: str, font_family: str, colours: TextColours | None = None,
                  *, flowed: bool = False, delsp: bool = False) -> str:
    """Plain text as HTML: escaped, web links clickable, quotes and signature dimmed;
    ``flowed``: reflow format=flowed text (RFC 3676) first."""
    colours = colours or TextColours(dim="#6b7785", bar="#9aa5b1")
    lines = unflow(text, delsp=delsp) if flowed else plain_lines(text)
    return text_to_html(lines, font_family, colours)


def flowed_params(message: EmailMessage | None) -> tuple[bool, bool]:
    """Whether the plain body of ``message`` is format=flowed, and whether DelSp=yes."""
    if message is None:
        return False, False
    try:
        part = message.get_body(preferencelist=("plain",)) or message
        params = {str(k): str(v) for k, v in (part.get_params() or [])}
    except Exception:  # noqa: BLE001 - hostile MIME must not break reading
        return False, False
    return is_flowed(params)


def inline_parts_of(message: EmailMessage | None) -> dict[str, bytes]:
    """The parts of a message that an HTML body may show by ``cid:``, by Content-ID."""
    parts: dict[str, bytes] = {}
    if message is None:
        return parts
    try:
        for part in walk_parts(message):
            cid = str(part.get("content-id", "") or "").strip().strip("<>")
            if not cid or part.is_multipart():
                continue
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                parts[cid] = payload
    except Exception:  # noqa: BLE001 - hostile MIME must not break reading
        return parts
    return parts


def inline_parts(raw: bytes) -> dict[str, bytes]:
    """``inline_parts_of`` the raw bytes of a message."""
    return inline_parts_of(parse_or_none(raw))


def parse_or_none(raw: bytes | None) -> EmailMessage | None:
    if raw is None:
        return None
    try:
        return parse_bytes(raw)
    except Exception:  # noqa: BLE001 - the reader falls back to the parsed view
        return None


@dataclass
class PreparedBody:
    """Everything the reader needs to show one message's body."""

    html: SafeHtml | None = None  # an HTML body, sanitised both ways
    text_html: str = ""  # else the plain body as HTML
    parts: dict[str, bytes] = field(default_factory=dict)
    misleading: dict[str, LinkMismatch] = field(default_factory=dict)
    unsubscribe: Unsubscribe | None = None


def prepare_body(view: MessageView, raw: bytes | None, colours: TextColours) -> PreparedBody:
    """Sanitise and render the body of ``view`` (its ``raw`` bytes give remote images,
    cid: parts, format=flowed and List-Unsubscribe); the message ``view`` was read from is
    used rather than parsed again."""
    message = None if raw is None else view.message or parse_or_none(raw)
    prepared = PreparedBody(parts=inline_parts_of(message))
    try:
        prepared.unsubscribe = message_unsubscribe(message) if message is not None else None
    except Exception:  # noqa: BLE001 - a broken header only loses the action
        prepared.unsubscribe = None
    if view.html is not None:
        source = view.source_html  # decoded once, by view_message
        if source is None and message is not None:
            source = html_body(message)
        prepared.html = sanitize_keeping_images(source if source is not None else view.html)
        prepared.misleading = misleading_links(prepared.html.with_remote)
    else:
        flowed, delsp = flowed_params(message)
        prepared.text_html = plain_to_html(view.text or "", fixed_family(), colours,
                                           flowed=flowed, delsp=delsp)
    return prepared


def header_line(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: a label holding a header of
    16,000 characters would crowd the whole header area out."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def shortened_note(shortened: list[Shortened]) -> str:
    """What the reader says of a message shown in part ('' for a message shown whole)."""
    shown = []
    for cut in shortened:
        if cut.kind == "parts":
            shown.append(tr("its first {count} parts").format(count=cut.shown))
        elif cut.kind == "depth":
            shown.append(tr("its parts to {count} levels deep").format(count=cut.shown))
        elif cut.kind == "header":
            shown.append(tr("the first {count} characters of its {name} header")
                         .format(count=cut.shown, name=cut.name))
        elif cut.kind == "headers":
            shown.append(tr("its first {count} headers").format(count=cut.shown))
        elif cut.kind == "body":
            shown.append(tr("the first {count} characters of its text").format(count=cut.shown))
        else:
            shown.append(tr("its raw text"))
    if not shown:
        return ""
    return tr("This message is too complex to show fully: showing {what}.").format(
        what="; ".join(dict.fromkeys(shown)))
