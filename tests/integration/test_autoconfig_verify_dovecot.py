"""Address-only setup end to end: a local DNS responder and HTTPS autoconfig server point at
the real Dovecot/Postfix, and verification logs in for real, best candidate first."""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailclient.services.accounts import AccountService
from mailclient.services.discovery import discover
from mailclient.services.discovery.guess import guess_source
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.discovery.online import discover_online
from mailclient.services.discovery.verify import LoginAttempt, verify
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from tests.helpers.autoconfig_server import AutoconfigServer, Reply, autoconfig_server
from tests.helpers.cli_runner import assert_ok, run_cli
from tests.helpers.dns_responder import DnsResponder, dns_responder
from tests.helpers.mailservers import MailServers
from tests.helpers.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.integration

SERVER = """<incomingServer type="imap"><hostname>127.0.0.1</hostname><port>{port}</port>
  <socketType>{security}</socketType><username>%EMAILADDRESS%</username></incomingServer>"""
OUTGOING = SERVER.replace("incomingServer type=\"imap\"", "outgoingServer type=\"smtp\"") \
    .replace("</incomingServer>", "</outgoingServer>")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_for(servers: MailServers, dead_port: int) -> bytes:
    parts = [SERVER.format(port=dead_port, security="SSL"),  # best first, but nobody there
             SERVER.format(port=servers.imaps_port, security="SSL"),
             SERVER.format(port=servers.imap_port, security="STARTTLS"),
             OUTGOING.format(port=servers.smtps_port, security="SSL"),
             OUTGOING.format(port=servers.submission_port, security="STARTTLS")]
    return (f'<clientConfig version="1.1"><emailProvider id="{servers.domain}">'
            f"<domain>{servers.domain}</domain><displayName>Test Mail</displayName>"
            f"{''.join(parts)}</emailProvider></clientConfig>").encode()


@pytest.fixture
def dns() -> Iterator[DnsResponder]:
    with dns_responder() as responder:
        yield responder


@pytest.fixture
def web(tmp_path: Path, mail_servers: MailServers) -> Iterator[AutoconfigServer]:
    with autoconfig_server(tmp_path / "web", mail_servers.domain) as server:
        yield server


@pytest.fixture
def accounts(tmp_path: Path) -> AccountService:
    profile = Profile.locate(tmp_path / "profile")
    profile.ensure_dirs()
    return AccountService(profile, SecretStore(profile.key, backend=MemoryKeyring()))


def network(dns: DnsResponder, *ca_files: Path, port_map: dict[int, int]) -> DiscoveryNetwork:
    context = ssl.create_default_context()
    for ca_file in ca_files:
        context.load_verify_locations(cafile=str(ca_file))
    found = DiscoveryNetwork(resolver=dns.resolver(), ssl_context=context, timeout=3.0,
                             port_map=port_map)
    assert found.resolver.nameservers == ["127.0.0.1"]  # no query leaves the machine
    return found


async def test_autoconfig_then_verified_login_best_first(
        mail_servers: MailServers, dns: DnsResponder, web: AutoconfigServer,
        accounts: AccountService) -> None:
    domain, alice = mail_servers.domain, mail_servers.user("alice")
    dns.add(f"autoconfig.{domain}", "A", "127.0.0.1")
    dead_port = closed_port()
    web.routes["/mail/config-v1.1.xml"] = Reply(config_for(mail_servers, dead_port))
    found = await discover_online(alice.address, network(dns, web.ca_file,
                                                         port_map={443: web.port}))
    assert found.found and found.provider == "Test Mail"
    assert [c.port for c in found.incoming][:2] == [dead_port, mail_servers.imaps_port]
    seen: list[LoginAttempt] = []
    setup = await verify(found, alice.password, tester=accounts,
                         ca_file=str(mail_servers.ca_file), on_attempt=seen.append)
    assert setup.ok
    assert setup.incoming is not None and setup.incoming.port == mail_servers.imaps_port
    assert setup.outgoing is not None and setup.outgoing.port == mail_servers.smtps_port
    assert [(a.candidate.port, a.ok) for a in setup.attempts] == [
        (dead_port, False), (mail_servers.smtps_port, True), (mail_servers.imaps_port, True)]
    assert seen == list(setup.attempts)
    account = setup.account(ca_file=str(mail_servers.ca_file))
    assert await accounts.add(account, alice.password)
    assert accounts.get(alice.address).incoming.port == mail_servers.imaps_port


