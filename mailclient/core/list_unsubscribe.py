"""List-Unsubscribe (RFC 2369) and one-click List-Unsubscribe-Post (RFC 8058) headers read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from mailclient.core.message_parse import header_text

_BRACKETED = re.compile(r"<([^<>]+)>")
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class Unsubscribe:
    """How to leave the list a message came from.

    ``mailto``: a mailto: URL to send a message to; ``web``: an https URL; ``one_click``:
    the sender accepts an RFC 8058 POST of ``ONE_CLICK_BODY`` to ``web``.
    """

    mailto: str | None
    web: str | None
    one_click: bool


def read_unsubscribe(list_unsubscribe: str, list_unsubscribe_post: str = "") -> Unsubscribe | None:
    """The ways to unsubscribe the two header values offer; None when there is none.

    Only mailto: and https: URLs are kept (plain http is not offered); the first of each.
    """
    mailto = web = None
    for url in (u.strip() for u in _BRACKETED.findall(list_unsubscribe or "")):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "mailto" and mailto is None and len(url) > len("mailto:"):
            mailto = url
        elif scheme == "https" and web is None and urlsplit(url).hostname:
            web = url
    if mailto is None and web is None:
        return None
    one_click = web is not None and ONE_CLICK_BODY.lower() in "".join(
        (list_unsubscribe_post or "").split()).lower()
    return Unsubscribe(mailto, web, one_click)


def message_unsubscribe(message: Message) -> Unsubscribe | None:
    """``read_unsubscribe`` of a parsed message's headers."""
    return read_unsubscribe(header_text(message, "list-unsubscribe"),
                            header_text(message, "list-unsubscribe-post"))
