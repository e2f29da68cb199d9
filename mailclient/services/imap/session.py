"""The plumbing of a logged-in IMAP session: commands with timeouts, plain errors, state."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from aioimaplib import SELECTED, Command, Response

from mailclient.core.account import ServerConfig
from mailclient.core.errors import NetworkError, ProtocolError
from mailclient.services.imap.client import ImapClient, ImapSslClient
from mailclient.services.imap.errors import imap_failure, is_timeout, where
from mailclient.services.imap.fetch import StreamingFetch
from mailclient.services.imap.models import SelectedFolder

T = TypeVar("T")


class ImapSession:
    """What every IMAP operation builds on; ``ImapConnection`` is the public face of it."""

    def __init__(self, client: ImapClient | ImapSslClient, server: ServerConfig, timeout: float):
        self._client = client
        self._protocol = client.protocol
        self._server = server
        self._timeout = timeout
        self._fetch: tuple[StreamingFetch, asyncio.Future[Response]] | None = None
        self._enabled: frozenset[str] = frozenset()  # what ENABLE switched on
        self._selected: SelectedFolder | None = None
        self._writable = False  # the selected folder was opened read-write

    @property
    def capabilities(self) -> frozenset[str]:
        """The server's capabilities (upper case) as of after the login."""
        return frozenset(name.upper() for name in self._protocol.capabilities)

    @property
    def closed(self) -> bool:
        """True once the connection is gone (logged out, dropped, or given up after a timeout)."""
        transport = self._protocol.transport
        return self._protocol.closed or transport is None or transport.is_closing()

    @property
    def qresync_enabled(self) -> bool:
        """True once ``enable("QRESYNC")`` succeeded: ``select`` can then resynchronise."""
        return "QRESYNC" in self._enabled

    def _abort(self) -> None:
        self._client.abort()

    def _check_open(self) -> None:
        if self.closed:
            raise NetworkError(f"the connection to {where(self._server)} is closed")

    async def _fail(self, exc: BaseException, doing: str) -> Exception:
        if is_timeout(exc) or not isinstance(exc, Exception):
            self._abort()  # the session is out of step with the server
        if not isinstance(exc, Exception) or isinstance(exc, ValueError):
            raise exc  # cancelled, or an argument aioimaplib refused (CR/LF in it)
        return await imap_failure(exc, self._server, doing=doing)

    async def _run(self, doing: str, step: Awaitable[T], timeout: float | None = None) -> T:
        try:
            return await asyncio.wait_for(step, timeout or self._timeout)
        except BaseException as exc:
            raise await self._fail(exc, doing) from exc

    async def _execute(self, doing: str, command: Command) -> Response:
        """Send ``command`` and wait for its tagged answer (the caller checks ``result``)."""
        response: Response = await self._run(doing, self._protocol.execute(command))
        return response

    async def _settle(self) -> None:
        """Finish a fetch the caller stopped iterating, then check the connection."""
        if self._fetch is not None:
            command, task = self._fetch
            self._fetch = None
            if not task.done():
                command.discard()
                try:
                    await asyncio.wait_for(asyncio.shield(task), self._timeout)
                except Exception:
                    self._abort()
        self._check_open()

    def _command(self, name: str, *args: str, prefix: str | None = None) -> Command:
        protocol = self._protocol
        return Command(name, protocol.new_tag(), *args, prefix=prefix, loop=protocol.loop)

    def _check_selected(self, doing: str, *, writable: bool = False) -> None:
        """Raise ``ProtocolError`` unless a folder is selected (read-write if ``writable``)."""
        if self._protocol.state != SELECTED or self._selected is None:
            raise ProtocolError(f"no folder is selected; select one before {doing}")
        if writable and not self._writable:
            raise ProtocolError(
                f"{self._selected.name} is open read-only; select it with readonly=False "
                f"before {doing}"
            )

    def _selection_changed(self, selected: SelectedFolder | None, *, writable: bool) -> None:
        self._selected = selected
        self._writable = selected is not None and writable
