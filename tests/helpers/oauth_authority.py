"""The authlib (Flask) side of the test OAuth2 server: clients, codes, tokens and endpoints."""

from __future__ import annotations

import html
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask, Response, request

APP_CLIENT_ID = "mailclient-tests"
INTROSPECTION_CLIENT_ID = "dovecot"
USER_COOKIE = "test_user"  # the "already logged in" browser session: the user's name
ACCESS_SECONDS = 3600
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@dataclass
class TestClient(ClientMixin):  # type: ignore[misc]
    """A registered client: the public app (PKCE, no secret) or the introspecting Dovecot."""

    __test__ = False

    client_id: str
    secret: str | None = None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """RFC 8252 7.3: any port of a loopback http redirect."""
        parts = urlsplit(redirect_uri)
        return parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS

    def check_client_secret(self, client_secret: str) -> bool:
        return self.secret is not None and secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == ("none" if self.secret is None else "client_secret_basic")

    def check_response_type(self, response_type: str) -> bool:
        return self.secret is None and response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return self.secret is None and grant_type in ("authorization_code", "refresh_token")


@dataclass
class IssuedCode:
    """An authorization code waiting for its exchange."""

    code: str
    client_id: str
    user: str
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class IssuedToken:
    """An opaque access token with its refresh token, kept server-side."""

    client_id: str
    user: str
    scope: str
    access_token: str
    refresh_token: str | None
    expires_at: float
    revoked: bool = False
    refresh_revoked: bool = False

    def check_client(self, client: TestClient) -> bool:
        return client.client_id in (self.client_id, INTROSPECTION_CLIENT_ID)

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return max(0, int(self.expires_at - time.time()))

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str:
        return self.user

    def get_client(self) -> TestClient:
        return TestClient(self.client_id)


@dataclass
class TokenStore:
    """Everything the server issued; shared between its request threads and the test."""

    clients: dict[str, TestClient]
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    tokens: list[IssuedToken] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def find(self, token_string: str, hint: str | None = None) -> IssuedToken | None:
        with self.lock:
            for token in self.tokens:
                if hint != "refresh_token" and token.access_token == token_string:
                    return token
                if hint != "access_token" and token.refresh_token == token_string:
                    return token
        return None

    def add(self, token: IssuedToken) -> None:
        with self.lock:
            self.tokens.append(token)

    def reset(self) -> None:
        with self.lock:
            self.codes.clear()
            self.tokens.clear()


def introspection_payload(token: IssuedToken) -> dict[str, Any]:
    """RFC 7662's answer; ``username`` is the local part (Dovecot compares it with ``%n``)."""
    return {
        "active": True, "username": token.user.partition("@")[0], "email": token.user,
        "scope": token.scope, "client_id": token.client_id, "token_type": "Bearer",
        "exp": int(token.expires_at), "sub": token.user,
    }


def build_app(store: TokenStore, issuer: str) -> Flask:
    """The Flask app with authlib's authorization server on it."""
    app = Flask(__name__)
    app.config.update(OAUTH2_REFRESH_TOKEN_GENERATOR=True,
                      OAUTH2_TOKEN_EXPIRES_IN={"authorization_code": ACCESS_SECONDS,
                                               "refresh_token": ACCESS_SECONDS})

    def save_token(token: dict[str, Any], oauth_request: Any) -> None:
        user = oauth_request.user
        store.add(IssuedToken(
            oauth_request.client.client_id, user, token.get("scope", ""),
            token["access_token"], token.get("refresh_token"),
            time.time() + int(token.get("expires_in", ACCESS_SECONDS)),
        ))

    server = AuthorizationServer(app, query_client=store.clients.get, save_token=save_token)

    class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]

        def save_authorization_code(self, code: str, oauth_request: Any) -> None:
            payload = oauth_request.payload
            with store.lock:
                store.codes[code] = IssuedCode(
                    code, oauth_request.client.client_id, oauth_request.user,
                    payload.redirect_uri, payload.scope or "",
                    payload.data.get("code_challenge"),
                    payload.data.get("code_challenge_method"), time.time() + 300,
                )

        def query_authorization_code(self, code: str, client: TestClient) -> IssuedCode | None:
            with store.lock:
                found = store.codes.get(code)
            if found and found.client_id == client.client_id and time.time() < found.expires_at:
                return found
            return None

        def delete_authorization_code(self, authorization_code: IssuedCode) -> None:
            with store.lock:
                store.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: IssuedCode) -> str:
            return authorization_code.user

    class RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ["none"]
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, refresh_token: str) -> IssuedToken | None:
            found = store.find(refresh_token, "refresh_token")
            return found if found is not None and not found.refresh_revoked else None

        def authenticate_user(self, refresh_token: IssuedToken) -> str:
            return refresh_token.user

        def revoke_old_credential(self, refresh_token: IssuedToken) -> None:
            refresh_token.refresh_revoked = True

    class Introspection(IntrospectionEndpoint):  # type: ignore[misc]
        def query_token(self, token_string: str, hint: str | None) -> IssuedToken | None:
            return store.find(token_string, hint)

        def introspect_token(self, token: IssuedToken) -> dict[str, Any]:
            return introspection_payload(token)

        def check_permission(self, token: IssuedToken, client: Any, oauth_request: Any) -> bool:
            return True

    class Revocation(RevocationEndpoint):  # type: ignore[misc]
        CLIENT_AUTH_METHODS = ["none", "client_secret_basic"]

        def query_token(self, token_string: str, hint: str | None) -> IssuedToken | None:
            return store.find(token_string, hint)

        def revoke_token(self, token: IssuedToken, oauth_request: Any) -> None:
            token.revoked = token.refresh_revoked = True

    server.register_grant(CodeGrant, [CodeChallenge(required=True)])
    server.register_grant(RefreshGrant)
    server.register_endpoint(Introspection)
    server.register_endpoint(Revocation)

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize() -> Any:
        user = request.cookies.get(USER_COOKIE)
        if not user:
            return Response("not logged in (no test_user cookie)", status=401)
        grant = server.get_consent_grant(end_user=user)
        if request.method == "GET":
            action = html.escape(request.full_path, quote=True)
            client = html.escape(grant.client.client_id)
            return (f"<html><body><p>Allow {client} to read and send mail as "
                    f"{html.escape(user)}?</p><form method=\"post\" action=\"{action}\">"
                    "<button name=\"confirm\" value=\"yes\">Allow</button></form></body></html>")
        granted = user if request.form.get("confirm") == "yes" else None
        return server.create_authorization_response(grant_user=granted, grant=grant)

    @app.route("/token", methods=["POST"])
    def issue_token() -> Any:
        return server.create_token_response()

    @app.route("/introspect", methods=["POST"])
    def introspect() -> Any:
        return server.create_endpoint_response(Introspection.ENDPOINT_NAME)

    @app.route("/revoke", methods=["POST"])
    def revoke() -> Any:
        return server.create_endpoint_response(Revocation.ENDPOINT_NAME)

    app.config["ISSUER"] = issuer
    return app
