"""TLS for every protocol: verifying or pinned contexts, certificate errors in plain words."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import socket
import ssl
from typing import Literal

from mailclient.core.account import ServerConfig
from mailclient.core.errors import CertificateError, ConfigError, find_cause
from mailclient.services.certificate_der import read_certificate_fields
from mailclient.services.certificate_trust import TRUST

Protocol = Literal["imap", "pop3", "smtp"]


def make_ssl_context(
    *, ca_file: str | None = None, server: ServerConfig | None = None
) -> ssl.SSLContext:
    """Return a client context for ``server``: system CAs plus ``ca_file``, TLS 1.2 at least,
    names checked; or, if the user trusted a certificate of that server (pinned in an account
    or trusted once), a context that accepts exactly that certificate and refuses any other.

    Verifying contexts are shared (loading the system CAs costs ~20 ms a connection); a CA
    file that changes on disk gets a new one.
    """
    if server is not None:
        accepted = TRUST.accepted(server.host, server.port)
        if accepted:
            return _pinned_context(accepted)
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


class PinMismatchError(ssl.SSLCertVerificationError):
    """The server showed another certificate than the one trusted for it (raised in the
    handshake, so nothing was sent); ``der`` is the certificate it showed."""

    def __init__(self, der: bytes) -> None:
        super().__init__(1, "the certificate is not the one trusted for this server")
        self.der = der
        self.verify_code = 0
        self.verify_message = "the server now shows a different certificate"
        self.reason = "CERTIFICATE_CHANGED"


def _check_pin(context: ssl.SSLContext, der: bytes | None) -> None:
    if isinstance(context, _PinnedContext) and fingerprint_of(der or b"") not in context.accepted:
        raise PinMismatchError(der or b"")


class _PinnedObject(ssl.SSLObject):
    """TLS for asyncio (SMTP, IMAP): the handshake fails unless the certificate is trusted."""

    def do_handshake(self) -> None:
        super().do_handshake()
        _check_pin(self.context, self.getpeercert(binary_form=True))


class _PinnedSocket(ssl.SSLSocket):
    """TLS for blocking sockets (POP3): the handshake fails unless the certificate is trusted."""

    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        _check_pin(self.context, self.getpeercert(binary_form=True))


class _PinnedContext(ssl.SSLContext):
    """Accepts exactly the certificates of ``accepted`` (fingerprints), whoever signed them."""

    accepted: frozenset[str] = frozenset()


def _pinned_context(accepted: frozenset[str]) -> ssl.SSLContext:
    context = _PinnedContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False  # the fingerprint check replaces names, dates and issuers
    context.verify_mode = ssl.CERT_NONE
    context.sslobject_class = _PinnedObject
    context.sslsocket_class = _PinnedSocket
    context.accepted = accepted
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
    """Build a ``CertificateError`` for a failed handshake, with the certificate's details.

    The certificate is read by a second, non-verifying handshake (in a worker thread) unless
    the failure carries it; if that fails too the error has no fingerprint or details.
    """
    der = _carried_certificate(exc)
    if der is None:
        try:
            der = await asyncio.to_thread(
                peer_certificate, host=host, port=port, security=security, protocol=protocol
            )
        except (OSError, ssl.SSLError):
            der = None
    return describe_certificate_failure(exc, host=host, port=port, der=der)


def certificate_error_blocking(
    exc: BaseException, *, host: str, port: int, security: str, protocol: Protocol,
    timeout: float = 10.0,
) -> CertificateError:
    """``certificate_error`` for code that already runs in a worker thread (POP3)."""
    der = _carried_certificate(exc)
    if der is None:
        try:
            der = peer_certificate(
                host=host, port=port, security=security, protocol=protocol, timeout=timeout
            )
        except (OSError, ssl.SSLError):
            der = None
    return describe_certificate_failure(exc, host=host, port=port, der=der)


def _carried_certificate(exc: BaseException) -> bytes | None:
    mismatch = find_cause(exc, PinMismatchError)
    return mismatch.der if isinstance(mismatch, PinMismatchError) else None


def describe_certificate_failure(
    exc: BaseException, *, host: str, port: int, der: bytes | None
) -> CertificateError:
    """The ``CertificateError`` for a failed handshake, given the server's certificate."""
    try:
        fields = read_certificate_fields(der) if der else None
    except ValueError:
        fields = None
    return CertificateError(
        host, _verify_reason(exc), fingerprint_of(der) if der else None, port=port,
        issuer=fields.issuer if fields else "", subject=fields.subject if fields else "",
        not_before=fields.not_before if fields else "",
        not_after=fields.not_after if fields else "",
        changed=find_cause(exc, PinMismatchError) is not None,
    )


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
