"""Provider discovery: an address's mail servers from every source, merged best first.

Today the only source is the bundled provider database (offline). Later sources (HTTPS
autoconfig, SRV, MX, guessing) are more ``DiscoverySource`` entries in ``SOURCES``, run
concurrently by ``discover`` and merged by their priority (their order in the list).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from mailclient.core.account import validate_address
from mailclient.core.errors import MailError
from mailclient.core.provider_config import ProviderConfig, ServerCandidate
from mailclient.services.discovery.bundled import BUNDLED_SOURCE, lookup_bundled
from mailclient.services.discovery.result import Discovery, DiscoverySource, merge_results

__all__ = ["Discovery", "DiscoverySource", "ServerCandidate", "SOURCES", "discover",
           "discover_bundled"]

SOURCES: tuple[DiscoverySource, ...] = (BUNDLED_SOURCE,)  # highest priority first


def discover_bundled(address: str) -> Discovery:
    """Look ``address`` up in the bundled provider database only: fast, no network.

    Raises:
        ConfigError: ``address`` is not an e-mail address.
    """
    address = _checked(address)
    return merge_results(address, (BUNDLED_SOURCE,), (lookup_bundled(address),))


async def discover(address: str, *,
                   sources: Sequence[DiscoverySource] = SOURCES) -> Discovery:
    """Ask every source about ``address`` at once and merge their answers by priority.

    A source that fails with a ``MailError`` (say, a network lookup) counts as knowing
    nothing; ``Discovery.sources_tried`` still names it.

    Raises:
        ConfigError: ``address`` is not an e-mail address.
    """
    address = _checked(address)
    configs = await asyncio.gather(*(_ask(source, address) for source in sources))
    return merge_results(address, sources, configs)


def _checked(address: str) -> str:
    """The address without surrounding blanks or a trailing dot; ConfigError if invalid."""
    return validate_address(address.strip().rstrip("."))


async def _ask(source: DiscoverySource, address: str) -> ProviderConfig | None:
    try:
        return await source.lookup(address)
    except MailError:
        return None
