"""SMTP failures in plain words: aiosmtplib and socket errors, and refusals before sending."""

from __future__ import annotations

import aiosmtplib

from mailclient.core.account import ServerConfig
from mailclient.core.errors import (
    MailError,
    MessageTooLargeError,
    NetworkError,
    ProtocolError,
    SendError,
    find_cause,
)
from mailclient.services.connection_errors import network_error, printable, transport_error
from mailclient.services.tls import is_certificate_failure


class DeliveryUnknownError(SendError, ConnectionError):
    """The connection failed after the message was handed over, before the server's answer.

    The server may have it (RFC 5321 6.1), so it is not ``temporary``: never resent by itself.
    """


class DeliveryUnknownTimeoutError(DeliveryUnknownError, TimeoutError):
    """The server did not confirm the message in time; it may have it all the same."""


def delivery_unknown(exc: OSError, where: str = "") -> DeliveryUnknownError:
    """The error for a broken or silent connection while waiting for the reply to DATA
    (``where``: the server, as "host port N": the outbox keeps the text up to a colon)."""
    timed_out = isinstance(exc, TimeoutError)
    server = f"the server {where}" if where else "the server"
    sent = f"sent to {where}" if where else "sent"
    why = (f"{server} did not answer in time after the message was sent" if timed_out
           else f"the connection broke after the message was {sent}")
    kind = DeliveryUnknownTimeoutError if timed_out else DeliveryUnknownError
    return kind(
        f"{why}, before the server confirmed it: it may have been delivered, so it is not "
        "sent again automatically; ask the recipients before resending"
    )


def reply_text(code: int, message: str) -> str:
    """Return a server reply as one line: ``550 5.1.1 <x@y>: User unknown``."""
    return f"{code} {printable(' '.join(message.split()), 300)}".strip()


def is_temporary(code: int | None) -> bool:
    """Tell whether an SMTP reply code is a transient (4xx) failure."""
    return code is not None and 400 <= code < 500


async def smtp_error(exc: Exception, server: ServerConfig) -> MailError:
    """Map any aiosmtplib (or socket) exception that escaped the steps to a ``MailError``."""
    where = f"{server.host}:{server.port}"
    error: MailError
    if is_certificate_failure(exc) or find_cause(exc, TimeoutError) is not None:
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
            f"{where} does not answer like an SMTP server ({printable(exc.message)}); "
            "check the port"
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
    """Size of ``message`` as DATA sends it: CRLF line ends, ending in CRLF (RFC 1870).

    Counted, not built: each bare LF or bare CR becomes two bytes.
    """
    crlf = message.count(b"\r\n")
    bare = message.count(b"\n") + message.count(b"\r") - 2 * crlf
    return len(message) + bare + (0 if message.endswith((b"\n", b"\r")) else 2)


def _size_limit(parameter: str) -> int | None:
    """Parse the SIZE extension's parameter; 0 or none means no announced limit."""
    try:
        return int(parameter.split()[0]) or None
    except (IndexError, ValueError):
        return None
