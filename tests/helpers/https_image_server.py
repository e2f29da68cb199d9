"""A real HTTPS server on 127.0.0.1 for remote-image and unsubscribe tests: serves fixed
paths, records every request (the canary), redirects and POSTs on demand."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.helpers.served import served
from tests.helpers.tls_cert import make_self_signed


@dataclass
class Route:
    """What one path answers: status, content type, body, or a redirect to ``location``."""

    body: bytes = b""
    content_type: str = "image/png"
    status: int = 200
    location: str = ""


@dataclass
class HttpsImageServer:
    """The running server: ``url(path)``, the ``routes`` it answers and the ``requests``
    (method, path, body) it got; ``client_context`` trusts its certificate."""

    port: int
    client_context: ssl.SSLContext
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.port}{path}"


def _handler(server: HttpsImageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            server.requests.append((method, self.path, body))
            route = server.routes.get(self.path, Route(b"not found", "text/plain", 404))
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._answer("GET")

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self._answer("POST")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


@contextmanager
def https_image_server(directory: Path) -> Iterator[HttpsImageServer]:
    """Run an HTTPS server with a fresh self-signed certificate written to ``directory``."""
    cert, key = make_self_signed(directory)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    state = HttpsImageServer(0, ssl.create_default_context(cafile=str(cert)))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    state.port = httpd.server_address[1]
    with served(httpd):
        yield state
