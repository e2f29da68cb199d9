"""The store's schema and its migrations, versioned with ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

from mailclient.core.errors import StoreError

# SQLite has ALTER TABLE DROP COLUMN from 3.35 (fixed in 3.35.5); before, the column stays,
# emptied, and is written as an empty blob (see ``Outbox``).
DROP_COLUMN = sqlite3.sqlite_version_info >= (3, 35, 5)
_DROP_OUTBOX_RAW = (
    "ALTER TABLE outbox DROP COLUMN raw" if DROP_COLUMN else "UPDATE outbox SET raw = X''"
)

# MIGRATIONS[n] takes the schema from version n to n + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT,
        uidvalidity INTEGER,
        uidnext INTEGER,
        highestmodseq INTEGER,
        UNIQUE (account, name)
    );
    CREATE TABLE messages (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        account TEXT NOT NULL,
        folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
        uidvalidity INTEGER,
        uid INTEGER,
        uidl TEXT,
        message_id TEXT NOT NULL DEFAULT '',
        flags TEXT NOT NULL DEFAULT '',
        date_epoch REAL,
        date_text TEXT,
        sender TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT '[]',
        subject TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        attachments INTEGER NOT NULL DEFAULT 0,
        blob TEXT NOT NULL,
        added_epoch REAL NOT NULL
    );
    CREATE UNIQUE INDEX messages_by_uid ON messages (folder_id, uidvalidity, uid)
        WHERE uid IS NOT NULL;
    CREATE UNIQUE INDEX messages_by_uidl ON messages (account, uidl) WHERE uidl IS NOT NULL;
    CREATE INDEX messages_by_date ON messages (folder_id, date_epoch DESC);
    CREATE INDEX messages_by_message_id ON messages (message_id);
    CREATE VIRTUAL TABLE messages_fts USING fts5 (
        subject, sender, recipients, body, attachment_names, tokenize = 'unicode61'
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        state TEXT NOT NULL CHECK (
            state IN ('queued', 'sending', 'sent', 'copied', 'failed', 'held')),
        raw BLOB NOT NULL,
        sender TEXT NOT NULL,
        recipients TEXT NOT NULL,
        message_id TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_epoch REAL NOT NULL DEFAULT 0,
        last_error TEXT,
        server_reply TEXT,
        claim_pid INTEGER,
        created_epoch REAL NOT NULL,
        updated_epoch REAL NOT NULL
    );
    CREATE INDEX outbox_by_state ON outbox (state, next_attempt_epoch);
    """,
    # 2: raw messages in SQLite, headers-first sync, conversations, the offline change queue.
    """
    CREATE TABLE message_raw (
        pk INTEGER PRIMARY KEY REFERENCES messages (pk) ON DELETE CASCADE,
        data BLOB NOT NULL
    );
    ALTER TABLE folders ADD COLUMN subscribed INTEGER;
    ALTER TABLE messages ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN refs TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN modseq INTEGER;
    ALTER TABLE messages ADD COLUMN body_state TEXT NOT NULL DEFAULT 'full';
    ALTER TABLE messages ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE messages ADD COLUMN thread_id INTEGER;
    ALTER TABLE messages ADD COLUMN defects INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX messages_by_thread ON messages (thread_id);
    CREATE INDEX messages_unindexed ON messages (indexed)
        WHERE indexed = 0 AND body_state = 'full';
    CREATE INDEX messages_without_body ON messages (folder_id, uid)
        WHERE body_state = 'header';
    CREATE TABLE threads (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        subject_key TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX threads_by_subject ON threads (account, subject_key);
    CREATE TABLE thread_keys (
        account TEXT NOT NULL,
        message_id TEXT NOT NULL,
        thread_id INTEGER NOT NULL,
        PRIMARY KEY (account, message_id)
    ) WITHOUT ROWID;
    CREATE INDEX thread_keys_by_thread ON thread_keys (thread_id);
    CREATE TABLE pop3_uidls (
        account TEXT NOT NULL,
        uidl TEXT NOT NULL,
        added_epoch REAL NOT NULL,
        PRIMARY KEY (account, uidl)
    ) WITHOUT ROWID;
    INSERT INTO pop3_uidls (account, uidl, added_epoch)
        SELECT account, uidl, added_epoch FROM messages WHERE uidl IS NOT NULL;
    CREATE TABLE pending_changes (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        folder_id INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
        uidvalidity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('add_flags', 'remove_flags', 'move', 'expunge')),
        argument TEXT NOT NULL DEFAULT '',
        message_pk INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_epoch REAL NOT NULL
    );
    CREATE INDEX pending_changes_by_account ON pending_changes (account, folder_id, id);
    """,
    # 3: an outbox message's bytes apart from its state, so a state change rewrites no blob.
    f"""
    CREATE TABLE outbox_raw (
        id INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
        data BLOB NOT NULL
    );
    INSERT INTO outbox_raw (id, data) SELECT id, raw FROM outbox;
    {_DROP_OUTBOX_RAW}
    """,
    # 4: folder counts and the list's order read from indices: unread messages apart (a
    # count costs what is unread, not the folder), and date then pk for the newest first.
    """
    CREATE INDEX messages_unread ON messages (folder_id)
        WHERE ' ' || flags || ' ' NOT LIKE '% seen %';
    DROP INDEX messages_by_date;
    CREATE INDEX messages_by_date ON messages (folder_id, date_epoch DESC, pk DESC);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the database to ``SCHEMA_VERSION``, one transaction per step."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the mail store has schema version {version}, newer than this program "
            f"({SCHEMA_VERSION}); please update mailclient"
        )
    for step in range(version, SCHEMA_VERSION):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[step]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {step + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]
