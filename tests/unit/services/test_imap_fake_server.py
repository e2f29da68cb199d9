"""ImapConnection against a scripted server on 127.0.0.1: failures become plain MailErrors."""

from __future__ import annotations

import asyncio
import base64
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import (
    AuthenticationError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    ServerTimeoutError,
    TlsUnavailableError,
)
from mailclient.services.imap import ImapConnection

CAPS = b"IMAP4rev1 LITERAL+ AUTH=PLAIN"
Reply = Callable[[bytes, bytes], Awaitable[bytes | None]]  # (tag, command) -> bytes to send


class Script:
    """A tiny IMAP server: greeting, then each command answered by a handler."""

    def __init__(self, handlers: dict[bytes, Reply], caps: bytes = CAPS) -> None:
        self.handlers = handlers
        self.caps = caps
        self.received: list[bytes] = []
        self.tasks: set[asyncio.Task[None]] = set()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        writer.write(b"* OK fake ready\r\n")
        try:
            while line := await reader.readline():
                self.received.append(line)
                tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
                name = rest.split(b" ", 1)[0].upper()
                if name == b"UID":
                    name = rest.split(b" ", 2)[1].upper()
                handler = self.handlers.get(name)
                if handler is not None:
                    answer = await handler(tag, rest)
                elif name == b"CAPABILITY":
                    answer = b"* CAPABILITY " + self.caps + b"\r\n" + tag + b" OK done\r\n"
                elif name == b"LOGIN":
                    answer = tag + b" OK Logged in\r\n"
                elif name == b"LOGOUT":
                    answer = b"* BYE bye\r\n" + tag + b" OK done\r\n"
                elif name == b"EXAMINE":
                    answer = b"* 3 EXISTS\r\n* OK [UIDVALIDITY 9] x\r\n" + tag + b" OK done\r\n"
                else:
                    answer = tag + b" BAD unknown\r\n"
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()


@pytest.fixture
async def start() -> AsyncIterator[Callable[[Script], Awaitable[ServerConfig]]]:
    servers: list[asyncio.Server] = []
    scripts: list[Script] = []

    async def run(script: Script) -> ServerConfig:
        server = await asyncio.start_server(script.serve, "127.0.0.1", 0)
        servers.append(server)
        scripts.append(script)
        port = server.sockets[0].getsockname()[1]
        return ServerConfig("127.0.0.1", port, "none", "alice")

    yield run
    for server in servers:
        server.close()
        await server.wait_closed()
    tasks = set().union(*(script.tasks for script in scripts))
    if tasks:
        await asyncio.wait(tasks, timeout=2)


async def test_login_refused_is_an_authentication_error(start) -> None:
    async def login(tag: bytes, rest: bytes) -> bytes:
        return tag + b" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"

    server = await start(Script({b"LOGIN": login}))
    with pytest.raises(AuthenticationError, match="Authentication failed") as info:
        await ImapConnection.open(server, "secret", timeout=2)
    assert "alice" in str(info.value)


async def test_starttls_not_offered_never_sends_the_password(start) -> None:
    script = Script({})
    server = await start(script)
    starttls = ServerConfig(server.host, server.port, "starttls", "alice")
    with pytest.raises(TlsUnavailableError, match="STARTTLS"):
        await ImapConnection.open(starttls, "secret", timeout=2)
    assert not any(b"LOGIN" in line or b"secret" in line for line in script.received)


async def test_starttls_refused_is_tls_unavailable(start) -> None:
    async def refuse(tag: bytes, rest: bytes) -> bytes:
        return tag + b" NO not now\r\n"

    server = await start(Script({b"STARTTLS": refuse}, caps=CAPS + b" STARTTLS"))
    starttls = ServerConfig(server.host, server.port, "starttls", "alice")
    with pytest.raises(TlsUnavailableError):
        await ImapConnection.open(starttls, "secret", timeout=2)


