"""Store writes of a large sync in a worker process, so that SQLite uses the second core.

The parent reads the network, parses the headers and hands each batch of rows over a pipe
(the worker is ``mailclient.services.store.ingest_worker``); the worker commits and answers
each batch. Writing to the pipe waits while the worker is behind, so little is held in memory.
``close`` (also on failure or cancellation) lets the worker commit what it was given.
"""

from __future__ import annotations

import asyncio
import marshal
import os
import struct
import sys
from pathlib import Path

import mailclient
from mailclient.core.errors import StoreError
from mailclient.services.store.ingest import prepare
from mailclient.services.store.ingest_worker import WireBatch, encode_message, encode_row, frame
from mailclient.services.store.messages import MessageStore, NewMessage
from mailclient.services.sync.report import Progress, SyncReport

WORKER = "mailclient.services.store.ingest_worker"
_LENGTH = struct.Struct(">I")
_PIPELINE = 4 << 20  # bytes handed to the pipe before the parent waits for the worker


def worker_available() -> bool:
    """Whether this interpreter can start the worker (not in a frozen build)."""
    return not getattr(sys, "frozen", False) and bool(sys.executable)


class ProcessStoreWriter:
    """Batches of new messages of one folder, written in order by a worker process."""

    def __init__(self, process: asyncio.subprocess.Process, folder: str, report: SyncReport,
                 progress: Progress | None) -> None:
        self.folder, self.report, self.progress = folder, report, progress
        self._process = process
        self._failure: str | None = None
        self._sent = self._answered = 0  # batches
        stdin = process.stdin
        assert stdin is not None
        stdin.transport.set_write_buffer_limits(high=_PIPELINE)  # the next batch or two
        self._answers = asyncio.ensure_future(self._read_answers())

    @classmethod
    async def start(cls, store: MessageStore, folder: str, report: SyncReport,
                    progress: Progress | None = None) -> ProcessStoreWriter:
        """Start a worker on the store's database file for the folder named ``folder``."""
        root = str(Path(mailclient.__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", WORKER, str(store.db.path), env=env,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        except OSError as exc:
            raise StoreError(f"cannot start the store worker: {exc}") from exc
        return cls(process, folder, report, progress)

    async def add(self, items: list[NewMessage]) -> None:
        """Hand new messages over (listed once the worker answers, threaded later). They
        are parsed here while the worker is busy, else by the worker, so that neither
        process waits for the other while there is work."""
        if self._failure is not None:
            raise StoreError(f"storing new messages failed: {self._failure}")
        if self._sent == self._answered:  # the worker has nothing to do
            batch: WireBatch = (self.folder, [], [encode_message(item) for item in items])
        else:
            batch = (self.folder, [encode_row(prepare(item.ident(self.folder), item,
                                                      index=False)) for item in items], [])
        self._sent += 1
        await self._send(batch)

    async def _send(self, payload: object) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(frame(payload))
            await stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            await asyncio.shield(self._finish())  # the worker said why it stopped, or ended
            raise StoreError(f"storing new messages failed: {self._failure}") from None

    async def _read_answers(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while True:
                head = await stdout.readexactly(_LENGTH.size)
                answer = await stdout.readexactly(_LENGTH.unpack(head)[0])
                value = marshal.loads(answer)
                if isinstance(value, str):
                    self._failure = value
                    return
                self._answered += 1
                self.report.new += int(value)
                if self.progress is not None:
                    self.progress(self.folder, self.report.new)
        except asyncio.IncompleteReadError:
            return  # the worker ended

    async def close(self) -> None:
        """Wait until every batch handed over is committed; raise what went wrong."""
        await asyncio.shield(self._finish())
        if self._failure is not None:
            raise StoreError(f"storing new messages failed: {self._failure}")

    async def _finish(self) -> None:
        stdin = self._process.stdin
        if stdin is not None and not stdin.is_closing():
            stdin.close()
            try:
                await stdin.wait_closed()
            except (BrokenPipeError, ConnectionResetError):
                pass
        await self._answers
        await self._process.wait()
        if self._failure is None and self._process.returncode:
            self._failure = f"the worker ended with status {self._process.returncode}"
