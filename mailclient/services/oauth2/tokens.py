"""The tokens of one sign-in, as kept in the keyring (JSON), and the token endpoint's answer."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from mailclient.core.errors import ProtocolError

REFRESH_MARGIN = 60.0  # seconds: an access token closer than this to expiry is refreshed


@dataclass(frozen=True)
class TokenSet:
    """An access token, when it expires (epoch seconds), and the refresh token, if any."""

    access_token: str
    expires_at: float
    refresh_token: str | None = None
    scope: str = ""

    def fresh(self, now: float | None = None) -> bool:
        """True while more than ``REFRESH_MARGIN`` seconds of the access token remain."""
        return self.expires_at - (time.time() if now is None else now) > REFRESH_MARGIN

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> TokenSet:
        """Parse a stored token set; ``ProtocolError`` if it is not one."""
        try:
            data = json.loads(text)
            return cls(access_token=str(data["access_token"]),
                       expires_at=float(data["expires_at"]),
                       refresh_token=data.get("refresh_token"), scope=str(data.get("scope", "")))
        except (ValueError, KeyError, TypeError) as exc:
            raise ProtocolError("the stored sign-in is unreadable; sign in again") from exc

    def __repr__(self) -> str:  # never a token in a log or a traceback
        refresh = self.refresh_token is not None
        return f"TokenSet(expires_at={self.expires_at:.0f}, refresh={refresh})"


def token_set_from_reply(reply: dict[str, Any], *, previous: TokenSet | None = None,
                         now: float | None = None) -> TokenSet:
    """The token set a token endpoint answered; a refresh answer without a new refresh
    token keeps the previous one (RFC 6749 section 6).

    Raises:
        ProtocolError: the answer has no access token.
    """
    access = reply.get("access_token")
    if not isinstance(access, str) or not access:
        raise ProtocolError("the sign-in server answered without an access token")
    expires_in = reply.get("expires_in", 3600)
    try:
        lifetime = float(expires_in)
    except (TypeError, ValueError):
        lifetime = 3600.0
    refresh = reply.get("refresh_token")
    if not isinstance(refresh, str) or not refresh:
        refresh = previous.refresh_token if previous is not None else None
    scope = reply.get("scope")
    return TokenSet(access_token=access,
                    expires_at=(time.time() if now is None else now) + lifetime,
                    refresh_token=refresh,
                    scope=scope if isinstance(scope, str) else
                    (previous.scope if previous is not None else ""))
