"""Misleading links: a link whose visible text shows another domain than the one it leads to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Text that looks like a web address: an optional scheme, then a dotted host name.
_LOOKS_LIKE_ADDRESS = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?"
    r"((?:[^\s/@:.<>\"']+\.)+[^\s/@:.<>\"'0-9][^\s/@:.<>\"']*)(?::\d+)?(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LinkMismatch:
    """The domain a link's text shows and the one its target really has."""

    shown: str
    target: str


def _ascii_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def shown_domain(text: str) -> str | None:
    """The host name a link text shows (``example.com`` in "https://example.com/x"), if any."""
    match = _LOOKS_LIKE_ADDRESS.match(text.strip())
    return _ascii_host(match.group(1)) if match else None


def _target_host(href: str) -> str | None:
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return _ascii_host(parts.hostname)


def _same_site(shown: str, target: str) -> bool:
    shown, target = shown.removeprefix("www."), target.removeprefix("www.")
    return shown == target or target.endswith("." + shown) or shown.endswith("." + target)


def link_mismatch(text: str, href: str) -> LinkMismatch | None:
    """A ``LinkMismatch`` when ``text`` shows a domain that ``href`` (http/https) does not
    lead to; None for a text that shows no domain, a matching one, or a non-web target.
    Hosts are compared in their ASCII (IDNA) form, so look-alike letters do not match."""
    shown, target = shown_domain(text), _target_host(href)
    if shown is None or target is None or _same_site(shown, target):
        return None
    return LinkMismatch(shown, target)


class _LinkTexts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._close()
            self._href = dict(attrs).get("href") or None
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def _close(self) -> None:
        if self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
        self._href = None


def misleading_links(html: str) -> dict[str, LinkMismatch]:
    """The links of ``html`` whose text shows another domain, by target (as written)."""
    parser = _LinkTexts()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):
        pass
    found: dict[str, LinkMismatch] = {}
    for href, text in parser.links:
        mismatch = link_mismatch(text, href)
        if mismatch is not None:
            found.setdefault(href, mismatch)
    return found
