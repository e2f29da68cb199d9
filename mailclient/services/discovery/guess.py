"""Common host names (imap., mail., smtp.) guessed and probed for TLS; never cleartext."""

from __future__ import annotations

import asyncio
import ssl

from mailclient.core.account import Security
from mailclient.core.errors import MailError, NetworkError, ServerTimeoutError
from mailclient.core.provider_config import (
    ProviderConfig,
    ServerCandidate,
    ServerProtocol,
    normalise_domain,
)
from mailclient.services.discovery.network import DiscoveryNetwork
from mailclient.services.discovery.result import DiscoverySource

GUESS_SOURCE_NAME = "guessed host names (TLS probed)"

# (protocol, host prefix, port, security), best first within each protocol.
GUESSES: tuple[tuple[ServerProtocol, str, int, Security], ...] = (
    ("imap", "imap", 993, "ssl"),
    ("imap", "mail", 993, "ssl"),
    ("imap", "imap", 143, "starttls"),
    ("smtp", "smtp", 465, "ssl"),
    ("smtp", "smtp", 587, "starttls"),
    ("smtp", "mail", 465, "ssl"),
    ("smtp", "mail", 587, "starttls"),
)


async def probe_tls(network: DiscoveryNetwork, protocol: ServerProtocol, host: str, port: int,
                    security: Security) -> None:
    """Complete a verified TLS handshake with the server (after STARTTLS for ``starttls``);
    nothing is sent in clear but the protocol's greeting and STARTTLS steps.

    Raises:
        NetworkError: no connection, no STARTTLS offered, or an untrusted certificate.
        ServerTimeoutError: no answer in time.
    """
    if security not in ("ssl", "starttls"):
        raise NetworkError(f"{host}:{port}: only TLS is probed")  # never cleartext
    reader, writer = await network.open_connection(host, port, tls=security == "ssl")
    try:
        if security == "starttls":
            await asyncio.wait_for(_start_tls(reader, writer, protocol, host), network.timeout)
            await asyncio.wait_for(writer.start_tls(network.ssl_context, server_hostname=host),
                                   network.timeout)
    except TimeoutError as exc:
        raise ServerTimeoutError(f"{host}:{port} did not answer in time") from exc
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError) as exc:
        raise NetworkError(f"{host}:{port}: no trusted TLS: {exc}") from exc
    finally:
        writer.close()


async def _start_tls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     protocol: ServerProtocol, host: str) -> None:
    if protocol == "imap":
        await _expect(reader, b"* OK", host)
        writer.write(b"a1 CAPABILITY\r\n")
        capabilities = b"".join(await _until(reader, b"a1 ", host))
        if b"STARTTLS" not in capabilities.upper():
            raise NetworkError(f"{host} does not offer STARTTLS")
        writer.write(b"a2 STARTTLS\r\n")
        if not (await _until(reader, b"a2 ", host))[-1].upper().startswith(b"A2 OK"):
            raise NetworkError(f"{host} refused STARTTLS")
    elif protocol == "smtp":
        await _smtp_reply(reader, b"220", host)
        writer.write(b"EHLO mailclient.invalid\r\n")
        if b"STARTTLS" not in (await _smtp_reply(reader, b"250", host)).upper():
            raise NetworkError(f"{host} does not offer STARTTLS")
        writer.write(b"STARTTLS\r\n")
        await _smtp_reply(reader, b"220", host)
    else:
        raise NetworkError(f"{host}: STARTTLS is not probed for {protocol}")


async def _expect(reader: asyncio.StreamReader, prefix: bytes, host: str) -> bytes:
    line = await reader.readline()
    if not line.upper().startswith(prefix.upper()):
        raise NetworkError(f"{host} sent an unexpected greeting")
    return line


async def _until(reader: asyncio.StreamReader, tag: bytes, host: str) -> list[bytes]:
    """Read IMAP lines until the tagged one; returns every line read, the tagged one last."""
    seen: list[bytes] = []
    for _ in range(50):
        line = await reader.readline()
        if not line:
            raise NetworkError(f"{host} closed the connection")
        seen.append(line)
        if line.startswith(tag):
            return seen
    raise NetworkError(f"{host} sent too many lines")


async def _smtp_reply(reader: asyncio.StreamReader, code: bytes, host: str) -> bytes:
    reply = b""
    for _ in range(50):
        line = await reader.readline()
        reply += line
        if not line.startswith(code):
            raise NetworkError(f"{host} answered {line[:40]!r}")
        if line[3:4] != b"-":
            return reply
    raise NetworkError(f"{host} sent too many lines")


def guessed_candidates(address: str) -> list[ServerCandidate]:
    """Every guess for ``address``, in probing order, before any probe."""
    domain = normalise_domain(address.rpartition("@")[2])
    return [ServerCandidate(protocol=protocol, host=f"{prefix}.{domain}", port=port,
                            security=security, username=address,
                            source=f"guessed host name ({prefix}.{domain}, TLS probed)")
            for protocol, prefix, port, security in GUESSES]


def _succeeded(probe: asyncio.Task[None]) -> bool:
    error = probe.exception()
    if error is not None and not isinstance(error, MailError):
        raise error  # a bug, not a failed probe
    return error is None


def guess_source(network: DiscoveryNetwork) -> DiscoverySource:
    """The source probing the guessed host names at once; only those with trusted TLS count."""
    async def lookup(address: str) -> ProviderConfig | None:
        guesses = guessed_candidates(address)
        probes = [asyncio.create_task(probe_tls(network, c.protocol, c.host, c.port, c.security))
                  for c in guesses]
        # One hanging host must not cost the others: what has not finished in time failed.
        _, pending = await asyncio.wait(probes, timeout=network.timeout * 0.9)
        for probe in pending:
            probe.cancel()
        working = [c for c, probe in zip(guesses, probes, strict=True)
                   if probe not in pending and _succeeded(probe)]
        if not working:
            return None
        domain = address.rpartition("@")[2]
        return ProviderConfig(
            provider_id=domain, display_name="", domains=(domain,),
            incoming=tuple(c for c in working if c.protocol != "smtp"),
            outgoing=tuple(c for c in working if c.protocol == "smtp"))

    return DiscoverySource(name=GUESS_SOURCE_NAME, lookup=lookup, offline=False)
