"""Mozilla autoconfig (``config-v1.1.xml``) provider settings, parsed safely for one address."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Literal

from mailclient.core.account import Security, ServerConfig
from mailclient.core.errors import ConfigError, MailError

ServerProtocol = Literal["imap", "pop3", "smtp"]
MAX_CONFIG_CHARS = 256 * 1024  # the largest ISPDB file is under 10 KB
_SECURITY_OF: dict[str, Security] = {"ssl": "ssl", "starttls": "starttls"}  # "plain": never
_INCOMING: dict[str, ServerProtocol] = {"imap": "imap", "pop3": "pop3"}
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_PLACEHOLDER = re.compile(r"%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)%")


class ProviderConfigError(MailError, ValueError):
    """A provider configuration document is not well-formed, too large or hostile."""


@dataclass(frozen=True)
class ServerCandidate:
    """One server setting a provider offers, with the user name expanded for an address."""

    protocol: ServerProtocol
    host: str
    port: int
    security: Security  # only ever "ssl" or "starttls": cleartext entries are dropped
    username: str
    source: str  # where it came from, in words: "bundled provider database (gmail.com)"
    authentication: tuple[str, ...] = ()  # as listed: "password-cleartext", "OAuth2", ...

    def to_server_config(self) -> ServerConfig:
        """The account setting this candidate stands for."""
        return ServerConfig(host=self.host, port=self.port, security=self.security,
                            username=self.username)


@dataclass(frozen=True)
class OAuth2Settings:
    """The ``<oAuth2>`` block of a provider, kept as plain data for OAuth2 sign-in."""

    issuer: str
    scope: str
    auth_url: str
    token_url: str


@dataclass(frozen=True)
class ProviderConfig:
    """What a provider file says, expanded for one address; servers in file order."""

    provider_id: str
    display_name: str
    domains: tuple[str, ...]
    incoming: tuple[ServerCandidate, ...]
    outgoing: tuple[ServerCandidate, ...]
    oauth2: OAuth2Settings | None = None


def normalise_domain(domain: str) -> str:
    """Lower-case ASCII (IDNA) form of a domain, without a trailing dot.

    Raises:
        ConfigError: the domain cannot be written in IDNA form.
    """
    cleaned = domain.strip().rstrip(".").lower()
    try:
        return cleaned.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise ConfigError(f"{domain!r} is not a valid domain: {exc}") from exc


def provider_domains(text: str | bytes) -> tuple[str, ...]:
    """The normalised ``<domain>`` entries of a provider document, in file order.

    Raises:
        ProviderConfigError: the document is malformed, too large or declares a DTD/entities.
    """
    return _domains_of(_provider_of(_root(text)))


def _domains_of(provider: ET.Element) -> tuple[str, ...]:
    domains: list[str] = []
    for element in provider.findall("domain"):
        try:
            domain = normalise_domain(element.text or "")
        except ConfigError:
            continue
        if domain and domain not in domains:
            domains.append(domain)
    return tuple(domains)


def parse_provider_config(text: str | bytes, *, address: str, source: str) -> ProviderConfig:
    """Parse a provider document and expand its placeholders for ``address``.

    Args:
        text: the ``config-v1.1.xml`` document.
        address: the e-mail address being set up (``local@domain``, already validated).
        source: where the document came from, in words; copied into each candidate.

    Returns:
        The provider's settings; ``plain`` (no TLS) servers and server types other than
        IMAP, POP3 and SMTP are left out.

    Raises:
        ProviderConfigError: the document is malformed, too large or declares a DTD/entities.
    """
    root = _root(text)
    provider = _provider_of(root)
    local, _, domain = address.rpartition("@")
    values = {"EMAILADDRESS": address, "EMAILLOCALPART": local, "EMAILDOMAIN": domain}
    host_values = dict(values, EMAILDOMAIN=_ascii_domain(domain))
    incoming: list[ServerCandidate] = []
    for element in provider.findall("incomingServer"):
        protocol = _INCOMING.get(element.get("type", "").lower())
        if protocol:
            _append_candidate(incoming, element, protocol, values, host_values, source)
    outgoing: list[ServerCandidate] = []
    for element in provider.findall("outgoingServer"):
        if element.get("type", "").lower() == "smtp":
            _append_candidate(outgoing, element, "smtp", values, host_values, source)
    provider_id = provider.get("id", "").strip()
    return ProviderConfig(
        provider_id=provider_id,
        display_name=_text(provider, "displayName") or provider_id,
        domains=_domains_of(provider),
        incoming=tuple(incoming),
        outgoing=tuple(outgoing),
        oauth2=_oauth2(root),
    )


def _root(text: str | bytes) -> ET.Element:
    if len(text) > MAX_CONFIG_CHARS:  # checked first: never decode or parse a huge document
        raise ProviderConfigError(
            f"the provider settings are too large ({len(text)} characters; at most "
            f"{MAX_CONFIG_CHARS})")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProviderConfigError(f"the provider settings are not UTF-8: {exc}") from exc
    if _DECLARATION.search(text):
        raise ProviderConfigError("the provider settings declare a DTD or entities; refused")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ProviderConfigError(f"the provider settings are not well-formed XML: {exc}") from exc
    if root.tag != "clientConfig":
        raise ProviderConfigError(f"expected <clientConfig>, found <{root.tag}>")
    return root


def _provider_of(root: ET.Element) -> ET.Element:
    provider = root.find("emailProvider")
    if provider is None:
        raise ProviderConfigError("the provider settings have no <emailProvider>")
    return provider


def _append_candidate(into: list[ServerCandidate], element: ET.Element,
                      protocol: ServerProtocol, values: dict[str, str],
                      host_values: dict[str, str], source: str) -> None:
    """Add the server of ``element`` unless it is cleartext, incomplete or already listed."""
    security = _SECURITY_OF.get(_text(element, "socketType").lower())
    host = _expand(_text(element, "hostname"), host_values).lower().rstrip(".")
    port_text = _text(element, "port")
    if security is None or not _HOST.match(host) or not port_text.isdigit():
        return
    port = int(port_text)
    if not 1 <= port <= 65535:
        return
    username = _expand(_text(element, "username") or "%EMAILADDRESS%", values)
    methods = tuple(m.text.strip() for m in element.findall("authentication") if m.text)
    candidate = ServerCandidate(protocol=protocol, host=host, port=port, security=security,
                                username=username, source=source, authentication=methods)
    if candidate not in into:
        into.append(candidate)


def _oauth2(root: ET.Element) -> OAuth2Settings | None:
    block = root.find("oAuth2")
    if block is None:
        return None
    return OAuth2Settings(issuer=_text(block, "issuer"), scope=_text(block, "scope"),
                          auth_url=_text(block, "authURL"), token_url=_text(block, "tokenURL"))


def _text(element: ET.Element, child: str) -> str:
    return (element.findtext(child) or "").strip()


def _expand(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def _ascii_domain(domain: str) -> str:
    try:
        return normalise_domain(domain)
    except ConfigError:
        return domain
