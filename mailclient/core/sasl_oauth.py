"""SASL XOAUTH2 and OAUTHBEARER (RFC 7628): initial responses and the server's error challenge."""

from __future__ import annotations

import base64
import binascii
import json

XOAUTH2 = "XOAUTH2"
OAUTHBEARER = "OAUTHBEARER"
MECHANISMS = (OAUTHBEARER, XOAUTH2)
"""Both mechanisms, in the order we prefer them when a server offers both."""

DUMMY_RESPONSE = base64.b64encode(b"\x01").decode("ascii")
"""What the client answers to an error challenge (RFC 7628 3.2.3) so the server can fail it."""

_REASONS = {
    "invalid_token": "the sign-in expired or was revoked",
    "401": "the sign-in expired or was revoked",
    "400": "the server did not understand the sign-in",
    "invalid_request": "the server did not understand the sign-in",
    "insufficient_scope": "the sign-in does not grant access to mail",
    "403": "the sign-in does not grant access to mail",
}
EXPIRED_REASON = _REASONS["invalid_token"]


def _checked(value: str, what: str) -> str:
    if any(c in value for c in "\x01\r\n\0"):
        raise ValueError(f"the {what} must not contain control characters")
    return value


def xoauth2_response(user: str, access_token: str) -> str:
    """The base64 initial response of XOAUTH2: ``user=U^Aauth=Bearer T^A^A``.

    Raises:
        ValueError: ``user`` or ``access_token`` contains ^A, CR, LF or NUL.
    """
    raw = f"user={_checked(user, 'user name')}\x01auth=Bearer {_checked(access_token, 'token')}"
    return base64.b64encode(f"{raw}\x01\x01".encode()).decode("ascii")


def _saslname(user: str) -> str:
    """RFC 5801 saslname: ``,`` and ``=`` escaped."""
    return user.replace("=", "=3D").replace(",", "=2C")


def oauthbearer_response(user: str, access_token: str, *, host: str, port: int) -> str:
    """The base64 initial response of OAUTHBEARER (RFC 7628 3.1):
    ``n,a=U,^Ahost=H^Aport=P^Aauth=Bearer T^A^A``.

    Raises:
        ValueError: an argument contains ^A, CR, LF or NUL.
    """
    header = f"n,a={_saslname(_checked(user, 'user name'))},"
    fields = [f"host={_checked(host, 'host')}", f"port={port}",
              f"auth=Bearer {_checked(access_token, 'token')}"]
    raw = header + "\x01" + "\x01".join(fields) + "\x01\x01"
    return base64.b64encode(raw.encode()).decode("ascii")


def initial_response(mechanism: str, user: str, access_token: str, *, host: str, port: int) -> str:
    """The base64 initial response of ``mechanism`` (``XOAUTH2`` or ``OAUTHBEARER``)."""
    if mechanism.upper() == XOAUTH2:
        return xoauth2_response(user, access_token)
    if mechanism.upper() == OAUTHBEARER:
        return oauthbearer_response(user, access_token, host=host, port=port)
    raise ValueError(f"not an OAuth2 SASL mechanism: {mechanism!r}")


def choose_mechanism(offered: frozenset[str] | set[str]) -> str | None:
    """OAUTHBEARER if offered, else XOAUTH2, else None (names compared upper case)."""
    names = {name.upper() for name in offered}
    return next((mechanism for mechanism in MECHANISMS if mechanism in names), None)


def challenge_status(challenge: str | bytes) -> str | None:
    """The ``status`` of a base64 JSON error challenge (``{"status":"invalid_token",...}``);
    None if the challenge is empty or not such a JSON object."""
    data = challenge.encode("ascii", "replace") if isinstance(challenge, str) else challenge
    data = data.strip()
    if not data:
        return None
    try:
        decoded = json.loads(base64.b64decode(data, validate=True))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(decoded, dict):
        return None
    status = decoded.get("status")
    return str(status) if isinstance(status, str | int) else None


def challenge_reason(challenge: str | bytes | None) -> str:
    """The server's error challenge as a plain reason, e.g. "the sign-in expired or was
    revoked"; that same reason when there is no readable challenge (the usual cause)."""
    status = challenge_status(challenge) if challenge is not None else None
    if status is None:
        return EXPIRED_REASON
    return _REASONS.get(status.lower(), f"the server refused the sign-in ({status})")
