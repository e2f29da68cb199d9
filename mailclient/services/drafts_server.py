"""A draft's copy in the IMAP Drafts folder: APPEND the new version, then delete the old one.

With UIDPLUS the APPEND answers ``[APPENDUID validity uid]``: that UID is remembered and the
next version deletes exactly it (``UID EXPUNGE``). Without UIDPLUS, or when the remembered
UID is void (another UIDVALIDITY, an earlier save cut short), the old versions are found by
the header each copy carries (``X-Mailclient-Draft: <id>``), leaving the new one alone.
"""

from __future__ import annotations

import logging
from typing import Protocol

from mailclient.core.draft_fields import DRAFT_HEADER
from mailclient.core.errors import NotFoundError
from mailclient.services.drafts_files import DRAFT_ID, ServerCopy
from mailclient.services.imap.models import FolderInfo, SelectedFolder
from mailclient.services.imap.uids import AppendedUid, compress_uids

log = logging.getLogger(__name__)
DRAFT_FLAGS = "\\Draft \\Seen"
DEFAULT_FOLDER = "Drafts"


class DraftsConnection(Protocol):
    """What the Drafts folder work needs of an ``ImapConnection``."""

    @property
    def capabilities(self) -> frozenset[str] | set[str]: ...

    async def list_folders(self) -> list[FolderInfo]: ...

    async def create_folder(self, name: str) -> None: ...

    async def select(self, folder: str, *, readonly: bool = True) -> SelectedFolder: ...

    async def append(self, folder: str, raw: bytes, *, flags: str = ...
                     ) -> AppendedUid | None: ...

    async def search_uids(self, criteria: str = "ALL") -> list[int]: ...

    async def expunge(self, uids: str) -> None: ...


def draft_criteria(draft_id: str) -> str:
    """``UID SEARCH`` criteria for every server copy of a draft.

    Raises:
        ValueError: not a draft id (only hex digits go into the command).
    """
    if not DRAFT_ID.fullmatch(draft_id):
        raise ValueError(f"not a draft id: {draft_id!r}")
    return f'HEADER {DRAFT_HEADER} "{draft_id}"'


async def drafts_folder(connection: DraftsConnection, *, create: bool = True) -> str | None:
    """The folder with the SPECIAL-USE role ``drafts``, else the one named Drafts (any case);
    created as ``Drafts`` when there is none and ``create`` is set."""
    folders = await connection.list_folders()
    by_role = next((f.name for f in folders if f.role == "drafts"), None)
    named = next((f.name for f in folders if f.name.lower() == DEFAULT_FOLDER.lower()), None)
    if by_role or named or not create:
        return by_role or named
    await connection.create_folder(DEFAULT_FOLDER)
    return DEFAULT_FOLDER


def _known_uid(connection: DraftsConnection, copy: ServerCopy | None,
               selected: SelectedFolder) -> int | None:
    """The remembered UID of a copy, if it still names it exactly (UIDPLUS, same folder and
    UIDVALIDITY): ``UID EXPUNGE`` then removes only it."""
    if copy is None or copy.uid is None or "UIDPLUS" not in connection.capabilities:
        return None
    if copy.folder != selected.name or copy.uidvalidity != selected.uidvalidity:
        return None
    return copy.uid


async def _stale_uids(connection: DraftsConnection, draft_id: str, old: ServerCopy | None,
                      selected: SelectedFolder, keep: set[int]) -> set[int]:
    known = _known_uid(connection, old, selected)
    if known is not None:
        return {known} - keep
    return set(await connection.search_uids(draft_criteria(draft_id))) - keep


async def put_draft(connection: DraftsConnection, draft_id: str, raw: bytes,
                    old: ServerCopy | None) -> ServerCopy:
    """Store a new version of a draft in the Drafts folder and remove the previous one.

    Args:
        draft_id: the draft's local id (the header ``raw`` carries).
        raw: the new version, with its ``X-Mailclient-Draft`` header.
        old: where the previous version is; None when not known (every older copy is then
            looked up by the header, which also clears copies an interrupted save left).

    Returns:
        Where the new version is (its UID None when the server gives no APPENDUID).

    Raises:
        MailError: a command failed; the old version may still be there (a later save or
            delete finds it by its header).
    """
    folder = await drafts_folder(connection)
    assert folder is not None
    appended = await connection.append(folder, raw, flags=DRAFT_FLAGS)
    selected = await connection.select(folder, readonly=False)
    if appended is not None and appended.uidvalidity == selected.uidvalidity:
        copy = ServerCopy(folder, appended.uidvalidity, appended.uid)
        stale = await _stale_uids(connection, draft_id, old, selected, {appended.uid})
    else:
        copy = ServerCopy(folder, selected.uidvalidity, None)
        # Without the new UID, all copies but the highest (the latest APPEND) are stale.
        found = set(await connection.search_uids(draft_criteria(draft_id)))
        stale = found - {max(found)} if found else set()
    if stale:
        await connection.expunge(compress_uids(stale))
    return copy


async def remove_draft(connection: DraftsConnection, draft_id: str,
                       copy: ServerCopy | None) -> int:
    """Delete every server copy of a draft (after it was sent, or when the user deletes it).

    Returns:
        How many copies were removed.
    """
    folder = copy.folder if copy is not None else await drafts_folder(connection, create=False)
    if folder is None:
        return 0
    try:
        selected = await connection.select(folder, readonly=False)
    except NotFoundError:
        log.info("the Drafts folder %s is gone: draft %s has no copy to remove", folder, draft_id)
        return 0
    stale = await _stale_uids(connection, draft_id, copy, selected, set())
    if stale:
        await connection.expunge(compress_uids(stale))
    return len(stale)
