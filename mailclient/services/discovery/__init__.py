"""Provider discovery: an address's mail servers from every source, merged best first.

``SOURCES`` is the offline default (the bundled provider database). ``network_sources``
adds, in priority order, the provider's HTTPS autoconfig, SRV records, the MX host's
provider and guessed host names; ``discover`` asks them all concurrently, each within its
time limit, and merges their answers by priority (their order in the list).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from mailclient.core.account import validate_address
from mailclient.core.errors import MailError
from mailclient.core.provider_config import ProviderConfig, ServerCandidate
from mailclient.services.discovery.bundled import BUNDLED_SOURCE, lookup_bundled
from mailclient.services.discovery.guess import guess_source
from mailclient.services.discovery.https_autoconfig import HttpsGet, https_autoconfig_source
from mailclient.services.discovery.mx import mx_source
from mailclient.services.discovery.network import DiscoveryNetwork, make_network
from mailclient.services.discovery.result import Discovery, DiscoverySource, merge_results
from mailclient.services.discovery.srv import srv_source

__all__ = ["Discovery", "DiscoveryNetwork", "DiscoverySource", "ServerCandidate", "SOURCES",
           "discover", "discover_bundled", "discover_online", "make_network", "network_sources"]

SOURCES: tuple[DiscoverySource, ...] = (BUNDLED_SOURCE,)  # highest priority first


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


def discover_bundled(address: str) -> Discovery:
    """Look ``address`` up in the bundled provider database only: fast, no network.

    Raises:
        ConfigError: ``address`` is not an e-mail address.
    """
    address = _checked(address)
    return merge_results(address, (BUNDLED_SOURCE,), (lookup_bundled(address),))


async def discover(address: str, *, sources: Sequence[DiscoverySource] = SOURCES,
                   timeout: float | None = None) -> Discovery:
    """Ask every source about ``address`` at once and merge their answers by priority.

    A source that fails with a ``MailError`` (say, a network lookup) or is still busy after
    ``timeout`` seconds counts as knowing nothing; ``Discovery.sources_tried`` still names
    it and ``Discovery.problems`` says why.

    Raises:
        ConfigError: ``address`` is not an e-mail address.
    """
    address = _checked(address)
    answers = await asyncio.gather(*(_ask(source, address, timeout) for source in sources))
    return merge_results(address, sources, [config for config, _ in answers],
                         [problem for _, problem in answers if problem])


def _checked(address: str) -> str:
    """The address without surrounding blanks or a trailing dot; ConfigError if invalid."""
    return validate_address(address.strip().rstrip("."))


async def _ask(source: DiscoverySource, address: str,
               timeout: float | None) -> tuple[ProviderConfig | None, str]:
    """The source's answer, or None and why it has none."""
    try:
        return await asyncio.wait_for(source.lookup(address), timeout), ""
    except MailError as exc:  # before TimeoutError: ServerTimeoutError is both
        return None, f"{source.name}: {exc}"
    except TimeoutError:
        return None, f"{source.name}: no answer within {timeout or 0:g} seconds"
