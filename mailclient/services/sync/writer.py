"""Store writes on a worker thread, one batch at a time, while the next batch comes in.

SQLite releases the GIL while it writes and syncs to disk, so the network and the store go
on side by side. Only one write is in flight: a batch is committed before the next starts,
and ``flush`` (also on failure) waits for the last, so the store never lags behind an error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from mailclient.services.store.ingest_worker import write_batch
from mailclient.services.store.messages import MessageStore, NewMessage
from mailclient.services.sync.report import Progress, SyncReport


class StoreWriter:
    """Batches of new messages or bodies for one folder, written in order."""

    def __init__(self, store: MessageStore, folder: str, report: SyncReport,
                 progress: Progress | None = None) -> None:
        self.store, self.folder, self.report, self.progress = store, folder, report, progress
        self._pending: asyncio.Future[None] | None = None

    async def add(self, items: list[NewMessage]) -> None:
        """Store new messages (listed and searchable now, threaded later)."""
        def write() -> None:
            write_batch(self.store.db, self.folder, items)
            self.report.new += len(items)
        await self._start(write)

    async def bodies(self, folder_id: int, uidvalidity: int,
                     bodies: list[tuple[int, bytes]]) -> None:
        """Put whole messages in place of header-only rows."""
        def write() -> None:
            self.report.bodies += self.store.store_bodies(folder_id, uidvalidity, bodies)
        await self._start(write)

    async def _start(self, write: Callable[[], None]) -> None:
        await self.flush()
        self._pending = asyncio.ensure_future(asyncio.to_thread(write))

    async def flush(self) -> None:
        """Wait until what was handed over is committed (raising what the write raised)."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        await asyncio.shield(pending)  # a cancelled sync still lets the commit finish
        if self.progress is not None:
            self.progress(self.folder, self.report.new)
