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
from mailclient.core.draft_fields import DRAFT_HEADER
from mailclient.core.errors import NotFoundError, StoreError
from mailclient.core.message_build import Attachment, Draft, build_message, parse_address
from mailclient.services.drafts_blobs import DraftBlobs
from mailclient.services.outbox_copies import sent_copy
from mailclient.services.profile import write_atomically

DRAFT_ID = re.compile(r"[0-9a-f]{12}")


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
    kept here only, and the next save tries again). ``sender`` is the identity it is written
    from (``Name <addr>``; None: the account's own); ``in_reply_to`` and ``references`` make
    the reply it is part of a conversation; attachment bytes are kept beside the JSON file.
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
    sender: str | None = None
    html: str | None = None
    reply_to: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Every field but the attachments' bytes (``DraftFiles`` keeps those)."""
        data = asdict(self)
        data["attachments"] = [{"filename": a.filename, "content_type": a.content_type,
                                "content_id": a.content_id, "size": len(a.data)}
                               for a in self.attachments]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any],
                  attachments: list[Attachment] | None = None) -> SavedDraft:
        """Read what ``to_json`` wrote (drafts saved before the optional fields too).

        Raises:
            KeyError, TypeError: the data is not a draft.
        """
        server = data.get("server")
        return cls(
            id=str(data["id"]), account=str(data["account"]), to=list(data["to"]),
            subject=str(data["subject"]), text=str(data["text"]), cc=list(data.get("cc", [])),
            bcc=list(data.get("bcc", [])), updated_epoch=float(data.get("updated_epoch", 0)),
            server=ServerCopy(**server) if server else None,
            server_error=data.get("server_error"), sender=data.get("sender"),
            html=data.get("html"), reply_to=data.get("reply_to"),
            in_reply_to=data.get("in_reply_to"), references=list(data.get("references", [])),
            attachments=list(attachments or []),
        )

    def compose(self, account: Account) -> Draft:
        """The draft as a message to build, from its identity (else ``account``'s own).

        Raises:
            ConfigError: the identity is not an address.
        """
        sender = parse_address(self.sender) if self.sender else account.sender
        return Draft(sender=sender, to=list(self.to), cc=list(self.cc), bcc=list(self.bcc),
                     subject=self.subject, text=self.text, html=self.html,
                     attachments=list(self.attachments), reply_to=self.reply_to,
                     in_reply_to=self.in_reply_to, references=list(self.references))

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
        self.blobs = DraftBlobs(root / "attachments")

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
        document = draft.to_json()
        document["attachments"] = self.blobs.put(draft.attachments)  # bytes first, then names
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        write_atomically(path, data)
        if document["attachments"] or self.blobs.root.is_dir():
            self.blobs.collect(self.root)  # contents an older version named

    def read(self, draft_id: str) -> SavedDraft:
        """The draft with this id.

        Raises:
            NotFoundError: there is none.
            StoreError: its file cannot be read.
        """
        path = self._path(draft_id)
        try:
            data = json.loads(path.read_bytes())
            return SavedDraft.from_json(data, self.blobs.load(data.get("attachments", [])))
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
        """Forget a draft here (nothing if it is gone already), and its attachments."""
        self._path(draft_id).unlink(missing_ok=True)
        self.blobs.collect(self.root)

