"""Socket, TLS and timeout failures of any mail protocol, in plain words."""

from __future__ import annotations

import socket
import ssl

from mailclient.core.account import ServerConfig
from mailclient.core.credentials import OAuthRejectedError
from mailclient.core.errors import (
    MailError,
    NetworkError,
    ServerTimeoutError,
    TlsUnavailableError,
    find_cause,
)
from mailclient.core.sasl_oauth import challenge_reason
from mailclient.services.tls import Protocol, certificate_error, is_certificate_failure


def printable(text: str, limit: int = 120) -> str:
    """What a server sent, for a one-line message: control characters as ``\\xNN``."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text.strip())
    return shown[:limit] + ("..." if len(shown) > limit else "")


def os_error_reason(exc: BaseException) -> str:
    """Describe the socket failure behind ``exc`` in a few plain words."""
    if find_cause(exc, ConnectionRefusedError):
        return "connection refused"
    if find_cause(exc, socket.gaierror):
        return "host name not found"
    if find_cause(exc, ConnectionResetError):
        return "the connection was reset"
    if (ssl_error := find_cause(exc, ssl.SSLError)) is not None:
        reason = getattr(ssl_error, "reason", None) or str(ssl_error)
        return f"TLS handshake failed ({reason}); check the port and security setting"
    os_error = find_cause(exc, OSError)
    if isinstance(os_error, OSError) and os_error.strerror:
        return os_error.strerror[:1].lower() + os_error.strerror[1:]
    return str(exc) or type(exc).__name__


def network_error(exc: BaseException, server: ServerConfig, *, connecting: bool) -> NetworkError:
    """Build a ``NetworkError`` (or ``ServerTimeoutError``) for a socket-level failure."""
    where = f"{server.host}:{server.port}"
    if find_cause(exc, TimeoutError) is not None:
        return ServerTimeoutError(f"{where} did not answer in time")
    if connecting:
        return NetworkError(f"cannot connect to {where}: {os_error_reason(exc)}")
    return NetworkError(f"the connection to {where} broke: {os_error_reason(exc)}")


async def transport_error(
    exc: BaseException, server: ServerConfig, *, protocol: Protocol, connecting: bool
) -> MailError:
    """Map a low-level failure (certificate, TLS, socket, timeout) to a ``MailError``."""
    if is_certificate_failure(exc):
        return await certificate_error(
            exc, host=server.host, port=server.port, security=server.security, protocol=protocol
        )
    return network_error(exc, server, connecting=connecting)


def starttls_missing(server: ServerConfig) -> TlsUnavailableError:
    """The error for a server that does not offer STARTTLS although it is required."""
    return TlsUnavailableError(
        f"{server.host}:{server.port} does not offer STARTTLS, so nothing was sent; "
        "the connection would not be encrypted"
    )


def oauth_refused(
    protocol: str, host: str, username: str, challenge: str | bytes | None, reply: str = ""
) -> OAuthRejectedError:
    """The error for an OAuth2 access token that the ``protocol`` ("IMAP") server at ``host``
    refused, with the reason read from its error ``challenge`` and its final ``reply``."""
    said = f" (the server said: {printable(reply, 120)})" if reply.strip() else ""
    return OAuthRejectedError(
        f"the {protocol} server {host} refused the sign-in for {username}: "
        f"{challenge_reason(challenge)}{said}; sign in again"
    )
