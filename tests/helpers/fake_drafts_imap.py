"""An IMAP connection with folders in memory, for the Drafts folder work (``drafts_server``)."""

from __future__ import annotations

import re

from mailclient.core.errors import NetworkError, NotFoundError
from mailclient.services.imap.models import FolderInfo, SelectedFolder
from mailclient.services.imap.uids import AppendedUid, expand_uid_set


class FakeDraftsImap:
    """An IMAP connection with folders in memory; every command is recorded."""

    def __init__(self, *, uidplus: bool = True, drafts: str | None = "Drafts",
                 role: str | None = "drafts") -> None:
        self.capabilities = {"IMAP4REV1", "UIDPLUS"} if uidplus else {"IMAP4REV1"}
        self.folders: dict[str, dict[int, tuple[bytes, str]]] = {"INBOX": {}}
        self.roles: dict[str, str | None] = {"INBOX": "inbox"}
        if drafts is not None:
            self.folders[drafts], self.roles[drafts] = {}, role
        self.uidvalidity = 7
        self.next_uid = 1
        self.commands: list[str] = []
        self.selected: str | None = None
        self.closed = False
        self.fail_on: str | None = None  # a command word that raises NetworkError

    async def list_folders(self) -> list[FolderInfo]:
        return [FolderInfo(name, "/", frozenset(), self.roles[name]) for name in self.folders]

    async def create_folder(self, name: str) -> None:
        self.commands.append(f"CREATE {name}")
        self.folders[name], self.roles[name] = {}, None

    async def select(self, folder: str, *, readonly: bool = True) -> SelectedFolder:
        self.commands.append(f"SELECT {folder}")
        if folder not in self.folders:
            raise NotFoundError(f"no folder {folder}")
        assert not readonly
        self.selected = folder
        return SelectedFolder(folder, self.uidvalidity, self.next_uid,
                              len(self.folders[folder]), None)

    async def append(self, folder: str, raw: bytes, *, flags: str = "\\Seen"
                     ) -> AppendedUid | None:
        self.commands.append(f"APPEND {folder} ({flags})")
        self._maybe_fail("APPEND")
        uid, self.next_uid = self.next_uid, self.next_uid + 1
        self.folders[folder][uid] = (raw, flags)
        return AppendedUid(self.uidvalidity, uid) if "UIDPLUS" in self.capabilities else None

    async def search_uids(self, criteria: str = "ALL") -> list[int]:
        self.commands.append(f"SEARCH {criteria}")
        match = re.fullmatch(r'HEADER X-Mailclient-Draft "([0-9a-f]+)"', criteria)
        assert match and self.selected, criteria
        wanted = f"X-Mailclient-Draft: {match[1]}\r\n".encode()
        return [uid for uid, (raw, _) in self.folders[self.selected].items() if wanted in raw]

    async def expunge(self, uids: str) -> None:
        self.commands.append(f"EXPUNGE {uids}")
        self._maybe_fail("EXPUNGE")
        assert self.selected
        for uid in expand_uid_set(uids):
            self.folders[self.selected].pop(uid, None)

    def _maybe_fail(self, verb: str) -> None:
        if self.fail_on == verb:
            raise NetworkError(f"imap.example.org:993: connection reset during {verb}")

    async def close(self) -> None:
        self.closed = True

    async def __aenter__(self) -> FakeDraftsImap:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
