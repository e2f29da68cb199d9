"""What a login presents: a password, or an OAuth2 access token (protocol-neutral)."""

from __future__ import annotations

from dataclasses import dataclass

from mailclient.core.errors import AuthenticationError


@dataclass(frozen=True)
class OAuthToken:
    """An OAuth2 access token, presented with SASL XOAUTH2 or OAUTHBEARER instead of a password.

    The token never shows in ``repr`` (logs, tracebacks).
    """

    access_token: str

    def __repr__(self) -> str:
        return "OAuthToken(access_token=<hidden>)"


Credential = str | OAuthToken
"""A password, or an OAuth2 access token."""


class OAuthRejectedError(AuthenticationError):
    """The server refused an OAuth2 access token: the sign-in expired or was revoked.

    ``oauth_rejected`` is True, so the caller can refresh the token, or ask the user to sign
    in again when the refresh fails too.
    """

    oauth_rejected = True
