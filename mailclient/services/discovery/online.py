"""Discovery over the network: the provider's autoconfig, SRV and MX records, guessed hosts."""

from __future__ import annotations

from mailclient.services.discovery import discover
from mailclient.services.discovery.bundled import BUNDLED_SOURCE
from mailclient.services.discovery.guess import guess_source
from mailclient.services.discovery.https_autoconfig import HttpsGet, https_autoconfig_source
from mailclient.services.discovery.mx import mx_source
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.discovery.result import Discovery, DiscoverySource
from mailclient.services.discovery.srv import srv_source


def network_sources(network: DiscoveryNetwork, *,
                    https_get: HttpsGet | None = None) -> tuple[DiscoverySource, ...]:
    """Every source, highest priority first: bundled, HTTPS autoconfig, SRV, MX, guessing.

    Args:
        network: the resolver, trusted CAs and time limit the network sources use.
        https_get: replaces the built-in HTTPS client of the autoconfig source.
    """
    return (BUNDLED_SOURCE, https_autoconfig_source(network, https_get=https_get),
            srv_source(network), mx_source(network), guess_source(network))


async def discover_online(address: str, network: DiscoveryNetwork) -> Discovery:
    """``discover`` with every source through ``network``; answers within about
    ``network.timeout`` seconds even when a source hangs.

    Raises:
        ConfigError: ``address`` is not an e-mail address.
    """
    return await discover(address, sources=network_sources(network),
                          timeout=network.timeout + 0.5)
