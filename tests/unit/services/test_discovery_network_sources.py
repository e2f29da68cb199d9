"""Discovery over the network, against a local DNS responder and HTTPS server on 127.0.0.1:
HTTPS autoconfig, SRV, MX, guessed hosts, time limits and never cleartext."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from mailclient.services.discovery import discover
from mailclient.services.discovery.https_autoconfig import autoconfig_urls
from mailclient.services.discovery.mx import registrable_domain
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.discovery.online import discover_online, network_sources
from tests.helpers.autoconfig_server import AutoconfigServer, Reply, autoconfig_server
from tests.helpers.dns_responder import DnsResponder, dns_responder
from tests.helpers.tls_cert import make_certificate

CONFIG = """<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="shop.test">
  <domain>shop.test</domain><displayName>Shop Mail</displayName>
  <incomingServer type="imap"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port>
    <socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>
  <incomingServer type="pop3"><hostname>pop.shop.test</hostname><port>110</port>
    <socketType>plain</socketType><username>%EMAILADDRESS%</username></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.shop.test</hostname><port>587</port>
    <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>"""
CLEARTEXT_ONLY = CONFIG.replace("SSL", "plain").replace("STARTTLS", "plain")
AUTOCONFIG_PATH = "/mail/config-v1.1.xml"
WELL_KNOWN_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml"


@pytest.fixture
def dns() -> Iterator[DnsResponder]:
    with dns_responder() as responder:
        yield responder


@pytest.fixture
def web(tmp_path: Path) -> Iterator[AutoconfigServer]:
    with autoconfig_server(tmp_path / "web", "shop.test") as server:
        yield server


# Generous: a loaded CI machine must not turn a refusal (certificate, size) into a timeout;
# the tests of a hanging source pass their own short one.
def network_for(dns: DnsResponder, *ca_files: Path, timeout: float = 5.0,
                port_map: dict[int, int] | None = None) -> DiscoveryNetwork:
    context = ssl.create_default_context()
    for ca_file in ca_files:
        context.load_verify_locations(cafile=str(ca_file))
    network = DiscoveryNetwork(resolver=dns.resolver(), ssl_context=context, timeout=timeout,
                               port_map=port_map or {})
    assert network.resolver.nameservers == ["127.0.0.1"]  # nothing leaves the machine
    assert network.resolver.port == dns.port
    return network


def web_network(dns: DnsResponder, web: AutoconfigServer, **kwargs: float) -> DiscoveryNetwork:
    return network_for(dns, web.ca_file, port_map={443: web.port}, **kwargs)


def serve_shop(dns: DnsResponder) -> None:
    dns.add("autoconfig.shop.test", "A", "127.0.0.1")
    dns.add("shop.test", "A", "127.0.0.1")


def servers(found: object) -> list[tuple[str, str, int, str]]:
    return [(c.protocol, c.host, c.port, c.security)
            for c in found.incoming + found.outgoing]  # type: ignore[attr-defined]


async def test_https_autoconfig_from_the_provider_host(dns: DnsResponder,
                                                       web: AutoconfigServer) -> None:
    serve_shop(dns)
    web.routes[AUTOCONFIG_PATH] = Reply(CONFIG.encode())
    found = await discover_online("ada+x@shop.test", web_network(dns, web))
    assert found.found and found.provider == "Shop Mail" and found.network_answered
    assert servers(found) == [("imap", "imap.shop.test", 993, "ssl"),
                              ("smtp", "smtp.shop.test", 587, "starttls")]  # no plain POP3
    assert found.incoming[0].username == "ada+x"
    assert found.incoming[0].source == "provider autoconfig (https://autoconfig.shop.test" \
        "/mail/config-v1.1.xml)"
    host, path = web.requests[0]
    assert host == "autoconfig.shop.test"
    assert path == AUTOCONFIG_PATH + "?emailaddress=ada%2Bx@shop.test"
    assert "provider autoconfig (HTTPS)" in found.answered


async def test_well_known_url_is_asked_when_the_autoconfig_host_is_missing(
        dns: DnsResponder, web: AutoconfigServer) -> None:
    dns.add("shop.test", "A", "127.0.0.1")
    web.routes[WELL_KNOWN_PATH] = Reply(CONFIG.encode())
    found = await discover_online("ada@shop.test", web_network(dns, web))
    assert found.incoming[0].source.endswith(f"(https://shop.test{WELL_KNOWN_PATH})")
    assert ("autoconfig.shop.test", "A") in dns.queries
    assert web.requests == [("shop.test", WELL_KNOWN_PATH)]


async def test_redirects_are_followed_only_to_https(dns: DnsResponder,
                                                    web: AutoconfigServer) -> None:
    serve_shop(dns)
    web.routes[AUTOCONFIG_PATH] = Reply(status=302, location="https://shop.test/moved.xml")
    web.routes["/moved.xml"] = Reply(CONFIG.encode())
    assert (await discover_online("ada@shop.test", web_network(dns, web))).found
    web.routes["/moved.xml"] = Reply(status=301, location="http://shop.test/plain.xml")
    web.routes[WELL_KNOWN_PATH] = Reply(status=302, location="http://shop.test/plain.xml")
    found = await discover_online("ada@shop.test", web_network(dns, web))
    assert not found.found
    assert not any(path == "/plain.xml" for _, path in web.requests)
    assert any("only https" in problem for problem in found.problems)


async def test_untrusted_certificate_too_large_and_cleartext_answers_are_refused(
        dns: DnsResponder, web: AutoconfigServer) -> None:
    serve_shop(dns)
    web.routes[AUTOCONFIG_PATH] = Reply(CONFIG.encode())
    untrusted = network_for(dns, port_map={443: web.port})  # system CAs only
    found = await discover_online("ada@shop.test", untrusted)
    assert not found.found and any("certificate" in p.lower() for p in found.problems)
    web.routes[AUTOCONFIG_PATH] = Reply(CONFIG.encode() + b" " * 300_000)
    found = await discover_online("ada@shop.test", web_network(dns, web))
    assert not found.found and any("larger than" in p for p in found.problems)
    web.routes[AUTOCONFIG_PATH] = Reply(CLEARTEXT_ONLY.encode())
    found = await discover_online("ada@shop.test", web_network(dns, web))
    assert found.provider == "Shop Mail" and not found.found
    assert found.incoming == () and found.outgoing == ()


def test_autoconfig_urls_are_https_only() -> None:
    assert autoconfig_urls("a b@bücher.example") == (
        "https://autoconfig.xn--bcher-kva.example/mail/config-v1.1.xml?emailaddress="
        "a%20b@b%C3%BCcher.example",
        "https://xn--bcher-kva.example/.well-known/autoconfig/mail/config-v1.1.xml")


async def test_srv_records_by_priority_tls_only(dns: DnsResponder) -> None:
    dns.add("_imaps._tcp.srv.test", "SRV", "20 0 993 backup.srv.test.", "10 5 993 imap.srv.test.",
            "10 9 993 fast.srv.test.", "5 0 143 wrong-port.srv.test.")
    dns.add("_imap._tcp.srv.test", "SRV", "0 0 143 imap.srv.test.")
    dns.add("_pop3s._tcp.srv.test", "SRV", "0 0 0 .")  # "not offered"
    dns.add("_submissions._tcp.srv.test", "SRV", "0 0 465 smtp.srv.test.")
    dns.add("_submission._tcp.srv.test", "SRV", "0 0 587 smtp.srv.test.")
    found = await discover_online("ada@srv.test", network_for(dns))
    assert servers(found) == [
        ("imap", "fast.srv.test", 993, "ssl"), ("imap", "imap.srv.test", 993, "ssl"),
        ("imap", "backup.srv.test", 993, "ssl"), ("imap", "imap.srv.test", 143, "starttls"),
        ("smtp", "smtp.srv.test", 465, "ssl"), ("smtp", "smtp.srv.test", 587, "starttls")]
    assert found.incoming[0].source == "DNS SRV records (_imaps._tcp.srv.test)"
    assert found.incoming[0].username == "ada@srv.test"
    assert found.answered == ("DNS SRV records",)


async def test_mx_at_google_gets_gmail_settings(dns: DnsResponder) -> None:
    dns.add("hosted.test", "MX", "20 alt1.aspmx.l.google.com.", "10 aspmx.l.google.com.")
    found = await discover_online("ada@hosted.test", network_for(dns))
    assert found.found and found.provider == "Google Mail"
    assert found.incoming[0].host == "imap.gmail.com"
    assert found.incoming[0].username == "ada@hosted.test"
    assert found.incoming[0].source == ("MX aspmx.l.google.com -> bundled provider database "
                                        "(google.com)")


@pytest.mark.parametrize(("host", "domain"), [
    ("aspmx.l.google.com", "google.com"), ("mx1.mail.example.co.uk.", "example.co.uk"),
    ("Mail.Protection.Outlook.com", "outlook.com"), ("example.org", "example.org")])
def test_registrable_domain(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


async def test_a_hanging_source_times_out_and_the_rest_still_answer(dns: DnsResponder) -> None:
    dns.add("_submissions._tcp.slow.test", "SRV", "0 0 465 smtp.slow.test.")
    dns.add("_imaps._tcp.slow.test", "SRV", "0 0 993 imap.slow.test.")
    dns.silent.update({"slow.test", "autoconfig.slow.test", "imap.slow.test"})
    started = time.monotonic()
    found = await discover_online("ada@slow.test", network_for(dns, timeout=1.0))
    assert time.monotonic() - started < 3.0
    assert found.found and found.answered == ("DNS SRV records",)
    assert ("slow.test", "MX") in dns.queries


async def test_offline_when_no_network_source_answers(dns: DnsResponder) -> None:
    found = await discover_online("ada@gmail.com", network_for(dns))
    assert found.found and not found.offline and not found.network_answered
    assert found.answered == ("bundled provider database",)
    assert {name for name, _ in dns.queries} >= {"autoconfig.gmail.com", "gmail.com",
                                                  "_imaps._tcp.gmail.com", "imap.gmail.com"}


# -- guessed host names, probed with a verified TLS handshake ------------------------------

@pytest.fixture
def guess_cert(tmp_path: Path) -> tuple[Path, Path]:
    return make_certificate(tmp_path / "guess", subject="/CN=guess/O=Guess Tests",
                            names="DNS:imap.guess.test,DNS:smtp.guess.test")


@pytest.fixture
async def tls_servers(guess_cert: tuple[Path, Path]) -> AsyncIterator[dict[str, int]]:
    """An implicit-TLS server and an IMAP STARTTLS server (port names: ssl, starttls)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*guess_cert)

    async def implicit(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"* OK ready\r\n")
        await reader.read(100)
        writer.close()

    async def starttls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"* OK ready\r\n")
        await reader.readline()
        writer.write(b"* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK done\r\n")
        await reader.readline()
        writer.write(b"a2 OK begin TLS\r\n")
        await writer.drain()
        await writer.start_tls(context)
        await reader.read(100)
        writer.close()

    ssl_server = await asyncio.start_server(implicit, "127.0.0.1", 0, ssl=context)
    starttls_server = await asyncio.start_server(starttls, "127.0.0.1", 0)
    ports = {"ssl": ssl_server.sockets[0].getsockname()[1],
             "starttls": starttls_server.sockets[0].getsockname()[1]}
    yield ports
    for server in (ssl_server, starttls_server):
        server.close()