async def test_greeting_bye_is_reported() -> None:
    server = await asyncio.start_server(_bye, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises((ProtocolError, NetworkError), match="127.0.0.1"):
            await ImapConnection.open(ServerConfig("127.0.0.1", port, "none", "a"), "x", timeout=2)
    finally:
        server.close()
        await server.wait_closed()


async def _bye(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"* BYE too many connections\r\n")
    await writer.drain()
    writer.close()


async def test_closed_port_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(
        NetworkError, match=f"cannot connect to 127.0.0.1:{port}: connection refused"
    ):
        await ImapConnection.open(ServerConfig("127.0.0.1", port, "none", "a"), "x", timeout=2)


async def test_silent_server_is_a_timeout(start) -> None:
    async def hang(tag: bytes, rest: bytes) -> None:
        await asyncio.sleep(0.6)
        return None

    server = await start(Script({b"LIST": hang}))
    conn = await ImapConnection.open(server, "secret", timeout=0.3)
    with pytest.raises(ServerTimeoutError, match="listing folders"):
        await conn.list_folders()
    assert conn.closed
    with pytest.raises(NetworkError, match="closed"):
        await conn.list_folders()
    await conn.close()


async def test_connection_dropped_mid_command(start) -> None:
    async def drop(tag: bytes, rest: bytes) -> None:
        return None

    server = await start(Script({b"LIST": drop}))
    async with await ImapConnection.open(server, "secret", timeout=2) as conn:
        with pytest.raises(NetworkError, match="broke while listing folders"):
            await conn.list_folders()


async def test_bad_answer_is_a_protocol_error_with_command_and_text(start) -> None:
    async def bad(tag: bytes, rest: bytes) -> bytes:
        return tag + b" BAD Error in IMAP command LIST: Invalid arguments.\r\n"

    server = await start(Script({b"LIST": bad}))
    async with await ImapConnection.open(server, "secret", timeout=2) as conn:
        with pytest.raises(ProtocolError, match="LIST: BAD Error in IMAP command LIST"):
            await conn.list_folders()


async def test_missing_folder_is_not_found(start) -> None:
    async def missing(tag: bytes, rest: bytes) -> bytes:
        return tag + b" NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n"

    server = await start(Script({b"EXAMINE": missing}))
    async with await ImapConnection.open(server, "secret", timeout=2) as conn:
        with pytest.raises(NotFoundError, match="Nope"):
            await conn.select("Nope")
        with pytest.raises(ProtocolError, match="no folder is selected"):
            await conn.search_uids()


async def test_abandoned_fetch_is_drained_before_the_next_command(start) -> None:
    async def fetch(tag: bytes, rest: bytes) -> bytes:
        lines = b"".join(b"* %d FETCH (UID %d FLAGS ())\r\n" % (i, i) for i in range(1, 5001))
        return lines + tag + b" OK done\r\n"

    async def search(tag: bytes, rest: bytes) -> bytes:
        return b"* SEARCH 1 2 3\r\n" + tag + b" OK done\r\n"

    server = await start(Script({b"FETCH": fetch, b"SEARCH": search}))
    async with await ImapConnection.open(server, "secret", timeout=2) as conn:
        await conn.select("INBOX")
        batches = conn.fetch("1:*", batch=10)
        first = await anext(batches)
        assert [m.uid for m in first] == list(range(1, 11))
        assert await conn.search_uids() == [1, 2, 3]
        with pytest.raises(ProtocolError, match="interrupted"):
            await anext(batches)
        await batches.aclose()
        sizes = [len(batch) async for batch in conn.fetch("1:*", batch=1000)]
        assert sizes == [1000] * 5


async def test_fetch_refused_and_bad_uid_set(start) -> None:
    async def refuse(tag: bytes, rest: bytes) -> bytes:
        return tag + b" NO nope\r\n"

    server = await start(Script({b"FETCH": refuse}))
    async with await ImapConnection.open(server, "secret", timeout=2) as conn:
        await conn.select("INBOX")
        with pytest.raises(ProtocolError, match="UID FETCH 1:5: NO nope"):
            [batch async for batch in conn.fetch("1:5")]
        with pytest.raises(ValueError):
            [batch async for batch in conn.fetch("1:5 (BODY[])")]


async def test_password_with_line_break_is_refused_locally(start) -> None:
    script = Script({})
    server = await start(script)
    with pytest.raises(AuthenticationError, match="line break"):
        await ImapConnection.open(server, "pass\r\nA1 DELETE INBOX", timeout=2)
    assert not any(b"DELETE" in line for line in script.received)


async def test_non_ascii_password_uses_authenticate_plain(start) -> None:
    tokens: list[bytes] = []

    async def authenticate(tag: bytes, rest: bytes) -> bytes:
        tokens.append(base64.b64decode(rest.split()[-1]))
        return tag + b" OK [CAPABILITY IMAP4rev1 MOVE] Logged in\r\n"

    server = await start(Script({b"AUTHENTICATE": authenticate}, caps=CAPS + b" SASL-IR"))
    async with await ImapConnection.open(server, "pässwörd", timeout=2) as conn:
        assert conn.capabilities == {"IMAP4REV1", "MOVE"}
    assert tokens == ["\0alice\0pässwörd".encode()]
