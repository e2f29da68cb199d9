"""The stdlib imaplib baselines of the sync benchmarks, with the CPU each side used."""

from __future__ import annotations

import imaplib
import ssl
import time
from pathlib import Path

from cpu_budget import dovecot_pid, tree_cpu

from tests.helpers.mailservers import MailServers, TestUser

BODY_ITEMS = "(UID FLAGS BODY.PEEK[])"


def imaplib_fetch(servers: MailServers, user: TestUser, items: str, expected: int,
                  chunk: int | None = None) -> float:
    """Seconds for connect + TLS + LOGIN + EXAMINE + ``UID FETCH`` (all at once or by chunk)."""
    return measured_fetch(servers, user, items, expected, chunk)[0]


def measured_fetch(servers: MailServers, user: TestUser, items: str, expected: int,
                   chunk: int | None = None) -> tuple[float, float, float]:
    """``imaplib_fetch``'s seconds, and the CPU seconds imaplib and Dovecot used for it."""
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    server = dovecot_pid(servers.dovecot.base_dir)
    server_before = tree_cpu(server)
    start, cpu = time.perf_counter(), time.process_time()
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.address, user.password)
        client.select("INBOX", readonly=True)
        ranges = ([f"{n}:{n + chunk - 1}" for n in range(1, expected + 1, chunk)]
                  if chunk else ["1:*"])
        got = 0
        for uids in ranges:
            _, data = client.uid("FETCH", uids, items)
            got += sum(isinstance(d, tuple) for d in data)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert got == expected, (got, expected)
    return seconds, cpu, tree_cpu(server) - server_before


def imaplib_to_files(servers: MailServers, user: TestUser, expected: int, root: Path) -> float:
    """imaplib fetching messages by 500 UIDs, each written to a file (Maildir-like, no fsync)."""
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    root.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.address, user.password)
        client.select("INBOX", readonly=True)
        written = 0
        for first in range(1, expected + 1, 500):
            _, data = client.uid("FETCH", f"{first}:{first + 499}", BODY_ITEMS)
            for item in data:
                if isinstance(item, tuple):
                    (root / f"{written}.eml").write_bytes(item[1])
                    written += 1
    assert written == expected, (written, expected)
    return time.perf_counter() - start
