"""Errors a user can cause or fix, each with a one-line message in plain words.

Anything that is not a ``MailError`` is a bug and may show a traceback; a ``MailError``
never should. Classes also subclass the matching builtin (``ConnectionError``,
``TimeoutError``, ``LookupError``, ``ValueError``) so generic handlers still work.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class MailError(Exception):
    """Base of all user-facing errors; ``str(err)`` is the message to show.

    ``temporary`` tells whether retrying later may succeed (an SMTP 4xx, a network drop).
    """

    temporary: bool = False


class ConfigError(MailError, ValueError):
    """A setting or a command-line value is invalid (bad port, empty host, ...)."""


class NotFoundError(MailError, LookupError):
    """An account, folder or message the user named does not exist."""


class KeyringUnavailableError(MailError):
    """No usable OS keyring: passwords cannot be kept between runs."""


class MissingPasswordError(MailError):
    """No password is stored for an account and none was given."""


class NetworkError(MailError, ConnectionError):
    """The server could not be reached or the connection broke."""

    temporary = True


class ServerTimeoutError(NetworkError, TimeoutError):
    """The server did not answer in time."""


class CertificateError(NetworkError):
    """The server's TLS certificate was not trusted.

    Args:
        host: the server's name.
        reason: why verification failed, in words.
        fingerprint: the SHA-256 fingerprint of the certificate (hex with colons), if known.
        port: the server's port (0 if unknown).
        issuer, subject: who signed the certificate and whom it names (``CN=..., O=...``).
        not_before, not_after: its validity (``2026-01-31 12:00:00 UTC``), empty if unknown.
        changed: the certificate is not the one the user trusted for this server.
    """

    temporary = False

    def __init__(self, host: str, reason: str, fingerprint: str | None = None, *,
                 port: int = 0, issuer: str = "", subject: str = "", not_before: str = "",
                 not_after: str = "", changed: bool = False) -> None:
        self.host = host
        self.reason = reason
        self.fingerprint = fingerprint
        self.port = port
        self.issuer = issuer
        self.subject = subject
        self.not_before = not_before
        self.not_after = not_after
        self.changed = changed
        if changed:
            text = (f"the certificate of {host} changed since you trusted it: {reason}; "
                    "this may be an attack")
        else:
            text = f"the certificate of {host} is not trusted: {reason}"
        if fingerprint:
            text += f" (SHA-256 fingerprint {fingerprint})"
        super().__init__(text)


class TlsUnavailableError(NetworkError):
    """STARTTLS was configured but the server does not offer it; never downgraded."""

    temporary = False


class AuthenticationError(MailError):
    """The server refused the user name or password (``oauth_rejected``: an OAuth2 sign-in
    that expired or was revoked: sign in again)."""

    oauth_rejected: bool = False


class ProtocolError(MailError):
    """The server answered something we did not expect."""


class StoreError(MailError):
    """The local store cannot be opened or written."""


class SendError(MailError):
    """Sending a message failed as a whole (sender refused, data refused, ...).

    Args:
        message: plain-words reason.
        code: the SMTP reply code, if the server gave one.
        temporary: True for 4xx answers, which are retried later.
    """

    def __init__(self, message: str, *, code: int | None = None, temporary: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.temporary = temporary


class MessageTooLargeError(SendError):
    """The message is larger than the server's announced SIZE limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"the message is {format_size(size)}, larger than the server's limit of "
            f"{format_size(limit)}; it was not sent",
            code=552,
        )
        self.size = size
        self.limit = limit


@dataclass(frozen=True)
class RefusedRecipient:
    """One recipient the server would not accept."""

    address: str
    code: int
    text: str

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500


@dataclass
class RecipientsRefusedError(SendError):
    """Some or all recipients were refused; ``accepted`` got the message if non-empty."""

    refused: list[RefusedRecipient]
    accepted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts = [f"{r.address} refused ({r.code} {r.text})" for r in self.refused]
        text = "; ".join(parts)
        if self.accepted:
            text += "; delivered to " + ", ".join(self.accepted)
        else:
            text = "no recipient was accepted: " + text
        temporary = all(r.temporary for r in self.refused)
        SendError.__init__(self, text, code=self.refused[0].code if self.refused else None,
                           temporary=temporary)

    def __str__(self) -> str:
        return str(self.args[0])


def find_cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of type ``kind`` in ``exc``'s chain of causes and contexts."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def format_size(size: int) -> str:
    """Return a byte count in human units (``1.5 MB``)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