async def test_wrong_password_verifies_nothing(
        mail_servers: MailServers, dns: DnsResponder, web: AutoconfigServer,
        accounts: AccountService) -> None:
    domain, bob = mail_servers.domain, mail_servers.user("bob")
    dns.add(f"autoconfig.{domain}", "A", "127.0.0.1")
    web.routes["/mail/config-v1.1.xml"] = Reply(config_for(mail_servers, closed_port()))
    found = await discover_online(bob.address, network(dns, web.ca_file,
                                                       port_map={443: web.port}))
    setup = await verify(found, "not-the-password", tester=accounts,
                         ca_file=str(mail_servers.ca_file))
    assert not setup.ok and setup.incoming is None and setup.outgoing is None
    assert setup.attempts and not any(attempt.ok for attempt in setup.attempts)
    assert all(attempt.error for attempt in setup.attempts)


async def test_guess_with_a_certificate_for_another_name_is_refused(
        mail_servers: MailServers, dns: DnsResponder) -> None:
    domain = mail_servers.domain
    for host in (f"imap.{domain}", f"mail.{domain}", f"smtp.{domain}"):
        dns.add(host, "A", "127.0.0.1")
    ports = {993: mail_servers.imaps_port, 143: mail_servers.imap_port,
             465: mail_servers.smtps_port, 587: mail_servers.submission_port}
    guessing = guess_source(network(dns, mail_servers.ca_file, port_map=ports))
    found = await discover(f"alice@{domain}", sources=[guessing])
    assert not found.found  # Dovecot's certificate names localhost, not imap.example.test
    assert ("imap.example.test", "A") in dns.queries


def test_cli_discovers_by_srv_verifies_and_saves(
        tmp_path: Path, mail_servers: MailServers, dns: DnsResponder) -> None:
    domain, carol = mail_servers.domain, mail_servers.user("carol")
    dns.add(f"_imaps._tcp.{domain}", "SRV", f"0 0 {mail_servers.imaps_port} localhost.")
    dns.add(f"_submission._tcp.{domain}", "SRV",
            f"0 0 {mail_servers.submission_port} localhost.")
    dns.add(f"_pop3s._tcp.{domain}", "SRV", "0 0 0 .")
    result = run_cli(tmp_path / "profile", "autoconfig", carol.address, "--network",
                     "--dns-server", f"127.0.0.1:{dns.port}",
                     "--ca-file", str(mail_servers.ca_file), "--verify", "--password-stdin",
                     "--save", "--json", stdin=carol.password + "\n")
    data = json.loads(assert_ok(result))
    assert data["offline"] is False and data["network_answered"] is True
    assert data["incoming"][0] | {"authentication": None} == {
        "protocol": "imap", "host": "localhost", "port": mail_servers.imaps_port,
        "security": "ssl", "username": carol.address, "authentication": None,
        "source": f"DNS SRV records (_imaps._tcp.{domain})"}
    assert data["verified"]["ok"] is True
    assert [a["ok"] for a in data["verified"]["attempts"]] == [True, True]
    assert data["saved_account"] == carol.address
    listed = assert_ok(run_cli(tmp_path / "profile", "account", "list"))
    assert carol.address in listed
    human = assert_ok(run_cli(tmp_path / "other", "autoconfig", carol.address, "--verify",
                              "--dns-server", f"127.0.0.1:{dns.port}", "--ca-file",
                              str(mail_servers.ca_file), "--password-stdin",
                              stdin=carol.password + "\n")).splitlines()
    assert human[0].startswith(f"Trying IMAP  localhost:{mail_servers.imaps_port} SSL/TLS")
    assert human[1].startswith(f"Trying SMTP  localhost:{mail_servers.submission_port} STARTTLS")
    assert all(line.endswith("logged in") and "from DNS SRV records" in line
               for line in human[:2])
    assert all(name.endswith(domain) or name == domain for name, _ in dns.queries)
