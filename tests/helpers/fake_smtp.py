"""A scripted SMTP server for fault injection (the real Postfix covers the happy path)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from mailclient.core.account import ServerConfig
from mailclient.services.mail_service import MailService
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from tests.helpers.factories import make_account
from tests.helpers.memory_keyring import MemoryKeyring

DEFAULT_EHLO = ("PIPELINING", "SIZE 10240000", "8BITMIME", "AUTH PLAIN LOGIN")

class FakeSmtp:
    """Answers like a mail server, except where ``faults`` (command prefix -> reply) say.

    The key ``"."`` overrides the reply to the message body; ``"greeting"`` the banner;
    ``"then-close"`` closes the connection after each message (``DROP``: silently, else after
    sending that line, e.g. a 421).
    Every command line received is kept in ``commands``.
    """

    def __init__(self, ehlo: tuple[str, ...] = DEFAULT_EHLO, **faults: str) -> None:
        self.ehlo = ehlo
        self.faults = {key.upper(): value for key, value in faults.items()}
        self.commands: list[str] = []
        self.bodies: list[bytes] = []
        self.server: asyncio.Server | None = None
        self.handlers: set[asyncio.Task[None]] = set()

    def config(self, security: str = "none") -> ServerConfig:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return ServerConfig("127.0.0.1", port, security, "alice")  # type: ignore[arg-type]

    def _fault(self, line: str) -> str | None:
        for prefix, reply in self.faults.items():
            if line.upper().startswith(prefix):
                return reply
        return None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        writer.write(f"{self.faults.get('GREETING', '220 fake ESMTP')}\r\n".encode())
        try:
            while line := (await reader.readline()).decode("utf-8").rstrip("\r\n"):
                self.commands.append(line)
                reply = self._fault(line) or await self._answer(line, reader, writer)
                if reply == "DROP":
                    break
                if reply == "STALL":
                    await reader.read()
                    break
                writer.write(reply.encode() + b"\r\n")
                await writer.drain()
                if line.upper() == "QUIT" or reply.startswith("421"):
                    break
                closing = self.faults.get("THEN-CLOSE")  # after a message: gone while idle
                if line.upper() == "DATA" and closing is not None:
                    if closing != "DROP":
                        writer.write(closing.encode() + b"\r\n")
                    break
        except ConnectionError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _answer(
        self, line: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> str:
        verb = line.split(" ", 1)[0].upper()
        if verb == "EHLO":
            lines = ["fake.example.test", *self.ehlo]
            last = len(lines) - 1
            return "\r\n".join(f"250{' ' if i == last else '-'}{t}" for i, t in enumerate(lines))
        if line.upper().startswith("AUTH LOGIN"):
            writer.write(b"334 UGFzc3dvcmQ6\r\n")
            self.commands.append((await reader.readline()).decode().strip())
            return self.faults.get("AUTH-PASSWORD", "235 2.7.0 ok")
        if verb == "DATA":
            writer.write(b"354 go ahead\r\n")
            body = b""
            while (chunk := await reader.readline()) != b".\r\n":
                if not chunk:
                    return "DROP"
                body += chunk
            self.bodies.append(body)
            return self.faults.get(".", "250 2.0.0 Ok: queued as ABC")
        return {"AUTH": "235 2.7.0 ok", "QUIT": "221 bye"}.get(verb, "250 ok")


async def start(
    fake: FakeSmtp,
    *,
    ehlo: tuple[str, ...] | None = None,
    replies: dict[str, str] | None = None,
    **faults: str,
) -> FakeSmtp:
    """Serve ``fake`` with some replies replaced (keys: command prefixes, case-insensitive)."""
    if ehlo is not None:
        fake.ehlo = ehlo
    faults.update(replies or {})
    fake.faults.update({key.upper(): value for key, value in faults.items()})
    fake.server = await asyncio.start_server(fake.handle, "127.0.0.1", 0)
    return fake


@contextlib.asynccontextmanager
async def serving(**faults: str) -> AsyncIterator[FakeSmtp]:
    """A started ``FakeSmtp`` with ``faults``, closed at the end of the block."""
    server = await start(FakeSmtp(), replies=faults)
    try:
        yield server
    finally:
        assert server.server is not None
        server.server.close()
        await server.server.wait_closed()
        await asyncio.gather(*server.handlers)


def sending_service(root: Path, fake: FakeSmtp) -> MailService:
    """A MailService over a fresh profile under ``root`` whose one account ("work", POP3: its
    Sent copy is kept here, no IMAP) sends through ``fake``; its password is in a memory
    keyring."""
    profile = Profile.locate(root / "profile")
    service = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    account = make_account(smtp=fake.config("none"), allow_insecure=True, incoming_kind="pop3",
                           incoming=ServerConfig("127.0.0.1", 9, "ssl", "alice"))
    service.accounts.settings.add_account(account)
    service.secrets.set_password(account.name, "secret")
    return service
