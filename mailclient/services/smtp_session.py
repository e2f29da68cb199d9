"""One SMTP connection for several messages: connect, TLS and AUTH once, then one send each."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from types import TracebackType

import aiosmtplib

from mailclient.core.account import ServerConfig
from mailclient.core.credentials import Credential
from mailclient.core.errors import MailError, NetworkError
from mailclient.services.smtp import (
    Authenticator,
    Envelope,
    SendReport,
    open_session,
    transaction,
)
from mailclient.services.smtp_auth import credential_auth
from mailclient.services.smtp_errors import DeliveryUnknownError, smtp_error


class SmtpSession:
    """A kept SMTP connection through which several messages are sent one after another.

    It connects (TLS or STARTTLS, EHLO, AUTH) at the first ``send``, sends RSET before a
    message only when the one before did not end with the server's answer to DATA (a
    transaction the server ended needs none), and reconnects once if the server closed the
    connection between two messages (an idle timeout, a 421). A failure of the connection
    itself during a message leaves the session ``broken``: later sends raise ``NetworkError``
    without trying, so the caller can stop and leave the rest for later. Use it as
    ``async with``; it says QUIT at the end.

    Args:
        server: the SMTP server, its security and user name.
        password: the password, or an ``OAuthToken`` (``oauth_auth``); unused with ``auth``.
        ca_file: extra CA certificates to trust.
        timeout: seconds for each command (DATA gets more, by the message size).
        auth: logs in instead of ``password_auth`` (OAuth2).
    """

    def __init__(self, server: ServerConfig, password: Credential, *, ca_file: str | None = None,
                 timeout: float = 60.0, auth: Authenticator | None = None) -> None:
        self.server = server
        self.broken = False
        self.connections = 0  # connections opened so far (the first one and reconnects)
        self._auth = auth or credential_auth(server.username, password)
        self._ca_file = ca_file
        self._timeout = timeout
        self._stack: AsyncExitStack | None = None
        self._client: aiosmtplib.SMTP | None = None
        self._dirty = False  # a transaction did not end with DATA's answer: RSET first

    async def __aenter__(self) -> SmtpSession:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        traceback: TracebackType | None) -> None:
        stack, self._stack, self._client = self._stack, None, None
        if stack is None:
            return
        if exc is None:
            with contextlib.suppress(MailError):  # a failed QUIT loses nothing: all was sent
                await stack.aclose()
        else:  # e.g. cancelled: close at once, without a QUIT that could wait for the timeout
            await stack.__aexit__(exc_type, exc, traceback)

    async def send(self, *, sender: str, recipients: list[str], message: bytes,
                   before_data: Callable[[], Awaitable[None]] | None = None) -> SendReport:
        """Send ``message`` from ``sender`` to each of ``recipients`` on the kept connection
        (``before_data``: see ``smtp.transaction``).

        Returns:
            What the server did, as ``smtp.send_message`` (check ``refused``).

        Raises:
            MailError: as ``smtp.send_message`` (``RecipientsRefusedError``, ``SendError``,
                ``MessageTooLargeError``, ``DeliveryUnknownError`` after DATA, network, TLS
                and login errors); ``NetworkError`` at once if the session is ``broken``.
        """
        if self.broken:
            raise NetworkError(f"{self.server.host}:{self.server.port}: the connection was lost "
                               "during an earlier message; not sent in this session")
        envelope = Envelope.build(sender, recipients)
        for attempt in (1, 2):
            client, reused = await self._ready()
            reached_data = False

            async def data_next() -> None:
                nonlocal reached_data
                reached_data = True
                if before_data is not None:
                    await before_data()

            self._dirty = True
            try:
                report = await transaction(client, envelope, message, timeout=self._timeout,
                                           before_data=data_next)
            except aiosmtplib.SMTPServerDisconnected:
                # Closed while idle between two messages (a timeout, a 421) and noticed only
                # now, before any byte of this message: connect again and send it there.
                if attempt == 1 and reused and not reached_data:
                    await self._forget()
                    continue
                await self._give_up()
                raise await smtp_error(ConnectionError("the server closed the connection"),
                                       self.server) from None
            except MailError as exc:
                if isinstance(exc, DeliveryUnknownError) or not client.is_connected:
                    await self._give_up()
                raise
            except (aiosmtplib.SMTPException, OSError) as exc:
                await self._give_up()
                raise await smtp_error(exc, self.server) from exc
            self._dirty = False  # the server ended the transaction itself: no RSET needed
            return report
        raise AssertionError("unreachable")  # pragma: no cover

    async def _ready(self) -> tuple[aiosmtplib.SMTP, bool]:
        """The connection, ready for a new message, and whether it carried one before:
        RSET after a transaction that did not end with the server's answer to DATA; connect
        (or reconnect once) if need be."""
        client = self._client
        if client is not None and client.is_connected and not self._dirty:
            return client, True
        if client is not None and client.is_connected and await self._reset(client):
            self._dirty = False
            return client, True
        if client is not None:
            await self._forget()  # the server closed it between messages: connect again
        try:
            stack = AsyncExitStack()
            client = await stack.enter_async_context(open_session(
                self.server, self._auth, ca_file=self._ca_file, timeout=self._timeout))
        except BaseException:
            self.broken = True
            raise
        self._stack, self._client, self._dirty = stack, client, False
        self.connections += 1
        return client, False

    async def _reset(self, client: aiosmtplib.SMTP) -> bool:
        """RSET; False if the connection is gone (closed by the server, or a 421 answer).

        Raises:
            MailError: any other failure (the session is then broken).
        """
        if not client.is_connected:
            return False
        try:
            await client.rset()
        except (aiosmtplib.SMTPServerDisconnected, ConnectionError):
            return False
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code == 421 or not client.is_connected:
                return False
            await self._give_up()
            raise await smtp_error(exc, self.server) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self._give_up()
            raise await smtp_error(exc, self.server) from exc
        return True

    async def _give_up(self) -> None:
        """The connection failed during a message: close it; send nothing more here."""
        self.broken = True
        await self._forget()

    async def _forget(self) -> None:
        """Close the connection at once, without QUIT (it is gone or cannot be trusted)."""
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            gone = ConnectionError("connection given up")  # makes aiosmtplib skip the QUIT
            with contextlib.suppress(MailError):
                await stack.__aexit__(ConnectionError, gone, None)
