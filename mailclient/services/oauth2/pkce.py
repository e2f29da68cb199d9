"""PKCE (RFC 7636): a random code verifier, its S256 challenge, and the ``state`` value."""

from __future__ import annotations

import base64
import hashlib
import secrets


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_verifier() -> str:
    """A fresh code verifier: 43 characters of the unreserved set (256 random bits)."""
    return _b64url(secrets.token_bytes(32))


def challenge_of(verifier: str) -> str:
    """The S256 code challenge: base64url (no padding) of SHA-256 of the verifier."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def make_state() -> str:
    """A fresh ``state`` value binding the redirect to this sign-in (CSRF protection)."""
    return _b64url(secrets.token_bytes(16))
