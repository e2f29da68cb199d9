"""A real aiosmtpd server over TLS on 127.0.0.1, told which faults to inject per test."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from mailclient.core.account import Security, ServerConfig
from tests.helpers.tls_cert import make_self_signed

USER, PASSWORD = "alice", "secret"
DROP, STALL = "DROP", "STALL"


@dataclass
class FaultHandler:
    """aiosmtpd hooks answering as told: ``rcpt`` maps an address to its RCPT reply (others
    get 250); ``data`` is the reply to the message body, or ``DROP`` (close the connection
    once the body is in, before any reply) or ``STALL`` (never reply until released)."""

    rcpt: dict[str, str] = field(default_factory=dict)
    data: str = "250 2.0.0 Ok: queued as FAULT1"
    received: list[Envelope] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_RCPT(  # noqa: N802 - the name aiosmtpd looks up
        self, server: SMTP, session: Session, envelope: Envelope, address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = self.rcpt.get(address, "250 2.1.5 Ok")
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd looks up
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.received.append(envelope)  # the whole body is in, whatever we answer
        if self.data == DROP:
            assert server.transport is not None
            server.transport.abort()
            await self.released.wait()  # cancelled when aiosmtpd sees the connection lost
        if self.data == STALL:
            await self.released.wait()
        return self.data

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        """aiosmtpd's authenticator: PLAIN and LOGIN, one user."""
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((mechanism, login))
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)


@dataclass
class FaultServer:
    """A listening aiosmtpd: where it is, its CA file, and its handler to script."""

    handler: FaultHandler
    port: int
    security: Security
    ca_file: Path

    def config(self) -> ServerConfig:
        return ServerConfig("127.0.0.1", self.port, self.security, USER)


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side TLS context for the certificate ``make_self_signed`` wrote."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def certificate(directory: Path) -> tuple[Path, Path]:
    """The suite's self-signed certificate (also the CA file) and key, made once per dir."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    if cert.exists() and key.exists():
        return cert, key
    return make_self_signed(directory)


@contextlib.asynccontextmanager
async def fault_server(
    cert_dir: Path, *, security: Security = "starttls", data_size_limit: int = 32 * 1024 * 1024,
    handler: FaultHandler | None = None, mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN"),
) -> AsyncIterator[FaultServer]:
    """Serve aiosmtpd on a free port of 127.0.0.1 in this loop until the block ends.

    ``starttls``: plain greeting, STARTTLS required before AUTH and mail; ``ssl``: implicit
    TLS. AUTH ``mechanisms`` (of PLAIN, LOGIN) are offered only once it is encrypted.
    """
    cert, key = certificate(cert_dir)
    context = server_context(cert, key)
    handler = handler or FaultHandler()
    loop = asyncio.get_running_loop()
    implicit = security == "ssl"
    excluded = [name for name in ("PLAIN", "LOGIN") if name not in mechanisms]

    def protocol() -> SMTP:
        with warnings.catch_warnings():  # it cannot tell that implicit TLS is TLS
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return _protocol()

    def _protocol() -> SMTP:
        return SMTP(
            handler, hostname="faults.example.test", loop=loop, authenticator=handler.authenticate,
            tls_context=None if implicit else context, require_starttls=not implicit,
            auth_required=True, auth_require_tls=not implicit, data_size_limit=data_size_limit,
            auth_exclude_mechanism=excluded,
        )

    server = await loop.create_server(protocol, "127.0.0.1", 0, ssl=context if implicit else None)
    port = server.sockets[0].getsockname()[1]
    try:
        yield FaultServer(handler, port, security, cert)
    finally:
        handler.released.set()
        server.close()
        await server.wait_closed()
        await asyncio.sleep(0)  # let the handlers see the release
