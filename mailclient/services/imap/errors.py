"""Turning aioimaplib, socket and TLS failures of an IMAP session into plain-words errors."""

from __future__ import annotations

from aioimaplib import AioImapException, CommandTimeout, Response

from mailclient.core.account import ServerConfig
from mailclient.core.errors import (
    AuthenticationError,
    MailError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    ServerTimeoutError,
)
from mailclient.services.connection_errors import transport_error
from mailclient.services.imap.parse import response_code
from mailclient.services.imap.protocol import ConnectionLost

_AUTH_CODES = {None, "AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED", "PRIVACYREQUIRED"}
_MISSING_CODES = {"NONEXISTENT", "TRYCREATE"}


def where(server: ServerConfig) -> str:
    return f"{server.host}:{server.port}"


def response_text(response: Response) -> str:
    """The server's text of a tagged answer, on one line (``[CODE] words``)."""
    last = response.lines[-1] if response.lines else b""
    text = bytes(last).decode("utf-8", "replace") if isinstance(last, bytes | bytearray) else ""
    return " ".join(text.split())[:300]


def is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, CommandTimeout | TimeoutError)


async def imap_failure(
    exc: BaseException, server: ServerConfig, *, doing: str, connecting: bool = False
) -> MailError:
    """Map anything that went wrong while ``doing`` (``"listing folders"``) to a ``MailError``."""
    if isinstance(exc, MailError):
        return exc
    if is_timeout(exc):
        return ServerTimeoutError(f"{where(server)} did not answer in time while {doing}")
    if isinstance(exc, ConnectionLost):
        text = str(exc)
        if connecting:
            return NetworkError(f"cannot connect to {where(server)}: {text}")
        return NetworkError(f"the connection to {where(server)} broke while {doing}: {text}")
    if isinstance(exc, OSError):
        return await transport_error(exc, server, protocol="imap", connecting=connecting)
    if isinstance(exc, AioImapException):
        reason = str(exc) or type(exc).__name__
        return ProtocolError(f"{where(server)} answered unexpectedly while {doing}: {reason}")
    raise TypeError(f"not an IMAP failure: {exc!r}") from exc


def refused(server: ServerConfig, command: str, response: Response) -> MailError:
    """The error for a NO or BAD answer to ``command``."""
    return ProtocolError(
        f"{where(server)} refused {command}: {response.result} {response_text(response)}"
    )


def login_refused(server: ServerConfig, response: Response) -> MailError:
    """The error for a refused LOGIN / AUTHENTICATE."""
    text = response_text(response)
    code = response_code(response.lines[-1]) if response.lines else None
    if response.result == "NO" and code in _AUTH_CODES:
        return AuthenticationError(
            f"the IMAP server {server.host} refused the user name or password "
            f"for {server.username}: {text}"
        )
    if code == "UNAVAILABLE":
        return NetworkError(f"{where(server)} cannot log in now, try later: {text}")
    return refused(server, "the login", response)


def missing_folder(server: ServerConfig, folder: str, response: Response) -> MailError | None:
    """A ``NotFoundError`` if the answer says the folder does not exist, else None."""
    code = response_code(response.lines[-1]) if response.lines else None
    if response.result == "NO" and code in _MISSING_CODES:
        return NotFoundError(f"there is no folder {folder!r} on {server.host}")
    return None
