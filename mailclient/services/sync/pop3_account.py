"""A POP3 account synced: new messages by UIDL into the Inbox, deletions as the account says."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future, ThreadPoolExecutor

from mailclient.core.account import Account
from mailclient.core.credentials import Credential
from mailclient.services.store.messages import MessageStore, NewMessage
from mailclient.services.sync.bodies import index_in_steps
from mailclient.services.sync.report import Progress, SyncReport

COMMIT_EVERY = 500  # messages per store transaction at most ...
COMMIT_SECONDS = 1.0  # ... and at least one commit a second (new mail shows as it comes)


async def sync_pop3(account: Account, password: Credential, store: MessageStore,
                    progress: Progress | None = None) -> SyncReport:
    """Download what is new (in a worker thread: poplib blocks), then index it."""
    report = await asyncio.to_thread(_download, account, password, store, progress)
    await index_in_steps(store)
    return report


def _download(account: Account, password: Credential, store: MessageStore,
              progress: Progress | None) -> SyncReport:
    from mailclient.services.pop3 import Pop3Session

    report = SyncReport(account.name, folders=["INBOX"])
    folder_id = store.ensure_folder(account.name, "INBOX", "inbox")
    with Pop3Session(account.incoming, password, ca_file=account.ca_file) as session, \
            _BatchWriter(store, report, progress) as writer:
        listing = session.uidl()
        known = store.known_uidls(account.name)
        for uidl, number in listing.items():
            if uidl in known:
                continue
            writer.add(NewMessage(account.name, folder_id, session.retrieve(number), [],
                                  uidl=uidl))
            known[uidl] = time.time()
        writer.flush()  # stored for good before anything is deleted from the server
        for uidl, number in listing.items():
            if should_delete(account, known[uidl]):
                session.delete(number)
                report.removed += 1
    return report


class _BatchWriter:
    """Commits downloaded messages in batches on a thread of its own while the next ones
    download (one batch in flight)."""

    def __init__(self, store: MessageStore, report: SyncReport,
                 progress: Progress | None) -> None:
        self.store, self.report, self.progress = store, report, progress
        self.batch: list[NewMessage] = []
        self.started = time.monotonic()
        self.pending: Future[None] | None = None
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pop3-store")

    def __enter__(self) -> _BatchWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.flush()
        finally:
            self.pool.shutdown()

    def add(self, item: NewMessage) -> None:
        self.batch.append(item)
        if len(self.batch) >= COMMIT_EVERY or time.monotonic() - self.started > COMMIT_SECONDS:
            self._hand_over()

    def _hand_over(self) -> None:
        self._wait()
        batch, self.batch = self.batch, []
        self.started = time.monotonic()
        if batch:
            self.pending = self.pool.submit(self._write, batch)

    def _write(self, batch: list[NewMessage]) -> None:
        self.store.add_messages(batch, index=False)
        self.report.new += len(batch)
        if self.progress is not None:
            self.progress("INBOX", self.report.new)

    def _wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def flush(self) -> None:
        """Hand over what is left and wait until all of it is committed."""
        self._hand_over()
        self._wait()


def should_delete(account: Account, downloaded_epoch: float, now: float | None = None) -> bool:
    """Whether a downloaded message is to be deleted from the POP3 server now."""
    if not account.leave_on_server:
        return True
    if account.delete_after_days is None:
        return False
    elapsed = (now if now is not None else time.time()) - downloaded_epoch
    return elapsed >= account.delete_after_days * 86400
