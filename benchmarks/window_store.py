"""A profile with a 100,000-message INBOX for the window benchmarks, built once and cached."""

# Built through the real ingest path (``MessageStore.add_messages``, headers only, as a
# headers-first IMAP sync stores them: cheap header parse, thread assignment, FTS rows of the
# header fields), 5,000 messages per transaction. The result is kept under /tmp keyed by
# VERSION and the message count; change VERSION when the schema or the mail generator
# changes. Benchmarks copy the cached profile before they open it, so runs never see each
# other's writes. ``python benchmarks/window_store.py [--count N]`` builds it alone.

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import messages  # noqa: E402

from mailclient.core.account import Account, ServerConfig  # noqa: E402
from mailclient.services.profile import Profile  # noqa: E402
from mailclient.services.store import Database, MessageStore  # noqa: E402
from mailclient.services.store.blobs import BlobStore  # noqa: E402
from mailclient.services.store.ingest import NewMessage  # noqa: E402

VERSION = 1
COUNT = 100_000
ACCOUNT = "bench@example.org"
SMALL_FOLDER = "Archive"  # 50 messages: the folder shown before the 100k INBOX is opened
SMALL_COUNT = 50
BATCH = 5_000
CACHE = Path("/tmp/mailclient-window-store")


def _header(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    return raw if end < 0 else raw[:end + 4]


def _account() -> Account:
    # 127.0.0.1 port 9 (discard): nothing listens, and without a stored password the window
    # neither watches nor syncs the account unless asked to.
    server = ServerConfig("127.0.0.1", 9, "ssl", ACCOUNT)
    return Account(name=ACCOUNT, email=ACCOUNT, display_name="Bench User", smtp=server,
                   incoming_kind="imap", incoming=server)


def _fill(store: MessageStore, folder_id: int, count: int, seed: int) -> None:
    batch: list[NewMessage] = []
    for uid, raw in enumerate(messages(count, seed=seed), start=1):
        seen = [] if uid % 7 == 0 else ["seen"]
        batch.append(NewMessage(ACCOUNT, folder_id, _header(raw), seen, uidvalidity=1, uid=uid,
                                header_only=True, size=len(raw)))
        if len(batch) == BATCH:
            store.add_messages(batch, index=False)
            batch = []
    store.add_messages(batch, index=False)


def build(root: Path, count: int) -> None:
    """Create the profile at ``root``: one IMAP account, INBOX of ``count``, a small Archive."""
    profile = Profile.locate(root)
    profile.ensure_dirs()
    settings = profile.load_settings()
    settings.add_account(_account())
    profile.save_settings(settings)
    store = MessageStore(Database(profile.store_file), BlobStore(profile.messages_dir))
    inbox = store.ensure_folder(ACCOUNT, "INBOX", "inbox")
    archive = store.ensure_folder(ACCOUNT, SMALL_FOLDER, "archive")
    _fill(store, inbox, count, seed=7)
    _fill(store, archive, SMALL_COUNT, seed=5)
    store.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.close()


def cached_profile(count: int = COUNT) -> Path:
    """The cached profile directory (built on first use; a minute or so for 100,000)."""
    root = CACHE / f"v{VERSION}-{count}"
    if not (root / "built").exists():
        shutil.rmtree(root, ignore_errors=True)
        started = time.perf_counter()
        build(root, count)
        (root / "built").write_text("ok\n")
        print(f"built a {count}-message store in {time.perf_counter() - started:.1f} s "
              f"at {root}", flush=True)
    return root


def fresh_copy(count: int, into: Path) -> Path:
    """A private copy of the cached profile under ``into`` (the window may write to it)."""
    target = into / "profile"
    shutil.copytree(cached_profile(count), target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=COUNT)
    print(cached_profile(parser.parse_args().count))


if __name__ == "__main__":
    main()
