"""What the IMAP layer hands to the sync engine: folders, a selected folder, fetched messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FolderInfo:
    """One folder from LIST; ``role`` comes from SPECIAL-USE (``inbox``, ``sent``, ...) or None."""

    name: str
    delimiter: str | None
    flags: frozenset[str]
    role: str | None


@dataclass(frozen=True)
class SelectedFolder:
    """What SELECT/EXAMINE told about a folder."""

    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int
    highestmodseq: int | None


@dataclass(frozen=True)
class FetchedMessage:
    """One message of a UID FETCH; ``raw`` and ``header`` only if they were asked for."""

    uid: int
    flags: frozenset[str]
    size: int
    internaldate: datetime | None
    raw: bytes | None
    header: bytes | None
