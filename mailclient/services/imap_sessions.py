"""One IMAP command connection per account, kept open between uses and lent to one user at a
time (sync, replay of changes, a body fetched on demand, the copy to Sent).

The inbox watcher has a connection of its own (IDLE blocks it). A connection that failed is
dropped, so the next use reconnects; one left unused for longer than ``max_idle`` seconds is
closed rather than trusted (servers log idle sessions out).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from mailclient.core.account import Account
from mailclient.core.credentials import Credential
from mailclient.services.imap.connection import ImapConnection

Opener = Callable[[Account, Credential], Awaitable[ImapConnection]]
MAX_IDLE = 120.0


async def open_connection(account: Account, password: Credential) -> ImapConnection:
    """Log in to the account's IMAP server; QRESYNC is enabled at once when offered (ENABLE
    must come before any SELECT)."""
    connection = await ImapConnection.open(account.incoming, password, ca_file=account.ca_file)
    try:
        if "QRESYNC" in connection.capabilities:
            await connection.enable("QRESYNC")
    except BaseException:
        await connection.close()
        raise
    return connection


@dataclass
class _Kept:
    connection: ImapConnection
    server_key: tuple[object, ...]
    last_used: float


class ImapSessions:
    """The command connections of every account of a profile (one asyncio loop)."""

    def __init__(self, opener: Opener = open_connection, max_idle: float = MAX_IDLE) -> None:
        self._opener = opener
        self._max_idle = max_idle
        self._kept: dict[str, _Kept] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.opened = 0  # connections opened so far (for tests and logs)

    @asynccontextmanager
    async def session(self, account: Account, password: Credential, *,
                      urgent: bool = False) -> AsyncIterator[ImapConnection]:
        """Lend the account's connection (opening one if needed) for one unit of work.

        ``urgent`` work (a message the user opened) does not wait behind a long sync: when
        the kept connection is busy it gets a connection of its own, closed afterwards.
        """
        lock = self._locks.setdefault(account.name, asyncio.Lock())
        if urgent and lock.locked():
            async with await self._opener(account, password) as extra:
                self.opened += 1
                yield extra
            return
        async with lock:
            connection = await self._checkout(account, password)
            try:
                yield connection
            except BaseException:
                self._kept.pop(account.name, None)
                await connection.close()  # its state is unknown now
                raise
            if connection.closed:
                self._kept.pop(account.name, None)
            else:
                self._kept[account.name] = _Kept(connection, _server_key(account, password),
                                                 time.monotonic())

    async def _checkout(self, account: Account, password: Credential) -> ImapConnection:
        kept = self._kept.pop(account.name, None)
        if kept is not None:
            fresh = time.monotonic() - kept.last_used < self._max_idle
            if fresh and not kept.connection.closed and \
                    kept.server_key == _server_key(account, password):
                return kept.connection
            await kept.connection.close()
        connection = await self._opener(account, password)
        self.opened += 1
        return connection

    async def forget(self, account_name: str) -> None:
        """Close an account's connection (its settings changed, or it was removed)."""
        kept = self._kept.pop(account_name, None)
        if kept is not None:
            await kept.connection.close()

    async def close_all(self) -> None:
        """Log out every kept connection (at exit)."""
        kept, self._kept = list(self._kept.values()), {}
        for item in kept:
            await item.connection.close()


def _server_key(account: Account, password: Credential) -> tuple[object, ...]:
    """What a kept connection must still match to be reused."""
    return (account.incoming, account.ca_file, hash(password))
