"""Certificates the user chose to trust: pinned in an account (saved) or trusted once (this run)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable

from mailclient.core.account import Account

AccountSource = Callable[[], Iterable[Account]]


def endpoint(host: str, port: int) -> str:
    """The key of a server in ``Account.pinned_certificates``: ``"host:port"``."""
    return f"{host.lower()}:{port}"


def normalized_fingerprint(fingerprint: str) -> str:
    """A SHA-256 fingerprint as upper-case hex pairs joined by colons, however it was written."""
    digits = "".join(c for c in fingerprint.upper() if c in "0123456789ABCDEF")
    if len(digits) != 64:
        raise ValueError(f"not a SHA-256 fingerprint: {fingerprint!r}")
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


class CertificateTrust:
    """The trusted certificates of this process: account pins plus certificates trusted once.

    A server with a trusted certificate is reached without the usual verification, but only
    if it shows exactly that certificate (by SHA-256 fingerprint); any other one is refused
    as changed. Servers nobody trusted a certificate for are verified as usual (``tls``).
    Pins are read from the accounts each time (``read_pins_from``), so an account saved with
    a new pin counts at its next connection. Thread-safe (POP3 connects in worker threads).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._once: dict[str, set[str]] = {}
        self._accounts: AccountSource = tuple

    def read_pins_from(self, accounts: AccountSource) -> None:
        """Take account pins from ``accounts()`` (e.g. ``AccountService.accounts``) from now on."""
        with self._lock:
            self._accounts = accounts

    def trust_once(self, host: str, port: int, fingerprint: str) -> None:
        """Trust this certificate of ``host:port`` until the process ends (never saved)."""
        with self._lock:
            self._once.setdefault(endpoint(host, port), set()).add(
                normalized_fingerprint(fingerprint)
            )

    def forget_trusted_once(self) -> None:
        """Forget every certificate trusted once (pins stay)."""
        with self._lock:
            self._once.clear()

    def accepted(self, host: str, port: int) -> frozenset[str]:
        """The fingerprints trusted for ``host:port``; empty if it is to be verified as usual."""
        key = endpoint(host, port)
        with self._lock:
            found = set(self._once.get(key, ()))
            accounts = self._accounts
        for account in accounts():
            for where, fingerprint in account.pinned_certificates.items():
                if where.lower() == key:
                    with contextlib.suppress(ValueError):  # garbage in the settings: no pin
                        found.add(normalized_fingerprint(fingerprint))
        return frozenset(found)


TRUST = CertificateTrust()
"""The process-wide trust that every TLS connection consults (see ``tls.make_ssl_context``)."""


def trust_once(host: str, port: int, fingerprint: str) -> None:
    """Trust a certificate for this run only: ``TRUST.trust_once`` (for the dialogs)."""
    TRUST.trust_once(host, port, fingerprint)
