"""Leaving a mailing list with one click (RFC 8058): a POST to the list's https address."""

from __future__ import annotations

import ssl

from mailclient.core.errors import NetworkError
from mailclient.core.list_unsubscribe import ONE_CLICK_BODY, Unsubscribe
from mailclient.services.https_client import https_request


async def one_click_unsubscribe(methods: Unsubscribe, *,
                                ssl_context: ssl.SSLContext | None = None,
                                timeout: float = 20.0) -> int:
    """POST ``List-Unsubscribe=One-Click`` to ``methods.web``; return the HTTP status.

    Raises:
        NetworkError: the list offers no one-click address, or the request failed.
    """
    if not methods.one_click or methods.web is None:
        raise NetworkError("this list does not offer one-click unsubscribing")
    reply = await https_request(methods.web, data=ONE_CLICK_BODY.encode("ascii"),
                                ssl_context=ssl_context, timeout=timeout, max_bytes=1024 * 1024)
    return reply.status
