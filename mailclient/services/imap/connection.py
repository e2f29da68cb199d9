"""One logged-in IMAP session for the sync engine: folders, SELECT, streamed FETCH, APPEND.

Use it as ``async with await ImapConnection.open(server, password) as conn: ...``; leaving
the block logs out (``close()``, which never raises). Every failure is a ``MailError``.
One command at a time: finish iterating ``fetch()`` (or close the iterator) before the next
command; a command sent meanwhile drops the rest of that fetch.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from functools import partial
from types import TracebackType

from aioimaplib import AUTH, Response

from mailclient.core.account import ServerConfig
from mailclient.core.credentials import Credential
from mailclient.core.errors import NetworkError, ProtocolError
from mailclient.services.imap.changes import MessageChanges
from mailclient.services.imap.client import connect
from mailclient.services.imap.errors import missing_folder, refused, where
from mailclient.services.imap.fetch import StreamingFetch
from mailclient.services.imap.fetch_fast import read_fetch
from mailclient.services.imap.folders import FolderAdmin
from mailclient.services.imap.models import (
    FetchedMessage,
    FolderInfo,
    QresyncState,
    SelectedFolder,
)
from mailclient.services.imap.parse import (
    parse_enabled,
    parse_search,
    parse_select,
    response_code,
)
from mailclient.services.imap.protocol import ConnectionLost
from mailclient.services.imap.uids import AppendedUid, check_uid_set, parse_appenduid
from mailclient.services.imap.utf7 import quote_mailbox

__all__ = ["FetchedMessage", "FolderInfo", "ImapConnection", "QresyncState", "SelectedFolder"]

_ATOM = re.compile(r"[A-Za-z0-9=+._-]+")
_UPLOAD_SECONDS_PER_BYTE = 1 / 100_000  # extra APPEND time: the answer comes after the upload


def _retrieve(task: asyncio.Future[object]) -> None:
    if not task.cancelled():
        task.exception()  # kept for the awaiting side; avoids "never retrieved" noise


class ImapConnection(MessageChanges, FolderAdmin):
    """A logged-in IMAP session (build it with ``open``).

    Besides what is here: ``list_folders``, ``create_folder``, ``delete_folder``,
    ``subscribe``, ``unsubscribe`` (``imap.folders``) and ``store_flags``, ``copy``, ``move``,
    ``expunge`` (``imap.changes``); the plumbing is ``imap.session``.
    """

    @classmethod
    async def open(
        cls,
        server: ServerConfig,
        password: Credential,
        *,
        ca_file: str | None = None,
        timeout: float = 30.0,
    ) -> ImapConnection:
        """Connect, secure (``ssl``, ``starttls`` or ``none``) and log in with a password or,
        given an ``OAuthToken``, with SASL OAUTHBEARER or XOAUTH2 (see ``ImapSession._login``)."""
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

    # -- the API ----------------------------------------------------------------------------

    async def enable(self, *extensions: str) -> frozenset[str]:
        """``ENABLE`` extensions (RFC 5161), e.g. ``enable("QRESYNC")``; before any ``select``.

        Returns:
            What the server reports as enabled (``* ENABLED``), upper case; empty if it does
            not offer ENABLE.

        Raises:
            ValueError: a name is not an extension name.
            ProtocolError: a folder is selected already, or the server refused.
        """
        for name in extensions:
            if not _ATOM.fullmatch(name):
                raise ValueError(f"not an IMAP extension name: {name!r}")
        await self._settle()
        if not extensions or "ENABLE" not in self.capabilities:
            return frozenset()
        if self._protocol.state != AUTH:
            raise ProtocolError("extensions can only be enabled before a folder is selected")
        names = " ".join(name.upper() for name in extensions)
        response = await self._execute(f"enabling {names}", self._command("ENABLE", names))
        if response.result != "OK":
            raise refused(self._server, f"ENABLE {names}", response)
        enabled = parse_enabled(response.lines[:-1])
        self._enabled |= enabled
        return enabled

    async def select(
        self, folder: str, *, readonly: bool = True, qresync: QresyncState | None = None
    ) -> SelectedFolder:
        """SELECT (or EXAMINE if ``readonly``) a folder; CONDSTORE is asked when offered.

        With ``qresync`` and QRESYNC enabled (see ``enable``) the answer also carries what
        changed since that state: ``vanished`` UIDs and ``changed`` flags. Without QRESYNC
        enabled ``qresync`` is ignored (nothing is reported). If the returned
        ``uidvalidity`` differs from ``qresync.uidvalidity``, every cached UID is void.

        Raises:
            NotFoundError: there is no such folder.
            ValueError: ``qresync.known_uids`` is not a UID set without ``*``.
        """
        if qresync is not None and qresync.known_uids is not None:
            check_uid_set(qresync.known_uids, star=False)
        await self._settle()
        self._selection_changed(None, writable=False)
        resync = qresync if self.qresync_enabled else None
        step = self._protocol.select_mailbox(
            quote_mailbox(folder), readonly=readonly, condstore="CONDSTORE" in self.capabilities,
            qresync=resync,
        )  # fmt: skip
        response: Response = await self._run(f"opening {folder}", step)
        if response.result != "OK":
            raise missing_folder(self._server, folder, response) or refused(
                self._server, f"opening {folder}", response
            )
        selected = parse_select(folder, response.lines[:-1], qresync=resync is not None)
        read_only = response_code(response.lines[-1]) == "READ-ONLY"
        self._selection_changed(selected, writable=not readonly and not read_only)
        return selected

    async def fetch(
        self,
        uids: str,
        *,
        body: bool = False,
        header: bool = False,
        batch: int = 500,
        changed_since: int | None = None,
    ) -> AsyncIterator[list[FetchedMessage]]:
        """``UID FETCH`` a UID set (``"1:*"``, ``"5,7:9"``) of the selected folder, in batches.

        Responses are parsed as they arrive; about ``2 * batch`` messages at most are in memory
        (the socket is not read meanwhile). ``modseq`` is filled when the server offers
        CONDSTORE. ``changed_since``: only messages changed after that mod-sequence
        (``CHANGEDSINCE``, RFC 7162); ``ProtocolError`` if the folder keeps none.
        """
        check_uid_set(uids)
        if changed_since is not None and changed_since < 0:
            raise ValueError(f"not a mod-sequence: {changed_since}")
        await self._settle()
        self._check_selected("fetching")
        assert self._selected is not None
        modseq = "CONDSTORE" in self.capabilities and self._selected.highestmodseq is not None
        if changed_since is not None and not modseq:
            raise ProtocolError(
                f"{where(self._server)} keeps no modification sequences for "
                f"{self._selected.name}; fetch without changed_since"
            )
        items = ["UID", "FLAGS", "RFC822.SIZE", "INTERNALDATE"] + (["MODSEQ"] if modseq else [])
        items += ["BODY.PEEK[HEADER]"] if header else []
        items += ["BODY.PEEK[]"] if body else []
        wanted = f"({' '.join(items)})"
        if changed_since is not None:
            wanted += f" (CHANGEDSINCE {changed_since})"
        command = StreamingFetch(
            self._protocol, uids, wanted, parse=partial(read_fetch, answer_only=True),
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
        self._check_selected("searching")
        criteria = criteria.strip() or "ALL"
        args = (criteria,) if criteria.isascii() else ("CHARSET", "UTF-8", criteria)
        command = self._command("SEARCH", *args, prefix="UID")
        response = await self._run("searching", self._protocol.execute(command))
        if response.result != "OK":
            raise refused(self._server, f"UID SEARCH {criteria}", response)
        return parse_search(response.lines[:-1])

    async def append(
        self, folder: str, raw: bytes, *, flags: str = "\\Seen"
    ) -> AppendedUid | None:
        """Store a message in a folder (``APPEND``), with ``flags`` (space separated).

        Returns:
            Its UIDVALIDITY and UID from the server's ``APPENDUID`` (UIDPLUS), else None.
        """
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
        return parse_appenduid(response.lines)

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
