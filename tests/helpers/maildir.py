"""Direct Maildir++ access for the test servers: bulk loading and reading delivered mail."""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Iterable
from pathlib import Path

_SUBDIRS = ("cur", "new", "tmp")
_HOSTNAME = "mailclient-test"


def _mutf7(name: str) -> str:
    """Encode a mailbox name segment in IMAP modified UTF-7 (as Dovecot stores it)."""
    out, pending = [], []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def folder_dir(maildir: Path, folder: str, separator: str = "/") -> Path:
    """The directory of an IMAP folder in a Maildir++ tree ("INBOX" is the root)."""
    if folder.upper() == "INBOX":
        return maildir
    return maildir / ("." + ".".join(_mutf7(part) for part in folder.split(separator)))


def ensure_maildir(path: Path, uid: int, gid: int) -> None:
    """Create path and its cur/new/tmp, owned by uid:gid."""
    for directory in (path, *(path / sub for sub in _SUBDIRS)):
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chown(directory, uid, gid)
    if path.name.startswith("."):
        marker = path / "maildirfolder"
        marker.touch(mode=0o600)
        os.chown(marker, uid, gid)


def write_messages(
    path: Path, messages: Iterable[bytes], uid: int, gid: int, *, seen: bool
) -> int:
    """Write messages into path/cur with ,S=size names; return the count.

    cur/ rather than new/ even when unseen: Dovecot would otherwise rename every file into
    cur/ on the first read-write SELECT (half a second per 50,000 messages).
    """
    now = time.time()
    stem = f"{int(now)}.M{int(now % 1 * 1_000_000):06d}P{os.getpid()}"
    target = path / "cur"
    suffix = ":2,S" if seen else ":2,"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    count = 0
    for count, message in enumerate(messages, start=1):
        name = f"{stem}Q{count:08d}.{_HOSTNAME},S={len(message)}{suffix}"
        fd = os.open(target / name, flags, 0o600)
        try:
            os.write(fd, message)
            os.fchown(fd, uid, gid)
        finally:
            os.close(fd)
    return count


def _sort_key(name: str) -> tuple[int, str]:
    head = name.split(".", 1)[0]
    return (int(head) if head.isdigit() else 0, name)


def read_messages(path: Path) -> list[bytes]:
    """Raw messages in path/new and path/cur, oldest first."""
    files: dict[str, Path] = {}
    for sub in ("new", "cur"):  # new/ first: a message moved meanwhile is then found in cur/
        try:
            names = os.listdir(path / sub)
        except FileNotFoundError:
            continue
        files.update((name.split(":", 1)[0], path / sub / name) for name in names)
    found = []
    for base in sorted(files, key=_sort_key):
        for candidate in (files[base], *sorted((path / "cur").glob(base + ":*"))):
            try:
                found.append(candidate.read_bytes())
                break
            except FileNotFoundError:  # renamed by Dovecot meanwhile (flags, new/ -> cur/)
                continue
    return found
