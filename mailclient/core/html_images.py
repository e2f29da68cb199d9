"""HTML mail sanitised with its remote images set aside: listed, removed until allowed,
tracking pixels dropped for good."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from html.parser import HTMLParser

import nh3

from mailclient.core.html_safety import URL_SCHEMES
from mailclient.core.message_parse import part_text
from mailclient.core.parse_limits import MAX_BODY_CHARS

_REMOTE = ("http://", "https://")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"', re.IGNORECASE)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|(?<![-\w])(?:width|height)\s*:\s*[01](?:px)?\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class SafeHtml:
    """A sanitised HTML body two ways, and the remote images that separate them.

    ``blocked``: no remote image at all; ``with_remote``: the remote images kept (show it only
    when they are allowed, with the view answering them from fetched data); ``remote_urls``:
    each remote image source once, in order (tracking pixels are in neither HTML nor list).
    """

    blocked: str
    with_remote: str
    remote_urls: list[str] = field(default_factory=list)


def _is_tiny(value: str | None) -> bool:
    text = (value or "").strip().lower().removesuffix("px").strip()
    return text in {"0", "1", "0.0", "1.0"}


def _is_tracker(attributes: dict[str, str | None]) -> bool:
    return (_is_tiny(attributes.get("width")) or _is_tiny(attributes.get("height"))
            or bool(_HIDDEN_STYLE.search(attributes.get("style") or "")))


class _TrackerFinder(HTMLParser):
    """The sources of images made invisible: 0 or 1 pixel wide or high, or hidden by style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "img" and attributes.get("src") and _is_tracker(attributes):
            self.sources.add((attributes["src"] or "").strip())


def tracker_sources(html: str) -> set[str]:
    """The image sources of ``html`` that are tracking pixels."""
    finder = _TrackerFinder()
    try:
        finder.feed(html)
        finder.close()
    except (AssertionError, ValueError):
        pass
    return finder.sources


def _keep_sources(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"src", "srcset", "background", "poster"}:
        keep = value.startswith("cid:") or (
            tag == "img" and attribute == "src" and value.lower().startswith(_REMOTE))
        return value if keep else None
    return value


def sanitize_keeping_images(html: str) -> SafeHtml:
    """Sanitise ``html`` (no scripts, no styles, safe links only) and set its remote images
    aside; images without a usable source (local files, data:) are removed."""
    trackers = tracker_sources(html)
    clean = nh3.clean(html, url_schemes=URL_SCHEMES, attribute_filter=_keep_sources,
                      link_rel="noopener noreferrer")
    urls: list[str] = []

    def sort_image(tag: re.Match[str], keep_remote: bool) -> str:
        found = _ATTRIBUTE.findall(tag.group())
        attributes = {k.lower(): html_module.unescape(v) for k, v in found}
        source = attributes.get("src", "").strip()
        if not source:
            return ""
        if not source.lower().startswith(_REMOTE):
            return tag.group()
        if source in trackers or _is_tracker(dict(attributes)):
            return ""
        if source not in urls:
            urls.append(source)
        return tag.group() if keep_remote else ""

    with_remote = _IMG_TAG.sub(lambda tag: sort_image(tag, True), clean)
    blocked = _IMG_TAG.sub(lambda tag: sort_image(tag, False), clean)
    return SafeHtml(blocked, with_remote, urls)


def html_body(message: EmailMessage) -> str | None:
    """The HTML body a reader shows of a message (the one ``view_message`` picks),
    unsanitised; None when there is none or the message cannot be walked."""
    try:
        part = message.get_body(preferencelist=("html",))
    except (KeyError, LookupError, AttributeError):
        return None
    return part_text(part)[:MAX_BODY_CHARS] if part is not None else None
