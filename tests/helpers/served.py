"""A test server (http.server's, socketserver's or werkzeug's) served on a thread for a block."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def served(server: socketserver.BaseServer, name: str | None = None) -> Iterator[None]:
    """Run ``server.serve_forever`` on a daemon thread until the block ends; then shut it
    down, close its socket and wait for the thread."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
