"""Canaries that notice a fetch: a plain HTTP server on 127.0.0.1 that records every request,
and a named pipe that records every time something opens it for reading."""

from __future__ import annotations

import errno
import multiprocessing
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

from tests.helpers.served import served


@dataclass
class HttpCanary:
    """The running server: ``url(path)`` and the ``requests`` (method, path) it got."""

    port: int
    requests: list[tuple[str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(canary: HttpCanary) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            canary.requests.append((self.command, self.path))
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_HEAD = _answer  # noqa: N815 - http.server names

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


@contextmanager
def http_canary() -> Iterator[HttpCanary]:
    """An HTTP server on 127.0.0.1 (port 0) for the length of the block."""
    canary = HttpCanary(0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(canary))
    canary.port = server.server_address[1]
    with served(server):
        yield canary


def _watch(path: str, opens: Synchronized[int], rounds: Synchronized[int],
           stop: EventType) -> None:
    """In its own process: count the times something has the pipe open for reading."""
    while not stop.is_set():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise
        else:
            opens.value += 1
            os.close(fd)
        rounds.value += 1
        time.sleep(0.002)


@dataclass
class FifoCanary:
    """A named pipe at ``path``; ``opens`` counts the times something opened it to read.

    Opening a FIFO for reading blocks until a writer comes. A watcher tries a non-blocking
    open for writing every few milliseconds: it fails with ENXIO while no reader has the
    pipe open, and succeeds exactly when one has. It then counts the open and closes its end
    at once, so the reader sees an empty file and goes on. The watcher is a process of its
    own: a reader blocked inside Qt holds the GIL, so a thread could never unblock it.
    ``rounds`` counts the watcher's tries: wait until it grows to know it has looked again.
    """

    path: Path
    _opens: Synchronized[int]
    _rounds: Synchronized[int]

    @property
    def opens(self) -> int:
        return self._opens.value

    @property
    def rounds(self) -> int:
        return self._rounds.value

    def url(self) -> str:
        return self.path.as_uri()


@contextmanager
def fifo_canary(directory: Path, name: str = "canary.png") -> Iterator[FifoCanary]:
    """A watched named pipe ``directory / name`` for the length of the block."""
    path = directory / name
    os.mkfifo(path)
    context = multiprocessing.get_context("spawn")
    canary = FifoCanary(path, context.Value("i", 0), context.Value("i", 0))
    stop = context.Event()
    watcher = context.Process(target=_watch, daemon=True,
                              args=(str(path), canary._opens, canary._rounds, stop))
    watcher.start()
    try:
        yield canary
    finally:
        stop.set()
        watcher.join(5)
        path.unlink(missing_ok=True)
