"""Raw messages as content-addressed files, written atomically (temp file, fsync, rename)."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path

from mailclient.core.errors import StoreError


class BlobStore:
    """Files named by the SHA-256 of their bytes under ``root/ab/abcdef....eml``.

    A blob is complete before its name exists, so a crash leaves at worst an unused temp
    file, never a half-written message. Call ``sync_dirs()`` before committing rows that
    name new blobs so that the renames are durable too.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._dirty_dirs: set[Path] = set()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.eml"

    def put(self, data: bytes) -> str:
        """Store ``data`` (deduplicated) and return its key."""
        key = hashlib.sha256(data).hexdigest()
        target = self.path(key)
        if target.exists():
            return key
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StoreError(f"the disk is full ({target.parent}): free some space, "
                                 "then get mail again (what was stored is kept)") from exc
            raise StoreError(f"cannot write a message to {target.parent}: {exc.strerror}") from exc
        self._dirty_dirs.add(target.parent)
        return key

    def sync_dirs(self) -> None:
        """Make the renames of ``put`` durable (one fsync per touched directory)."""
        for directory in self._dirty_dirs:
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        self._dirty_dirs.clear()

    def get(self, key: str) -> bytes:
        """Return the bytes of a blob; ``StoreError`` if it is missing."""
        try:
            return self.path(key).read_bytes()
        except OSError as exc:
            raise StoreError(f"the stored message {key[:12]} cannot be read: {exc}") from exc

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)
