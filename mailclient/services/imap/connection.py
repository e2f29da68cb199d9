"""One logged-in IMAP session for the sync engine: folders, SELECT, streamed FETCH, APPEND.

Use it as ``async with await ImapConnection.open(server, password) as conn: ...``; leaving
the block logs out (``close()``, which never raises). Every failure is a ``MailError``.
One command at a time: finish iterating ``fetch()`` (or close the iterator) before the next
command; a command sent meanwhile drops the rest of that fetch.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable
from types import TracebackType
from typing import TypeVar

from aioimaplib import SELECTED, Command, Response

from mailclient.core.account import ServerConfig
from mailclient.core.errors import AuthenticationError, NetworkError, ProtocolError
from mailclient.services.imap.client import ImapClient, ImapSslClient, connect
from mailclient.services.imap.errors import (
    imap_failure,
    is_timeout,
    login_refused,
    missing_folder,
    refused,
    where,
)
from mailclient.services.imap.fetch import StreamingFetch
from mailclient.services.imap.models import FetchedMessage, FolderInfo, SelectedFolder
from mailclient.services.imap.parse import (
    group_responses,
    guess_roles,
    parse_capabilities,
    parse_fetch,
    parse_list,
    parse_search,
    parse_select,
)
from mailclient.services.imap.protocol import ConnectionLost
from mailclient.services.imap.utf7 import quote_mailbox

__all__ = ["FetchedMessage", "FolderInfo", "ImapConnection", "SelectedFolder"]

T = TypeVar("T")
_UID_SET = re.compile(r"(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*")
_UPLOAD_SECONDS_PER_BYTE = 1 / 100_000  # extra APPEND time: the answer comes after the upload


def _retrieve(task: asyncio.Future[object]) -> None:
    if not task.cancelled():
        task.exception()  # kept for the awaiting side; avoids "never retrieved" noise


class ImapConnection:
    """A logged-in IMAP session (build it with ``open``)."""

    def __init__(self, client: ImapClient | ImapSslClient, server: ServerConfig, timeout: float):
        self._client = client
        self._protocol = client.protocol
        self._server = server
        self._timeout = timeout
        self._fetch: tuple[StreamingFetch, asyncio.Future[Response]] | None = None

    @classmethod
    async def open(
        cls,
        server: ServerConfig,
        password: str,
        *,
        ca_file: str | None = None,
        timeout: float = 30.0,
    ) -> ImapConnection:
        """Connect, secure (``ssl``, ``starttls`` or ``none``) and log in."""
        connection = cls(await connect(server, ca_file=ca_file, timeout=timeout), server, timeout)
        try:
            await connection._login(password)
        except BaseException:
            connection._abort()
            raise
        return connection

    async def __aenter__(self) -> ImapConnection:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def capabilities(self) -> frozenset[str]:
        """The server's capabilities (upper case) as of after the login."""
        return frozenset(name.upper() for name in self._protocol.capabilities)

    @property
    def closed(self) -> bool:
        """True once the connection is gone (logged out, dropped, or given up after a timeout)."""
        transport = self._protocol.transport
        return self._protocol.closed or transport is None or transport.is_closing()

    # -- plumbing -------------------------------------------------------------------------

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

    async def _login(self, password: str) -> None:
        caps = self.capabilities
        user = self._server.username
        sasl = "AUTH=PLAIN" in caps and "SASL-IR" in caps
        if sasl and ("LOGINDISABLED" in caps or not (user + password).isascii()):
            step = self._protocol.authenticate_plain(user, password)
        elif "LOGINDISABLED" in caps:
            raise AuthenticationError(
                f"{where(self._server)} refuses logins without encryption: use STARTTLS or SSL"
            )
        else:
            step = self._protocol.login(user, password)
        try:  # aioimaplib refuses CR, LF and NUL in arguments with ValueError
            response = await self._run("logging in", step)
        except ValueError as exc:
            raise AuthenticationError("the user name or password contains a line break") from exc
        if response.result != "OK":
            raise login_refused(self._server, response)
        new_caps = parse_capabilities(response.lines)
        if new_caps is None:
            await self._run("logging in", self._protocol.capability())
        else:
            self._protocol.capabilities = set(new_caps)

    # -- the API ----------------------------------------------------------------------------

    async def list_folders(self) -> list[FolderInfo]:
        """All folders (``LIST "" "*"``) with their SPECIAL-USE role."""
        await self._settle()
        caps = self.capabilities
        extra = ("RETURN", "(SPECIAL-USE)") if {"LIST-EXTENDED", "SPECIAL-USE"} <= caps else ()
        command = self._command("LIST", '""', '"*"', *extra)
        response = await self._run("listing folders", self._protocol.execute(command))
        if response.result != "OK":
            raise refused(self._server, "LIST", response)
        folders = [parse_list(parts) for parts in group_responses(response.lines[:-1])]
        return guess_roles([folder for folder in folders if folder is not None])

    async def select(self, folder: str, *, readonly: bool = True) -> SelectedFolder:
        """SELECT (or EXAMINE if ``readonly``) a folder; CONDSTORE is asked when offered."""
        await self._settle()
        step = self._protocol.select_mailbox(
            quote_mailbox(folder), readonly=readonly, condstore="CONDSTORE" in self.capabilities
        )
        response = await self._run(f"opening {folder}", step)
        if response.result != "OK":
            raise missing_folder(self._server, folder, response) or refused(
                self._server, f"opening {folder}", response
            )
        return parse_select(folder, response.lines[:-1])

    async def fetch(
        self, uids: str, *, body: bool = False, header: bool = False, batch: int = 500
    ) -> AsyncIterator[list[FetchedMessage]]:
        """``UID FETCH`` a UID set (``"1:*"``, ``"5,7:9"``) of the selected folder, in batches.

        Responses are parsed as they arrive; about ``2 * batch`` messages at most are in memory
        (the socket is not read meanwhile).
        """
        if not _UID_SET.fullmatch(uids):
            raise ValueError(f"not a UID set: {uids!r}")
        await self._settle()
        if self._protocol.state != SELECTED:
            raise ProtocolError("no folder is selected; select one before fetching")
        items = ["UID", "FLAGS", "RFC822.SIZE", "INTERNALDATE"]
        items += ["BODY.PEEK[HEADER]"] if header else []
        items += ["BODY.PEEK[]"] if body else []
        command = StreamingFetch(
            self._protocol, uids, f"({' '.join(items)})", parse=parse_fetch,
            high_water=max(batch, 100), timeout=self._timeout,
        )  # fmt: skip
        task = asyncio.ensure_future(self._protocol.execute(command))
        task.add_done_callback(_retrieve)
        self._fetch = (command, task)
        doing = "fetching messages"
        try:
            async for messages in command.batches(max(batch, 1), task):
                yield messages
                if command.discarding:
                    raise ProtocolError("the fetch was interrupted by another IMAP command")
            try:
                response = await task
            except BaseException as exc:
                raise await self._fail(exc, doing) from exc
            if response.result != "OK":
                raise refused(self._server, f"UID FETCH {uids}", response)
        finally:
            if not task.done():
                command.discard()
            elif self._fetch is not None and self._fetch[0] is command:
                self._fetch = None

    async def search_uids(self, criteria: str = "ALL") -> list[int]:
        """``UID SEARCH``; ``criteria`` is IMAP search syntax, e.g. ``UNSEEN SINCE 1-Jan-2024``."""
        await self._settle()
        if self._protocol.state != SELECTED:
            raise ProtocolError("no folder is selected; select one before searching")
        criteria = criteria.strip() or "ALL"
        args = (criteria,) if criteria.isascii() else ("CHARSET", "UTF-8", criteria)
        command = self._command("SEARCH", *args, prefix="UID")
        response = await self._run("searching", self._protocol.execute(command))
        if response.result != "OK":
            raise refused(self._server, f"UID SEARCH {criteria}", response)
        return parse_search(response.lines[:-1])

    async def append(self, folder: str, raw: bytes, *, flags: str = "\\Seen") -> None:
        """Store a message in a folder (``APPEND``), with ``flags`` (space separated)."""
        await self._settle()
        step = self._protocol.append(
            raw, mailbox=quote_mailbox(folder), flags=flags.strip() or None, timeout=self._timeout
        )
        timeout = self._timeout + len(raw) * _UPLOAD_SECONDS_PER_BYTE
        response = await self._run(f"saving a message in {folder}", step, timeout)
        if response.result != "OK":
            raise missing_folder(self._server, folder, response) or refused(
                self._server, f"saving a message in {folder}", response
            )

    async def idle(self, max_seconds: float) -> list[str]:
        """IDLE until the server reports a change or ``max_seconds`` pass (see ``imap.idle``)."""
        from mailclient.services.imap.idle import idle_once

        return await idle_once(self, max_seconds=max_seconds)

    async def logout(self) -> None:
        """Say LOGOUT and close the connection."""
        await self._logout(self._timeout)

    async def _logout(self, timeout: float) -> None:
        try:
            if self.closed:
                return
            await self._settle()
            await self._run("logging out", self._protocol.logout(), timeout)
        except NetworkError as exc:
            if not isinstance(exc.__cause__, ConnectionLost):
                raise
        finally:
            self._abort()

    async def close(self) -> None:
        """Log out if possible and close; never raises (except for cancellation)."""
        try:
            await self._logout(min(self._timeout, 5.0))
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
        finally:
            self._abort()
