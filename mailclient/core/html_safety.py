"""Sanitising HTML mail with nh3: no scripts, no remote or local sources, safe links only."""

from __future__ import annotations

import nh3

URL_SCHEMES = {"http", "https", "mailto", "cid"}  # what a link or a cid: part may use


def sanitize_html(html: str) -> str:
    """Strip scripts, styles-with-urls and every non-cid image source; keep safe links."""
    return nh3.clean(
        html,
        url_schemes=URL_SCHEMES,
        attribute_filter=_drop_remote_sources,
        link_rel="noopener noreferrer",
    )


def _drop_remote_sources(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"src", "srcset", "background", "poster"} and not value.startswith("cid:"):
        return None
    return value
