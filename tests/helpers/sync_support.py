"""Accounts, stores and a second IMAP client (stdlib imaplib) for the sync tests."""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mailclient.core.account import Account, ServerConfig
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from tests.helpers.mailservers import MailServers, TestUser


def sample(n: int, folder: str = "INBOX") -> bytes:
    return (f"From: Sender <s{n}@example.test>\r\nTo: x@example.test\r\n"
            f"Subject: {folder} message {n}\r\nMessage-ID: <{folder}-{n}@example.test>\r\n"
            f"Date: Mon, 2 Mar 2026 10:{n % 60:02d}:00 +0000\r\n\r\nBody {n}\r\n").encode()


def account_for(servers: MailServers, user: TestUser, kind: str = "imap",
                **changes: object) -> Account:
    port = servers.imaps_port if kind == "imap" else servers.pop3s_port
    return Account(name=user.name, email=user.address, display_name="",
                   smtp=ServerConfig(servers.host, servers.smtps_port, "ssl", user.name),
                   incoming_kind=kind,  # type: ignore[arg-type]
                   incoming=ServerConfig(servers.host, port, "ssl", user.name),
                   ca_file=str(servers.ca_file)).with_changes(**changes)


def new_store(root: Path) -> MessageStore:
    """An empty store under ``root``."""
    return MessageStore(Database(root / "m.db"), BlobStore(root / "blobs"))


@contextmanager
def second_client(servers: MailServers, user: TestUser) -> Iterator[imaplib.IMAP4_SSL]:
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context) as client:
        client.login(user.name, user.password)
        yield client


def server_uids(client: imaplib.IMAP4_SSL, folder: str) -> set[int]:
    client.select(folder)
    _, data = client.uid("SEARCH", "ALL")
    return {int(uid) for uid in data[0].split()}


def stored(store: MessageStore, user: TestUser, folder: str) -> dict[int, list[str]]:
    row = store.folder(user.name, folder)
    assert row.uidvalidity is not None
    return store.known_uids(row.id, row.uidvalidity)
