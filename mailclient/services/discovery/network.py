"""How discovery reaches the network: its own DNS resolver, trusted CAs and time limits."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field

import dns.asyncresolver
import dns.exception
import dns.resolver

from mailclient.core.errors import ConfigError, NetworkError, ServerTimeoutError
from mailclient.services.tls import make_ssl_context

DEFAULT_TIMEOUT = 4.0  # seconds for one source (and for each probe or request inside it)


@dataclass(frozen=True)
class DiscoveryNetwork:
    """Everything discovery needs to look outside the bundled database.

    Every host name is resolved through ``resolver`` (never the system's ``getaddrinfo``),
    so a test resolver on 127.0.0.1 sees, and answers, every query.

    Args:
        resolver: the DNS resolver for SRV, MX and the addresses of hosts.
        ssl_context: the verifying TLS context (trusted CAs) for HTTPS and probes.
        timeout: seconds for one source; a source still busy then counts as knowing nothing.
        port_map: well-known port -> port actually dialled (tests reach 443 or 993 on a
            local server listening elsewhere); empty in real use.
    """

    resolver: dns.asyncresolver.Resolver
    ssl_context: ssl.SSLContext
    timeout: float = DEFAULT_TIMEOUT
    port_map: Mapping[int, int] = field(default_factory=dict)

    async def records(self, name: str, kind: str, what: str) -> list[object]:
        """The ``kind`` records (MX, SRV, ...) of ``name``; none when the name or the
        record does not exist.

        Raises:
            NetworkError: DNS did not answer (``what`` names what was asked, in words).
        """
        try:
            answer = await self.resolver.resolve(name, kind, search=False,
                                                 lifetime=self.timeout)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.DNSException, OSError) as exc:
            raise NetworkError(f"DNS did not answer for {what}: {exc}") from exc
        return list(answer)

    async def addresses(self, host: str) -> list[str]:
        """The IP addresses of ``host`` (IPv4 first); an IP literal is its own address.

        Raises:
            NetworkError: the name has no address (or DNS did not answer).
        """
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        found: list[str] = []
        for kind in ("A", "AAAA"):
            try:
                answer = await self.resolver.resolve(host, kind, search=False,
                                                     lifetime=self.timeout)
            except (dns.exception.DNSException, OSError):
                continue
            found.extend(item.to_text() for item in answer)
        if not found:
            raise NetworkError(f"{host} has no address in DNS")
        return found

    async def open_connection(self, host: str, port: int, *, tls: bool,
                              ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Connect to ``host:port`` (TLS checked against ``host`` when ``tls``).

        Raises:
            NetworkError: no address, refused, or the certificate is not trusted.
            ServerTimeoutError: no answer within ``timeout``.
        """
        address = (await self.addresses(host))[0]
        dialled = self.port_map.get(port, port)
        try:
            return await asyncio.wait_for(
                asyncio.open_connection(address, dialled, ssl=self.ssl_context if tls else None,
                                        server_hostname=host if tls else None),
                self.timeout)
        except TimeoutError as exc:
            raise ServerTimeoutError(f"{host}:{port} did not answer in time") from exc
        except (OSError, ssl.SSLError) as exc:
            raise NetworkError(f"cannot connect to {host}:{port}: {exc}") from exc


def local_resolver(server: str, port: int = 53) -> dns.asyncresolver.Resolver:
    """A resolver that asks only ``server`` (an IP address) on ``port``; no system config."""
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = [server]
    resolver.port = port
    resolver.lifetime = DEFAULT_TIMEOUT
    return resolver


def system_resolver() -> dns.asyncresolver.Resolver:
    """The system's resolver (``/etc/resolv.conf``).

    Raises:
        NetworkError: there is no DNS configuration to read.
    """
    try:
        resolver = dns.asyncresolver.Resolver()
    except (dns.resolver.NoResolverConfiguration, OSError) as exc:
        raise NetworkError(f"no DNS resolver is configured: {exc}") from exc
    resolver.lifetime = DEFAULT_TIMEOUT
    return resolver


def make_network(*, ca_file: str | None = None, dns_server: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> DiscoveryNetwork:
    """The network for real use: the system's CAs plus ``ca_file``, and the system's DNS
    resolver or ``dns_server`` (``IP`` or ``IP:PORT``, ``[IPv6]:PORT``).

    Raises:
        ConfigError: ``dns_server`` is not an IP address (with an optional port).
        NetworkError: no DNS configuration (and no ``dns_server``).
    """
    resolver = system_resolver() if dns_server is None else local_resolver(
        *_server_and_port(dns_server))
    return DiscoveryNetwork(resolver=resolver, ssl_context=make_ssl_context(ca_file=ca_file),
                            timeout=timeout)


def _server_and_port(text: str) -> tuple[str, int]:
    host, port = text, "53"
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest.removeprefix(":") or "53"
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError as exc:
        raise ConfigError(f"the DNS server must be an IP address, not {text!r}") from exc
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ConfigError(f"the DNS server port must be a number from 1 to 65535: {text!r}")
    return address, int(port)
