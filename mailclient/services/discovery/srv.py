"""RFC 6186 / RFC 8314 SRV records: the servers a domain announces in DNS, TLS only."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import dns.rdtypes.IN.SRV

from mailclient.core.account import Security
from mailclient.core.errors import NetworkError
from mailclient.core.provider_config import (
    ProviderConfig,
    ServerCandidate,
    ServerProtocol,
    normalise_domain,
)
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.discovery.result import DiscoverySource

SRV_SOURCE_NAME = "DNS SRV records"


@dataclass(frozen=True)
class SrvService:
    """One SRV service name and what its entries mean."""

    label: str  # "_imaps._tcp"
    protocol: ServerProtocol
    security: Security
    wrong_ports: frozenset[int]  # well-known ports of the other security: refused


SERVICES = (
    SrvService("_submissions._tcp", "smtp", "ssl", frozenset({25, 587})),
    SrvService("_submission._tcp", "smtp", "starttls", frozenset({465})),
    SrvService("_imaps._tcp", "imap", "ssl", frozenset({143})),
    SrvService("_imap._tcp", "imap", "starttls", frozenset({993})),
    SrvService("_pop3s._tcp", "pop3", "ssl", frozenset({110})),
)


def order_records(records: list[dns.rdtypes.IN.SRV.SRV]) -> list[dns.rdtypes.IN.SRV.SRV]:
    """Lowest priority value first, then the heaviest weight (deterministic, unlike RFC 2782's
    weighted draw: every entry is verified anyway, best first)."""
    return sorted(records, key=lambda record: (record.priority, -record.weight))


def candidates_of(service: SrvService, records: list[dns.rdtypes.IN.SRV.SRV], *,
                  address: str, owner: str) -> list[ServerCandidate]:
    """The usable servers of one service's records; a "." target means "not offered"."""
    found: list[ServerCandidate] = []
    for record in order_records(records):
        target = record.target.to_text(omit_final_dot=True).lower()
        if target in ("", "."):
            return []  # RFC 2782: the service is decidedly not available at this domain
        if record.port in service.wrong_ports or not 1 <= record.port <= 65535:
            continue
        found.append(ServerCandidate(
            protocol=service.protocol, host=target, port=record.port,
            security=service.security, username=address,
            source=f"{SRV_SOURCE_NAME} ({owner})"))
    return found


async def _records(network: DiscoveryNetwork, name: str) -> list[dns.rdtypes.IN.SRV.SRV]:
    answer = await network.records(name, "SRV", name)
    return [record for record in answer if isinstance(record, dns.rdtypes.IN.SRV.SRV)]


def srv_source(network: DiscoveryNetwork) -> DiscoverySource:
    """The source reading the domain's SRV records (all five services asked at once)."""
    async def lookup(address: str) -> ProviderConfig | None:
        domain = normalise_domain(address.rpartition("@")[2])
        names = [f"{service.label}.{domain}" for service in SERVICES]
        answers = await asyncio.gather(*(_records(network, name) for name in names),
                                       return_exceptions=True)
        if all(isinstance(answer, BaseException) for answer in answers):
            error = answers[0]
            raise error if isinstance(error, Exception) else NetworkError(str(error))
        servers: list[ServerCandidate] = []
        for service, name, answer in zip(SERVICES, names, answers, strict=True):
            if not isinstance(answer, BaseException):
                servers += candidates_of(service, answer, address=address, owner=name)
        if not servers:
            return None
        return ProviderConfig(
            provider_id=domain, display_name="", domains=(domain,),
            incoming=tuple(c for c in servers if c.protocol != "smtp"),
            outgoing=tuple(c for c in servers if c.protocol == "smtp"))

    return DiscoverySource(name=SRV_SOURCE_NAME, lookup=lookup, offline=False)
