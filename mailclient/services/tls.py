"""TLS for every protocol: verifying contexts and certificate errors in plain words."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import socket
import ssl
from typing import Literal

from mailclient.core.errors import CertificateError, ConfigError, find_cause

Protocol = Literal["imap", "pop3", "smtp"]


def make_ssl_context(*, ca_file: str | None = None) -> ssl.SSLContext:
    """Return a client context: system CAs plus ``ca_file``, TLS 1.2 at least, names checked.

    Contexts are shared (loading the system CAs costs ~20 ms a connection); a CA file that
    changes on disk gets a new one.
    """
    try:
        stamp = os.stat(ca_file).st_mtime_ns if ca_file else 0
    except OSError:
        stamp = -1  # unreadable: let loading it report the error
    return _context(ca_file or None, stamp)


@functools.lru_cache(maxsize=16)
def _context(ca_file: str | None, _stamp: int) -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot read the CA file {ca_file}: {exc}") from exc
    return context


def fingerprint_of(der: bytes) -> str:
    """Return the SHA-256 fingerprint of a DER certificate as colon-separated hex."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def is_certificate_failure(exc: BaseException) -> bool:
    """Tell whether an exception (or its cause) is a certificate verification failure."""
    return find_cause(exc, ssl.SSLCertVerificationError) is not None


def _verify_reason(exc: BaseException) -> str:
    failure = find_cause(exc, ssl.SSLCertVerificationError)
    if isinstance(failure, ssl.SSLCertVerificationError):
        return str(failure.verify_message or failure.reason or failure)
    return str(exc)


async def certificate_error(
    exc: BaseException, *, host: str, port: int, security: str, protocol: Protocol
) -> CertificateError:
    """Build a ``CertificateError`` for a failed handshake, with the certificate's fingerprint.

    The fingerprint is read by a second, non-verifying handshake (in a worker thread); if
    that fails too the error carries no fingerprint.
    """
    try:
        der = await asyncio.to_thread(
            peer_certificate, host=host, port=port, security=security, protocol=protocol
        )
        fingerprint = fingerprint_of(der) if der else None
    except (OSError, ssl.SSLError):
        fingerprint = None
    return CertificateError(host, _verify_reason(exc), fingerprint)


_STARTTLS_LINES: dict[Protocol, list[bytes]] = {
    "imap": [b"a1 STARTTLS\r\n"],
    "pop3": [b"STLS\r\n"],
    "smtp": [b"EHLO mailclient\r\n", b"STARTTLS\r\n"],
}


def peer_certificate(
    *, host: str, port: int, security: str, protocol: Protocol, timeout: float = 10.0
) -> bytes | None:
    """Fetch the server's certificate (DER) without verifying it, for showing a fingerprint."""
    unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=timeout) as raw:
        if security == "starttls":
            reader = raw.makefile("rb")
            reader.readline()  # greeting
            for line in _STARTTLS_LINES[protocol]:
                raw.sendall(line)
                reply = reader.readline()
                while protocol == "smtp" and reply[3:4] == b"-":
                    reply = reader.readline()
        with unverified.wrap_socket(raw, server_hostname=host) as tls:
            return tls.getpeercert(binary_form=True)
