"""aioimaplib clients that use ``ImapProtocol``, and opening one: TCP, TLS or STARTTLS, greeting."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable

import aioimaplib

from mailclient.core.account import ServerConfig
from mailclient.core.errors import MailError, ProtocolError
from mailclient.services.connection_errors import starttls_missing
from mailclient.services.imap.errors import imap_failure, refused, where
from mailclient.services.imap.protocol import ImapProtocol
from mailclient.services.tls import make_ssl_context


class _UsesImapProtocol:
    """Mixin for ``aioimaplib.IMAP4`` and ``IMAP4_SSL``: our protocol, a greeting that can fail."""

    protocol: ImapProtocol
    timeout: float
    _client_task: asyncio.Task[object]

    def create_client(
        self,
        host: str,
        port: int,
        loop: asyncio.AbstractEventLoop | None,
        conn_lost_cb: Callable[[Exception | None], None] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        local_loop = loop if loop is not None else asyncio.get_running_loop()
        self.protocol = ImapProtocol(local_loop, conn_lost_cb)
        self._client_task = local_loop.create_task(
            local_loop.create_connection(lambda: self.protocol, host, port, ssl=ssl_context)
        )

    async def wait_hello_from_server(self) -> None:
        """Wait for the connection and the greeting; raise if either fails (aioimaplib hangs)."""
        await asyncio.wait_for(self._connection_and_hello(), self.timeout)

    async def _connection_and_hello(self) -> None:
        await self._client_task
        await self.protocol.greeted.wait()
        if self.protocol.greeting_error is not None:
            raise self.protocol.greeting_error

    def abort(self) -> None:
        """Drop the connection at once (no LOGOUT)."""
        if not self._client_task.done():
            self._client_task.cancel()
        transport = self.protocol.transport
        if transport is not None and not transport.is_closing():
            transport.abort()


class ImapClient(_UsesImapProtocol, aioimaplib.IMAP4):
    """Plain-text connection (security ``none``, or ``starttls`` before the upgrade)."""


class ImapSslClient(_UsesImapProtocol, aioimaplib.IMAP4_SSL):
    """Implicit TLS connection (security ``ssl``)."""

    def create_client(
        self,
        host: str,
        port: int,
        loop: asyncio.AbstractEventLoop | None,
        conn_lost_cb: Callable[[Exception | None], None] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        context = ssl_context if ssl_context is not None else make_ssl_context()
        super().create_client(host, port, loop, conn_lost_cb, context)


async def _starttls(client: ImapClient, server: ServerConfig, context: ssl.SSLContext) -> None:
    if "STARTTLS" not in client.protocol.capabilities:
        raise starttls_missing(server)
    response = await client.protocol.starttls(context, server.host)
    if response.result == "NO":
        raise starttls_missing(server)
    if response.result != "OK":
        raise refused(server, "STARTTLS", response)


async def connect(
    server: ServerConfig, *, ca_file: str | None = None, timeout: float = 30.0
) -> ImapClient | ImapSslClient:
    """Connect, secure the connection as ``server.security`` says and read the greeting.

    Raises ``NetworkError`` (refused, unreachable), ``ServerTimeoutError``,
    ``CertificateError`` (with the fingerprint), ``TlsUnavailableError`` or ``ProtocolError``.
    """
    context = None
    if server.security != "none":
        context = make_ssl_context(ca_file=ca_file, server=server)
    client: ImapClient | ImapSslClient
    if server.security == "ssl":
        client = ImapSslClient(server.host, server.port, timeout=timeout, ssl_context=context)
    else:
        client = ImapClient(server.host, server.port, timeout=timeout)
    try:
        await client.wait_hello_from_server()
        if server.security == "starttls":
            assert context is not None and isinstance(client, ImapClient)
            await asyncio.wait_for(_starttls(client, server, context), timeout)
        if not client.protocol.capabilities:
            raise ProtocolError(f"{where(server)} did not tell its capabilities")
    except Exception as exc:
        client.abort()
        if isinstance(exc, ValueError) and not isinstance(exc, MailError | OSError):
            # undecodable or unparsable bytes in place of a greeting (not a TLS failure)
            raise ProtocolError(f"{where(server)} does not greet as an IMAP server: "
                                f"{type(exc).__name__}") from exc
        raise await imap_failure(exc, server, doing="connecting", connecting=True) from exc
    except BaseException:
        client.abort()
        raise
    return client
