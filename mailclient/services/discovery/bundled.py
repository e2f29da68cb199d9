"""The bundled provider database: Mozilla's ISPDB snapshot shipped in mailclient/resources/ispdb."""

from __future__ import annotations

import functools
import logging
from importlib.resources import files
from importlib.resources.abc import Traversable

from mailclient.core.provider_config import (
    ProviderConfig,
    ProviderConfigError,
    normalise_domain,
    parse_provider_config,
    provider_domains,
)
from mailclient.services.discovery.result import DiscoverySource

log = logging.getLogger(__name__)
BUNDLED_SOURCE_NAME = "bundled provider database"


def bundled_database_dir() -> Traversable:
    """The folder of the snapshot (``*.xml``, ``LICENSE``, ``SOURCE.md``), installed or not."""
    return files("mailclient") / "resources" / "ispdb"


@functools.cache
def domain_index() -> dict[str, Traversable]:
    """Every domain the snapshot knows (normalised) -> its provider file; built once.

    A file named after a domain wins over another file listing that domain in ``<domain>``.
    """
    named: dict[str, Traversable] = {}
    listed: dict[str, Traversable] = {}
    entries = sorted((e for e in bundled_database_dir().iterdir() if e.name.endswith(".xml")),
                     key=lambda entry: entry.name)
    for entry in entries:
        try:
            domains = provider_domains(entry.read_bytes())
        except ProviderConfigError as exc:
            log.warning("bundled provider file %s skipped: %s", entry.name, exc)
            continue
        named[entry.name.removesuffix(".xml").lower()] = entry
        for domain in domains:
            listed.setdefault(domain, entry)
    return listed | named


def lookup_bundled(address: str) -> ProviderConfig | None:
    """The bundled settings for a validated ``address``, or None if its domain is unknown.

    Raises:
        ConfigError: the address's domain cannot be written in IDNA form.
    """
    domain = normalise_domain(address.rpartition("@")[2])
    entry = domain_index().get(domain)
    if entry is None:
        return None
    return parse_provider_config(entry.read_bytes(), address=address,
                                 source=f"{BUNDLED_SOURCE_NAME} ({domain})")


async def _lookup_bundled_async(address: str) -> ProviderConfig | None:
    return lookup_bundled(address)


BUNDLED_SOURCE = DiscoverySource(name=BUNDLED_SOURCE_NAME, lookup=_lookup_bundled_async,
                                 offline=True)
