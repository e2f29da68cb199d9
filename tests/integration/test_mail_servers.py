"""Smoke tests of the private test Dovecot/Postfix, with only the stdlib clients."""

from __future__ import annotations

import imaplib
import poplib
import re
import smtplib
import ssl
import time
import uuid
from email.message import EmailMessage

import pytest

from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration

TIMEOUT = 10


def tls(servers: MailServers) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(servers.ca_file))


def message(sender: str, recipient: str) -> tuple[EmailMessage, str]:
    """A small message with a unique subject, and that subject."""
    subject = f"test {uuid.uuid4()}"
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, recipient, subject
    msg.set_content("Hello from the mailclient test suite.\n")
    return msg, subject


def wait_for_subject(servers: MailServers, user: TestUser | str, subject: str) -> bytes:
    """Wait until a message with subject is in user's INBOX; return it."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        found = [m for m in servers.delivered(user) if subject.encode() in m]
        if found:
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"{subject!r} not delivered\n{servers.log_tail()}")
        time.sleep(0.05)


def list_flags(lines: list[bytes]) -> dict[str, str]:
    """Mailbox name -> flags, from IMAP LIST responses."""
    result = {}
    for line in lines:
        match = re.match(rb'\((?P<flags>[^)]*)\) "(?P<sep>[^"]*)" "?(?P<name>[^"]*)"?', line)
        assert match, line
        result[match["name"].decode()] = match["flags"].decode()
    return result


def test_imap_starttls_login_lists_special_use_mailboxes(mail_servers: MailServers) -> None:
    alice = mail_servers.user("alice")
    with imaplib.IMAP4(mail_servers.host, mail_servers.imap_port, timeout=TIMEOUT) as imap:
        assert "STARTTLS" in imap.capabilities
        assert "LOGINDISABLED" not in imap.capabilities  # client address == server address
        imap.starttls(ssl_context=tls(mail_servers))
        imap.login(alice.address, alice.password)
        status, lines = imap.list()
        assert status == "OK"
        flags = list_flags(lines)
        for name in ("Sent", "Drafts", "Trash", "Junk"):
            assert f"\\{name}" in flags[name]
        assert "INBOX" in flags
        status, caps = imap.capability()
        for capability in (b"SPECIAL-USE", b"IDLE", b"MOVE", b"CONDSTORE", b"QRESYNC"):
            assert capability in caps[0]


def test_imaps_login_by_local_part(mail_servers: MailServers) -> None:
    bob = mail_servers.user("bob")
    ctx = tls(mail_servers)
    port = mail_servers.imaps_port
    with imaplib.IMAP4_SSL(mail_servers.host, port, ssl_context=ctx, timeout=TIMEOUT) as imap:
        imap.login(bob.name, bob.password)
        status, _ = imap.select("INBOX")
        assert status == "OK"


def test_imap_wrong_password_is_refused(mail_servers: MailServers) -> None:
    ctx = tls(mail_servers)
    port = mail_servers.imaps_port
    with imaplib.IMAP4_SSL(mail_servers.host, port, ssl_context=ctx, timeout=TIMEOUT) as imap:
        with pytest.raises(imaplib.IMAP4.error):
            imap.login("alice", "wrong")


def test_plaintext_login_disabled_on_other_address(mail_servers: MailServers) -> None:
    carol = mail_servers.user("carol")
    with imaplib.IMAP4("127.0.0.2", mail_servers.imap_port, timeout=TIMEOUT) as imap:
        assert "LOGINDISABLED" in imap.capabilities
        imap.starttls(ssl_context=tls(mail_servers))  # the certificate covers 127.0.0.2 too
        assert "LOGINDISABLED" not in imap.capabilities
        imap.login(carol.address, carol.password)


def test_pop3_stls_and_pop3s_login(mail_servers: MailServers) -> None:
    carol = mail_servers.user("carol")
    pop = poplib.POP3(mail_servers.host, mail_servers.pop3_port, timeout=TIMEOUT)
    try:
        pop.stls(context=tls(mail_servers))
        pop.user(carol.address)
        pop.pass_(carol.password)
        assert pop.stat()[0] >= 0
    finally:
        pop.quit()
    ctx = tls(mail_servers)
    pop = poplib.POP3_SSL(mail_servers.host, mail_servers.pop3s_port, context=ctx, timeout=TIMEOUT)
    try:
        pop.user(carol.name)
        pop.pass_(carol.password)
        assert pop.stat()[0] >= 0
    finally:
        pop.quit()


def test_submission_starttls_auth_delivers_to_bob(mail_servers: MailServers) -> None:
    alice, bob = mail_servers.user("alice"), mail_servers.user("bob")
    msg, subject = message(alice.address, bob.address)
    before = len(mail_servers.delivered(bob))
    with smtplib.SMTP(mail_servers.host, mail_servers.submission_port, timeout=TIMEOUT) as smtp:
        smtp.ehlo()
        assert "auth" not in smtp.esmtp_features  # AUTH only after STARTTLS
        smtp.starttls(context=tls(mail_servers))
        smtp.ehlo()
        assert {"PLAIN", "LOGIN"} <= set(smtp.esmtp_features["auth"].split())
        assert int(smtp.esmtp_features["size"]) >= 10 * 1024 * 1024
        smtp.login(alice.address, alice.password)
        smtp.send_message(msg)
    mail_servers.wait_delivered(bob, before + 1)
    assert b"Hello from the mailclient" in wait_for_subject(mail_servers, bob, subject)


def test_smtps_auth_login_delivers(mail_servers: MailServers) -> None:
    alice, bob = mail_servers.user("alice"), mail_servers.user("bob")
    msg, subject = message(alice.address, bob.address)
    ctx = tls(mail_servers)
    port = mail_servers.smtps_port
    with smtplib.SMTP_SSL(mail_servers.host, port, context=ctx, timeout=TIMEOUT) as smtp:
        smtp.ehlo()
        smtp.user, smtp.password = alice.address, alice.password
        smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)
        smtp.send_message(msg)
    wait_for_subject(mail_servers, bob, subject)


def test_smtputf8_message_is_delivered(mail_servers: MailServers) -> None:
    alice, carol = mail_servers.user("alice"), mail_servers.user("carol")
    subject = f"Grüße {uuid.uuid4()}"
    raw = f"From: {alice.address}\r\nTo: jürgen@elsewhere.invalid\r\nSubject: {subject}\r\n"
    raw += "\r\nÄ\r\n"
    ctx = tls(mail_servers)
    port = mail_servers.smtps_port
    with smtplib.SMTP_SSL(mail_servers.host, port, context=ctx, timeout=TIMEOUT) as smtp:
        smtp.login(alice.address, alice.password)
        assert smtp.has_extn("smtputf8")
        recipients = [f"{carol.name}+tag@{mail_servers.domain}", "jürgen@elsewhere.invalid"]
        smtp.sendmail(alice.address, recipients, raw.encode(), ["SMTPUTF8", "BODY=8BITMIME"])
    assert "Ä".encode() in wait_for_subject(mail_servers, carol, subject)
    wait_for_subject(mail_servers, "sink", subject)


def test_unknown_local_user_bounces_to_sender(mail_servers: MailServers) -> None:
    sender = mail_servers.new_user("sender")
    msg, _ = message(sender.address, f"nosuchuser@{mail_servers.domain}")
    ctx = tls(mail_servers)
    port = mail_servers.smtps_port
    with smtplib.SMTP_SSL(mail_servers.host, port, context=ctx, timeout=TIMEOUT) as smtp:
        smtp.login(sender.address, sender.password)
        smtp.send_message(msg)
    (bounce,) = mail_servers.wait_delivered(sender, 1)
    assert b"Undelivered Mail Returned to Sender" in bounce


def test_relaying_without_auth_is_refused(mail_servers: MailServers) -> None:
    alice, bob = mail_servers.user("alice"), mail_servers.user("bob")
    with smtplib.SMTP(mail_servers.host, mail_servers.submission_port, timeout=TIMEOUT) as smtp:
        code, _ = smtp.mail(alice.address)
        assert code == 530  # must issue STARTTLS first
        smtp.starttls(context=tls(mail_servers))
        smtp.ehlo()
        for recipient in (bob.address, "someone@elsewhere.invalid"):
            msg, _ = message(alice.address, recipient)
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.send_message(msg)


def test_outside_domain_lands_in_sink(mail_servers: MailServers) -> None:
    alice = mail_servers.user("alice")
    msg, subject = message(alice.address, "someone@elsewhere.invalid")
    ctx = tls(mail_servers)
    port = mail_servers.smtps_port
    with smtplib.SMTP_SSL(mail_servers.host, port, context=ctx, timeout=TIMEOUT) as smtp:
        smtp.login(alice.address, alice.password)
        smtp.send_message(msg)
    delivered = wait_for_subject(mail_servers, "sink", subject)
    assert b"someone@elsewhere.invalid" in delivered


def test_new_user_can_log_in_at_once(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("fresh")
    assert user.address == f"{user.name}@{mail_servers.domain}"
    ctx = tls(mail_servers)
    host = mail_servers.host
    with imaplib.IMAP4_SSL(host, mail_servers.imaps_port, ssl_context=ctx, timeout=TIMEOUT) as imap:
        imap.login(user.address, user.password)
    with smtplib.SMTP_SSL(host, mail_servers.smtps_port, context=ctx, timeout=TIMEOUT) as smtp:
        smtp.login(user.address, user.password)
        msg, subject = message(user.address, user.address)
        smtp.send_message(msg)
    wait_for_subject(mail_servers, user, subject)


def test_load_maildir_50000_messages(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("bulk")
    messages = (
        b"From: sender@example.test\r\nTo: %s\r\nSubject: message %d\r\n"
        b"Message-ID: <%d@bulk.example.test>\r\n\r\nbody %d\r\n"
        % (user.address.encode(), i, i, i)
        for i in range(50_000)
    )
    began = time.monotonic()
    assert mail_servers.load_maildir(user, messages) == 50_000
    elapsed = time.monotonic() - began
    print(f"load_maildir: 50000 messages in {elapsed:.2f}s")
    ctx = tls(mail_servers)
    port = mail_servers.imaps_port
    with imaplib.IMAP4_SSL(mail_servers.host, port, ssl_context=ctx, timeout=30) as imap:
        imap.login(user.address, user.password)
        status, data = imap.select("INBOX", readonly=True)
        assert (status, data) == ("OK", [b"50000"])
        status, data = imap.fetch("50000", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        assert b"message 49999" in data[0][1]
    assert elapsed < 10


def test_load_maildir_into_new_folders(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("folders")
    raw = [b"Subject: one\r\n\r\n1\r\n", b"Subject: two\r\n\r\n2\r\n"]
    assert mail_servers.load_maildir(user, raw, "Archive/2024", seen=True) == 2
    assert mail_servers.load_maildir(user.name, raw[:1], "Entwürfe") == 1
    assert mail_servers.delivered(user, "Archive/2024") == raw
    ctx = tls(mail_servers)
    port = mail_servers.imaps_port
    with imaplib.IMAP4_SSL(mail_servers.host, port, ssl_context=ctx, timeout=TIMEOUT) as imap:
        imap.login(user.address, user.password)
        _, data = imap.status('"Archive/2024"', "(MESSAGES UNSEEN)")
        assert b"MESSAGES 2 UNSEEN 0" in data[0]
        _, data = imap.status('"Entw&APw-rfe"', "(MESSAGES UNSEEN)")
        assert b"MESSAGES 1 UNSEEN 1" in data[0]
        _, data = imap.lsub()
        assert any(b"Archive/2024" in line for line in data)


def test_wait_delivered_times_out_with_logs(mail_servers: MailServers) -> None:
    user = mail_servers.new_user("nobody")
    with pytest.raises(AssertionError, match="postfix log"):
        mail_servers.wait_delivered(user, 1, timeout=0.2)
