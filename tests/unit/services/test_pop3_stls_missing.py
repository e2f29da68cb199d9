"""A POP3 server configured for STARTTLS that does not offer STLS (or refuses it) is refused
before the password goes anywhere: never a silent downgrade. The server is a scripted fake
(fault injection): it records every line it gets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import TlsUnavailableError
from mailclient.services.pop3 import Pop3Session

SECRET = "s3cret-password"


@contextmanager
def pop3_without_stls(capabilities: list[str], stls_reply: str) -> Iterator[tuple[int, list[str]]]:
    """A POP3 greeter on 127.0.0.1 offering ``capabilities``; lines received are kept."""
    listener = socket.create_server(("127.0.0.1", 0))
    heard: list[str] = []

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, connection.makefile("rwb") as stream:
            stream.write(b"+OK fake POP3 ready\r\n")
            stream.flush()
            for raw in stream:
                line = raw.decode().strip()
                heard.append(line)
                if line.upper() == "CAPA":
                    body = "".join(f"{c}\r\n" for c in capabilities)
                    stream.write(f"+OK\r\n{body}.\r\n".encode())
                elif line.upper() == "STLS":
                    stream.write(f"{stls_reply}\r\n".encode())
                elif line.upper() == "QUIT":
                    stream.write(b"+OK bye\r\n")
                    stream.flush()
                    return
                else:
                    stream.write(b"-ERR not now\r\n")
                stream.flush()

    worker = threading.Thread(target=serve, daemon=True)
    worker.start()
    try:
        yield listener.getsockname()[1], heard
    finally:
        listener.close()
        worker.join(timeout=5)


@pytest.mark.parametrize(("capabilities", "stls_reply", "says"), [
    (["USER", "UIDL"], "-ERR unknown", "does not offer STLS"),
    (["USER", "UIDL", "STLS"], "-ERR TLS is broken today", "refused STLS"),
])
def test_no_stls_no_password(capabilities: list[str], stls_reply: str, says: str) -> None:
    with pop3_without_stls(capabilities, stls_reply) as (port, heard):
        server = ServerConfig("127.0.0.1", port, "starttls", "alice")
        with pytest.raises(TlsUnavailableError, match=says):
            Pop3Session(server, SECRET, timeout=5)
    assert not any(SECRET in line or line.upper().startswith(("USER", "PASS", "APOP", "AUTH"))
                   for line in heard), heard
