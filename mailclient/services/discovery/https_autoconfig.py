"""The provider's own autoconfig document, fetched over HTTPS only (never plain http)."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urljoin, urlsplit

from mailclient.core.errors import MailError, NetworkError, ServerTimeoutError
from mailclient.core.provider_config import (
    MAX_CONFIG_CHARS,
    ProviderConfig,
    normalise_domain,
    parse_provider_config,
)
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.discovery.result import DiscoverySource

HttpsGet = Callable[[str], Awaitable[bytes]]
AUTOCONFIG_SOURCE_NAME = "provider autoconfig (HTTPS)"
MAX_REDIRECTS = 3
_MAX_HEADER_BYTES = 16 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}


def autoconfig_urls(address: str) -> tuple[str, str]:
    """The two places a provider publishes its settings, in the order they are asked."""
    domain = normalise_domain(address.rpartition("@")[2])
    return (f"https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress="
            f"{quote(address, safe='@')}",
            f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml")


def https_getter(network: DiscoveryNetwork) -> HttpsGet:
    """An HTTPS GET through ``network`` (its resolver and CAs), for ``https_autoconfig_source``."""
    async def get(url: str) -> bytes:
        return await fetch_https(url, network)
    return get


async def fetch_https(url: str, network: DiscoveryNetwork, *,
                      max_bytes: int = MAX_CONFIG_CHARS) -> bytes:
    """The body of ``url``, following at most ``MAX_REDIRECTS`` redirects, all to https.

    Raises:
        NetworkError: not https, a redirect elsewhere, an error status, a body larger than
            ``max_bytes``, or no connection (``ServerTimeoutError`` if too slow).
    """
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = await _get_once(url, network, max_bytes)
        if status in _REDIRECTS and location:
            url = urljoin(url, location)
            continue
        if status != 200:
            raise NetworkError(f"{url[:100]} answered {status}")
        return body
    raise NetworkError(f"{url[:100]}: more than {MAX_REDIRECTS} redirects")


async def _get_once(url: str, network: DiscoveryNetwork,
                    max_bytes: int) -> tuple[int, str, bytes]:
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise NetworkError(f"only https addresses are fetched, not {url[:100]}")
    host = parts.hostname
    reader, writer = await network.open_connection(host, parts.port or 443, tls=True)
    try:
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        authority = host if parts.port is None else f"{host}:{parts.port}"
        writer.write(f"GET {path} HTTP/1.0\r\nHost: {authority}\r\nUser-Agent: mailclient\r\n"
                     "Accept: application/xml, text/xml\r\nConnection: close\r\n\r\n"
                     .encode("ascii"))
        return await asyncio.wait_for(_read_reply(reader, url, max_bytes), network.timeout)
    except TimeoutError as exc:
        raise ServerTimeoutError(f"{url[:100]} did not answer in time") from exc
    except (OSError, ssl.SSLError, UnicodeEncodeError) as exc:
        raise NetworkError(f"cannot fetch {url[:100]}: {exc}") from exc
    finally:
        writer.close()


async def _read_reply(reader: asyncio.StreamReader, url: str,
                      max_bytes: int) -> tuple[int, str, bytes]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise NetworkError(f"{url[:100]} sent no valid HTTP reply") from exc
    if len(head) > _MAX_HEADER_BYTES:
        raise NetworkError(f"{url[:100]} sent too many headers")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = status_line.split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/") or not fields[1].isdigit():
        raise NetworkError(f"{url[:100]} sent no valid HTTP reply")
    headers = {name.strip().lower(): value.strip()
               for name, _, value in (line.partition(":") for line in header_lines if line)}
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise NetworkError(f"{url[:100]} is larger than {max_bytes} bytes")
    body = await _read_body(reader, int(declared) if declared.isdigit() else None, max_bytes)
    if len(body) > max_bytes:
        raise NetworkError(f"{url[:100]} is larger than {max_bytes} bytes")
    return int(fields[1]), headers.get("location", ""), body


async def _read_body(reader: asyncio.StreamReader, length: int | None, max_bytes: int) -> bytes:
    if length is not None:
        return await reader.readexactly(length)
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= max_bytes and (chunk := await reader.read(65536)):
            chunks.append(chunk)
            size += len(chunk)
    except ssl.SSLError:
        pass  # a server that closes without TLS close_notify: the body ends there
    return b"".join(chunks)


def https_autoconfig_source(network: DiscoveryNetwork, *,
                            https_get: HttpsGet | None = None) -> DiscoverySource:
    """The source asking the provider's web server (``autoconfig.DOMAIN``, then
    ``DOMAIN/.well-known``); ``https_get`` replaces the built-in HTTPS client."""
    get = https_get or https_getter(network)

    async def lookup(address: str) -> ProviderConfig | None:
        failures: list[str] = []
        for url in autoconfig_urls(address):
            try:
                document = await get(url)
                return parse_provider_config(document, address=address,
                                             source=f"provider autoconfig ({url.split('?')[0]})")
            except MailError as exc:
                failures.append(str(exc))
        raise NetworkError("; ".join(failures))

    return DiscoverySource(name=AUTOCONFIG_SOURCE_NAME, lookup=lookup, offline=False)
