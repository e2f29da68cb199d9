"""SMTP failures in plain words: aiosmtplib and socket errors, and refusals before sending."""

from __future__ import annotations

import re
import socket
import ssl

import aiosmtplib

from mailclient.core.account import ServerConfig
from mailclient.core.errors import (
    MailError,
    MessageTooLargeError,
    NetworkError,
    ProtocolError,
    SendError,
    ServerTimeoutError,
    TlsUnavailableError,
)
from mailclient.services.tls import Protocol, certificate_error, is_certificate_failure

_LINE_END = re.compile(rb"\r\n|\n|\r(?!\n)")


def reply_text(code: int, message: str) -> str:
    """Return a server reply as one line: ``550 5.1.1 <x@y>: User unknown``."""
    return f"{code} {' '.join(message.split())}".strip()


def is_temporary(code: int | None) -> bool:
    """Tell whether an SMTP reply code is a transient (4xx) failure."""
    return code is not None and 400 <= code < 500


def _find(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def os_error_reason(exc: BaseException) -> str:
    """Describe the socket failure behind ``exc`` in a few plain words."""
    if _find(exc, ConnectionRefusedError):
        return "connection refused"
    if _find(exc, socket.gaierror):
        return "host name not found"
    if _find(exc, ConnectionResetError):
        return "the connection was reset"
    if (ssl_error := _find(exc, ssl.SSLError)) is not None:
        reason = getattr(ssl_error, "reason", None) or str(ssl_error)
        return f"TLS handshake failed ({reason}); check the port and security setting"
    os_error = _find(exc, OSError)
    if isinstance(os_error, OSError) and os_error.strerror:
        return os_error.strerror[:1].lower() + os_error.strerror[1:]
    return str(exc) or type(exc).__name__


def network_error(exc: BaseException, server: ServerConfig, *, connecting: bool) -> NetworkError:
    """Build a ``NetworkError`` (or ``ServerTimeoutError``) for a socket-level failure."""
    where = f"{server.host}:{server.port}"
    if _find(exc, TimeoutError) is not None:
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


async def smtp_error(exc: Exception, server: ServerConfig) -> MailError:
    """Map any aiosmtplib (or socket) exception that escaped the steps to a ``MailError``."""
    where = f"{server.host}:{server.port}"
    error: MailError
    if is_certificate_failure(exc) or _find(exc, TimeoutError) is not None:
        connecting = isinstance(exc, aiosmtplib.SMTPConnectError)
        return await transport_error(exc, server, protocol="smtp", connecting=connecting)
    if isinstance(exc, aiosmtplib.SMTPConnectResponseError):
        error = NetworkError(f"{where} refused the connection: {reply_text(exc.code, exc.message)}")
        error.temporary = is_temporary(exc.code)
        return error
    if isinstance(exc, aiosmtplib.SMTPConnectError):
        return network_error(exc, server, connecting=True)
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
        return NetworkError(f"{where} closed the connection unexpectedly")
    if isinstance(exc, aiosmtplib.SMTPResponseException) and exc.code < 0:  # not SMTP at all
        return ProtocolError(
            f"{where} does not answer like an SMTP server ({exc.message[:120]}); check the port"
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        error = ProtocolError(
            f"{where} gave an unexpected answer: {reply_text(exc.code, exc.message)}"
        )
        error.temporary = is_temporary(exc.code)
        return error
    if isinstance(exc, aiosmtplib.SMTPException):
        return ProtocolError(f"{where}: {exc.message}")
    if isinstance(exc, OSError):
        return network_error(exc, server, connecting=False)
    raise TypeError(f"not an SMTP failure: {exc!r}") from exc


def starttls_missing(server: ServerConfig) -> TlsUnavailableError:
    """The error for a server that does not offer STARTTLS although it is required."""
    return TlsUnavailableError(
        f"{server.host}:{server.port} does not offer STARTTLS, so nothing was sent; "
        "the connection would not be encrypted"
    )


def mail_options(
    client: aiosmtplib.SMTP, message: bytes, utf8_address: str | None
) -> tuple[list[str], str]:
    """Return the MAIL FROM parameters and the address encoding, refusing what cannot work.

    Raises ``MessageTooLargeError`` above the announced SIZE, and ``SendError`` if
    ``utf8_address`` (the first address needing SMTPUTF8, if any) cannot be sent.
    """
    options: list[str] = []
    size = _wire_size(message)
    if client.supports_extension("size"):
        limit = _size_limit(client.esmtp_extensions["size"])
        if limit and size > limit:
            raise MessageTooLargeError(size, limit)
        options.append(f"SIZE={size}")
    if not message.isascii() and client.supports_extension("8bitmime"):
        options.append("BODY=8BITMIME")
    if utf8_address is None:
        return options, "ascii"
    if not client.supports_extension("smtputf8"):
        raise SendError(
            "the server does not support SMTPUTF8, needed for the non-ASCII address "
            f"{utf8_address}"
        )
    options.append("SMTPUTF8")
    return options, "utf-8"


def _wire_size(message: bytes) -> int:
    """Size of ``message`` as DATA sends it: CRLF line ends, ending in CRLF (RFC 1870)."""
    wire = _LINE_END.sub(b"\r\n", message)
    return len(wire) + (0 if wire.endswith(b"\r\n") else 2)


def _size_limit(parameter: str) -> int | None:
    """Parse the SIZE extension's parameter; 0 or none means no announced limit."""
    try:
        return int(parameter.split()[0]) or None
    except (IndexError, ValueError):
        return None
