"""Verification of discovered settings: best first, stops at the first login, reports each try,
and a hanging login round times out (fakes stand in for faulty servers only)."""

from __future__ import annotations

import asyncio

import pytest

from mailclient.core.account import Account
from mailclient.core.errors import AuthenticationError, MailError
from mailclient.core.provider_config import ServerCandidate
from mailclient.services.discovery import Discovery
from mailclient.services.discovery.verify import LoginAttempt, verify


def candidate(protocol: str, host: str, port: int, security: str = "ssl") -> ServerCandidate:
    return ServerCandidate(protocol, host, port, security, "ada@x.test",  # type: ignore[arg-type]
                           f"test ({host})")


DISCOVERY = Discovery(
    address="ada@x.test", provider="X",
    incoming=(candidate("imap", "bad.x.test", 993), candidate("imap", "good.x.test", 993),
              candidate("pop3", "pop.x.test", 995)),
    outgoing=(candidate("smtp", "good.x.test", 465), candidate("smtp", "late.x.test", 587,
                                                               "starttls")),
    sources_tried=("test",), offline=False)


class ScriptedServers:
    """Logs in where the host is good.x.test; records every account tried."""

    def __init__(self, hang_on: str = "") -> None:
        self.tried: list[tuple[str, str]] = []
        self.hang_on = hang_on

    async def test(self, account: Account, password: str) -> dict[str, MailError | None]:
        self.tried.append((account.incoming.host, account.smtp.host))
        if account.incoming.host == self.hang_on:
            await asyncio.sleep(30)
        return {
            account.incoming_kind: None if account.incoming.host == "good.x.test"
            else AuthenticationError("wrong password"),
            "smtp": None if account.smtp.host == "good.x.test"
            else AuthenticationError("wrong password"),
        }


async def test_best_first_until_both_log_in() -> None:
    servers = ScriptedServers()
    seen: list[LoginAttempt] = []
    setup = await verify(DISCOVERY, "pw", tester=servers, on_attempt=seen.append)
    assert setup.ok and setup.incoming == DISCOVERY.incoming[1]
    assert setup.outgoing == DISCOVERY.outgoing[0]
    assert servers.tried == [("bad.x.test", "good.x.test"), ("good.x.test", "good.x.test")]
    assert [(a.candidate.host, a.ok) for a in setup.attempts] == [
        ("bad.x.test", False), ("good.x.test", True), ("good.x.test", True)]
    assert seen == list(setup.attempts)
    assert "wrong password" in (setup.attempts[0].error or "")
    account = setup.account(display_name="Ada", ca_file="/ca.pem")
    assert account.name == account.email == "ada@x.test" and account.ca_file == "/ca.pem"
    assert (account.incoming.host, account.smtp.port) == ("good.x.test", 465)
    account.validate()


async def test_a_hanging_round_times_out_and_the_next_candidate_is_tried() -> None:
    servers = ScriptedServers(hang_on="bad.x.test")
    setup = await verify(DISCOVERY, "pw", tester=servers, timeout=0.2)
    assert setup.ok and setup.outgoing == DISCOVERY.outgoing[0]
    assert [a.error for a in setup.attempts[:2]] == ["no answer within 0.2 seconds"] * 2
    assert servers.tried == [("bad.x.test", "good.x.test"), ("good.x.test", "late.x.test"),
                             ("good.x.test", "good.x.test")]


async def test_nothing_verified_cannot_become_an_account() -> None:
    empty = Discovery("ada@x.test", None, (), (), ("test",), False)
    setup = await verify(empty, "pw", tester=ScriptedServers())
    assert not setup.ok and setup.attempts == ()
    with pytest.raises(ValueError, match="no verified"):
        setup.account()
