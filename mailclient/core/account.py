"""Accounts: identity, outgoing SMTP and incoming IMAP/POP3 server settings, with validation."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from email.headerregistry import Address
from typing import Any, Literal

from mailclient.core.errors import ConfigError

Security = Literal["ssl", "starttls", "none"]
IncomingKind = Literal["imap", "pop3"]
BodyDownload = Literal["all", "recent", "none"]
AuthKind = Literal["password", "oauth2"]
AUTH_KINDS: tuple[AuthKind, ...] = ("password", "oauth2")
BODY_DOWNLOADS: tuple[BodyDownload, ...] = ("all", "recent", "none")
SECURITIES: tuple[Security, ...] = ("ssl", "starttls", "none")
INCOMING_KINDS: tuple[IncomingKind, ...] = ("imap", "pop3")
_ACCOUNT_NAME = re.compile(r"^[\w][\w .@+-]{0,63}$")
_HOST = re.compile(r"^[A-Za-z0-9._:\[\]-]+$")


@dataclass(frozen=True)
class ServerConfig:
    """How to reach one server: host, port, transport security and login name."""

    host: str
    port: int
    security: Security
    username: str

    def validate(self, what: str, *, allow_insecure: bool) -> None:
        """Raise ``ConfigError`` with a plain message if a field is unusable."""
        if not self.host or not _HOST.match(self.host):
            raise ConfigError(f"{what} host is empty or not a host name: {self.host!r}")
        if not isinstance(self.port, int) or not 1 <= self.port <= 65535:
            raise ConfigError(f"{what} port must be a number from 1 to 65535, not {self.port!r}")
        if self.security not in SECURITIES:
            raise ConfigError(f"{what} security must be one of ssl, starttls, none")
        if self.security == "none" and not allow_insecure:
            raise ConfigError(
                f"{what} security 'none' sends the password in clear text; "
                "allow it explicitly (--allow-insecure) if you really mean it"
            )
        if not self.username:
            raise ConfigError(f"{what} user name is empty")


@dataclass(frozen=True)
class Identity:
    """An address the user sends as: the account's own, or an alias with its own signature.

    ``reply_to`` (an address, or None) goes into the Reply-To header of what is sent from it.
    """

    email: str
    display_name: str = ""
    reply_to: str | None = None
    signature: str = ""

    def validate(self) -> None:
        """Raise ``ConfigError`` naming the first invalid field."""
        validate_address(self.email)
        check_header_text(self.display_name, "display name")
        if self.reply_to is not None:
            validate_address(self.reply_to)

    @property
    def sender(self) -> Address:
        """The From address with display name."""
        local, _, domain = self.email.rpartition("@")
        return Address(display_name=self.display_name, username=local, domain=domain)

    @property
    def label(self) -> str:
        """``Name <address>`` (the bare address without a name), for lists and menus."""
        return f"{self.display_name} <{self.email}>" if self.display_name else self.email


@dataclass(frozen=True)
class Account:
    """One mail account as the user set it up (never holds the password or a token)."""

    name: str
    email: str
    display_name: str
    smtp: ServerConfig
    incoming_kind: IncomingKind
    incoming: ServerConfig
    ca_file: str | None = None
    allow_insecure: bool = False
    leave_on_server: bool = True
    delete_after_days: int | None = None
    body_download: BodyDownload = "all"  # IMAP bodies: all, those of the last body_days, none
    body_days: int = 30
    extra: dict[str, Any] = field(default_factory=dict)
    reply_to: str | None = None  # of the main identity (the account's own address)
    signature: str = ""  # of the main identity
    identities: tuple[Identity, ...] = ()  # aliases, after the implicit main identity
    pinned_certificates: dict[str, str] = field(default_factory=dict)  # "host:port" -> SHA-256
    auth: AuthKind = "password"  # oauth2: tokens from a sign-in (keyring), no password
    oauth_provider: str | None = None  # with oauth2: "google", "microsoft" or an ISPDB issuer

    def validate(self) -> None:
        """Raise ``ConfigError`` naming the first invalid field."""
        if not _ACCOUNT_NAME.match(self.name):
            raise ConfigError(
                f"account name {self.name!r} must be 1-64 letters, digits, spaces or . @ + - _"
            )
        validate_address(self.email)
        check_header_text(self.display_name, "display name")
        self.smtp.validate("SMTP", allow_insecure=self.allow_insecure)
        if self.incoming_kind not in INCOMING_KINDS:
            raise ConfigError("incoming server type must be imap or pop3")
        self.incoming.validate(self.incoming_kind.upper(), allow_insecure=self.allow_insecure)
        if self.delete_after_days is not None and self.delete_after_days < 0:
            raise ConfigError("delete-after-days must be 0 or more")
        if self.body_download not in BODY_DOWNLOADS:
            raise ConfigError("body download must be one of all, recent, none")
        if not isinstance(self.body_days, int) or self.body_days < 1:
            raise ConfigError("the days of bodies to download must be 1 or more")
        if self.auth not in AUTH_KINDS:
            raise ConfigError("auth must be password or oauth2")
        if self.auth == "oauth2" and not self.oauth_provider:
            raise ConfigError("an account signing in with OAuth2 needs its provider")
        seen: set[str] = set()
        for identity in self.all_identities():
            identity.validate()
            if identity.email.lower() in seen:
                raise ConfigError(f"the address {identity.email} is there twice")
            seen.add(identity.email.lower())

    @property
    def main_identity(self) -> Identity:
        """The account's own address, name, Reply-To and signature as an identity."""
        return Identity(self.email, self.display_name, self.reply_to, self.signature)

    def all_identities(self) -> tuple[Identity, ...]:
        """The main identity first, then the aliases."""
        return (self.main_identity, *self.identities)

    def with_identity(self, index: int | None, identity: Identity) -> Account:
        """A copy with identity ``index`` of ``all_identities()`` replaced (None: a new alias
        added); index 0 changes the main identity's name, Reply-To and signature."""
        if index == 0:
            return self.with_changes(display_name=identity.display_name,
                                     reply_to=identity.reply_to, signature=identity.signature)
        aliases = list(self.identities)
        if index is None:
            aliases.append(identity)
        else:
            aliases[index - 1] = identity
        return self.with_changes(identities=tuple(aliases))

    def without_identity(self, index: int) -> Account:
        """A copy without alias ``index`` of ``all_identities()`` (1 or more)."""
        if index < 1:
            raise ConfigError("the account's own address cannot be removed from it")
        aliases = list(self.identities)
        del aliases[index - 1]
        return self.with_changes(identities=tuple(aliases))

    def identity_for(self, email: str) -> Identity:
        """The identity sending as ``email`` (any case), else the main identity."""
        wanted = email.strip().lower()
        for identity in self.all_identities():
            if identity.email.lower() == wanted:
                return identity
        return self.main_identity

    @property
    def sender(self) -> Address:
        """The From address with display name."""
        local, _, domain = self.email.rpartition("@")
        return Address(display_name=self.display_name, username=local, domain=domain)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the settings file (``auth`` only for an OAuth2 account: a password
        account's entry stays as it always was)."""
        data = asdict(self)
        if self.auth == "password":
            del data["auth"], data["oauth_provider"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Account:
        """Build from settings-file data, raising ``ConfigError`` if it is malformed."""
        try:
            fields = dict(data)
            fields["smtp"] = ServerConfig(**fields["smtp"])
            fields["incoming"] = ServerConfig(**fields["incoming"])
            fields["identities"] = tuple(Identity(**i) for i in fields.get("identities", ()))
            return cls(**fields)
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"account entry is malformed: {exc}") from exc

    def with_changes(self, **changes: Any) -> Account:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)


def validate_address(address: str) -> str:
    """Check an e-mail address (``local@domain``, IDN allowed); return it unchanged."""
    check_header_text(address, "address")
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or " " in address or "." not in domain.strip("."):
        raise ConfigError(f"{address!r} is not an e-mail address (expected name@example.org)")
    try:
        domain.encode("idna")
    except UnicodeError as exc:
        raise ConfigError(f"{address!r} has an invalid domain: {exc}") from exc
    return address


# Line breaks of any kind (CR, LF, NEL, U+2028/2029) and the other control characters,
# NUL included: none belongs in a header value, and each can split or end one somewhere.
_NOT_IN_HEADERS = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def check_header_text(value: str, what: str) -> None:
    """Refuse line breaks and control characters (a tab is allowed) in a value bound for a
    header: header injection, and values the email package cannot fold."""
    if "\r" in value or "\n" in value:
        raise ConfigError(f"the {what} must not contain line breaks")
    if _NOT_IN_HEADERS.search(value):
        raise ConfigError(f"the {what} must not contain line breaks or control characters")
