"""Sending through the outbox to a real aiosmtpd over TLS that refuses, drops and stalls."""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from email.headerregistry import Address
from pathlib import Path

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import (
    AuthenticationError,
    MailError,
    MessageTooLargeError,
    RecipientsRefusedError,
)
from mailclient.core.message_build import Draft
from mailclient.services import smtp
from mailclient.services.mail_service import MailService
from mailclient.services.outbox import BACKOFF_SECONDS
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from mailclient.services.smtp_errors import DeliveryUnknownError
from tests.helpers.aiosmtpd_server import DROP, PASSWORD, STALL, FaultServer, fault_server
from tests.helpers.factories import make_account
from tests.helpers.memory_keyring import MemoryKeyring

CLIENT_TIMEOUT = 0.5
BOB, CAROL = "bob@example.net", "carol@example.net"


@pytest.fixture(scope="module")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tls")


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The outbox sends with the default 60 s timeout; these servers stall on purpose."""
    monkeypatch.setattr(smtp, "send_message",
                        functools.partial(smtp.send_message, timeout=CLIENT_TIMEOUT))
    yield


def service_for(tmp_path: Path, server: FaultServer, password: str = PASSWORD) -> MailService:
    profile = Profile.locate(tmp_path / "profile")
    service = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    account = make_account(smtp=server.config(), ca_file=str(server.ca_file),
                           incoming_kind="pop3",
                           incoming=ServerConfig("127.0.0.1", 9, "ssl", "alice"))
    service.accounts.settings.add_account(account)
    service.secrets.set_password(account.name, password)
    return service


def draft(*to: str) -> Draft:
    return Draft(sender=Address("Alice", "alice", "example.org"), to=list(to) or [BOB],
                 subject="Hi", text="Hello\n")


def next_attempt(service: MailService, item_id: int) -> float:
    (row,) = service.db.query("SELECT next_attempt_epoch FROM outbox WHERE id = ?", (item_id,))
    return float(row["next_attempt_epoch"])


@pytest.mark.parametrize(("security", "mechanism"),
                         [("starttls", "PLAIN"), ("ssl", "PLAIN"), ("starttls", "LOGIN")])
async def test_sent_over_tls_with_login(tmp_path: Path, cert_dir: Path, security: str,
                                        mechanism: str) -> None:
    async with fault_server(cert_dir, security=security,  # type: ignore[arg-type]
                            mechanisms=(mechanism,)) as server:
        service = service_for(tmp_path, server)
        outcome = await service.send("work", draft())
    assert (outcome.state, outcome.accepted, outcome.refused) == ("sent", [BOB], [])
    assert server.handler.logins == [(mechanism, "alice")]
    (envelope,) = server.handler.received
    assert envelope.rcpt_tos == [BOB] and b"Hello" in (envelope.original_content or b"")
    assert service.outbox.items()[0].state == "copied"  # POP3: its Sent copy is here


async def test_wrong_password_fails_the_message(tmp_path: Path, cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        service = service_for(tmp_path, server, password="not-it")
        with pytest.raises(AuthenticationError, match="refused the user name or password"):
            await service.send("work", draft())
    assert server.handler.received == []
    assert service.outbox.items()[0].state == "failed"


async def test_one_recipient_refused_is_partial_success(tmp_path: Path, cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.rcpt[CAROL] = "550 5.1.1 carol is unknown"
        service = service_for(tmp_path, server)
        outcome = await service.send("work", draft(BOB, CAROL))
    assert outcome.accepted == [BOB]
    assert outcome.refused == [f"{CAROL} (550 5.1.1 carol is unknown)"]
    assert [e.rcpt_tos for e in server.handler.received] == [[BOB]]
    (item,) = service.outbox.items()
    assert item.state == "copied", "delivered to someone: never sent again"
    assert f"{CAROL} refused (550 5.1.1 carol is unknown); delivered to {BOB}" == item.last_error


async def test_a_deferred_recipient_is_tried_again_alone(tmp_path: Path,
                                                         cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.rcpt[CAROL] = "451 4.3.0 greylisted"
        service = service_for(tmp_path, server)
        outcome = await service.send("work", draft(BOB, CAROL))
        assert outcome.accepted == [BOB]
        first, again = service.outbox.items()
        assert first.state == "copied" and f"outbox message {again.id}" in (first.last_error or "")
        assert (again.state, again.recipients) == ("queued", [CAROL])
        assert again.message_id == first.message_id  # the same message, for Carol only
        assert next_attempt(service, again.id) >= time.time() + BACKOFF_SECONDS[0] - 5
        del server.handler.rcpt[CAROL]  # greylisting over
        service.db.connection.execute("UPDATE outbox SET next_attempt_epoch = 0")
        account = service.accounts.get("work")
        flushed = await service.flush_outbox(account, service.accounts.password(account))
    assert [o.accepted for o in flushed.sent] == [[CAROL]]
    assert [e.rcpt_tos for e in server.handler.received] == [[BOB], [CAROL]]


async def test_all_recipients_451_stays_queued_with_backoff(tmp_path: Path,
                                                            cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.rcpt.update({BOB: "451 4.3.0 greylisted", CAROL: "451 4.3.0 greylisted"})
        service = service_for(tmp_path, server)
        before = time.time()
        with pytest.raises(RecipientsRefusedError, match="no recipient was accepted") as caught:
            await service.send("work", draft(BOB, CAROL))
    assert caught.value.temporary and server.handler.received == []
    (item,) = service.outbox.items()
    assert (item.state, item.attempts) == ("queued", 1)
    assert "451 4.3.0 greylisted" in (item.last_error or "")
    assert next_attempt(service, item.id) >= before + BACKOFF_SECONDS[0]
    assert service.outbox.due("work") == []


async def test_all_recipients_550_fails_with_the_reason(tmp_path: Path, cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.rcpt.update({BOB: "550 5.1.1 no bob", CAROL: "550 5.1.1 no carol"})
        service = service_for(tmp_path, server)
        with pytest.raises(RecipientsRefusedError) as caught:
            await service.send("work", draft(BOB, CAROL))
    assert not caught.value.temporary and server.handler.received == []
    (item,) = service.outbox.items()
    assert item.state == "failed"
    assert item.last_error == (f"no recipient was accepted: {BOB} refused (550 5.1.1 no bob); "
                               f"{CAROL} refused (550 5.1.1 no carol)")


@pytest.mark.parametrize(("reply", "state"), [
    ("452 4.3.1 Insufficient system storage", "queued"),
    ("552 5.3.4 Message size exceeds fixed limit", "failed"),
])
async def test_size_refusal_after_the_body(tmp_path: Path, cert_dir: Path, reply: str,
                                           state: str) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.data = reply
        service = service_for(tmp_path, server)
        with pytest.raises(MailError, match=f"the server refused the message: {reply}"):
            await service.send("work", draft())
    (item,) = service.outbox.items()
    assert item.state == state and reply in (item.last_error or "")


async def test_over_the_announced_size_is_refused_before_upload(tmp_path: Path,
                                                                cert_dir: Path) -> None:
    async with fault_server(cert_dir, data_size_limit=200) as server:
        service = service_for(tmp_path, server)
        with pytest.raises(MessageTooLargeError):
            await service.send("work", draft())
    assert server.handler.received == []
    assert service.outbox.items()[0].state == "failed"


async def test_drop_after_data_is_not_marked_sent_nor_resent(tmp_path: Path,
                                                             cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.data = DROP
        service = service_for(tmp_path, server)
        with pytest.raises(DeliveryUnknownError, match="connection broke after the message was "
                           "sent.*may have been delivered") as caught:
            await service.send("work", draft())
    assert len(server.handler.received) == 1, "the server had the whole message"
    assert isinstance(caught.value, ConnectionError) and not caught.value.temporary
    (item,) = service.outbox.items()
    assert item.state == "held" and "connection broke" in (item.last_error or "")
    assert "may already have been sent" in (item.last_error or "")
    assert service.outbox.raw(item.id), "kept, to resend by hand (outbox retry)"
    assert service.outbox.due("work") == [], "at most once: never resent automatically"


async def test_stall_after_data_times_out_in_plain_words(tmp_path: Path,
                                                         cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.data = STALL
        service = service_for(tmp_path, server)
        began = time.monotonic()
        with pytest.raises(TimeoutError, match="did not answer in time after the message was "
                           "sent.*may have been delivered") as caught:
            await service.send("work", draft())
    assert time.monotonic() - began < CLIENT_TIMEOUT + 1.0
    assert isinstance(caught.value, DeliveryUnknownError)
    (item,) = service.outbox.items()
    assert item.state == "held" and "did not answer in time" in (item.last_error or "")
    assert service.outbox.raw(item.id) and service.outbox.due("work") == []


async def test_drop_before_the_message_stays_queued(tmp_path: Path, cert_dir: Path) -> None:
    async with fault_server(cert_dir) as server:
        server.handler.rcpt[BOB] = "421 4.3.2 shutting down"
        service = service_for(tmp_path, server)
        with pytest.raises(MailError, match="gave up: 421") as caught:
            await service.send("work", draft())
    assert caught.value.temporary and server.handler.received == []
    (item,) = service.outbox.items()
    assert item.state == "queued", "nothing was handed over: safe to retry later"
