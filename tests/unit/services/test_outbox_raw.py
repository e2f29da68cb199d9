"""An outbox message's bytes in ``outbox_raw``: migration 3 moves them there from the state row,
and state changes no longer touch them."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from mailclient.core.errors import NotFoundError
from mailclient.services.outbox import Outbox
from mailclient.services.store import schema
from mailclient.services.store.database import Database

BIG = b"Subject: big\r\n\r\n" + b"x" * 300_000 + b"\r\n"
SMALL = b"Subject: small\r\n\r\nhi\r\n"


def run(connection: sqlite3.Connection, script: str) -> None:
    for statement in (s.strip() for s in script.split(";")):
        if statement:
            connection.execute(statement)


def version_2_store(path: Path, rows: list[tuple[str, bytes]]) -> None:
    """A store as version 2 made it: the outbox rows hold their bytes in ``raw``."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for script in schema.MIGRATIONS[:2]:
            run(db, script)
        for state, raw in rows:
            db.execute("""INSERT INTO outbox (account, state, raw, sender, recipients,
                              message_id, created_epoch, updated_epoch)
                          VALUES ('a', ?, ?, 'a@x.org', '["b@x.org"]', '<m@x>', ?, ?)""",
                       (state, raw, time.time(), time.time()))
        db.execute("PRAGMA user_version = 2")


def columns(db: Database, table: str) -> set[str]:
    return {r["name"] for r in db.query(f"PRAGMA table_info({table})")}


def test_migration_3_moves_the_bytes_and_keeps_them(tmp_path: Path) -> None:
    version_2_store(tmp_path / "store.db", [("queued", BIG), ("sent", SMALL), ("held", b"")])
    db = Database(tmp_path / "store.db")
    assert db.query("PRAGMA user_version")[0][0] == schema.SCHEMA_VERSION >= 3
    outbox = Outbox(db)
    assert [outbox.raw(i) for i in (1, 2, 3)] == [BIG, SMALL, b""]
    assert [item.state for item in outbox.items()] == ["queued", "sent", "held"]
    if schema.DROP_COLUMN:
        assert "raw" not in columns(db, "outbox")
    assert db.query("PRAGMA foreign_key_check") == []
    assert db.query("PRAGMA integrity_check")[0][0] == "ok"
    assert outbox.claim(1) == BIG, "a queued message is still sent after the upgrade"
    db.close()


def test_queue_writes_both_rows_and_cancel_removes_both(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "store.db"))
    item = outbox.queue("a", raw=SMALL, sender="a@x.org", recipients=["b@x.org"],
                        message_id="<m@x>")
    assert outbox.raw(item) == SMALL
    outbox.cancel(item)
    assert outbox.db.query("SELECT count(*) FROM outbox_raw")[0][0] == 0
    with pytest.raises(NotFoundError):
        outbox.raw(item)


def test_a_failed_queue_leaves_neither_row(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "store.db"))
    with pytest.raises(sqlite3.IntegrityError):
        outbox.queue("a", raw=None, sender="a@x.org", recipients=["b@x.org"],  # type: ignore[arg-type]
                      message_id="<m@x>")
    assert outbox.db.query("SELECT count(*) FROM outbox")[0][0] == 0


def test_state_changes_leave_the_bytes_alone(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "store.db"))
    item = outbox.queue("a", raw=BIG, sender="a@x.org", recipients=["b@x.org"],
                        message_id="<m@x>")
    changes = outbox.db.connection.total_changes
    outbox.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert outbox.claim(item) == BIG
    outbox.mark(item, "sent", reply="250 ok")
    wal = outbox.db.path.with_name(outbox.db.path.name + "-wal")
    assert wal.stat().st_size < len(BIG) / 4, "the claim and the mark wrote no copy of it"
    assert outbox.db.connection.total_changes - changes == 2
    assert outbox.raw(item) == BIG


def test_a_store_migrated_without_drop_column_still_queues(tmp_path: Path) -> None:
    """SQLite before 3.35 keeps ``outbox.raw`` (emptied); new rows write an empty blob there."""
    path = tmp_path / "store.db"
    version_2_store(path, [("queued", SMALL)])
    legacy = schema.MIGRATIONS[2].replace("ALTER TABLE outbox DROP COLUMN raw",
                                          "UPDATE outbox SET raw = X''")
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        run(db, legacy)
        db.execute("PRAGMA user_version = 3")
    outbox = Outbox(Database(path))
    assert "raw" in columns(outbox.db, "outbox")
    item = outbox.queue("a", raw=BIG, sender="a@x.org", recipients=["b@x.org"],
                        message_id="<n@x>")
    assert (outbox.raw(1), outbox.raw(item)) == (SMALL, BIG)
    kept = outbox.db.query("SELECT length(raw) AS n FROM outbox")
    assert [r["n"] for r in kept] == [0, 0], "nothing left in or written to the old column"