async def test_guessed_hosts_count_only_with_trusted_tls(
        dns: DnsResponder, tls_servers: dict[str, int], guess_cert: tuple[Path, Path]) -> None:
    for host in ("imap.guess.test", "smtp.guess.test", "mail.guess.test"):
        dns.add(host, "A", "127.0.0.1")
    network = network_for(dns, guess_cert[0], port_map={
        993: tls_servers["ssl"], 143: tls_servers["starttls"], 465: tls_servers["ssl"],
        587: tls_servers["starttls"]})
    found = await discover("ada@guess.test", sources=network_sources(network)[-1:])
    # mail.guess.test answers too, but its certificate does not name it: refused.
    assert servers(found) == [("imap", "imap.guess.test", 993, "ssl"),
                              ("imap", "imap.guess.test", 143, "starttls"),
                              ("smtp", "smtp.guess.test", 465, "ssl")]
    assert found.outgoing[0].source == "guessed host name (smtp.guess.test, TLS probed)"


async def test_a_hanging_guessed_host_does_not_cost_the_others(
        dns: DnsResponder, tls_servers: dict[str, int], guess_cert: tuple[Path, Path]) -> None:
    dns.add("imap.guess.test", "A", "127.0.0.1")
    dns.silent.add("mail.guess.test")
    network = network_for(dns, guess_cert[0], timeout=0.5, port_map={993: tls_servers["ssl"]})
    started = time.monotonic()
    found = await discover("ada@guess.test", sources=network_sources(network)[-1:],
                           timeout=1.0)
    assert time.monotonic() - started < 1.0
    assert servers(found) == [("imap", "imap.guess.test", 993, "ssl")]
