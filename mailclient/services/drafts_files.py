"""Drafts kept on this computer: one JSON file each under the profile's data dir, atomically."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mailclient.core.account import Account
from mailclient.core.errors import NotFoundError, StoreError
from mailclient.core.message_build import Draft, build_message
from mailclient.services.outbox_copies import sent_copy
from mailclient.services.profile import write_atomically

DRAFT_ID = re.compile(r"[0-9a-f]{12}")
# The header every server copy carries: finds the old versions where UIDs are not known.
DRAFT_HEADER = "X-Mailclient-Draft"


@dataclass
class ServerCopy:
    """Where the latest version of a draft is on the IMAP server (UID None: not known)."""

    folder: str
    uidvalidity: int | None = None
    uid: int | None = None


@dataclass
class SavedDraft:
    """One draft: what the user wrote, and where its copy on the server is.

    ``server_error`` says why the latest version could not be put on the server (it is then
    kept here only, and the next save tries again).
    """

    id: str
    account: str
    to: list[str]
    subject: str
    text: str
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    updated_epoch: float = 0.0
    server: ServerCopy | None = None
    server_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SavedDraft:
        """Read what ``to_json`` wrote.

        Raises:
            KeyError, TypeError: the data is not a draft.
        """
        server = data.get("server")
        return cls(
            id=str(data["id"]), account=str(data["account"]), to=list(data["to"]),
            subject=str(data["subject"]), text=str(data["text"]), cc=list(data.get("cc", [])),
            bcc=list(data.get("bcc", [])), updated_epoch=float(data.get("updated_epoch", 0)),
            server=ServerCopy(**server) if server else None,
            server_error=data.get("server_error"),
        )

    def compose(self, account: Account) -> Draft:
        """The draft as a message to build, from ``account``."""
        return Draft(sender=account.sender, to=list(self.to), cc=list(self.cc),
                     bcc=list(self.bcc), subject=self.subject, text=self.text)

    def server_bytes(self, account: Account) -> bytes:
        """The copy for the server's Drafts folder: with Bcc and the draft's own header.

        Raises:
            ConfigError: an address is invalid.
        """
        draft = self.compose(account)
        message = build_message(draft, require_recipient=False)
        message[DRAFT_HEADER] = self.id
        return sent_copy(message, draft.bcc)


class DraftFiles:
    """The drafts of every account of a profile, as ``<id>.json`` files in ``root``.

    Each file is replaced whole (temp file, fsync, rename): a crash leaves the old version
    or the new one, never half of one.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def new_id() -> str:
        """A fresh draft id (12 hex digits)."""
        return secrets.token_hex(6)

    def _path(self, draft_id: str) -> Path:
        if not DRAFT_ID.fullmatch(draft_id):
            raise NotFoundError(f"no draft with id {draft_id!r}")
        return self.root / f"{draft_id}.json"

    def write(self, draft: SavedDraft) -> None:
        """Store ``draft`` (replacing the version with the same id), stamping the time."""
        path = self._path(draft.id)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        draft.updated_epoch = time.time()
        data = json.dumps(draft.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
        write_atomically(path, data)

    def read(self, draft_id: str) -> SavedDraft:
        """The draft with this id.

        Raises:
            NotFoundError: there is none.
            StoreError: its file cannot be read.
        """
        path = self._path(draft_id)
        try:
            data = json.loads(path.read_bytes())
            return SavedDraft.from_json(data)
        except FileNotFoundError:
            raise NotFoundError(f"no draft with id {draft_id!r}") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"the draft file {path} cannot be read: {exc}") from exc

    def all(self, account: str | None = None) -> list[SavedDraft]:
        """Every readable draft (of ``account`` if given), the latest saved first."""
        found: list[SavedDraft] = []
        for path in self.root.glob("*.json") if self.root.is_dir() else ():
            if not DRAFT_ID.fullmatch(path.stem):
                continue
            try:
                draft = self.read(path.stem)
            except (NotFoundError, StoreError):
                continue  # removed meanwhile, or damaged: not a draft to list
            if account is None or draft.account == account:
                found.append(draft)
        return sorted(found, key=lambda d: d.updated_epoch, reverse=True)

    def remove(self, draft_id: str) -> None:
        """Forget a draft here (nothing if it is gone already)."""
        self._path(draft_id).unlink(missing_ok=True)

