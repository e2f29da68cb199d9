"""Autoconfig documents parse into TLS-only server candidates; hostile documents are refused."""

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import ConfigError
from mailclient.core.provider_config import (
    MAX_CONFIG_CHARS,
    OAuth2Settings,
    ProviderConfig,
    ProviderConfigError,
    ServerCandidate,
    normalise_domain,
    parse_provider_config,
    provider_domains,
)

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.org">
    <domain>Example.ORG</domain>
    <domain>example.net</domain>
    <domain>example.org</domain>
    <displayName>Example Mail</displayName>
    <incomingServer type="pop3">
      <hostname>pop.%EMAILDOMAIN%</hostname>
      <port>995</port>
      <socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.example.org</hostname>
      <port>143</port>
      <socketType>plain</socketType>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>IMAP.example.org</hostname>
      <port>143</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%.%EMAILDOMAIN%</username>
      <authentication>password-cleartext</authentication>
      <authentication>OAuth2</authentication>
    </incomingServer>
    <incomingServer type="exchange">
      <hostname>ews.example.org</hostname>
      <port>443</port>
      <socketType>SSL</socketType>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>no-port.example.org</hostname>
      <socketType>SSL</socketType>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.org</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.org</hostname>
      <port>25</port>
      <socketType>plain</socketType>
    </outgoingServer>
  </emailProvider>
  <oAuth2>
    <issuer>login.example.org</issuer>
    <scope>mail offline</scope>
    <authURL>https://login.example.org/auth</authURL>
    <tokenURL>https://login.example.org/token</tokenURL>
  </oAuth2>
</clientConfig>
"""
SOURCE = "test document (example.org)"


def parse(text: str | bytes = SAMPLE, address: str = "Ada.L@Example.org") -> ProviderConfig:
    return parse_provider_config(text, address=address, source=SOURCE)


def test_provider_fields_and_domains() -> None:
    config = parse()
    assert config.provider_id == "example.org"
    assert config.display_name == "Example Mail"
    assert config.domains == ("example.org", "example.net")
    assert config.oauth2 == OAuth2Settings(
        issuer="login.example.org", scope="mail offline",
        auth_url="https://login.example.org/auth", token_url="https://login.example.org/token")
    assert provider_domains(SAMPLE) == ("example.org", "example.net")


def test_servers_in_file_order_expanded_and_cleartext_dropped() -> None:
    config = parse()
    assert config.incoming == (
        ServerCandidate("pop3", "pop.example.org", 995, "ssl", "Ada.L", SOURCE),
        ServerCandidate("imap", "imap.example.org", 143, "starttls", "Ada.L.Example.org",
                        SOURCE, ("password-cleartext", "OAuth2")),
    )
    assert config.outgoing == (
        ServerCandidate("smtp", "smtp.example.org", 587, "starttls", "Ada.L@Example.org",
                        SOURCE),
    )


def test_no_oauth2_block_and_missing_display_name() -> None:
    text = SAMPLE.replace("<displayName>Example Mail</displayName>", "")
    text = text[:text.index("<oAuth2>")] + "</clientConfig>"
    config = parse(text)
    assert config.oauth2 is None
    assert config.display_name == "example.org"


def test_missing_username_defaults_to_the_address() -> None:
    config = parse(SAMPLE.replace("<username>%EMAILLOCALPART%</username>", ""))
    assert config.incoming[0].username == "Ada.L@Example.org"


def test_idn_domain_expands_to_ascii_in_host_names_only() -> None:
    config = parse(address="ada@Bücher.example")
    assert config.incoming[0].host == "pop.xn--bcher-kva.example"
    assert config.incoming[1].username == "ada.Bücher.example"


def test_candidate_to_server_config() -> None:
    candidate = parse().incoming[1]
    assert candidate.to_server_config() == ServerConfig(
        host="imap.example.org", port=143, security="starttls", username="Ada.L.Example.org")


def test_bytes_input_is_accepted() -> None:
    assert parse(SAMPLE.encode()).display_name == "Example Mail"


@pytest.mark.parametrize("hostile", [
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    "<clientConfig><emailProvider id='x'><displayName>&lol2;</displayName></emailProvider>"
    "</clientConfig>",
    '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<clientConfig><emailProvider id='x'><displayName>&xxe;</displayName></emailProvider>"
    "</clientConfig>",
    '<!doctype clientConfig SYSTEM "http://evil.example/x.dtd"><clientConfig/>',
    '<clientConfig><!ENTITY x "y"><emailProvider id="x"/></clientConfig>',
])
def test_dtd_and_entity_declarations_are_refused(hostile: str) -> None:
    with pytest.raises(ProviderConfigError, match="DTD or entities"):
        parse(hostile)
    with pytest.raises(ProviderConfigError, match="DTD or entities"):
        provider_domains(hostile.encode())


def test_huge_document_is_refused_before_parsing() -> None:
    padding = "<!--" + "x" * MAX_CONFIG_CHARS + "-->"
    with pytest.raises(ProviderConfigError, match="too large"):
        parse(SAMPLE.replace("<clientConfig", padding + "<clientConfig", 1))
    with pytest.raises(ProviderConfigError, match="too large"):
        provider_domains(b"<clientConfig>" + b"\xff" * MAX_CONFIG_CHARS + b"</clientConfig>")


@pytest.mark.parametrize(("text", "words"), [
    ("<clientConfig><emailProvider>", "not well-formed"),
    ("<html><body/></html>", "expected <clientConfig>"),
    ("<clientConfig version='1.1'/>", "no <emailProvider>"),
    (b"<clientConfig>\xff\xfe</clientConfig>", "not UTF-8"),
])
def test_malformed_documents_raise_a_plain_error(text: str | bytes, words: str) -> None:
    with pytest.raises(ProviderConfigError, match=words):
        parse(text)


def test_provider_config_error_is_a_value_error() -> None:
    assert issubclass(ProviderConfigError, ValueError)


@pytest.mark.parametrize(("domain", "expected"), [
    ("GMail.COM.", "gmail.com"),
    (" Bücher.Example ", "xn--bcher-kva.example"),
    ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    ("ｇｍａｉｌ.com", "gmail.com"),
])
def test_normalise_domain(domain: str, expected: str) -> None:
    assert normalise_domain(domain) == expected


def test_normalise_domain_refuses_an_impossible_domain() -> None:
    with pytest.raises(ConfigError, match="not a valid domain"):
        normalise_domain("a" * 64 + ".example")
