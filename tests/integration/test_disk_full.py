"""Disk full while storing: a profile on a 2 MB tmpfs syncs a real Dovecot account bigger
than that. The sync fails with a clear error, the database is intact with what was stored,
and once there is room the next sync completes to the server's state."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailclient.services.profile import Profile
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from tests.helpers.cli_runner import add_account, assert_ok, run_cli
from tests.helpers.mailservers import MailServers
from tests.helpers.server_truth import assert_store_equals_server, compose

pytestmark = pytest.mark.integration
MESSAGES = 40
BODY = 100_000  # 40 x 100 KB: twice what the disk holds


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs mounted for the test (skipped where mounting is not permitted)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def open_profile_store(profile: Path) -> MessageStore:
    where = Profile.locate(profile)
    return MessageStore(Database(where.store_file), BlobStore(where.messages_dir))


def test_disk_full_is_clear_and_harmless(mail_servers: MailServers, small_disk: Path) -> None:
    user = mail_servers.new_user("full")
    mail_servers.load_maildir(user, [compose(n, "full", body_size=BODY)
                                     for n in range(MESSAGES)])
    profile = small_disk / "profile"
    assert_ok(add_account(profile, mail_servers, user))

    failed = run_cli(profile, "sync")
    assert failed.returncode != 0, failed.stdout
    assert "disk is full" in failed.stderr.lower(), failed.stderr
    assert "Traceback" not in failed.stderr and len(failed.stderr.strip().splitlines()) == 1

    store_file = Profile.locate(profile).store_file
    with sqlite3.connect(store_file) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store = open_profile_store(profile)
    try:
        stored = store.list_messages(account=user.name)
        assert len(stored) < MESSAGES
        for message in stored:  # what was stored before is whole
            if message.has_body:
                assert b"Plain body" in store.raw(message.id) or b"Hello" in store.raw(
                    message.id)
    finally:
        store.db.close()

    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    assert_ok(run_cli(profile, "sync"))
    store = open_profile_store(profile)
    try:
        assert_store_equals_server(store, mail_servers, user)
        assert store.count(user.name) == MESSAGES
    finally:
        store.db.close()
