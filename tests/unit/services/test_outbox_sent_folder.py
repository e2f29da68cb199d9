"""The Sent folder and the outbox: the copy keeps Bcc (the SMTP server never sees it), Gmail
files its own copy, and a crashed send is looked up in Sent before anything is resent."""

from __future__ import annotations

import re
import subprocess
import sys
from email.headerregistry import Address
from pathlib import Path
from typing import Any

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import MailError, NetworkError
from mailclient.core.message_build import Draft, build_message
from mailclient.services import mail_service as mail_service_module
from mailclient.services.imap.models import FolderInfo
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.mail_service import MailService
from mailclient.services.outbox_copies import sent_copy
from mailclient.services.outbox_sent import SentFolder, message_id_criteria
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from tests.helpers.factories import make_account
from tests.helpers.fake_smtp import FakeSmtp, serving
from tests.helpers.memory_keyring import MemoryKeyring


class FakeImap:
    """The kept IMAP connection: a Sent folder in memory, every command recorded."""

    def __init__(self, server: FakeImapServer) -> None:
        self.server = server
        self.closed = False

    async def list_folders(self) -> list[FolderInfo]:
        if self.server.fail:
            raise NetworkError("imap.example.org:993: connection reset")
        folders = [FolderInfo("INBOX", "/", frozenset(), "inbox")]
        if self.server.has_sent:
            folders.append(FolderInfo("Sent", "/", frozenset({"\\Sent"}), "sent"))
        return folders

    async def select(self, folder: str, *, readonly: bool = True) -> None:
        self.server.commands.append(f"SELECT {folder} {readonly}")

    async def search_uids(self, criteria: str = "ALL") -> list[int]:
        self.server.commands.append(f"SEARCH {criteria}")
        match = re.fullmatch(r'HEADER Message-ID "(.*)"', criteria)
        assert match, criteria
        wanted = f"Message-ID: {match[1]}\r\n".encode()
        return [uid for uid, raw in enumerate(self.server.sent, 1) if wanted in raw]

    async def append(self, folder: str, raw: bytes, *, flags: str = "\\Seen") -> None:
        self.server.commands.append(f"APPEND {folder}")
        self.server.sent.append(raw)

    async def close(self) -> None:
        self.closed = True


class FakeImapServer:
    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.commands: list[str] = []
        self.has_sent = True
        self.fail = False

    async def open(self, _account: object, _password: str) -> FakeImap:
        return FakeImap(self)


def service_for(tmp_path: Path, fake: FakeSmtp, imap: FakeImapServer,
                **changes: Any) -> MailService:
    profile = Profile.locate(tmp_path / "profile")
    service = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    account = make_account(smtp=fake.config("none"), allow_insecure=True, **changes)
    service.accounts.settings.add_account(account)
    service.secrets.set_password(account.name, "secret")
    service.sessions = ImapSessions(imap.open)  # type: ignore[arg-type]
    service.sent_folder = SentFolder(service.outbox, service.sessions, service.store)
    return service


def draft(bcc: list[str] | None = None) -> Draft:
    return Draft(sender=Address("Alice", "alice", "example.org"), to=["bob@example.net"],
                 subject="Plans", text="Hello\n", bcc=bcc or [])


def crashed(service: MailService) -> tuple[int, bytes]:
    """A message left in 'sending' by a process that died (after the 250, or before)."""
    message = build_message(draft(["carol@example.net"]))
    raw = sent_copy(message, ["carol@example.net"])
    item = service.outbox.queue("work", raw=raw, sender="alice@example.org",
                                recipients=["bob@example.net", "carol@example.net"],
                                message_id=str(message["Message-ID"]), subject="Plans")
    service.outbox.claim(item)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    service.db.connection.execute("UPDATE outbox SET claim_pid = ?", (int(dead),))
    return item, raw


