"""POSTs to a provider's token endpoint (https; http only on loopback when allowed), in a
worker thread, with its OAuth2 error answers turned into plain-words errors."""

from __future__ import annotations

import asyncio
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from mailclient.core.errors import (
    AuthenticationError,
    NetworkError,
    ProtocolError,
    ServerTimeoutError,
)
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.tls import make_ssl_context

MAX_REPLY_BYTES = 256 * 1024


class TokenRequestRefused(AuthenticationError):
    """The token endpoint refused the request with an OAuth2 error (``invalid_grant``:
    the sign-in was withdrawn or expired, only a new sign-in helps)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a token endpoint never redirects a POST: the answer is an error


def _opener(ssl_context: ssl.SSLContext) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.HTTPSHandler(context=ssl_context),
                    urllib.request.HTTPHandler(), _NoRedirects(),
                    urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler()):
        opener.add_handler(handler)
    return opener


def _post_blocking(url: str, form: dict[str, str], ssl_context: ssl.SSLContext,
                   timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/json", "User-Agent": "mailclient"})
    try:
        with _opener(ssl_context).open(request, timeout=timeout) as reply:
            return _json_of(reply.read(MAX_REPLY_BYTES))
    except urllib.error.HTTPError as exc:
        with exc:
            body = exc.read(MAX_REPLY_BYTES)
        try:
            answer = _json_of(body)
        except ProtocolError:
            raise NetworkError(f"the sign-in server answered {exc.code} {exc.reason}") from exc
        return {"_status": exc.code, **answer}
    except TimeoutError as exc:
        raise ServerTimeoutError("the sign-in server did not answer in time") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise NetworkError(f"cannot reach the sign-in server: {exc}") from exc


def _json_of(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise ProtocolError("the sign-in server's answer is not JSON") from exc
    if not isinstance(answer, dict):
        raise ProtocolError("the sign-in server's answer is not a JSON object")
    return answer


async def post_token_request(provider: OAuthProvider, form: dict[str, str], *,
                             ssl_context: ssl.SSLContext | None = None,
                             timeout: float = 30.0) -> dict[str, Any]:
    """Send ``form`` to the provider's token endpoint; return its JSON answer.

    Raises:
        ConfigError: the endpoint is not https (nor an allowed loopback test server).
        TokenRequestRefused: the server answered an OAuth2 error (``code`` says which).
        NetworkError: the server cannot be reached, or answered something else.
    """
    provider.check_endpoints()
    context = ssl_context or make_ssl_context(ca_file=provider.ca_file)
    answer = await asyncio.to_thread(_post_blocking, provider.token_url, form, context, timeout)
    status = answer.pop("_status", 200)
    if "error" in answer or status >= 400:
        code = str(answer.get("error", status))
        described = str(answer.get("error_description", "")).strip()
        words = f"{code}: {described}" if described else code
        raise TokenRequestRefused(f"{provider.display_name} refused the request ({words})",
                                  code=code)
    return answer

