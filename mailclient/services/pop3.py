"""Fetching mail over POP3 with blocking poplib (run it in a worker thread): TLS, UIDL, RETR."""

from __future__ import annotations

import asyncio
import contextlib
import poplib
import re
import ssl
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from mailclient.core.account import ServerConfig
from mailclient.core.credentials import Credential, OAuthToken
from mailclient.core.errors import (
    AuthenticationError,
    CertificateError,
    ConfigError,
    MailError,
    NetworkError,
    ProtocolError,
    TlsUnavailableError,
)
from mailclient.core.sasl_oauth import DUMMY_RESPONSE, choose_mechanism, initial_response
from mailclient.services.connection_errors import network_error, oauth_refused, printable
from mailclient.services.tls import (
    certificate_error_blocking,
    is_certificate_failure,
    make_ssl_context,
)

# poplib refuses lines over 2048 bytes; real messages (HTML, unwrapped text) have longer ones.
MAX_LINE = 64 * 1024 * 1024
# RFC 2449/3206 response codes that mean "not now" or "not you", rather than a bad password.
_TEMPORARY_CODES = ("[IN-USE]", "[LOGIN-DELAY]", "[SYS/TEMP]")
_SERVER_CODES = (*_TEMPORARY_CODES, "[SYS/PERM]")
_APOP_GREETING = re.compile(rb"\+OK.[^<]*<[^>]*@[^>]*>")  # RFC 1939: a msg-id style timestamp
_MAX_AUTH_LINE = 255  # RFC 5034 4: a longer initial response goes after the server's "+"


class _LongLines(poplib.POP3):
    """``poplib.POP3`` reading lines of up to ``MAX_LINE`` bytes, closing its socket when
    the greeting fails (poplib leaves it open)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(*args, **kwargs)
        except BaseException:
            for opened in (getattr(self, "file", None), getattr(self, "sock", None)):
                if opened is not None:
                    with contextlib.suppress(OSError):
                        opened.close()
            raise

    def _getline(self) -> tuple[bytes, int]:
        line = self.file.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise poplib.error_proto("-ERR line too long")
        if not line:
            raise poplib.error_proto("-ERR EOF")
        if line.endswith(b"\r\n"):
            return line[:-2], len(line)
        return line[:-1], len(line)


class _Pop3(_LongLines):
    pass


class _Pop3Ssl(_LongLines, poplib.POP3_SSL):
    pass


def _reply(exc: poplib.error_proto) -> str:
    """The server's answer from a poplib error, without the ``-ERR``."""
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.removeprefix("-ERR").split()) or "no reason given"


def _is_pop3_error(exc: poplib.error_proto) -> bool:
    raw = exc.args[0] if exc.args else b""
    return (raw.encode() if isinstance(raw, str) else bytes(raw)).startswith(b"-ERR")


