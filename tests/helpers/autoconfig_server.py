"""A real HTTPS server on 127.0.0.1 serving provider autoconfig documents for made-up domains,
with a test certificate naming those domains' autoconfig hosts."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.helpers.served import served
from tests.helpers.tls_cert import make_certificate


@dataclass
class Reply:
    """What one path answers: a status and body, or a redirect to ``location``."""

    body: bytes = b""
    status: int = 200
    location: str = ""


@dataclass
class AutoconfigServer:
    """The running server: ``routes`` by path (query string left out), ``requests`` as
    (Host header, full path) and ``ca_file``, the certificate to trust."""

    port: int
    ca_file: Path
    routes: dict[str, Reply] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)


def _handler(state: AutoconfigServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.requests.append((self.headers.get("Host", ""), self.path))
            reply = state.routes.get(self.path.split("?")[0], Reply(b"not found", 404))
            self.send_response(reply.status)
            if reply.location:
                self.send_header("Location", reply.location)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


@contextmanager
def autoconfig_server(directory: Path, *domains: str) -> Iterator[AutoconfigServer]:
    """Serve HTTPS on a free port of 127.0.0.1 with a certificate for each of ``domains``
    and its ``autoconfig.`` host (and 127.0.0.1)."""
    names = ",".join(f"DNS:{d},DNS:autoconfig.{d}" for d in domains) + ",IP:127.0.0.1"
    cert, key = make_certificate(directory, subject="/CN=autoconfig/O=Autoconfig Tests",
                                 names=names)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    state = AutoconfigServer(0, cert)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = httpd.server_address[1]
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    with served(httpd):
        yield state
