"""The MX host's provider: a domain whose mail Google (say) receives gets Google's settings."""

from __future__ import annotations

import dns.rdtypes.ANY.MX

from mailclient.core.provider_config import ProviderConfig, normalise_domain, parse_provider_config
from mailclient.services.discovery.bundled import BUNDLED_SOURCE_NAME, domain_index
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.discovery.result import DiscoverySource

MX_SOURCE_NAME = "MX host in the bundled provider database"

# Public suffixes of two labels under which names are registered (co.uk: bbc.co.uk);
# a short list rather than a dependency on the whole Public Suffix List.
TWO_LEVEL_SUFFIXES = frozenset({
    "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk",
    "com.au", "net.au", "org.au", "edu.au", "co.nz", "net.nz", "org.nz",
    "co.jp", "ne.jp", "or.jp", "ac.jp", "co.kr", "or.kr", "co.in", "net.in", "org.in",
    "com.br", "net.br", "org.br", "com.cn", "net.cn", "org.cn", "com.tw", "com.hk",
    "com.mx", "com.ar", "com.tr", "com.sg", "com.my", "co.za", "co.il", "co.id", "com.ua",
    "com.pl", "com.ru", "co.th",
})


def registrable_domain(host: str) -> str:
    """The domain a host name is registered under: ``aspmx.l.google.com`` -> ``google.com``,
    ``mx1.mail.example.co.uk`` -> ``example.co.uk``."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if ".".join(labels[-2:]) in TWO_LEVEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


async def mx_hosts(network: DiscoveryNetwork, domain: str) -> list[str]:
    """The domain's mail exchangers, most preferred first (none for a null MX, RFC 7505).

    Raises:
        NetworkError: DNS did not answer.
    """
    answer = await network.records(domain, "MX", f"the MX of {domain}")
    records = sorted((r for r in answer if isinstance(r, dns.rdtypes.ANY.MX.MX)),
                     key=lambda record: record.preference)
    hosts = [record.exchange.to_text(omit_final_dot=True).lower() for record in records]
    return [host for host in hosts if host not in ("", ".")]


def mx_source(network: DiscoveryNetwork) -> DiscoverySource:
    """The source that looks the MX hosts' domains up in the bundled provider database."""
    async def lookup(address: str) -> ProviderConfig | None:
        domain = normalise_domain(address.rpartition("@")[2])
        index = domain_index()
        for host in await mx_hosts(network, domain):
            provider_domain = registrable_domain(host)
            entry = index.get(provider_domain)
            if entry is None or provider_domain == domain:
                continue  # the bundled source already answers for the address's own domain
            return parse_provider_config(
                entry.read_bytes(), address=address,
                source=f"MX {host} -> {BUNDLED_SOURCE_NAME} ({provider_domain})")
        return None

    return DiscoverySource(name=MX_SOURCE_NAME, lookup=lookup, offline=False)
