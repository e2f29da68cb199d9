"""A keyring backend in one JSON file, for tests whose processes are SIGKILLed.

The crash harness kills ``mailclient`` processes at random moments, some in the middle of a
Secret Service call; gnome-keyring-daemon has been seen to die of that, leaving every later
test without a keyring. Those tests select this backend for their child processes instead
(``PYTHON_KEYRING_BACKEND=tests.helpers.file_keyring.FileKeyring`` and the file in
``MAILCLIENT_TEST_KEYRING_FILE``); the real Secret Service stays with the keyring tests.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

BACKEND = "tests.helpers.file_keyring.FileKeyring"
FILE_VARIABLE = "MAILCLIENT_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    """Secrets as ``{"service\\0user": secret}`` in one file, locked while read or written."""

    @properties.classproperty
    def priority(cls) -> float:
        """Only where the harness asked for it: elsewhere (the pytest process, where keyring
        also finds this class) it is not a keyring at all."""
        if not os.environ.get(FILE_VARIABLE):
            raise RuntimeError("the crash harness's file keyring is not in use here")
        return 1

    @contextmanager
    def _entries(self) -> Iterator[dict[str, str]]:
        path = Path(os.environ[FILE_VARIABLE])
        with open(path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            entries = json.loads(path.read_text()) if path.exists() else {}
            before = dict(entries)
            yield entries
            if entries != before:
                temporary = path.with_suffix(".tmp")
                temporary.write_text(json.dumps(entries))
                os.replace(temporary, path)

    def get_password(self, service: str, username: str) -> str | None:
        with self._entries() as entries:
            return entries.get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._entries() as entries:
            entries[f"{service}\0{username}"] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._entries() as entries:
            if entries.pop(f"{service}\0{username}", None) is None:
                raise PasswordDeleteError(username)


def use_file_keyring(monkeypatch: object, directory: Path) -> None:
    """Make child processes started from now on use a ``FileKeyring`` in ``directory``.

    This process keeps its own keyring: it is chosen now, before the variables change
    (keyring reads them once, at its first use, and keeps what it chose)."""
    keyring.get_keyring()
    setenv = monkeypatch.setenv  # type: ignore[attr-defined]
    setenv("PYTHON_KEYRING_BACKEND", BACKEND)
    setenv(FILE_VARIABLE, str(directory / "keyring.json"))
