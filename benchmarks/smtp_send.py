"""SMTP sending figures (a 10 MB attachment; 200 small messages) vs stdlib smtplib."""

# Run as root (the private test servers need it): .venv/bin/python benchmarks/smtp_send.py
# (--profile also prints cProfile tables of one run of each; --count N changes the number of
# small messages). Both sides use the private Postfix's submission port (STARTTLS + AUTH PLAIN);
# ratios are to smtplib doing the same in the same run (lower is better); medians of RUNS.
# Between measurements we wait until Dovecot has every message, so Postfix starts each idle.

from __future__ import annotations

import argparse
import asyncio
import os
import smtplib
import ssl
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiosmtplib  # noqa: E402
from bench_support import median, profiled, ratio_line, runs_of  # noqa: E402

from mailclient.core.account import Account, ServerConfig  # noqa: E402
from mailclient.core.message_build import Attachment, Draft, build_message  # noqa: E402
from mailclient.services import smtp  # noqa: E402
from mailclient.services.mail_service import MailService  # noqa: E402
from mailclient.services.profile import Profile  # noqa: E402
from mailclient.services.secrets import SecretStore  # noqa: E402
from mailclient.services.smtp_session import SmtpSession  # noqa: E402
from tests.helpers.mailservers import MailServers, TestUser, start_mail_servers  # noqa: E402
from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402

RUNS = 3
COUNT = 200
BUDGET = 1.2
ATTACHMENT = os.urandom(10 * 1024 * 1024)
TEXT = "Hello Bob,\n\nthe figures are attached; the meeting is at ten.\n\nAlice\n"


def sender_of(user: TestUser) -> Address:
    local, _, domain = user.address.partition("@")
    return Address("Alice Bench", local, domain)


def big_draft(user: TestUser, to: TestUser) -> Draft:
    return Draft(sender=sender_of(user), to=[to.address], subject="Figures, 10 MB", text=TEXT,
                 attachments=[Attachment("figures.bin", ATTACHMENT, "application/octet-stream")])


def stdlib_message(user: TestUser, to: TestUser, subject: str, attachment: bytes = b"") -> (
        EmailMessage):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = user.address, to.address, subject
    message["Message-ID"] = make_msgid(domain="example.test")
    message.set_content(TEXT)
    if attachment:
        message.add_attachment(attachment, maintype="application", subtype="octet-stream",
                               filename="figures.bin")
    return message


# -- stdlib smtplib baselines: one connection, STARTTLS, AUTH, send_message ----------------------

@contextmanager
def smtplib_session(servers: MailServers, user: TestUser) -> Iterator[smtplib.SMTP]:
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    with smtplib.SMTP(servers.host, servers.submission_port) as client:
        client.starttls(context=context)
        client.login(user.name, user.password)
        yield client


def smtplib_big(servers: MailServers, user: TestUser, to: TestUser) -> float:
    """Build the message (as a client would) and send it on a new connection."""
    start = time.perf_counter()
    message = stdlib_message(user, to, "Figures, 10 MB", ATTACHMENT)
    with smtplib_session(servers, user) as client:
        client.send_message(message)
    return time.perf_counter() - start


def smtplib_many(servers: MailServers, user: TestUser, to: TestUser, count: int) -> float:
    batch = [stdlib_message(user, to, f"Note {n}") for n in range(count)]
    start = time.perf_counter()
    with smtplib_session(servers, user) as client:
        for message in batch:
            client.send_message(message)
    return time.perf_counter() - start


# -- ours ------------------------------------------------------------------------------------

def new_service(root: Path, servers: MailServers, user: TestUser) -> tuple[MailService, Account]:
    profile = Profile.locate(root)
    service = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    account = Account(  # POP3 incoming: no Sent-folder APPEND, the same work as smtplib's
        name="bench", email=user.address, display_name="Alice Bench",
        smtp=ServerConfig(servers.host, servers.submission_port, "starttls", user.name),
        incoming_kind="pop3", incoming=ServerConfig(servers.host, servers.pop3s_port, "ssl",
                                                    user.name),
        ca_file=str(servers.ca_file))
    service.accounts.settings.add_account(account)
    service.secrets.set_password(account.name, user.password)
    return service, account


