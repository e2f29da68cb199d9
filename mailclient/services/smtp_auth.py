"""SMTP AUTH: passwords (PLAIN, LOGIN) and OAuth2 access tokens (OAUTHBEARER, XOAUTH2)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosmtplib

from mailclient.core.credentials import Credential, OAuthToken
from mailclient.core.errors import AuthenticationError, ProtocolError
from mailclient.core.sasl_oauth import DUMMY_RESPONSE, choose_mechanism, initial_response
from mailclient.services.connection_errors import oauth_refused
from mailclient.services.smtp_errors import is_temporary, reply_text

Authenticator = Callable[[aiosmtplib.SMTP], Awaitable[None]]
"""Logs in on a connected, EHLO'd (and encrypted) session; raises ``MailError`` on refusal.

``password_auth`` is the default; ``oauth_auth`` (XOAUTH2/OAUTHBEARER) can be passed as
``auth=`` to ``send_message`` and ``check_login`` without changing them.
"""

TokenSource = OAuthToken | Callable[[], Awaitable[OAuthToken]]
"""An access token, or a coroutine function giving a fresh one at each login."""


def _check_offers_auth(client: aiosmtplib.SMTP) -> None:
    if not client.supports_extension("auth"):
        where = f"{client.hostname}:{client.port}"
        hint = "" if client.get_transport_info("sslcontext") else "; try STARTTLS or SSL"
        raise ProtocolError(f"{where} does not offer to log in (no SMTP AUTH){hint}")


def password_auth(username: str, password: str) -> Authenticator:
    """Return an authenticator using AUTH PLAIN if offered, else AUTH LOGIN.

    Unlike ``aiosmtplib.SMTP.login`` it neither prefers CRAM-MD5 nor retries the password
    with every mechanism after a refusal (which would count as several failed logins).
    """

    async def authenticate(client: aiosmtplib.SMTP) -> None:
        _check_offers_auth(client)
        offered = client.server_auth_methods
        if "plain" in offered:
            login = client.auth_plain
        elif "login" in offered:
            login = client.auth_login
        else:
            names = " ".join(offered).upper() or "none"
            raise ProtocolError(
                f"{client.hostname}:{client.port} offers no password login method we know "
                f"(PLAIN, LOGIN); it offers {names}"
            )
        try:
            await login(username, password)
        except aiosmtplib.SMTPAuthenticationError as exc:
            error = AuthenticationError(
                f"the SMTP server {client.hostname} refused the user name or password for "
                f"{username}: {reply_text(exc.code, exc.message)}"
            )
            error.temporary = is_temporary(exc.code)
            raise error from exc

    return authenticate


def oauth_auth(username: str, token_source: TokenSource) -> Authenticator:
    """Return an authenticator sending an OAuth2 access token: AUTH OAUTHBEARER if offered,
    else AUTH XOAUTH2, with the initial response on the AUTH line.

    Raises (from the authenticator):
        OAuthRejectedError: the server refused the token (expired or revoked).
        AuthenticationError: a temporary refusal (``temporary``), or no usable mechanism.
    """

    async def authenticate(client: aiosmtplib.SMTP) -> None:
        _check_offers_auth(client)
        mechanism = choose_mechanism(set(client.server_auth_methods))
        host, port = client.hostname or "", client.port or 0
        if mechanism is None:
            raise AuthenticationError(
                f"{host}:{port} does not offer OAuth2 sign-in (XOAUTH2 or OAUTHBEARER)"
            )
        token = token_source if isinstance(token_source, OAuthToken) else await token_source()
        try:
            sasl = initial_response(mechanism, username, token.access_token, host=host, port=port)
        except ValueError as exc:
            raise AuthenticationError(f"the user name or token is not usable: {exc}") from exc
        response = await client.execute_command(b"AUTH", mechanism.encode(), sasl.encode())
        challenge: str | None = None
        if response.code == 334:  # an error challenge: answer it so the server ends the AUTH
            challenge = response.message
            response = await client.execute_command(DUMMY_RESPONSE.encode())
        if response.code == 235:
            return
        text = reply_text(response.code, response.message)
        if response.code == 535 or (challenge is not None and not is_temporary(response.code)):
            raise oauth_refused("SMTP", host, username, challenge, text)
        error = AuthenticationError(f"the SMTP server {host} refused the sign-in for "
                                    f"{username}: {text}")
        error.temporary = is_temporary(response.code)
        raise error

    return authenticate


def credential_auth(username: str, credential: Credential) -> Authenticator:
    """``password_auth`` for a password, ``oauth_auth`` for an ``OAuthToken``."""
    if isinstance(credential, OAuthToken):
        return oauth_auth(username, credential)
    return password_auth(username, credential)
