"""The plumbing of a logged-in IMAP session: commands with timeouts, plain errors, state."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from aioimaplib import AUTH, SELECTED, Command, Response

from mailclient.core.account import ServerConfig
from mailclient.core.credentials import Credential, OAuthToken
from mailclient.core.errors import AuthenticationError, NetworkError, ProtocolError
from mailclient.core.sasl_oauth import DUMMY_RESPONSE, choose_mechanism, initial_response
from mailclient.services.connection_errors import oauth_refused
from mailclient.services.imap.client import ImapClient, ImapSslClient
from mailclient.services.imap.errors import (
    imap_failure,
    is_timeout,
    login_refused,
    response_text,
    where,
)
from mailclient.services.imap.fetch import StreamingFetch
from mailclient.services.imap.models import SelectedFolder
from mailclient.services.imap.parse import parse_capabilities, response_code
from mailclient.services.imap.protocol import ImapProtocol

T = TypeVar("T")
_OAUTH_REFUSAL_CODES = {None, "AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED"}


class SaslAuthenticate(Command):
    """``AUTHENTICATE`` with one SASL response: the initial response sent with the command
    (SASL-IR) or after the server's first empty ``+``; any later ``+`` is an error challenge,
    kept in ``challenge`` and answered with the dummy response so the server sends its NO."""

    def __init__(self, protocol: ImapProtocol, mechanism: str, response: str, *, sasl_ir: bool):
        args = (mechanism, response) if sasl_ir else (mechanism,)
        super().__init__("AUTHENTICATE", protocol.new_tag(), *args, loop=protocol.loop)
        self._protocol = protocol
        self._unsent: str | None = None if sasl_ir else response
        self.challenge: bytes | None = None

    def append_to_resp(self, line: bytes, result: str = "Pending") -> None:
        if result != "Pending" or not isinstance(line, bytes) or not line.startswith(b"+"):
            super().append_to_resp(line, result)
            return
        data = line[1:].strip()
        if self._unsent is not None and not data:
            answer, self._unsent = self._unsent, None
        else:
            self.challenge, answer = data, DUMMY_RESPONSE
        if self._protocol.transport is not None:
            self._protocol.transport.write(answer.encode("ascii") + b"\r\n")


class ImapSession:
    """What every IMAP operation builds on; ``ImapConnection`` is the public face of it."""

    def __init__(self, client: ImapClient | ImapSslClient, server: ServerConfig, timeout: float):
        self._client = client
        self._protocol = client.protocol
        self._server = server
        self._timeout = timeout
        self._fetch: tuple[StreamingFetch, asyncio.Future[Response]] | None = None
        self._enabled: frozenset[str] = frozenset()  # what ENABLE switched on
        self._selected: SelectedFolder | None = None
        self._writable = False  # the selected folder was opened read-write

    @property
    def capabilities(self) -> frozenset[str]:
        """The server's capabilities (upper case) as of after the login."""
        return frozenset(name.upper() for name in self._protocol.capabilities)

    @property
    def closed(self) -> bool:
        """True once the connection is gone (logged out, dropped, or given up after a timeout)."""
        transport = self._protocol.transport
        return self._protocol.closed or transport is None or transport.is_closing()

    @property
    def qresync_enabled(self) -> bool:
        """True once ``enable("QRESYNC")`` succeeded: ``select`` can then resynchronise."""
        return "QRESYNC" in self._enabled

    async def _login(self, credential: Credential) -> None:
        """Log in with a password (LOGIN, or AUTHENTICATE PLAIN when LOGIN is disabled or the
        text is not ASCII) or an ``OAuthToken`` (AUTHENTICATE OAUTHBEARER, else XOAUTH2).

        Raises:
            AuthenticationError: refused (``OAuthRejectedError`` for a token).
        """
        if isinstance(credential, OAuthToken):
            response = await self._login_oauth(credential)
        else:
            response = await self._login_password(credential)
        new_caps = parse_capabilities(response.lines)
        if new_caps is None:
            await self._run("logging in", self._protocol.capability())
        else:
            self._protocol.capabilities = set(new_caps)

    async def _login_password(self, password: str) -> Response:
        caps = self.capabilities
        user = self._server.username
        sasl = "AUTH=PLAIN" in caps and "SASL-IR" in caps
        if sasl and ("LOGINDISABLED" in caps or not (user + password).isascii()):
            step = self._protocol.authenticate_plain(user, password)
        elif "LOGINDISABLED" in caps:
            raise AuthenticationError(
                f"{where(self._server)} refuses logins without encryption: use STARTTLS or SSL"
            )
        else:
            step = self._protocol.login(user, password)
        try:  # aioimaplib refuses CR, LF and NUL in arguments with ValueError
            response: Response = await self._run("logging in", step)
        except ValueError as exc:
            raise AuthenticationError("the user name or password contains a line break") from exc
        if response.result != "OK":
            raise login_refused(self._server, response)
        return response

    async def _login_oauth(self, token: OAuthToken) -> Response:
        caps, server = self.capabilities, self._server
        mechanism = choose_mechanism({name[5:] for name in caps if name.startswith("AUTH=")})
        if mechanism is None:
            raise AuthenticationError(
                f"{where(server)} does not offer OAuth2 sign-in (XOAUTH2 or OAUTHBEARER)"
            )
        try:
            sasl = initial_response(mechanism, server.username, token.access_token,
                                    host=server.host, port=server.port)
        except ValueError as exc:
            raise AuthenticationError(f"the user name or token is not usable: {exc}") from exc
        command = SaslAuthenticate(self._protocol, mechanism, sasl, sasl_ir="SASL-IR" in caps)
        async with self._protocol.state_condition:
            response = await self._run("signing in", self._protocol.execute(command, scrub=sasl))
            if response.result == "OK":
                self._protocol.state = AUTH
            self._protocol.state_condition.notify_all()
        code = response_code(response.lines[-1]) if response.lines else None
        if response.result == "NO" and code in _OAUTH_REFUSAL_CODES:
            raise oauth_refused("IMAP", server.host, server.username, command.challenge,
                                response_text(response))
        if response.result != "OK":
            raise login_refused(server, response)
        return response

    def _abort(self) -> None:
        self._client.abort()

    def _check_open(self) -> None:
        if self.closed:
            raise NetworkError(f"the connection to {where(self._server)} is closed")

    async def _fail(self, exc: BaseException, doing: str) -> Exception:
        if is_timeout(exc) or not isinstance(exc, Exception):
            self._abort()  # the session is out of step with the server
        if not isinstance(exc, Exception) or isinstance(exc, ValueError):
            raise exc  # cancelled, or an argument aioimaplib refused (CR/LF in it)
        return await imap_failure(exc, self._server, doing=doing)

    async def _run(self, doing: str, step: Awaitable[T], timeout: float | None = None) -> T:
        try:
            return await asyncio.wait_for(step, timeout or self._timeout)
        except BaseException as exc:
            raise await self._fail(exc, doing) from exc

    async def _execute(self, doing: str, command: Command) -> Response:
        """Send ``command`` and wait for its tagged answer (the caller checks ``result``)."""
        response: Response = await self._run(doing, self._protocol.execute(command))
        return response

    async def _settle(self) -> None:
        """Finish a fetch the caller stopped iterating, then check the connection."""
        if self._fetch is not None:
            command, task = self._fetch
            self._fetch = None
            if not task.done():
                command.discard()
                try:
                    await asyncio.wait_for(asyncio.shield(task), self._timeout)
                except Exception:
                    self._abort()
        self._check_open()

    def _command(self, name: str, *args: str, prefix: str | None = None) -> Command:
        protocol = self._protocol
        return Command(name, protocol.new_tag(), *args, prefix=prefix, loop=protocol.loop)

    def _check_selected(self, doing: str, *, writable: bool = False) -> None:
        """Raise ``ProtocolError`` unless a folder is selected (read-write if ``writable``)."""
        if self._protocol.state != SELECTED or self._selected is None:
            raise ProtocolError(f"no folder is selected; select one before {doing}")
        if writable and not self._writable:
            raise ProtocolError(
                f"{self._selected.name} is open read-only; select it with readonly=False "
                f"before {doing}"
            )

    def _selection_changed(self, selected: SelectedFolder | None, *, writable: bool) -> None:
        self._selected = selected
        self._writable = selected is not None and writable
