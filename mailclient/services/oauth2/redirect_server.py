"""The loopback redirect of a native app's sign-in (RFC 8252 section 7.3): a one-shot HTTP
server on ``http://127.0.0.1:PORT/`` (a free port) that receives the authorization code."""

from __future__ import annotations

import asyncio
import html
import secrets
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from mailclient.core.errors import AuthenticationError

MAX_REQUEST_BYTES = 16 * 1024
_DONE_PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>mailclient</title>"
              "</head><body><p>{text}</p></body></html>")


class SignInRefused(AuthenticationError):
    """The sign-in did not complete: the user declined, or the redirect was not ours."""


class LoopbackRedirect:
    """``async with LoopbackRedirect(state) as redirect``: listen on a free loopback port;
    ``redirect.redirect_uri`` goes into the authorization URL and ``await redirect.code()``
    waits for the browser. The first redirect carrying a ``state`` ends it (answered once,
    then the port is closed); other paths (``/favicon.ico``) get a 404 and it waits on.

    Args:
        state: the ``state`` sent in the authorization URL; a redirect with another one is
            refused (it was not started by this sign-in).
    """

    def __init__(self, state: str) -> None:
        self._state = state
        self._server: asyncio.Server | None = None
        self._outcome: asyncio.Future[str] | None = None
        self.redirect_uri = ""

    async def __aenter__(self) -> LoopbackRedirect:
        self._outcome = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self._answer, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.redirect_uri = f"http://127.0.0.1:{port}/"
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        self._close()
        if self._outcome is None:
            return
        if not self._outcome.done():
            self._outcome.cancel()
        elif not self._outcome.cancelled():
            self._outcome.exception()  # retrieved: never "exception was never retrieved"

    def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def code(self, timeout: float | None = None) -> str:
        """The authorization code, once the browser is redirected here.

        Raises:
            SignInRefused: the provider sent an error (the user declined) or the state
                did not match.
            TimeoutError: no redirect within ``timeout`` seconds.
        """
        assert self._outcome is not None, "use LoopbackRedirect with async with"
        return await asyncio.wait_for(asyncio.shield(self._outcome), timeout)

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError,
                ConnectionError):
            writer.close()
            return
        if len(head) > MAX_REQUEST_BYTES:
            await _reply(writer, 431, "Request too large.")
            return
        method, _, rest = head.decode("latin-1").partition(" ")
        target = rest.partition(" ")[0]
        parts = urlsplit(target)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        if method != "GET" or parts.path != "/" or "state" not in query \
                or self._outcome is None or self._outcome.done():
            await _reply(writer, 404, "Not found.")
            return
        if not secrets.compare_digest(query["state"], self._state):
            await _reply(writer, 400, "This sign-in was not started by mailclient; "
                                      "it was refused.")
            self._finish(SignInRefused("the sign-in answer did not belong to this sign-in "
                                       "(state mismatch); it was refused"))
        elif "error" in query:
            why = query.get("error_description") or query["error"]
            await _reply(writer, 200, "The sign-in was not completed. You can close this "
                                      "window.")
            self._finish(SignInRefused(f"the sign-in was not completed: {why}"))
        elif query.get("code"):
            await _reply(writer, 200, "You are signed in to mailclient. You can close this "
                                      "window.")
            self._finish(query["code"])
        else:
            await _reply(writer, 400, "The sign-in answer carries no code.")
            self._finish(SignInRefused("the sign-in server sent no authorization code"))

    def _finish(self, outcome: str | BaseException) -> None:
        assert self._outcome is not None
        if isinstance(outcome, BaseException):
            self._outcome.set_exception(outcome)
        else:
            self._outcome.set_result(outcome)
        self._close()  # answered once: nothing more is accepted on this port


async def _reply(writer: asyncio.StreamWriter, status: int, text: str) -> None:
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "Error")
    body = _DONE_PAGE.format(text=html.escape(text)).encode("utf-8")
    writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
                 f"Content-Length: {len(body)}\r\nConnection: close\r\n"
                 "Cache-Control: no-store\r\n\r\n".encode("ascii") + body)
    try:
        await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
