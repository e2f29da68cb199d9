"""A local OAuth2 authorization server (authlib + Flask) over HTTPS on 127.0.0.1 for the tests.

Endpoints: ``/authorize`` (code flow, PKCE S256 required, public client, loopback redirects),
``/token`` (authorization_code, refresh_token), ``/introspect`` (RFC 7662, what Dovecot asks;
HTTP Basic as the ``dovecot`` client) and ``/revoke`` (RFC 7009). Access tokens are opaque
random strings kept in memory with user, scope and expiry. The browser step is ``consent``:
the user is "logged in" by a cookie carrying the user's name.
"""

from __future__ import annotations

import http.client
import re
import secrets
import ssl
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from tests.helpers.oauth_authority import (
    APP_CLIENT_ID,
    INTROSPECTION_CLIENT_ID,
    USER_COOKIE,
    IssuedToken,
    TestClient,
    TokenStore,
    build_app,
)
from tests.helpers.served import served
from tests.helpers.tls_cert import make_self_signed

__all__ = ["OAuthServer", "oauth_server", "oauth_server_fixture"]

_FORM_ACTION = re.compile(r'<form method="post" action="([^"]*)"')


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass  # no line per request on the test output


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 302 surfaces as an HTTPError with its Location


@dataclass
class OAuthServer:
    """A running test authorization server (see the module docstring)."""

    issuer: str  # base URL
    authorize_url: str
    token_url: str
    introspect_url: str
    revoke_url: str
    client_id: str  # a registered public client
    ca_file: Path  # the CA file that makes its HTTPS certificate trusted
    introspection_client: tuple[str, str]  # id and secret for HTTP Basic at introspect_url
    _store: TokenStore = field(repr=False)

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def consent(self, authorization_url: str, *, user: str) -> str:
        """What a browser does: GET the authorization URL as ``user`` (already logged in),
        post the consent, follow the redirect to the app's loopback redirect_uri (a real
        HTTP GET to it), and return that final URL."""
        context = self._context()
        cookie = {"Cookie": f"{USER_COOKIE}={urllib.parse.quote(user)}"}
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), _NoRedirects()
        )
        with opener.open(urllib.request.Request(authorization_url, headers=cookie)) as page:
            found = _FORM_ACTION.search(page.read().decode())
        if found is None:
            raise AssertionError(f"no consent form at {authorization_url}")
        action = urllib.parse.urljoin(authorization_url, found.group(1).replace("&amp;", "&"))
        body = urllib.parse.urlencode({"confirm": "yes"}).encode()
        try:
            opener.open(urllib.request.Request(action, data=body, headers=cookie))
        except urllib.error.HTTPError as redirect:
            location = redirect.headers.get("Location")
            redirect.close()
            if redirect.code not in (301, 302, 303) or not location:
                raise
        else:
            raise AssertionError("the consent was not answered by a redirect")
        with urllib.request.urlopen(location, timeout=10) as landing:  # the app's listener
            landing.read()
            final: str = landing.geturl()
        return final

    def expire_access_tokens(self) -> None:
        """Every access token issued so far expires now (refresh tokens stay valid)."""
        with self._store.lock:
            for token in self._store.tokens:
                token.expires_at = min(token.expires_at, time.time() - 1)

    def revoke_grants(self, user: str) -> None:
        """Revoke every access and refresh token of ``user``: a new sign-in is needed."""
        with self._store.lock:
            for token in self._store.tokens:
                if token.user == user:
                    token.revoked = token.refresh_revoked = True

    def issue_token(self, user: str, *, scope: str = "mail", expires_in: float = 3600,
                    length: int = 32) -> str:
        """A test-only shortcut: an access token for ``user`` without the browser step
        (``length`` random bytes: real providers' tokens run to a kilobyte and more)."""
        token = IssuedToken(APP_CLIENT_ID, user, scope, secrets.token_urlsafe(length),
                            secrets.token_urlsafe(36), time.time() + expires_in)
        self._store.add(token)
        return token.access_token

    def reset(self) -> None:
        """Forget every code and token (a fresh server for the next test)."""
        self._store.reset()

    def post_form(self, url: str, fields: dict[str, str]) -> tuple[int, bytes]:
        """POST a form to one of the server's endpoints (status and body)."""
        parts = urllib.parse.urlsplit(url)
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, context=self._context(), timeout=10
        )
        try:
            connection.request("POST", parts.path, urllib.parse.urlencode(fields),
                               {"Content-Type": "application/x-www-form-urlencoded"})
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()


def _serve(store: TokenStore, directory: Path) -> tuple[BaseWSGIServer, str]:
    cert, key = make_self_signed(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = make_server("127.0.0.1", 0, build_app(store, ""), threaded=True,
                         request_handler=_QuietHandler, ssl_context=context)
    return server, f"https://127.0.0.1:{server.server_port}"


@contextmanager
def oauth_server(tmp_path: Path) -> Iterator[OAuthServer]:
    """Run the authorization server (a thread of this process) until the block ends."""
    secret = secrets.token_urlsafe(16)
    store = TokenStore(clients={
        APP_CLIENT_ID: TestClient(APP_CLIENT_ID),
        INTROSPECTION_CLIENT_ID: TestClient(INTROSPECTION_CLIENT_ID, secret),
    })
    directory = tmp_path / "oauth-server"
    server, issuer = _serve(store, directory)
    with served(server, "oauth-server"):
        yield OAuthServer(
            issuer=issuer, authorize_url=f"{issuer}/authorize", token_url=f"{issuer}/token",
            introspect_url=f"{issuer}/introspect", revoke_url=f"{issuer}/revoke",
            client_id=APP_CLIENT_ID, ca_file=directory / "cert.pem",
            introspection_client=(INTROSPECTION_CLIENT_ID, secret), _store=store,
        )


@pytest.fixture(scope="session")
def _session_oauth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OAuthServer]:
    with oauth_server(tmp_path_factory.mktemp("oauth")) as server:
        yield server


@pytest.fixture(name="oauth_server")
def oauth_server_fixture(_session_oauth_server: OAuthServer) -> OAuthServer:
    """The test authorization server, with no codes or tokens issued yet (one per session;
    import this fixture, or load this module as a pytest plugin)."""
    _session_oauth_server.reset()
    return _session_oauth_server
