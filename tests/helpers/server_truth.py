"""The server's truth read with imaplib, and the store compared with it, for receiving tests."""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TypeVar

from mailclient.core.account import Account, ServerConfig
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from tests.helpers.mailservers import MailServers, TestUser

SUBJECTS = ["Quarterly report", "Grüße aus Köln – ½ € ✓", "日本語の件名です", "Re: lunch?",
            "Fwd: Ünïcödé und Umlaute", "Invoice 2026-03", "Ça va ? Très bien, merci"]
SENDERS = ["Ann Example <ann@example.test>", "Jürgen Müller <juergen@example.test>",
           "李雷 <li@example.test>", "noname@example.test", "\"O'Brien, Pat\" <pat@example.test>"]
BASE_DATE = datetime(2019, 1, 1, 8, 0, tzinfo=UTC)
ZONES = [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5, minutes=-30))]
SYSTEM_FLAGS = {"\\seen": "seen", "\\answered": "answered", "\\flagged": "flagged",
                "\\deleted": "deleted", "\\draft": "draft"}
T = TypeVar("T")
Entry = tuple[tuple[str, ...], int, str, str]  # (flag words, size, subject, Message-ID) of a UID


def compose(n: int, tag: str, *, body_size: int = 0) -> bytes:
    """Message ``n`` of a batch ``tag``: varied sender, subject, date; some with attachments."""
    message = EmailMessage()
    message["From"] = SENDERS[n % len(SENDERS)]
    message["To"] = "Reader <reader@example.test>"
    message["Subject"] = f"{SUBJECTS[n % len(SUBJECTS)]} #{n} {tag}"
    when = BASE_DATE + timedelta(hours=37 * n, minutes=n % 60)
    message["Date"] = format_datetime(when.astimezone(ZONES[n % len(ZONES)]))
    message["Message-ID"] = f"<{tag}-{n}@receiving.example.test>"
    text = f"Hello {n}, schöne Grüße.\n" if n % 3 == 0 else f"Plain body {n}.\n"
    message.set_content(text + "x" * body_size)
    if n % 10 == 0:
        message.add_attachment(bytes(range(256)) * 8, maintype="application",
                               subtype="octet-stream", filename=f"data-{n}.bin")
    if n % 45 == 0:
        message.add_attachment("Résumé\n", subtype="plain", filename=f"résumé-{n}.txt")
    return message.as_bytes(policy=policy.SMTP)


def every(step: int, last: int) -> str:
    """A UID set of every ``step``-th UID up to ``last``: "1,8,15,..."."""
    return ",".join(str(uid) for uid in range(1, last + 1, step))


def account_for(servers: MailServers, user: TestUser, kind: str = "imap",
                port: int | None = None, **changes: object) -> Account:
    default = servers.imaps_port if kind == "imap" else servers.pop3s_port
    return Account(name=user.name, email=user.address, display_name="",
                   smtp=ServerConfig(servers.host, servers.smtps_port, "ssl", user.name),
                   incoming_kind=kind,  # type: ignore[arg-type]
                   incoming=ServerConfig(servers.host, port or default, "ssl", user.name),
                   ca_file=str(servers.ca_file)).with_changes(**changes)


def open_store(directory: Path, name: str = "profile") -> MessageStore:
    """A fresh store (one profile's database and blobs) under ``directory``."""
    return MessageStore(Database(directory / f"{name}.db"), BlobStore(directory / f"{name}-blobs"))


@contextmanager
def imap(servers: MailServers, user: TestUser) -> Iterator[imaplib.IMAP4_SSL]:
    """The second client (and the server's truth): stdlib imaplib over verified TLS."""
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    with imaplib.IMAP4_SSL(servers.host, servers.imaps_port, ssl_context=context,
                           timeout=10) as client:
        client.login(user.name, user.password)
        yield client


def ok(answer: tuple[str, list[T]]) -> list[T]:
    """The data of an imaplib answer that must be OK."""
    assert answer[0] == "OK", answer
    return answer[1]


