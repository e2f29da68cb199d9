"""What the IMAP layer hands to the sync engine: folders, a selected folder, fetched messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FolderInfo:
    """One folder from LIST; ``role`` comes from SPECIAL-USE (``inbox``, ``sent``, ...) or None.

    ``subscribed`` is None when it was not asked for (a folder built by hand).
    """

    name: str
    delimiter: str | None
    flags: frozenset[str]
    role: str | None
    subscribed: bool | None = None


@dataclass(frozen=True)
class FetchedMessage:
    """One message of a UID FETCH; ``raw`` and ``header`` only if they were asked for.

    ``modseq`` is the message's mod-sequence (CONDSTORE, RFC 7162), None if not reported.
    """

    uid: int
    flags: frozenset[str]
    size: int
    internaldate: datetime | None
    raw: bytes | None
    header: bytes | None
    modseq: int | None = None


@dataclass(frozen=True)
class QresyncState:
    """What a client remembers of a folder to resynchronise it quickly (QRESYNC, RFC 7162).

    ``known_uids`` (a UID set such as ``"1:40,42"``, no ``*``) bounds the ``vanished`` answer
    to the UIDs the client has; without it the server may report every UID ever expunged.
    """

    uidvalidity: int
    highestmodseq: int
    known_uids: str | None = None


@dataclass(frozen=True)
class SelectedFolder:
    """What SELECT/EXAMINE told about a folder.

    After a SELECT with ``QresyncState``: ``vanished`` holds the UIDs expunged since that
    state and ``changed`` the messages whose flags changed (uid, flags, modseq; no size, date,
    raw or header). A ``uidvalidity`` other than the state's means that every cached UID of
    the folder is void; the server then reports no changes.
    """

    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int
    highestmodseq: int | None
    vanished: tuple[int, ...] = ()
    changed: tuple[FetchedMessage, ...] = ()
