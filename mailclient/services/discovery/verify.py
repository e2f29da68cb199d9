"""Verification of discovered settings by a real login, best candidate first."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from mailclient.core.account import Account, IncomingKind
from mailclient.core.errors import MailError
from mailclient.core.provider_config import ServerCandidate
from mailclient.services.discovery.result import Discovery

LOGIN_TIMEOUT = 30.0  # seconds for one round of logins (incoming and outgoing at once)
_TIMED_OUT = "timed out"


class LoginTester(Protocol):
    """What ``AccountService.test`` offers: log in to both servers of an account."""

    async def test(self, account: Account, password: str) -> dict[str, MailError | None]: ...


@dataclass(frozen=True)
class LoginAttempt:
    """One login tried on one candidate: ``error`` None if it logged in."""

    candidate: ServerCandidate
    error: str | None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class VerifiedSetup:
    """The first incoming and outgoing candidates that accepted the login, and every try."""

    discovery: Discovery
    incoming: ServerCandidate | None
    outgoing: ServerCandidate | None
    attempts: tuple[LoginAttempt, ...]

    @property
    def ok(self) -> bool:
        """True if both an incoming and an outgoing server accepted the login."""
        return self.incoming is not None and self.outgoing is not None

    def account(self, *, name: str | None = None, display_name: str = "",
                ca_file: str | None = None) -> Account:
        """The account to save (named after the address unless ``name`` is given).

        Raises:
            ValueError: the setup is not ``ok``.
        """
        if self.incoming is None or self.outgoing is None:
            raise ValueError("no verified incoming and outgoing server")
        return _account(self.discovery.address, self.incoming, self.outgoing,
                        name=name, display_name=display_name, ca_file=ca_file)


def _account(address: str, incoming: ServerCandidate, outgoing: ServerCandidate, *,
             name: str | None, display_name: str, ca_file: str | None) -> Account:
    kind: IncomingKind = "pop3" if incoming.protocol == "pop3" else "imap"
    return Account(name=name or address, email=address, display_name=display_name,
                   smtp=outgoing.to_server_config(), incoming_kind=kind,
                   incoming=incoming.to_server_config(), ca_file=ca_file)


async def verify(discovery: Discovery, password: str, *, tester: LoginTester,
                 ca_file: str | None = None, timeout: float = LOGIN_TIMEOUT,
                 on_attempt: Callable[[LoginAttempt], None] | None = None) -> VerifiedSetup:
    """Log in to the discovered servers, best first, until an incoming and an outgoing one
    accept; nothing is saved. Each round tests the next untried incoming and outgoing
    candidate together (a server that already accepted is kept and tested again); when a
    round times out, its candidates get one more round at the end of their lists, since only
    one of them may have hung.

    Args:
        tester: logs in to both servers of an account (``AccountService``).
        ca_file: extra trusted CAs for the logins.
        timeout: seconds for one round; a round still busy then fails both its logins.
        on_attempt: called with each attempt as it finishes (progress for a dialog).
    """
    incoming_left, outgoing_left = list(discovery.incoming), list(discovery.outgoing)
    incoming: ServerCandidate | None = None
    outgoing: ServerCandidate | None = None
    attempts: list[LoginAttempt] = []
    retried: set[ServerCandidate] = set()
    while (incoming or incoming_left) and (outgoing or outgoing_left) and not (
            incoming and outgoing):
        trying_in = incoming or incoming_left.pop(0)
        trying_out = outgoing or outgoing_left.pop(0)
        account = _account(discovery.address, trying_in, trying_out, name=None,
                           display_name="", ca_file=ca_file)
        outcome = await _login_round(tester, account, password, timeout)
        for candidate, key, known in ((trying_in, account.incoming_kind, incoming),
                                      (trying_out, "smtp", outgoing)):
            if known is not None:
                continue
            attempt = LoginAttempt(candidate, outcome[key])
            attempts.append(attempt)
            if on_attempt is not None:
                on_attempt(attempt)
        incoming = incoming or (trying_in if outcome[account.incoming_kind] is None else None)
        outgoing = outgoing or (trying_out if outcome["smtp"] is None else None)
        if outcome.get(_TIMED_OUT):  # either may have hung: each gets one more round, last
            for candidate, left in ((trying_in, incoming_left), (trying_out, outgoing_left)):
                if candidate not in (incoming, outgoing) and candidate not in retried:
                    retried.add(candidate)
                    left.append(candidate)
    return VerifiedSetup(discovery, incoming, outgoing, tuple(attempts))


async def _login_round(tester: LoginTester, account: Account, password: str,
                       timeout: float) -> dict[str, str | None]:
    try:
        results = await asyncio.wait_for(tester.test(account, password), timeout)
    except TimeoutError:
        message = f"no answer within {timeout:g} seconds"
        return {account.incoming_kind: message, "smtp": message, _TIMED_OUT: "yes"}
    return {key: (None if error is None else str(error)) for key, error in results.items()}