def server_folders(client: imaplib.IMAP4_SSL) -> list[str]:
    status, lines = client.list()
    assert status == "OK", lines
    names = []
    for line in lines:
        assert isinstance(line, bytes)
        match = re.fullmatch(rb'\(([^)]*)\) (?:"[^"]*"|NIL) "?(.*?)"?', line)
        assert match, line
        if b"\\noselect" not in match[1].lower():
            names.append(match[2].decode())
    return names


def flag_words(flags: bytes) -> tuple[str, ...]:
    """IMAP flags as the store names them: system flags in lower case without the backslash
    (other system flags such as \\Recent are session state, not stored), keywords as they are."""
    words = {SYSTEM_FLAGS.get(f.lower(), "") if f.startswith("\\") else f
             for f in flags.decode().split()}
    return tuple(sorted(words - {""}))


def plain(value: object) -> str:
    return " ".join(str(value or "").split())


def server_state(client: imaplib.IMAP4_SSL, folder: str) -> tuple[int, dict[int, Entry]]:
    """UIDVALIDITY and UID -> (flags, size, subject, Message-ID) of a folder, read only."""
    ok(client.select(folder, readonly=True))
    uidvalidity = int(client.response("UIDVALIDITY")[1][0])
    data = ok(client.uid("FETCH", "1:*", "(UID FLAGS RFC822.SIZE "
                         "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)])"))
    state: dict[int, Entry] = {}
    for index, item in enumerate(data):
        if not isinstance(item, tuple):
            continue
        after = data[index + 1] if index + 1 < len(data) else b""
        meta = item[0] + (after if isinstance(after, bytes) else b"")
        uid, flags = re.search(rb"UID (\d+)", meta), re.search(rb"FLAGS \(([^)]*)\)", meta)
        size = re.search(rb"RFC822\.SIZE (\d+)", meta)
        assert uid and flags and size, meta
        headers = message_from_bytes(item[1], policy=policy.default)
        state[int(uid[1])] = (flag_words(flags[1]), int(size[1]), plain(headers["subject"]),
                              plain(headers["message-id"]))
    return uidvalidity, state


def server_raw(client: imaplib.IMAP4_SSL, folder: str, uid: int) -> bytes:
    ok(client.select(folder, readonly=True))
    item = ok(client.uid("FETCH", str(uid), "(BODY.PEEK[])"))[0]
    assert isinstance(item, tuple), item
    return bytes(item[1])


def store_state(store: MessageStore, account: str, folder: str) -> tuple[int, dict[int, Entry]]:
    row = store.folder(account, folder)
    messages = store.list_messages(account=account, folder=folder)
    state = {m.uid: (tuple(sorted(m.flags)), m.size, plain(m.subject), plain(m.message_id))
             for m in messages if m.uid is not None}
    assert len(state) == len(messages) == row.total, f"{folder}: duplicates or rows without UID"
    assert row.uidvalidity is not None
    return row.uidvalidity, state


def assert_store_equals_server(store: MessageStore, servers: MailServers, user: TestUser,
                               raw_samples: int = 3) -> dict[str, dict[int, Entry]]:
    """Every folder: same UIDVALIDITY, UIDs, flags, subjects, Message-IDs; a few raw bytes."""
    truth: dict[str, dict[int, Entry]] = {}
    with imap(servers, user) as client:
        folders = server_folders(client)
        assert sorted(f.name for f in store.folders(user.name)) == sorted(folders)
        for folder in folders:
            uidvalidity, truth[folder] = server_state(client, folder)
            assert store_state(store, user.name, folder) == (uidvalidity, truth[folder]), folder
            stored = store.list_messages(account=user.name, folder=folder)
            step = max(len(stored) // raw_samples, 1)
            for message in stored[::step][:raw_samples]:
                assert message.uid is not None
                assert store.raw(message.id) == server_raw(client, folder, message.uid), (
                    folder, message.uid)
    assert store.count(user.name) == sum(len(state) for state in truth.values())
    return truth
