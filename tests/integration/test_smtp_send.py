"""Sending through the private Postfix: submission (STARTTLS) and SMTPS, limits and failures."""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import ssl
import time
import warnings
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import aiosmtplib
import pytest

from mailclient.core.account import Security, ServerConfig
from mailclient.core.errors import (
    AuthenticationError,
    CertificateError,
    MessageTooLargeError,
    NetworkError,
)
from mailclient.services import smtp
from mailclient.services.tls import fingerprint_of, make_ssl_context

pytestmark = pytest.mark.integration

SUBJECT = "Grüße aus Köln – ½ € ✓"


def server_config(servers: Any, port_name: str, user: Any) -> ServerConfig:
    port = getattr(servers, f"{port_name}_port")
    security: Security = "ssl" if port_name == "smtps" else "starttls"
    return ServerConfig(servers.host, port, security, user.name)


def compose(sender: str, recipients: list[str], attachment: bytes = b"") -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = SUBJECT
    message["Message-ID"] = make_msgid(domain="example.test")
    message.set_content("Hallo Bob,\n.\nein Punkt steht allein auf der Zeile davor.\n")
    if attachment:
        message.add_attachment(attachment, maintype="application", subtype="octet-stream",
                               filename="daten.bin")
    return message


def cert_fingerprint(ca_file: object) -> str:
    with open(str(ca_file)) as pem:
        return fingerprint_of(ssl.PEM_cert_to_DER_cert(pem.read()))


def wait_for(servers: Any, user: Any, message_id: str, timeout: float = 15.0) -> EmailMessage:
    """Wait until ``user`` got the message with ``message_id`` (other tests may mail them too)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for raw in servers.delivered(user):
            parsed = message_from_bytes(raw, policy=policy.default)
            if parsed["Message-ID"] == message_id:
                return parsed
        time.sleep(0.1)
    raise AssertionError(f"{message_id} not delivered to {user.name}\n{servers.log_tail()}")


@pytest.mark.parametrize("port_name", ["submission", "smtps"])
async def test_send_with_non_ascii_subject_and_1mb_attachment(
    mail_servers: Any, port_name: str
) -> None:
    alice, bob = mail_servers.user("alice"), mail_servers.user("bob")
    attachment = os.urandom(1024 * 1024)
    message = compose(alice.address, [bob.address], attachment)
    report = await smtp.send_message(
        server_config(mail_servers, port_name, alice), alice.password,
        sender=alice.address, recipients=[bob.address], message=message.as_bytes(),
        ca_file=str(mail_servers.ca_file),
    )
    assert report.accepted == [bob.address] and report.refused == []
    assert report.reply.startswith("250 2.0.0 Ok: queued as ")
    received = wait_for(mail_servers, bob, message["Message-ID"])
    assert received["Subject"] == SUBJECT
    parts = [part for part in received.iter_attachments()]
    assert parts[0].get_filename() == "daten.bin"
    assert parts[0].get_content() == attachment
    assert ".\n" in received.get_body().get_content()  # type: ignore[union-attr]


async def test_check_login_succeeds(mail_servers: Any) -> None:
    alice = mail_servers.user("alice")
    for port_name in ("submission", "smtps"):
        await smtp.check_login(server_config(mail_servers, port_name, alice), alice.password,
                               ca_file=str(mail_servers.ca_file))


async def test_external_recipient_is_accepted(mail_servers: Any) -> None:
    alice = mail_servers.user("alice")
    outside = "someone@elsewhere.example"
    message = compose(alice.address, [outside])
    report = await smtp.send_message(
        server_config(mail_servers, "submission", alice), alice.password,
        sender=alice.address, recipients=[outside], message=message.as_bytes(),
        ca_file=str(mail_servers.ca_file),
    )
    assert report.accepted == [outside]
    wait_for(mail_servers, mail_servers.sink, message["Message-ID"])


async def test_utf8_sender_uses_smtputf8(mail_servers: Any) -> None:
    alice, carol = mail_servers.user("alice"), mail_servers.user("carol")
    sender = "jörg@example.test"
    message = compose(sender, [carol.address])
    report = await smtp.send_message(
        server_config(mail_servers, "smtps", alice), alice.password,
        sender=sender, recipients=[carol.address],
        message=message.as_bytes(policy=policy.SMTPUTF8), ca_file=str(mail_servers.ca_file),
    )
    assert report.accepted == [carol.address]


@pytest.mark.parametrize("port_name", ["submission", "smtps"])
async def test_wrong_password(mail_servers: Any, port_name: str) -> None:
    alice = mail_servers.user("alice")
    refusal = r"refused the user name or password for alice: 535"
    with pytest.raises(AuthenticationError, match=refusal):
        await smtp.check_login(server_config(mail_servers, port_name, alice), "not-it",
                               ca_file=str(mail_servers.ca_file))


async def test_closed_port(mail_servers: Any) -> None:
    with socket.socket() as probe:
        probe.bind((mail_servers.host, 0))
        port = probe.getsockname()[1]
    config = ServerConfig(mail_servers.host, port, "starttls", "alice")
    with pytest.raises(NetworkError, match=f"cannot connect to .*:{port}: connection refused"):
        await smtp.check_login(config, "x", ca_file=str(mail_servers.ca_file))


@pytest.mark.parametrize("port_name", ["submission", "smtps"])
async def test_untrusted_certificate_shows_fingerprint(mail_servers: Any, port_name: str) -> None:
    alice = mail_servers.user("alice")
    with pytest.raises(CertificateError) as info:
        await smtp.check_login(server_config(mail_servers, port_name, alice), alice.password)
    assert info.value.fingerprint == cert_fingerprint(mail_servers.ca_file)
    assert "self-signed certificate" in str(info.value)


async def announced_size(servers: Any) -> int:
    client = aiosmtplib.SMTP(hostname=servers.host, port=servers.smtps_port, use_tls=True,
                             tls_context=make_ssl_context(ca_file=str(servers.ca_file)))
    async with client:
        await client.ehlo()
        return int(client.esmtp_extensions["size"])


async def test_too_large_is_refused_without_upload(
    mail_servers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = await announced_size(mail_servers)
    alice, bob = mail_servers.user("alice"), mail_servers.user("bob")
    uploads: list[object] = []
    real_mail = aiosmtplib.SMTP.mail

    async def spy(self: aiosmtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
        uploads.append(args)
        return await real_mail(self, *args, **kwargs)

    monkeypatch.setattr(aiosmtplib.SMTP, "mail", spy)
    body = b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * (limit // 1000 + 1)
    with pytest.raises(MessageTooLargeError) as info:
        await smtp.send_message(
            server_config(mail_servers, "submission", alice), alice.password,
            sender=alice.address, recipients=[bob.address], message=body,
            ca_file=str(mail_servers.ca_file),
        )
    assert info.value.limit == limit and info.value.size > limit
    assert uploads == []


def test_no_socket_left_open_when_the_loop_ends_at_once(mail_servers: Any) -> None:
    alice = mail_servers.user("alice")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(10):
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(smtp.check_login(
                    server_config(mail_servers, "smtps", alice), alice.password,
                    ca_file=str(mail_servers.ca_file),
                ))
            finally:
                loop.close()
            gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
