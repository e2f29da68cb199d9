"""OAuth2 providers: the built-in Google and Microsoft table, and ISPDB ``<oAuth2>`` blocks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from mailclient.core.errors import ConfigError
from mailclient.core.provider_config import OAuth2Settings, ProviderConfig

# Words that mark a scope as one for mail (IMAP, POP3, SMTP) rather than contacts, calendars
# or profile data; ``offline_access`` asks Microsoft for a refresh token.
_MAIL_SCOPE_WORDS = ("mail", "imap", "pop", "smtp")
_KEEP_SCOPES = ("offline_access",)


@dataclass(frozen=True)
class OAuthProvider:
    """Where and how to sign in to one provider.

    Args:
        key: the name saved with an account and used for the client ID ("google").
        display_name: the provider in words ("Google"), for "Sign in to Google again".
        authorization_url, token_url: the provider's endpoints (https).
        scopes: mail scopes only.
        domains: address domains this provider serves (lower case).
        issuers: ISPDB issuers and provider ids that mean this provider.
        extra_parameters: more query parameters of the authorization URL (Google gives a
            refresh token only with ``access_type=offline``).
        allow_http_loopback: accept http endpoints on 127.0.0.1 (local test servers only).
        ca_file: a CA file trusted besides the system's for the token endpoint (tests).
    """

    key: str
    display_name: str
    authorization_url: str
    token_url: str
    scopes: tuple[str, ...]
    domains: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    extra_parameters: dict[str, str] = field(default_factory=dict)
    allow_http_loopback: bool = False
    ca_file: str | None = None

    @property
    def scope(self) -> str:
        """The scopes as the ``scope`` parameter (space-separated)."""
        return " ".join(self.scopes)

    def check_endpoints(self) -> None:
        """Raise ``ConfigError`` unless both endpoints are https (or loopback http, allowed)."""
        for url in (self.authorization_url, self.token_url):
            parts = urlsplit(url)
            if parts.scheme == "https" and parts.hostname:
                continue
            if self.allow_http_loopback and parts.scheme == "http" \
                    and parts.hostname == "127.0.0.1":
                continue
            raise ConfigError(f"the {self.display_name} sign-in address must be https: {url}")


GOOGLE = OAuthProvider(
    key="google", display_name="Google",
    authorization_url="https://accounts.google.com/o/oauth2/v2/auth",
    token_url="https://oauth2.googleapis.com/token",
    scopes=("https://mail.google.com/",),
    domains=("gmail.com", "googlemail.com"),
    issuers=("accounts.google.com", "googlemail.com", "gmail.com"),
    extra_parameters={"access_type": "offline", "prompt": "consent"},
)
MICROSOFT = OAuthProvider(
    key="microsoft", display_name="Microsoft",
    authorization_url="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url="https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scopes=("https://outlook.office.com/IMAP.AccessAsUser.All",
            "https://outlook.office.com/POP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send", "offline_access"),
    domains=("outlook.com", "hotmail.com", "live.com", "msn.com", "office365.com",
             "outlook.de", "outlook.fr", "hotmail.de", "hotmail.fr", "hotmail.co.uk",
             "live.de", "live.fr", "live.co.uk"),
    issuers=("login.microsoftonline.com", "office365.com", "outlook.com", "hotmail.com"),
)
BUILT_IN: dict[str, OAuthProvider] = {GOOGLE.key: GOOGLE, MICROSOFT.key: MICROSOFT}


def mail_scopes(scope: str) -> tuple[str, ...]:
    """The mail scopes of a space-separated ``scope`` (contacts, calendar, profile dropped)."""
    kept = []
    for item in scope.split():
        lowered = item.lower()
        if lowered in _KEEP_SCOPES or any(word in lowered for word in _MAIL_SCOPE_WORDS):
            kept.append(item)
    return tuple(kept)


def built_in_for(domain: str = "", provider_id: str = "") -> OAuthProvider | None:
    """The built-in provider serving address domain ``domain`` or ISPDB id ``provider_id``."""
    domain, provider_id = domain.lower().rstrip("."), provider_id.lower()
    for provider in BUILT_IN.values():
        if domain in provider.domains or provider_id in provider.issuers:
            return provider
    return None


def from_ispdb(block: OAuth2Settings, *, display_name: str) -> OAuthProvider | None:
    """A provider from an ISPDB ``<oAuth2>`` block: the built-in one for a known issuer,
    else the block with its scopes trimmed to mail; None if it lacks an endpoint or scope."""
    known = built_in_for(provider_id=block.issuer)
    if known is not None:
        return known
    scopes = mail_scopes(block.scope)
    if not (block.issuer and block.auth_url and block.token_url and scopes):
        return None
    return OAuthProvider(key=block.issuer.lower(), display_name=display_name or block.issuer,
                         authorization_url=block.auth_url, token_url=block.token_url,
                         scopes=scopes, issuers=(block.issuer.lower(),))


def provider_for(address: str, config: ProviderConfig | None = None) -> OAuthProvider | None:
    """The provider to sign in to for ``address``: built-in by its domain or by the
    provider file's id, else the file's ``<oAuth2>`` block; None if it offers no OAuth2."""
    domain = address.rpartition("@")[2]
    known = built_in_for(domain, config.provider_id if config is not None else "")
    if known is not None:
        return known
    if config is None or config.oauth2 is None:
        return None
    return from_ispdb(config.oauth2, display_name=config.display_name)


def with_endpoints(provider: OAuthProvider, *, authorization_url: str, token_url: str,
                   allow_http_loopback: bool = False, ca_file: str | None = None
                   ) -> OAuthProvider:
    """A copy pointed at other endpoints (a local test server, a national cloud)."""
    return replace(provider, authorization_url=authorization_url, token_url=token_url,
                   allow_http_loopback=allow_http_loopback, ca_file=ca_file)
