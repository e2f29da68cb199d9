"""The outbox against the real Dovecot and Postfix: a send cut short after the 250 is found in
Sent and not sent again; Bcc reaches the Sent copy, never the recipients."""

from __future__ import annotations

import subprocess
import sys
import time
from email import message_from_bytes, policy
from email.headerregistry import Address
from pathlib import Path

import pytest

from mailclient.core.message_build import Draft, build_message
from mailclient.services import smtp
from mailclient.services.mail_service import MailService
from mailclient.services.outbox_copies import sent_copy, without_bcc
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from tests.helpers.mailservers import MailServers, TestUser
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.server_truth import account_for, imap, ok

pytestmark = pytest.mark.integration


def service_for(tmp_path: Path, servers: MailServers, user: TestUser) -> MailService:
    profile = Profile.locate(tmp_path / "profile")
    service = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    service.accounts.settings.add_account(account_for(servers, user))
    service.secrets.set_password(user.name, user.password)
    return service


def draft(sender: TestUser, to: TestUser, bcc: list[str] | None = None) -> Draft:
    local, _, domain = sender.address.partition("@")
    return Draft(sender=Address("Alice Tëster", local, domain), to=[to.address],
                 subject="Grüße ✓ outbox", text="Hallo!\n", bcc=bcc or [])


def leave_crashed(service: MailService, sender: TestUser, to: TestUser) -> tuple[int, bytes]:
    """Queue a message and leave it in 'sending', claimed by a process that has died."""
    message = build_message(draft(sender, to))
    raw = sent_copy(message, [])
    item = service.outbox.queue(sender.name, raw=raw, sender=sender.address,
                                recipients=[to.address], message_id=str(message["Message-ID"]),
                                subject="Grüße ✓ outbox")
    assert service.outbox.claim(item) is not None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    service.db.connection.execute("UPDATE outbox SET claim_pid = ? WHERE id = ?",
                                  (int(dead), item))
    return item, raw


def settle() -> None:
    time.sleep(1.5)  # time for a (wrong) second delivery to show up


async def test_crash_after_the_250_is_found_in_sent_and_not_resent(
    mail_servers: MailServers, tmp_path: Path
) -> None:
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    service = service_for(tmp_path, mail_servers, alice)
    account = service.accounts.get(alice.name)
    item, raw = leave_crashed(service, alice, bob)
    # What happened before the crash: the server took it (250) and the copy reached Sent.
    await smtp.send_message(account.smtp, alice.password, sender=alice.address,
                            recipients=[bob.address], message=without_bcc(raw),
                            ca_file=account.ca_file)
    with imap(mail_servers, alice) as client:
        ok(client.append("Sent", "(\\Seen)", None, raw))
    mail_servers.wait_delivered(bob, 1)
    try:
        _report, flushed = await service.sync(alice.name)
    finally:
        await service.close_connections()
    assert flushed.sent == [] and flushed.failed == []
    done = service.outbox.item(item)
    assert done.state == "copied" and done.last_error is None
    settle()
    assert len(mail_servers.delivered(bob)) == 1, "delivered once, never resent"
    assert len(mail_servers.delivered(alice, "Sent")) == 1


async def test_crash_not_in_sent_is_held_and_not_resent(
    mail_servers: MailServers, tmp_path: Path
) -> None:
    alice, bob = mail_servers.new_user("alice"), mail_servers.new_user("bob")
    service = service_for(tmp_path, mail_servers, alice)
    item, _raw = leave_crashed(service, alice, bob)
    try:
        await service.sync(alice.name)
        await service.sync(alice.name)  # a second look changes nothing
    finally:
        await service.close_connections()
    held = service.outbox.item(item)
    assert held.state == "held"
    assert "not in the Sent folder" in (held.last_error or "")
    assert f"mailclient outbox retry {item}" in (held.last_error or "")
    settle()
    assert mail_servers.delivered(bob) == []


async def test_bcc_only_in_the_sent_copy(mail_servers: MailServers, tmp_path: Path) -> None:
    alice, bob, carol = (mail_servers.new_user(n) for n in ("alice", "bob", "carol"))
    service = service_for(tmp_path, mail_servers, alice)
    try:
        outcome = await service.send(alice.name, draft(alice, bob, [f"Carol <{carol.address}>"]))
    finally:
        await service.close_connections()
    assert outcome.accepted == [bob.address, carol.address]
    for user in (bob, carol):
        (received,) = mail_servers.wait_delivered(user, 1)
        assert b"\nbcc:" not in received.lower(), "no Bcc field on the wire"
        assert "Bcc" not in message_from_bytes(received, policy=policy.default)
    assert carol.address.encode() not in mail_servers.delivered(bob)[0]
    assert service.outbox.items()[0].state == "copied"
    (copy,) = mail_servers.delivered(alice, "Sent")
    parsed = message_from_bytes(copy, policy=policy.default)
    assert [a.addr_spec for a in parsed["Bcc"].addresses] == [carol.address]
    assert parsed["Subject"] == "Grüße ✓ outbox"