async def test_smtp_never_sees_bcc_and_the_sent_copy_keeps_it(tmp_path: Path) -> None:
    imap = FakeImapServer()
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap)
        outcome = await service.send("work", draft(["Carol <carol@example.net>"]))
    assert outcome.accepted == ["bob@example.net", "carol@example.net"]
    assert any(c.upper().startswith("RCPT TO:<CAROL@") for c in fake.commands)
    (wire,) = fake.bodies
    assert b"bcc" not in wire.lower() and b"carol" not in wire.lower()
    (copy,) = imap.sent
    assert b"\r\nBcc: Carol <carol@example.net>\r\n" in copy
    assert service.outbox.items()[0].state == "copied"


@pytest.mark.parametrize("host", ["imap.gmail.com", "IMAP.googlemail.com."])
async def test_gmail_files_its_own_copy(tmp_path: Path, host: str) -> None:
    imap = FakeImapServer()
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap,
                              incoming=ServerConfig(host, 993, "ssl", "alice"))
        await service.send("work", draft())
    assert imap.sent == [] and imap.commands == []
    assert service.outbox.items()[0].state == "copied"


async def test_crash_after_the_250_is_found_in_sent_and_not_resent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imap = FakeImapServer()
    order: list[str] = []

    async def no_fetch(*_args: object) -> str:
        order.append(f"fetch with {[i.state for i in service.outbox.items()]}")
        return "report"

    monkeypatch.setattr(mail_service_module, "sync_account", no_fetch)
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap)
        item, raw = crashed(service)
        imap.sent.append(raw)  # the server got it and the copy was made before the crash
        report, flushed = await service.sync("work")
    assert (report, flushed.sent, flushed.failed) == ("report", [], [])
    assert fake.bodies == [], "never sent twice"
    assert order == ["fetch with ['copied']"]
    done = service.outbox.item(item)
    assert done.state == "copied" and done.last_error is None
    assert imap.commands[:2] == ["SELECT Sent True",
                                 f'SEARCH HEADER Message-ID "{done.message_id}"']


async def test_crash_not_in_sent_is_held_then_retry_sends_it(tmp_path: Path) -> None:
    imap = FakeImapServer()
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap)
        item, _raw = crashed(service)
        service.outbox.recover_crashed()
        check = await service.sent_folder.check_held(service.accounts.get("work"), "secret")
        assert (check.found, check.missing, check.unchecked) == ([], [item], [])
        held = service.outbox.item(item)
        assert held.state == "held" and "not in the Sent folder" in (held.last_error or "")
        assert f"mailclient outbox retry {item}" in (held.last_error or "")
        assert service.outbox.due("work") == [] and fake.bodies == []
        outcome = await service.retry_outbox(item)
    assert outcome is not None and outcome.accepted == ["bob@example.net", "carol@example.net"]
    assert len(fake.bodies) == 1 and b"carol" not in fake.bodies[0].lower()
    assert service.outbox.item(item).state == "copied" and len(imap.sent) == 1


async def test_retry_of_a_held_message_found_in_sent_sends_nothing(tmp_path: Path) -> None:
    imap = FakeImapServer()
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap)
        item, raw = crashed(service)
        imap.sent.append(raw)
        assert await service.retry_outbox(item) is None
    assert fake.bodies == [] and service.outbox.item(item).state == "copied"


@pytest.mark.parametrize("trouble", ["pop3", "unreachable", "no Sent folder"])
async def test_without_a_look_up_it_stays_held(tmp_path: Path, trouble: str) -> None:
    imap = FakeImapServer()
    imap.fail = trouble == "unreachable"
    imap.has_sent = trouble != "no Sent folder"
    changes: dict[str, Any] = {"incoming_kind": "pop3"} if trouble == "pop3" else {}
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap, **changes)
        item, raw = crashed(service)
        imap.sent.append(raw)
        service.outbox.recover_crashed()
        check = await service.sent_folder.check_held(service.accounts.get("work"), "secret")
        flushed = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert check.unchecked == [item] and flushed.sent == [] and fake.bodies == []
    held = service.outbox.item(item)
    assert held.state == "held" and "may already have been sent" in (held.last_error or "")


