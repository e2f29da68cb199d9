"""A draft's attachments kept beside its JSON file: one file per content (SHA-256 named)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mailclient.core.errors import StoreError
from mailclient.core.message_build import Attachment
from mailclient.services.profile import write_atomically

BLOB_NAME = re.compile(r"[0-9a-f]{64}")
# A content kept less than this long ago may belong to a draft being written by another
# process (its bytes are kept before its JSON names them): never collected.
FRESH_SECONDS = 600


class DraftBlobs:
    """Attachment contents under ``root``; written before the draft that names them, removed
    once no draft names them (``collect``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, attachments: Iterable[Attachment]) -> list[dict[str, Any]]:
        """Keep each attachment's bytes (once per content); return what the draft's JSON holds."""
        described: list[dict[str, Any]] = []
        for attachment in attachments:
            name = hashlib.sha256(attachment.data).hexdigest()
            path = self.root / name
            try:
                os.utime(path)  # kept already: fresh again, so no collect removes it now
            except FileNotFoundError:
                self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
                write_atomically(path, attachment.data)
            described.append({"filename": attachment.filename, "content_type":
                              attachment.content_type, "content_id": attachment.content_id,
                              "blob": name, "size": len(attachment.data)})
        return described

    def load(self, described: Iterable[dict[str, Any]]) -> list[Attachment]:
        """The attachments a draft's JSON names, with their bytes.

        Raises:
            StoreError: a named file is missing, unreadable or not what was kept.
        """
        attachments: list[Attachment] = []
        for entry in described:
            name = str(entry["blob"])
            if not BLOB_NAME.fullmatch(name):
                raise StoreError(f"the draft names a bad attachment file {name!r}")
            try:
                data = (self.root / name).read_bytes()
            except OSError as exc:
                raise StoreError(f"the attachment {entry.get('filename')!r} of the draft "
                                 f"cannot be read: {exc}") from exc
            if hashlib.sha256(data).hexdigest() != name:
                raise StoreError(f"the attachment {entry.get('filename')!r} of the draft "
                                 "is damaged")
            attachments.append(Attachment(str(entry["filename"]), data,
                                          entry.get("content_type"), entry.get("content_id")))
        return attachments

    def collect(self, drafts_dir: Path) -> None:
        """Remove every kept content that no draft file in ``drafts_dir`` names any more."""
        if not self.root.is_dir():
            return
        named: set[str] = set()
        for path in drafts_dir.glob("*.json"):
            try:
                data = json.loads(path.read_bytes())
                named.update(str(a["blob"]) for a in data.get("attachments", []))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                return  # a draft that cannot be read may name any of them: keep all
        old = time.time() - FRESH_SECONDS
        for blob in self.root.iterdir():
            if BLOB_NAME.fullmatch(blob.name) and blob.name not in named:
                try:
                    if blob.stat().st_mtime < old:
                        blob.unlink()
                except FileNotFoundError:
                    pass
