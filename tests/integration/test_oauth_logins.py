"""OAuth2 IMAP logins to the real Dovecot validating the test authorization server's tokens:
XOAUTH2 and OAUTHBEARER, expired and revoked tokens refused, the whole code flow with PKCE."""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import secrets
import socket
import threading
import urllib.parse
from typing import Any

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.credentials import OAuthRejectedError, OAuthToken
from mailclient.core.errors import AuthenticationError
from mailclient.services.imap import ImapConnection
from tests.helpers.oauth_mailservers import OAuthMailServers
from tests.helpers.oauth_server import OAuthServer

pytestmark = pytest.mark.integration

EXPIRED = "the sign-in expired or was revoked"


def only(mechanism: str) -> frozenset[str]:
    """The capability set that makes the client choose ``mechanism``."""
    return frozenset({f"AUTH={mechanism}"})


# -- IMAP ---------------------------------------------------------------------------------------


async def imap_open(
    servers: OAuthMailServers, user: str, credential: OAuthToken | str, *, ssl: bool = True,
    mechanism: str | None = None, sasl_ir: bool = True,
) -> ImapConnection:
    server = servers.config("imap", user, ssl=ssl)
    if mechanism is None and sasl_ir:
        return await ImapConnection.open(server, credential, ca_file=str(servers.ca_file),
                                         timeout=10)
    from mailclient.services.imap.client import connect

    client = await connect(server, ca_file=str(servers.ca_file), timeout=10)
    caps = set(client.protocol.capabilities)
    if mechanism is not None:
        caps = {c for c in caps if not c.upper().startswith("AUTH=")} | only(mechanism)
    if not sasl_ir:
        caps.discard("SASL-IR")
    client.protocol.capabilities = caps
    connection = ImapConnection(client, server, 10)
    try:
        await connection._login(credential)
    except BaseException:
        connection._abort()
        raise
    return connection


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
@pytest.mark.parametrize("sasl_ir", [True, False], ids=["sasl-ir", "continuation"])
async def test_imap_login_with_token(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer, mechanism: str,
    sasl_ir: bool,
) -> None:
    token = OAuthToken(oauth_server.issue_token("alice"))
    async with await imap_open(oauth_mail_servers, "alice@example.test", token,
                               mechanism=mechanism, sasl_ir=sasl_ir) as connection:
        folder = await connection.select("INBOX")
        assert folder.name == "INBOX"


async def test_imap_prefers_oauthbearer_over_starttls(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    token = OAuthToken(oauth_server.issue_token("bob"))
    async with await imap_open(oauth_mail_servers, "bob", token, ssl=False) as connection:
        assert "IMAP4REV1" in connection.capabilities
    assert "method=OAUTHBEARER" in oauth_mail_servers.log_tail(5)


async def test_imap_password_still_works(oauth_mail_servers: OAuthMailServers) -> None:
    user = oauth_mail_servers.user("carol")
    async with await imap_open(oauth_mail_servers, user.name, user.password):
        pass


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
async def test_imap_expired_token_refused(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer, mechanism: str
) -> None:
    token = OAuthToken(oauth_server.issue_token("alice"))
    oauth_server.expire_access_tokens()
    with pytest.raises(OAuthRejectedError, match=EXPIRED) as caught:
        await imap_open(oauth_mail_servers, "alice", token, mechanism=mechanism)
    assert caught.value.oauth_rejected
    assert token.access_token not in str(caught.value)


async def test_imap_revoked_token_refused(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    token = OAuthToken(oauth_server.issue_token("alice"))
    async with await imap_open(oauth_mail_servers, "alice", token):
        pass
    oauth_server.revoke_grants("alice")
    with pytest.raises(OAuthRejectedError, match=EXPIRED):
        await imap_open(oauth_mail_servers, "alice", token)


async def test_imap_token_of_another_user_refused(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    token = OAuthToken(oauth_server.issue_token("bob"))
    with pytest.raises(OAuthRejectedError):
        await imap_open(oauth_mail_servers, "alice", token)


# -- the whole code flow ------------------------------------------------------------------------


def code_flow(oauth: OAuthServer, user: str) -> dict[str, str]:
    """What the app does: PKCE authorization request, the browser step (``consent``) to a
    real loopback listener, then the code exchange; returns the token response."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    listener = http.server.HTTPServer(("127.0.0.1", port), LoopbackPage)
    thread = threading.Thread(target=listener.handle_request, daemon=True)
    thread.start()
    redirect = f"http://127.0.0.1:{port}/"
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": oauth.client_id, "redirect_uri": redirect,
        "scope": "mail", "state": "s1", "code_challenge": challenge,
        "code_challenge_method": "S256",
    })
    try:
        final = oauth.consent(f"{oauth.authorize_url}?{query}", user=user)
    finally:
        thread.join(5)
        listener.server_close()
    answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(final).query))
    assert answer["state"] == "s1"
    status, body = oauth.post_form(oauth.token_url, {
        "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": redirect,
        "client_id": oauth.client_id, "code_verifier": verifier,
    })
    assert status == 200, body
    tokens: dict[str, str] = json.loads(body)
    return tokens


class LoopbackPage(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"You can close this window.")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


async def test_code_flow_refresh_and_revocation(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    tokens = code_flow(oauth_server, "bob")
    async with await imap_open(oauth_mail_servers, "bob", OAuthToken(tokens["access_token"])):
        pass
    oauth_server.expire_access_tokens()
    with pytest.raises(OAuthRejectedError):
        await imap_open(oauth_mail_servers, "bob", OAuthToken(tokens["access_token"]))
    status, body = oauth_server.post_form(oauth_server.token_url, {
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
        "client_id": oauth_server.client_id,
    })
    assert status == 200, body
    refreshed = json.loads(body)
    async with await imap_open(oauth_mail_servers, "bob", OAuthToken(refreshed["access_token"])):
        pass
    oauth_server.revoke_grants("bob")
    status, body = oauth_server.post_form(oauth_server.token_url, {
        "grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"],
        "client_id": oauth_server.client_id,
    })
    assert (status, json.loads(body)["error"]) == (400, "invalid_grant")


async def test_server_without_oauth_says_so(mail_servers: Any) -> None:
    """The default test servers offer only passwords: nothing is sent, the reason is plain."""
    server = ServerConfig(mail_servers.host, mail_servers.imaps_port, "ssl", "alice")
    with pytest.raises(AuthenticationError, match="does not offer OAuth2 sign-in") as caught:
        await ImapConnection.open(server, OAuthToken("t"), ca_file=str(mail_servers.ca_file),
                                  timeout=10)
    assert not isinstance(caught.value, OAuthRejectedError)
