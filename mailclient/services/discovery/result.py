"""What provider discovery found for an address, merged from its sources by priority."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from mailclient.core.provider_config import ProviderConfig, ServerCandidate

_PROTOCOL_RANK = {"imap": 0, "pop3": 1, "smtp": 0}
_SECURITY_RANK = {"ssl": 0, "starttls": 1}


@dataclass(frozen=True)
class DiscoverySource:
    """One place that may know an address's servers, asked by ``discover``.

    Args:
        name: the source in words ("bundled provider database").
        lookup: returns the provider's settings for an address, or None if it knows none;
            may raise ``MailError`` (a failed network lookup), which counts as knowing none.
        offline: True if it answers without the network.
    """

    name: str
    lookup: Callable[[str], Awaitable[ProviderConfig | None]]
    offline: bool


@dataclass(frozen=True)
class Discovery:
    """The server settings found for an address, best first; never a cleartext one."""

    address: str
    provider: str | None  # display name, e.g. "Google Mail"; set even if every server was plain
    incoming: tuple[ServerCandidate, ...]  # IMAP before POP3, ssl before starttls
    outgoing: tuple[ServerCandidate, ...]  # ssl (465) before starttls (587)
    sources_tried: tuple[str, ...]
    offline: bool  # True: only the bundled database was consulted
    answered: tuple[str, ...] = ()  # the sources that knew something, highest priority first
    network_answered: bool = False  # True: a source using the network knew something
    problems: tuple[str, ...] = ()  # "source: why it knows nothing" (timeouts, DNS errors)

    @property
    def found(self) -> bool:
        """True if both an incoming and an outgoing server (with TLS) are known."""
        return bool(self.incoming and self.outgoing)


def merge_results(address: str, sources: Sequence[DiscoverySource],
                  configs: Sequence[ProviderConfig | None],
                  problems: Sequence[str] = ()) -> Discovery:
    """Combine what each source found; ``configs[i]`` is the answer of ``sources[i]``.

    Sources come highest priority first: the provider's name is taken from the first that
    found something, a server offered by several keeps the first one's ``source``, and
    servers are ordered by protocol and security, then by source priority, then file order.
    """
    found = [config for config in configs if config is not None]
    return Discovery(
        address=address,
        provider=next((c.display_name for c in found if c.display_name), None),
        incoming=best_first(c for config in found for c in config.incoming),
        outgoing=best_first(c for config in found for c in config.outgoing),
        sources_tried=tuple(source.name for source in sources),
        offline=all(source.offline for source in sources),
        answered=tuple(s.name for s, c in zip(sources, configs, strict=True) if c is not None),
        network_answered=any(not s.offline and c is not None
                             for s, c in zip(sources, configs, strict=True)),
        problems=tuple(problems),
    )


def best_first(candidates: Iterable[ServerCandidate]) -> tuple[ServerCandidate, ...]:
    """Drop repeated servers (keeping the first) and sort the rest best first (stable)."""
    unique: dict[tuple[str, str, int, str, str], ServerCandidate] = {}
    for candidate in candidates:
        key = (candidate.protocol, candidate.host, candidate.port, candidate.security,
               candidate.username)
        unique.setdefault(key, candidate)
    return tuple(sorted(unique.values(), key=_preference))


def _preference(candidate: ServerCandidate) -> tuple[int, int, int]:
    # Submission (465/587) before port 25, which many networks block and some ISPs keep
    # for unauthenticated relay.
    return (_PROTOCOL_RANK[candidate.protocol], _SECURITY_RANK.get(candidate.security, 9),
            int(candidate.port == 25))
