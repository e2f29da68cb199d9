"""IMAP figures for 50,000 messages against the private test Dovecot: our layer vs imaplib.

Run as root (the test servers need it): ``.venv/bin/python benchmarks/imap_sync_50k.py``.
Prints seconds and the ratio to stdlib imaplib measured in the same run (lower is better).
"""

from __future__ import annotations

import asyncio
import imaplib
import ssl
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mailclient.core.account import ServerConfig  # noqa: E402
from mailclient.services.imap.connection import ImapConnection  # noqa: E402
from mailclient.services.store import Database, MessageStore  # noqa: E402
from mailclient.services.store.blobs import BlobStore  # noqa: E402
from mailclient.services.store.messages import NewMessage  # noqa: E402
from mailclient.services.sync import uid_set  # noqa: E402
from tests.helpers.mailservers import MailServers, TestUser, start_mail_servers  # noqa: E402

COUNT = 50_000
BODIES = 2_000


def sample(i: int) -> bytes:
    return (f"From: Sender {i % 97} <s{i % 97}@example.test>\r\nTo: bench@example.test\r\n"
            f"Subject: Benchmark message {i} — Grüße\r\nMessage-ID: <{i}@bench>\r\n"
            f"Date: Mon, 2 Mar 2026 10:{i % 60:02d}:00 +0100\r\n\r\n"
            + "Some body text for the index.\r\n" * 20).encode()


def imaplib_metadata(servers: MailServers, user: TestUser) -> float:
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    start = time.perf_counter()
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.address, user.password)
        client.select("INBOX", readonly=True)
        _, data = client.uid("FETCH", "1:*", "(UID FLAGS RFC822.SIZE INTERNALDATE)")
        assert len(data) == COUNT, len(data)
    return time.perf_counter() - start


async def ours_metadata(server: ServerConfig, password: str, ca_file: str) -> float:
    start = time.perf_counter()
    async with await ImapConnection.open(server, password, ca_file=ca_file) as connection:
        await connection.select("INBOX")
        seen = 0
        async for batch in connection.fetch("1:*"):
            seen += len(batch)
    assert seen == COUNT, seen
    return time.perf_counter() - start


def imaplib_bodies(servers: MailServers, user: TestUser, uids: str) -> float:
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    start = time.perf_counter()
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.address, user.password)
        client.select("INBOX", readonly=True)
        _, data = client.uid("FETCH", uids, "(UID FLAGS BODY.PEEK[])")
        assert sum(isinstance(d, tuple) for d in data) == BODIES
    return time.perf_counter() - start


async def ours_bodies_into_store(server: ServerConfig, password: str, ca_file: str,
                                 uids: str) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        store = MessageStore(Database(Path(scratch) / "m.db"), BlobStore(Path(scratch) / "b"))
        folder = store.ensure_folder("bench", "INBOX", "inbox")
        start = time.perf_counter()
        async with await ImapConnection.open(server, password, ca_file=ca_file) as connection:
            selected = await connection.select("INBOX")
            async for batch in connection.fetch(uids, body=True):
                store.add_messages([NewMessage("bench", folder, item.raw or b"", [],
                                               selected.uidvalidity, item.uid) for item in batch])
        elapsed = time.perf_counter() - start
        assert store.count() == BODIES
        return elapsed


def main() -> None:
    with start_mail_servers() as servers:
        user = servers.new_user("bench")
        started = time.perf_counter()
        servers.load_maildir(user, (sample(i) for i in range(COUNT)))
        print(f"load {COUNT} messages into Dovecot: {time.perf_counter() - started:.2f} s")
        server = ServerConfig(servers.host, servers.imaps_port, "ssl", user.address)
        ca = str(servers.ca_file)
        base = imaplib_metadata(servers, user)
        ours = asyncio.run(ours_metadata(server, user.password, ca))
        print(f"UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE), {COUNT} messages")
        print(f"  stdlib imaplib (baseline): {base:.2f} s")
        print(f"  mailclient (aioimaplib + iterative protocol, streamed): {ours:.2f} s "
              f"(ratio {ours / base:.2f})")
        uids = uid_set(list(range(COUNT - BODIES + 1, COUNT + 1)))
        base = imaplib_bodies(servers, user, uids)
        ours = asyncio.run(ours_bodies_into_store(server, user.password, ca, uids))
        print(f"{BODIES} whole messages")
        print(f"  stdlib imaplib, fetch only (baseline): {base:.2f} s")
        print(f"  mailclient, fetch + parse + store durably: {ours:.2f} s "
              f"(ratio {ours / base:.2f})")


if __name__ == "__main__":
    main()
