"""The local store: SQLite (WAL, FTS5) for metadata, content-addressed files for raw messages."""

from mailclient.services.store.database import Database
from mailclient.services.store.messages import FolderRow, MessageRow, MessageStore

__all__ = ["Database", "FolderRow", "MessageRow", "MessageStore"]