class Pop3Session:
    """A logged-in POP3 session; blocking, so use it from ``asyncio.to_thread``.

    Leaving the ``with`` block normally sends QUIT, which commits deletions; leaving it by an
    exception drops the connection, so the server forgets the deletions.
    """

    def __init__(
        self,
        server: ServerConfig,
        password: Credential,
        *,
        ca_file: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        """Connect, secure and log in with a password (USER/PASS, or APOP without TLS) or,
        given an ``OAuthToken``, with AUTH OAUTHBEARER or XOAUTH2 (``OAuthRejectedError``
        if refused)."""
        self.server = server
        self._where = f"{server.host}:{server.port}"
        self._timeout = timeout
        self._client: poplib.POP3 | None = None
        self._challenge: bytes | None = None  # an OAuth2 error challenge of the server
        secret = password.access_token if isinstance(password, OAuthToken) else password
        if any(c in text for text in (server.username, secret) for c in "\r\n\0"):
            raise ConfigError("the user name and password must not contain line breaks")
        context = make_ssl_context(ca_file=ca_file, server=server)
        try:
            with self._mapped("the connection", connecting=True):
                self._client = self._connect(context)
            with self._mapped("the login"):
                self._login(password)
        except BaseException:
            self.abort()
            raise

    def __enter__(self) -> Pop3Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def uidl(self) -> dict[str, int]:
        """Return each message's unique id mapped to its number in this session."""
        with self._mapped("UIDL (unique ids)"):
            _, lines, _ = self._connected().uidl()
            pairs = (line.decode("utf-8", "replace").split() for line in lines)
            return {uid: int(number) for number, uid in pairs}

    def sizes(self) -> dict[int, int]:
        """Return each message number mapped to its size in bytes (LIST)."""
        with self._mapped("LIST"):
            _, lines, _ = self._connected().list()
            return {int(n): int(size) for n, size in (line.split()[:2] for line in lines)}

    def retrieve(self, number: int) -> bytes:
        """Return message ``number`` as the server stores it, lines ending in CRLF."""
        with self._mapped(f"to send message {number}"):
            _, lines, _ = self._connected().retr(number)
        return b"".join(line + b"\r\n" for line in lines)

    def delete(self, number: int) -> None:
        """Mark message ``number`` for deletion; it goes when ``close`` sends QUIT."""
        with self._mapped(f"to delete message {number}"):
            self._connected().dele(number)

    def close(self) -> None:
        """Send QUIT (committing deletions) and disconnect; never raises."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (poplib.error_proto, OSError):
            pass
        finally:
            with contextlib.suppress(OSError):
                client.close()

    def abort(self) -> None:
        """Disconnect without QUIT, so deletions are not committed; never raises."""
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(OSError):
                client.close()

    def _connect(self, context: ssl.SSLContext) -> poplib.POP3:
        host, port = self.server.host, self.server.port
        if self.server.security == "ssl":
            return _Pop3Ssl(host, port, timeout=self._timeout, context=context)
        client = _Pop3(host, port, timeout=self._timeout)
        self._client = client  # so that a failure below closes it
        if self.server.security == "starttls":
            try:
                offered = "STLS" in client.capa()
            except poplib.error_proto:
                offered = False
            if not offered:
                raise TlsUnavailableError(
                    f"{self._where} does not offer STLS, so the password was not sent; "
                    "the connection would not be encrypted"
                )
            try:
                client.stls(context)
            except poplib.error_proto as exc:
                raise TlsUnavailableError(f"{self._where} refused STLS: {_reply(exc)}") from exc
        return client

    def _login(self, password: Credential) -> None:
        client, user = self._connected(), self.server.username
        try:
            if isinstance(password, OAuthToken):
                self._authenticate(client, password)
            elif self.server.security == "none" and _APOP_GREETING.match(client.getwelcome()):
                client.apop(user, password)  # weak, but better than a clear-text password
            else:
                client.user(user)
                client.pass_(password)
        except poplib.error_proto as exc:
            reply = _reply(exc)
            if reply == "EOF":
                raise  # the connection broke: a NetworkError, see _mapped
            if isinstance(password, OAuthToken) and not reply.startswith(_SERVER_CODES):
                host, challenge = self.server.host, self._challenge
                raise oauth_refused("POP3", host, user, challenge, reply) from exc
            if not reply.startswith(_SERVER_CODES):
                raise AuthenticationError(
                    f"the POP3 server {self.server.host} refused the user name or password "
                    f"for {user}: {reply}"
                ) from exc
            error = ProtocolError(f"{self._where} cannot open the mailbox now: {reply}")
            error.temporary = reply.startswith(_TEMPORARY_CODES)
            raise error from exc

    def _authenticate(self, client: poplib.POP3, token: OAuthToken) -> None:
        """AUTH OAUTHBEARER (else XOAUTH2), the initial response on the line unless too long;
        an error challenge goes to ``_challenge`` and gets the dummy answer (then -ERR)."""
        try:
            offered = set(client.capa().get("SASL", []))
        except poplib.error_proto:
            offered = set()
        if (mechanism := choose_mechanism(offered)) is None:
            raise AuthenticationError(f"{self._where} does not offer OAuth2 sign-in")
        server, sasl_line = self.server, getattr(client, "_shortcmd")  # noqa: B009
        sasl = initial_response(mechanism, server.username, token.access_token,
                                host=server.host, port=server.port)
        command = f"AUTH {mechanism} {sasl}"
        if len(command) > _MAX_AUTH_LINE:
            sasl_line(f"AUTH {mechanism}")  # "+": the server waits for the response
            command = sasl
        reply: bytes = sasl_line(command)
        if not reply.startswith(b"+OK"):
            self._challenge = reply[1:].strip()
            sasl_line(DUMMY_RESPONSE)

    def _connected(self) -> poplib.POP3:
        if self._client is None:
            raise NetworkError(f"the connection to {self._where} is closed")
        return self._client

    @contextlib.contextmanager
    def _mapped(self, what: str, *, connecting: bool = False) -> Iterator[None]:
        """Turn poplib and socket failures inside the block into ``MailError``s."""
        try:
            yield
        except MailError:
            raise
        except poplib.error_proto as exc:
            reply = _reply(exc)
            if reply == "EOF":
                self.abort()
                raise NetworkError(f"{self._where} closed the connection unexpectedly") from exc
            if not _is_pop3_error(exc):
                raise ProtocolError(
                    f"{self._where} does not answer like a POP3 server ({printable(reply, 80)}); "
                    "check the port"
                ) from exc
            raise ProtocolError(f"{self._where} refused {what}: {reply}") from exc
        except (OSError, ssl.SSLError) as exc:
            self.abort()
            if is_certificate_failure(exc):
                raise self._certificate_error(exc) from exc
            raise network_error(exc, self.server, connecting=connecting) from exc
        except ValueError as exc:
            raise ProtocolError(f"{self._where} gave an unreadable answer to {what}") from exc

    def _certificate_error(self, exc: BaseException) -> CertificateError:
        """Like ``tls.certificate_error``, but blocking (this class already runs in a thread)."""
        return certificate_error_blocking(
            exc, host=self.server.host, port=self.server.port, security=self.server.security,
            protocol="pop3", timeout=self._timeout,
        )


async def check_login(
    server: ServerConfig, password: Credential, *, ca_file: str | None = None, timeout: float = 30.0
) -> None:
    """Connect, secure the connection and log in, then quit; raise a ``MailError`` on failure."""

    def login() -> None:
        with Pop3Session(server, password, ca_file=ca_file, timeout=timeout):
            pass

    await asyncio.to_thread(login)
