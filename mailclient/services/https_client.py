"""Small HTTPS requests for the reader (remote images, one-click unsubscribe): https only,
redirects only to https, size-capped, with timeouts; run in a worker thread."""

from __future__ import annotations

import asyncio
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO

from mailclient.core.errors import NetworkError, ServerTimeoutError

USER_AGENT = "mailclient"


@dataclass(frozen=True)
class HttpsReply:
    """What a server answered: status, content type (lower case, no parameters), body."""

    status: int
    content_type: str
    body: bytes


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only when it leads to https (never down to http or elsewhere)."""

    max_redirections = 5

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        if not newurl.lower().startswith("https://"):
            raise urllib.error.HTTPError(newurl, code, "redirect away from https refused",
                                         headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(ssl_context: ssl.SSLContext | None) -> urllib.request.OpenerDirector:
    context = ssl_context or ssl.create_default_context()
    # Only these handlers: no file:, ftp: or data: URLs, no http: either.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPSHandler(context=context),
                    _HttpsOnlyRedirects(), urllib.request.HTTPErrorProcessor(),
                    urllib.request.HTTPDefaultErrorHandler()):
        opener.add_handler(handler)
    return opener


def _request_blocking(url: str, data: bytes | None, ssl_context: ssl.SSLContext | None,
                      timeout: float, max_bytes: int) -> HttpsReply:
    if not url.lower().startswith("https://"):
        raise NetworkError(f"only https addresses are fetched, not {url[:80]}")
    request = urllib.request.Request(url, data=data, headers={"User-Agent": USER_AGENT})
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with _opener(ssl_context).open(request, timeout=timeout) as reply:
            declared = reply.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise NetworkError(f"{url[:80]} is larger than {max_bytes} bytes")
            body = reply.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise NetworkError(f"{url[:80]} is larger than {max_bytes} bytes")
            kind = reply.headers.get_content_type().lower()
            return HttpsReply(reply.status, kind, body)
    except TimeoutError as exc:
        raise ServerTimeoutError(f"{url[:80]} did not answer in time") from exc
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the open response
        raise NetworkError(f"{url[:80]}: {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise NetworkError(f"cannot fetch {url[:80]}: {exc}") from exc


async def https_request(url: str, *, data: bytes | None = None,
                        ssl_context: ssl.SSLContext | None = None, timeout: float = 15.0,
                        max_bytes: int = 5 * 1024 * 1024) -> HttpsReply:
    """GET ``url`` (POST ``data`` when given) over https, off the event loop's thread.

    Args:
        ssl_context: the certificates to trust (the system's by default).
        timeout: seconds for connecting and for each read.
        max_bytes: a larger body is refused.
    Raises:
        NetworkError: not https, a redirect away from https, an error status, too large,
            or the server cannot be reached (``ServerTimeoutError`` when it is too slow).
    """
    return await asyncio.to_thread(_request_blocking, url, data, ssl_context, timeout,
                                   max_bytes)
