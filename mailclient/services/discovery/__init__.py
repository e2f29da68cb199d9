"""Provider discovery: an address's mail servers from every source, merged best first.

``SOURCES`` is the offline default (the bundled provider database).
``online.network_sources`` adds, in priority order, the provider's HTTPS autoconfig, SRV
records, the MX host's provider and guessed host names (a module of its own: the DNS library
is slow to import); ``discover`` asks them all concurrently, each within its time limit, and
merges their answers by priority (their order in the list).
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
