"""One SQLite connection to the profile's store: WAL, busy timeout, explicit transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mailclient.core.errors import StoreError
from mailclient.services.store.schema import migrate

BUSY_TIMEOUT_MS = 15_000


class Database:
    """A connection in autocommit mode; writes go through ``transaction()``.

    Use it from one thread at a time (worker threads take turns). The GUI and the CLI may
    hold connections to the same file at once: WAL lets readers go on while one writer
    commits.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(
                path, isolation_level=None, timeout=30, check_same_thread=False
            )
            self.connection.row_factory = sqlite3.Row
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.connection.execute("PRAGMA journal_mode = WAL")
            self.connection.execute("PRAGMA synchronous = FULL")
            self.connection.execute("PRAGMA foreign_keys = ON")
            migrate(self.connection)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the mail store {path}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction (BEGIN IMMEDIATE), committed at the end."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def query(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[
        sqlite3.Row
    ]:
        """Run a read query and return all rows."""
        return self.connection.execute(sql, params).fetchall()

    def close(self) -> None:
        self.connection.close()
