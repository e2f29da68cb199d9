"""Sending mail over SMTP: TLS or STARTTLS, AUTH, SIZE, 8BITMIME/SMTPUTF8, per-recipient replies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiosmtplib
from aiosmtplib.email import parse_address

from mailclient.core.account import ServerConfig
from mailclient.core.credentials import Credential
from mailclient.core.errors import (
    MailError,
    RecipientsRefusedError,
    RefusedRecipient,
    SendError,
    TlsUnavailableError,
)
from mailclient.services.connection_errors import starttls_missing
from mailclient.services.smtp_auth import (
    Authenticator,
    TokenSource,
    credential_auth,
    oauth_auth,
    password_auth,
)
from mailclient.services.smtp_errors import (
    delivery_unknown,
    is_temporary,
    mail_options,
    reply_text,
    smtp_error,
)
from mailclient.services.tls import make_ssl_context

__all__ = [
    "Authenticator", "Envelope", "SendReport", "TokenSource", "check_login", "oauth_auth",
    "open_session", "password_auth", "send_message", "transaction",
]

# Seconds of extra DATA timeout per byte: the reply comes only after the upload (100 KB/s).
_UPLOAD_SECONDS_PER_BYTE = 1 / 100_000


@dataclass(frozen=True)
class SendReport:
    """What the server did with a message that was sent to at least one recipient."""

    accepted: list[str]
    refused: list[RefusedRecipient]
    reply: str


async def send_message(
    server: ServerConfig,
    password: Credential,
    *,
    sender: str,
    recipients: list[str],
    message: bytes,
    ca_file: str | None = None,
    timeout: float = 60.0,
    auth: Authenticator | None = None,
) -> SendReport:
    """Send ``message`` from ``sender`` to each of ``recipients``.

    Returns a ``SendReport`` when at least one recipient was accepted (check ``refused``).
    Raises ``MessageTooLargeError`` before uploading if the server's SIZE is exceeded,
    ``RecipientsRefusedError`` if no recipient was accepted, ``SendError`` if the sender or the
    message was refused, and the usual network, TLS and login ``MailError``s.
    ``password`` may be an ``OAuthToken`` (SASL OAUTHBEARER or XOAUTH2, see ``oauth_auth``).
    """
    envelope = Envelope.build(sender, recipients)
    login = auth or credential_auth(server.username, password)
    async with open_session(server, login, ca_file=ca_file, timeout=timeout) as client:
        report = await transaction(client, envelope, message, timeout=timeout)
    return report


async def check_login(
    server: ServerConfig,
    password: Credential,
    *,
    ca_file: str | None = None,
    timeout: float = 30.0,
    auth: Authenticator | None = None,
) -> None:
    """Connect, secure the connection and log in, then quit; raise a ``MailError`` on failure."""
    login = auth or credential_auth(server.username, password)
    async with open_session(server, login, ca_file=ca_file, timeout=timeout):
        pass


@asynccontextmanager
async def open_session(
    server: ServerConfig, auth: Authenticator, *, ca_file: str | None, timeout: float
) -> AsyncIterator[aiosmtplib.SMTP]:
    """Yield a connected, encrypted (as configured) and logged-in client; map every failure."""
    client = aiosmtplib.SMTP(
        hostname=server.host,
        port=server.port,
        use_tls=server.security == "ssl",
        start_tls=False,  # never aiosmtplib's opportunistic STARTTLS: we require it or not
        tls_context=make_ssl_context(ca_file=ca_file, server=server),
        timeout=timeout,
    )
    transport: asyncio.BaseTransport | None = None
    try:
        async with client:
            try:
                await _hello(client)
                if server.security == "starttls":
                    await _starttls(client, server)
                await auth(client)
                yield client
            except asyncio.CancelledError:
                client.close()  # no polite QUIT: it could wait for the whole timeout
                raise
            finally:
                transport = client.transport
    except MailError:
        raise
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise await smtp_error(exc, server) from exc
    finally:
        await _drop(transport)


async def _drop(transport: asyncio.BaseTransport | None) -> None:
    """Close the socket now, after QUIT, instead of waiting for the server's TLS goodbye.

    A graceful TLS close needs more round trips; if the caller's event loop ends first (as
    ``asyncio.run`` may), the socket would be left open.
    """
    if isinstance(transport, asyncio.Transport):
        transport.abort()
        await asyncio.sleep(0)  # let the transport run its connection-lost callback


async def _hello(client: aiosmtplib.SMTP) -> None:
    try:
        await client.ehlo()
    except aiosmtplib.SMTPHeloError:
        if not client.is_connected:
            raise
        await client.helo()


async def _starttls(client: aiosmtplib.SMTP, server: ServerConfig) -> None:
    if not client.supports_extension("starttls"):
        raise starttls_missing(server)
    try:
        await client.starttls()
    except aiosmtplib.SMTPResponseException as exc:
        raise TlsUnavailableError(
            f"{server.host}:{server.port} refused STARTTLS: {reply_text(exc.code, exc.message)}"
        ) from exc
    except BaseException:
        client.close()  # a failed handshake leaves nothing to QUIT politely
        raise
    await _hello(client)


@dataclass(frozen=True)
class Envelope:
    """Sender and recipients as given, with their forms for MAIL FROM / RCPT TO."""

    sender: str
    recipients: list[str]
    ascii_forms: dict[str, str | None]  # IDN domains as A-labels; None if the local part is not
    utf8_forms: dict[str, str]

    @classmethod
    def build(cls, sender: str, recipients: list[str]) -> Envelope:
        if not recipients:
            raise SendError("the message has no recipients")
        ascii_forms: dict[str, str | None] = {}
        utf8_forms: dict[str, str] = {}
        for address in [sender, *recipients]:
            utf8_forms[address] = _bare_address(address)
            ascii_forms[address] = _ascii_address(utf8_forms[address])
        return cls(sender, list(dict.fromkeys(recipients)), ascii_forms, utf8_forms)

    @property
    def utf8_address(self) -> str | None:
        """The first address that can only be sent with SMTPUTF8, if any."""
        return next((a for a, form in self.ascii_forms.items() if form is None), None)

    def wire(self, address: str) -> str:
        """The form of ``address`` to send: all ASCII unless SMTPUTF8 is needed anyway."""
        ascii_form = self.ascii_forms[address]
        return self.utf8_forms[address] if self.utf8_address or not ascii_form else ascii_form


def _bare_address(address: str) -> str:
    """Return ``address`` stripped, refusing anything but a plain ``local@domain``."""
    bare = address.strip()
    try:
        valid = parse_address(bare) == bare and "@" in bare and bare.isprintable()
    except ValueError:
        valid = False
    if not valid:
        raise SendError(f"{address!r} is not a valid e-mail address")
    return bare


_IDNA2008_DEVIATIONS = frozenset("\u00df\u03c2\u200c\u200d")  # the 2003 codec maps these away


def _ascii_address(address: str) -> str | None:
    """Return ``address`` with its domain as A-labels, or None if it cannot be pure ASCII."""
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        return None
    if domain.isascii():
        return address
    if _IDNA2008_DEVIATIONS & set(domain):
        return None
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None


async def transaction(
    client: aiosmtplib.SMTP, envelope: Envelope, message: bytes, *, timeout: float,
    before_data: Callable[[], Awaitable[None]] | None = None,
) -> SendReport:
    """MAIL FROM, RCPT TO each recipient (refusals noted), DATA; raise as ``send_message``.

    ``before_data`` is awaited once a recipient is accepted, before DATA (a flush commits
    the message's claim meanwhile); what it raises ends the transaction before any byte of
    the message is sent.
    """
    options, encoding = mail_options(client, message, envelope.utf8_address)
    try:
        await client.mail(envelope.wire(envelope.sender), options=options, encoding=encoding)
    except aiosmtplib.SMTPSenderRefused as exc:
        raise SendError(
            f"the server refused the sender {envelope.sender}: {reply_text(exc.code, exc.message)}",
            code=exc.code,
            temporary=is_temporary(exc.code),
        ) from exc
    accepted: list[str] = []
    refused: list[RefusedRecipient] = []
    for address in envelope.recipients:
        try:
            await client.rcpt(envelope.wire(address), encoding=encoding)
        except aiosmtplib.SMTPRecipientRefused as exc:
            if exc.code == 421:  # the server is closing the connection
                raise SendError(
                    f"the server gave up: {reply_text(exc.code, exc.message)}",
                    code=exc.code,
                    temporary=True,
                ) from exc
            refused.append(RefusedRecipient(address, exc.code, " ".join(exc.message.split())))
        else:
            accepted.append(address)
    if not accepted:
        raise RecipientsRefusedError(refused=refused)
    if before_data is not None:
        await before_data()
    try:
        response = await client.data(
            message, timeout=timeout + len(message) * _UPLOAD_SECONDS_PER_BYTE
        )
    except aiosmtplib.SMTPDataError as exc:
        raise SendError(
            f"the server refused the message: {reply_text(exc.code, exc.message)}",
            code=exc.code,
            temporary=is_temporary(exc.code),
        ) from exc
    except OSError as exc:  # disconnected or timed out: the server may have the message
        raise delivery_unknown(exc, f"{client.hostname} port {client.port}") from exc
    return SendReport(accepted, refused, reply_text(response.code, response.message))