async def test_a_queued_message_sent_by_a_sync_is_copied_to_sent(tmp_path: Path) -> None:
    imap = FakeImapServer()
    async with serving(**{".": "451 4.3.0 later"}) as fake:
        service = service_for(tmp_path, fake, imap)
        with pytest.raises(MailError, match="451"):
            await service.send("work", draft(["carol@example.net"]))
        service.db.connection.execute("UPDATE outbox SET next_attempt_epoch = 0")
        fake.faults.clear()
        flushed = await service.flush_outbox(service.accounts.get("work"), "secret")
    assert len(flushed.sent) == 1 and b"carol" not in fake.bodies[-1].lower()
    assert service.outbox.items()[0].state == "copied"
    assert b"Bcc: carol@example.net" in imap.sent[0]


def test_message_id_criteria_is_quoted_and_checked() -> None:
    assert message_id_criteria(" <a.b@x.org> ") == 'HEADER Message-ID "<a.b@x.org>"'
    assert message_id_criteria('<a"b\\@x>') == 'HEADER Message-ID "<a\\"b\\\\@x>"'
    for bad in ("", "<a\r\nb@x>", "<ö@x>"):
        with pytest.raises(ValueError):
            message_id_criteria(bad)


async def test_a_copy_cut_short_by_a_crash_is_made_later_once(tmp_path: Path) -> None:
    imap = FakeImapServer()
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap)
        first, raw = crashed(service)
        second, _ = crashed(service)
        for item in (first, second):  # both went out; the process died before the copies
            service.outbox.mark(item, "sent")
        imap.sent.append(raw)  # ... though the first one's copy did reach Sent
        account = service.accounts.get("work")
        assert await service.sent_folder.finish_copies(account, "secret") == []  # too fresh
        service.db.connection.execute("UPDATE outbox SET updated_epoch = updated_epoch - 120")
        assert await service.sent_folder.finish_copies(account, "secret") == [first, second]
    assert [c.split()[0] for c in imap.commands].count("APPEND") == 1  # only the missing one
    assert len(imap.sent) == 2
    assert {i.state for i in service.outbox.items()} == {"copied"}


async def test_the_sent_copy_is_made_once_per_message_id(tmp_path: Path) -> None:
    imap = FakeImapServer()
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap)
        first, raw = crashed(service)
        service.outbox.mark(first, "sent")
        again = service.outbox.queue("work", raw=raw, sender="alice@example.org",
                                     recipients=["carol@example.net"],
                                     message_id=service.outbox.item(first).message_id)
        service.outbox.mark(again, "sent")  # a retry for a recipient the server deferred
        account = service.accounts.get("work")
        await service.sent_folder.copy(account, "secret", first)
        await service.sent_folder.copy(account, "secret", again)
    assert len(imap.sent) == 1
    assert {service.outbox.item(i).state for i in (first, again)} == {"copied"}


async def test_a_pop3_account_keeps_its_sent_mail_here(tmp_path: Path) -> None:
    imap = FakeImapServer()
    async with serving() as fake:
        service = service_for(tmp_path, fake, imap, incoming_kind="pop3")
        await service.send("work", draft(["carol@example.net"]))
        await service.send("work", draft(["dave@example.net"]))
    assert imap.sent == [] and [i.state for i in service.outbox.items()] == ["copied"] * 2
    sent = service.store.folder("work", "Sent")
    assert (sent.role, sent.total, sent.unread) == ("sent", 2, 0)
    rows = service.store.list_messages(account="work", folder="Sent")
    assert b"Bcc: carol@example.net" in service.store.raw(rows[-1].id), "the copy keeps its Bcc"
    first = service.outbox.items()[0].id
    service.sent_folder.keep_locally(service.accounts.get("work"), first)  # a crash, again
    assert service.store.folder("work", "Sent").total == 2, "one copy per Message-ID"
