"""One SQLite connection to the profile's store: WAL, busy timeout, explicit transactions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mailclient.core.errors import StoreError
from mailclient.services.store.schema import migrate

BUSY_TIMEOUT_MS = 15_000
PAGE_SIZE = 16_384  # raw messages live in the file: fewer, larger pages write them faster
CACHE_KIB = 65_536  # SQLite's page cache: a bulk insert into a large store misses the default 2 MiB


def write_error(path: Path, exc: sqlite3.OperationalError) -> StoreError:
    """A failed write in words; what was committed before is intact either way."""
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return StoreError(f"the disk is full (the mail store {path} cannot grow): free some "
                          "space, then get mail again (what was stored is kept)")
    return StoreError(f"cannot write to the mail store {path}: {exc}")


class Database:
    """A connection in autocommit mode; writes go through ``transaction()``.

    Threads take turns: a transaction (and a query) holds the connection's lock, so the sync
    may write on a worker thread while its loop goes on. The GUI and the CLI may hold
    connections to the same file at once: WAL lets readers go on while one writer commits.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(
                path, isolation_level=None, timeout=30, check_same_thread=False
            )
            self.connection.row_factory = sqlite3.Row
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file only
            self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute("PRAGMA synchronous = FULL")
            self.connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self.connection.execute("PRAGMA foreign_keys = ON")
            migrate(self.connection)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the mail store {path}: {exc}") from exc

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction (BEGIN IMMEDIATE), committed at the end.

        ``durable=False`` commits without syncing the log to disk (``synchronous=NORMAL``):
        for bulk writes of what the server still holds. A power cut may then lose the last
        such commits, never part of one and never one without those before it (the WAL is
        replayed in order); the next durable commit, or ``commit_durably``, syncs them all.
        """
        with self._lock:
            if not durable:
                self.connection.execute("PRAGMA synchronous = NORMAL")
            try:
                self.connection.execute("BEGIN IMMEDIATE")
                try:
                    yield self.connection
                except BaseException:
                    if self.connection.in_transaction:  # SQLite may have rolled back itself
                        self.connection.execute("ROLLBACK")
                    raise
                self.connection.execute("COMMIT")
            except sqlite3.OperationalError as exc:  # disk full, I/O error, locked too long
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
                raise write_error(self.path, exc) from exc
            finally:
                if not durable:
                    self.connection.execute("PRAGMA synchronous = FULL")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Run the block's reads in one read transaction: they all see the same state, even
        while another connection commits (WAL)."""
        with self._lock:
            self.connection.execute("BEGIN DEFERRED")
            try:
                yield self.connection
            finally:
                self.connection.execute("COMMIT")

    def commit_durably(self) -> None:
        """Sync to disk what ``transaction(durable=False)`` committed (a WAL checkpoint,
        which syncs the log first)."""
        with self._lock:
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def query(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[
        sqlite3.Row
    ]:
        """Run a read query and return all rows."""
        with self._lock:
            return self.connection.execute(sql, params).fetchall()

    def close(self) -> None:
        self.connection.close()
