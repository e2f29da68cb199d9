"""Discovery from the bundled ISPDB snapshot: lookups, aliases, ordering, and every file parses."""

import time
from importlib.resources.abc import Traversable

import pytest

from mailclient.core.errors import ConfigError, NetworkError
from mailclient.core.provider_config import (
    ProviderConfig,
    ServerCandidate,
    normalise_domain,
    parse_provider_config,
)
from mailclient.services.discovery import (
    SOURCES,
    Discovery,
    DiscoverySource,
    discover,
    discover_bundled,
)
from mailclient.services.discovery.bundled import bundled_database_dir, domain_index

BUNDLED = "bundled provider database"
XML_FILES = sorted((e for e in bundled_database_dir().iterdir() if e.name.endswith(".xml")),
                   key=lambda entry: entry.name)


def test_gmail() -> None:
    found = discover_bundled("ada@gmail.com")
    assert found.found and found.offline
    assert found.provider == "Google Mail"
    assert found.sources_tried == (BUNDLED,)
    assert found.incoming[0] == ServerCandidate(
        "imap", "imap.gmail.com", 993, "ssl", "ada@gmail.com", f"{BUNDLED} (gmail.com)",
        ("OAuth2", "password-cleartext"))
    assert [c.protocol for c in found.incoming] == ["imap", "pop3"]
    assert [(c.host, c.port, c.security) for c in found.outgoing] == [
        ("smtp.gmail.com", 465, "ssl")]


@pytest.mark.parametrize("domain", ["googlemail.com", "google.com"])
def test_domains_listed_inside_a_file_are_found(domain: str) -> None:
    found = discover_bundled(f"ada@{domain}")
    assert found.provider == "Google Mail"
    assert found.incoming[0].host == "imap.gmail.com"
    assert found.incoming[0].username == f"ada@{domain}"
    assert found.incoming[0].source == f"{BUNDLED} ({domain})"


def test_pop_only_provider() -> None:
    found = discover_bundled("ada@rediffmail.com")
    assert found.found
    assert [(c.protocol, c.port, c.security) for c in found.incoming] == [("pop3", 995, "ssl")]
    assert all(c.security != "none" for c in found.incoming + found.outgoing)


def test_unknown_domain_is_not_found() -> None:
    found = discover_bundled("ada@no-such-provider.example")
    assert not found.found
    assert found.provider is None
    assert found.incoming == () and found.outgoing == ()


def test_provider_offering_only_cleartext_is_known_but_not_found() -> None:
    found = discover_bundled("ada@nifty.com")
    assert found.provider and not found.found
    assert found.incoming == () and found.outgoing == ()


@pytest.mark.parametrize("address", ["ADA@GMAIL.COM", " ada@GMail.com. ", "ada@ｇｍａｉｌ.com"])
def test_case_trailing_dot_and_idn_forms_are_normalised(address: str) -> None:
    found = discover_bundled(address)
    assert found.provider == "Google Mail"
    assert found.incoming[0].source == f"{BUNDLED} (gmail.com)"
    assert found.address == found.incoming[0].username == address.strip().rstrip(".")


def test_unknown_idn_domain_is_not_found_without_error() -> None:
    assert not discover_bundled("ada@bücher.example").found


@pytest.mark.parametrize("address", ["", "ada", "ada@", "@gmail.com", "ada@gmail", "a b@x.org"])
def test_invalid_address_is_a_config_error(address: str) -> None:
    with pytest.raises(ConfigError, match="e-mail address"):
        discover_bundled(address)


def test_best_first_order() -> None:
    found = discover_bundled("ada@gmx.net")
    incoming = [(c.protocol, c.security) for c in found.incoming]
    assert incoming == sorted(incoming, key=lambda p: (p[0] != "imap", p[1] != "ssl"))
    assert incoming[0] == ("imap", "ssl") and ("pop3", "ssl") in incoming
    outgoing = [(c.port, c.security) for c in found.outgoing]
    assert outgoing[0] == (465, "ssl") and (587, "starttls") in outgoing


def test_index_covers_every_file_with_normalised_domains() -> None:
    index = domain_index()
    assert len(index) > 900
    assert all(domain == normalise_domain(domain) for domain in index)
    assert {entry.name for entry in index.values()} >= {"googlemail.com.xml", "gmx.net.xml"}


@pytest.mark.parametrize("entry", XML_FILES, ids=lambda entry: entry.name)
def test_every_bundled_file_parses_without_cleartext(entry: Traversable) -> None:
    address = "someone@" + entry.name.removesuffix(".xml")
    config = parse_provider_config(entry.read_bytes(), address=address, source="x")
    assert config.provider_id and config.domains
    for candidate in config.incoming + config.outgoing:
        assert candidate.security in ("ssl", "starttls")
        assert "%" not in candidate.host + candidate.username
        candidate.to_server_config().validate("server", allow_insecure=False)


def test_snapshot_ships_its_license_and_source_note() -> None:
    names = {entry.name for entry in bundled_database_dir().iterdir()}
    assert {"LICENSE", "SOURCE.md"} <= names and len(XML_FILES) >= 160
    license_text = (bundled_database_dir() / "LICENSE").read_text(encoding="utf-8")
    assert "Mozilla Public License Version 2.0" in license_text
    note = (bundled_database_dir() / "SOURCE.md").read_text(encoding="utf-8")
    assert "thunderbird/autoconfig" in note and "MPL-2.0" in note


def test_lookup_after_first_load_is_fast() -> None:
    discover_bundled("ada@gmail.com")
    start = time.perf_counter()
    for _ in range(20):
        discover_bundled("ada@mail.com")  # the largest file, 191 domains
    assert (time.perf_counter() - start) / 20 < 0.005


async def test_discover_today_is_the_bundled_source_only() -> None:
    assert [source.name for source in SOURCES] == [BUNDLED]
    assert await discover("ada@gmail.com") == discover_bundled("ada@gmail.com")


def _config(source: str, *servers: tuple[str, str, int, str]) -> ProviderConfig:
    candidates = [ServerCandidate(p, h, port, s, "ada", source)  # type: ignore[arg-type]
                  for p, h, port, s in servers]
    return ProviderConfig(
        provider_id=source, display_name=source.title(), domains=("gmail.com",),
        incoming=tuple(c for c in candidates if c.protocol != "smtp"),
        outgoing=tuple(c for c in candidates if c.protocol == "smtp"))


def _source(name: str, result: ProviderConfig | None | Exception) -> DiscoverySource:
    async def lookup(address: str) -> ProviderConfig | None:
        if isinstance(result, Exception):
            raise result
        return result
    return DiscoverySource(name=name, lookup=lookup, offline=False)


async def test_later_sources_plug_in_and_merge_by_priority() -> None:
    first = _source("first", _config("first", ("imap", "mail.x.org", 143, "starttls"),
                                      ("smtp", "mail.x.org", 587, "starttls")))
    second = _source("second", _config("second", ("imap", "mail.x.org", 143, "starttls"),
                                       ("imap", "mail.x.org", 993, "ssl"),
                                       ("pop3", "pop.x.org", 995, "ssl")))
    broken = _source("broken", NetworkError("no route"))
    empty = _source("empty", None)
    found = await discover("ada@x.org", sources=[broken, first, empty, second])
    assert isinstance(found, Discovery) and found.found
    assert found.provider == "First"
    assert found.sources_tried == ("broken", "first", "empty", "second")
    assert not found.offline
    assert [(c.port, c.source) for c in found.incoming] == [
        (993, "second"), (143, "first"), (995, "second")]
    assert [c.source for c in found.outgoing] == ["first"]