class Connections:
    """Counts aiosmtplib connections and the seconds spent sending (``smtp.send_message``, or
    ``SmtpSession.send`` with the connection it opens and the QUIT at its end)."""

    def __init__(self) -> None:
        self.opened = 0
        self.in_smtp = 0.0
        self._connect = aiosmtplib.SMTP.connect
        self._send = smtp.send_message
        self._session_send = SmtpSession.send
        self._session_exit = SmtpSession.__aexit__

    def __enter__(self) -> Connections:
        counter, connect, send = self, self._connect, self._send
        session_send, session_exit = self._session_send, self._session_exit

        async def counting_connect(client: aiosmtplib.SMTP, *args: object, **kw: object) -> object:
            counter.opened += 1
            return await connect(client, *args, **kw)  # type: ignore[arg-type]

        async def timed_send(*args: object, **kw: object) -> smtp.SendReport:
            began = time.perf_counter()
            try:
                return await send(*args, **kw)  # type: ignore[arg-type]
            finally:
                counter.in_smtp += time.perf_counter() - began

        async def timed_session_send(session: SmtpSession, **kw: object) -> smtp.SendReport:
            began = time.perf_counter()
            try:
                return await session_send(session, **kw)  # type: ignore[arg-type]
            finally:
                counter.in_smtp += time.perf_counter() - began

        async def timed_session_exit(session: SmtpSession, *exc: object) -> None:
            began = time.perf_counter()
            try:
                await session_exit(session, *exc)  # type: ignore[arg-type]
            finally:
                counter.in_smtp += time.perf_counter() - began

        aiosmtplib.SMTP.connect = counting_connect  # type: ignore[method-assign]
        smtp.send_message = timed_send  # type: ignore[assignment]
        SmtpSession.send = timed_session_send  # type: ignore[method-assign]
        SmtpSession.__aexit__ = timed_session_exit  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        aiosmtplib.SMTP.connect = self._connect  # type: ignore[method-assign]
        smtp.send_message = self._send
        SmtpSession.send = self._session_send  # type: ignore[method-assign]
        SmtpSession.__aexit__ = self._session_exit  # type: ignore[method-assign]


def ours_big(servers: MailServers, user: TestUser, to: TestUser, root: Path,
             profile: bool = False) -> tuple[float, Connections]:
    """``MailService.send``: build, commit to the outbox (fsync), send, mark sent."""
    service, account = new_service(root, servers, user)
    draft = big_draft(user, to)
    with Connections() as seen, profiled("MailService.send, 10 MB") if profile else nullcontext():
        start = time.perf_counter()
        outcome = asyncio.run(service.send(account.name, draft))
        took = time.perf_counter() - start
    assert outcome.state == "sent", outcome
    service.close()
    return took, seen


def ours_many(servers: MailServers, user: TestUser, to: TestUser, count: int, root: Path,
              profile: bool = False) -> tuple[float, float, Connections]:
    """Queue ``count`` messages (not timed in the ratio), then one ``flush_outbox``."""
    service, account = new_service(root, servers, user)
    start = time.perf_counter()
    for n in range(count):
        draft = Draft(sender=sender_of(user), to=[to.address], subject=f"Note {n}", text=TEXT)
        message = build_message(draft)
        service.outbox.queue(account.name, raw=message.as_bytes(), sender=account.email,
                             recipients=draft.recipients(), message_id=str(message["Message-ID"]),
                             subject=draft.subject)
    queued = time.perf_counter() - start
    with Connections() as seen, profiled(f"flush_outbox, {count}") if profile else nullcontext():
        start = time.perf_counter()
        report = asyncio.run(service.flush_outbox(account, user.password))
        took = time.perf_counter() - start
    assert len(report.sent) == count and not report.failed, report.failed[:3]
    service.close()
    return took, queued, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with start_mail_servers() as servers, tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        alice, bob = servers.new_user("sender"), servers.new_user("rcpt")
        got = 0

        def settle(more: int) -> None:
            nonlocal got
            got += more
            servers.wait_delivered(bob, got, timeout=300)

        smtplib_big(servers, alice, bob)  # warm up: TLS session caches, Postfix processes
        settle(1)
        base_a, ours_a, inside_a = [], [], []
        for run in range(RUNS):
            base_a.append(smtplib_big(servers, alice, bob))
            settle(1)
            took, seen = ours_big(servers, alice, bob, scratch / f"a{run}")
            ours_a.append(took)
            inside_a.append(seen.in_smtp)
            settle(1)
        print(f"(a) one message with a 10 MB attachment over submission (median of {RUNS})")
        print(f"  smtplib (build + STARTTLS + AUTH + send_message): {median(base_a):.2f} s"
              + runs_of(base_a))
        print(ratio_line("MailService.send (build, outbox commit, send, mark sent)",
                         median(ours_a), median(base_a), ours_a, BUDGET))
        print(f"      of which sending (SMTP): {median(inside_a):.2f} s"
              + runs_of(inside_a))

        base_b, ours_b, queue_b, conns, inside_b = [], [], [], [], []
        for run in range(RUNS):
            base_b.append(smtplib_many(servers, alice, bob, args.count))
            settle(args.count)
            took, queued, seen = ours_many(servers, alice, bob, args.count, scratch / f"b{run}")
            ours_b.append(took)
            queue_b.append(queued)
            conns.append(seen.opened)
            inside_b.append(seen.in_smtp)
            settle(args.count)
        print(f"\n(b) {args.count} small messages (median of {RUNS})")
        print(f"  smtplib, one session: {median(base_b):.2f} s" + runs_of(base_b))
        print(ratio_line("flush_outbox", median(ours_b), median(base_b), ours_b, BUDGET))
        print(f"      SMTP connections opened by flush_outbox: {conns[0]} for {args.count} "
              f"messages; queueing them first (not in the ratio): {median(queue_b):.2f} s")
        print(f"      of which sending (SMTP): {median(inside_b):.2f} s" + runs_of(inside_b))
        if args.profile:
            ours_big(servers, alice, bob, scratch / "pa", profile=True)
            ours_many(servers, alice, bob, args.count, scratch / "pb", profile=True)


if __name__ == "__main__":
    main()
