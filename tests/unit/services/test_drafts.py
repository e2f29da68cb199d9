"""Drafts through the service: kept here first, replaced on the server, local only for POP3,
kept here when the server fails (and cleaned up by the next save); sending one removes it."""

from __future__ import annotations

import json
from email.headerregistry import Address
from pathlib import Path
from typing import Any

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import ConfigError, NotFoundError
from mailclient.core.message_build import Draft, build_message
from mailclient.services.imap_sessions import ImapSessions
from mailclient.services.mail_service import MailService
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from tests.helpers.factories import make_account
from tests.helpers.fake_drafts_imap import FakeDraftsImap
from tests.helpers.fake_smtp import serving
from tests.helpers.memory_keyring import MemoryKeyring


def service_with(tmp_path: Path, imap: FakeDraftsImap, **changes: Any) -> MailService:
    profile = Profile.locate(tmp_path / "profile")
    service = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))

    async def opener(_account: object, _password: str) -> FakeDraftsImap:
        imap.closed = False
        return imap

    service.sessions = ImapSessions(opener)  # type: ignore[arg-type]
    service.drafts.sessions = service.sessions
    service.sent_folder.sessions = service.sessions
    service.accounts.settings.add_account(make_account(**changes))
    service.secrets.set_password("work", "secret")
    return service


def ours(imap: FakeDraftsImap) -> list[bytes]:
    return [raw for raw, _ in imap.folders["Drafts"].values()]


async def test_saving_twice_leaves_one_server_copy(tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    service = service_with(tmp_path, imap)
    first = await service.drafts.save("work", to=["bob@example.net"], subject="Plan",
                                      text="first\n")
    second = await service.drafts.save("work", to=["bob@example.net"], subject="Plan v2",
                                       text="second\n", draft_id=first.id)
    assert second.id == first.id and second.server_error is None
    (raw,) = ours(imap)
    assert b"second" in raw and f"X-Mailclient-Draft: {first.id}".encode() in raw
    (listed,) = service.drafts.list_drafts()
    assert (listed.subject, listed.text, listed.server) == ("Plan v2", "second\n",
                                                            second.server)
    stored = json.loads((tmp_path / "profile/data/drafts" / f"{first.id}.json").read_text())
    assert stored["server"]["uid"] == 2


async def test_pop3_drafts_stay_here(tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    service = service_with(tmp_path, imap, incoming_kind="pop3",
                           incoming=ServerConfig("pop.example.org", 995, "ssl", "alice"))
    saved = await service.drafts.save("work", to=["bob@example.net"], subject="s", text="t")
    assert saved.server is None and imap.commands == []
    await service.drafts.delete(saved.id)
    assert service.drafts.list_drafts() == []


async def test_server_failure_keeps_it_here_and_the_next_save_cleans_up(tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    service = service_with(tmp_path, imap)
    first = await service.drafts.save("work", to=["bob@example.net"], subject="s", text="v1")
    imap.fail_on = "EXPUNGE"  # v2 is appended, v1 not deleted
    second = await service.drafts.save("work", to=["bob@example.net"], subject="s", text="v2",
                                       draft_id=first.id)
    assert second.server is None and "connection reset" in (second.server_error or "")
    assert len(ours(imap)) == 2
    imap.fail_on = None
    third = await service.drafts.save("work", to=["bob@example.net"], subject="s", text="v3",
                                      draft_id=first.id)
    assert third.server_error is None
    (raw,) = ours(imap)
    assert b"v3" in raw


async def test_invalid_drafts_are_refused_before_anything_is_kept(tmp_path: Path) -> None:
    service = service_with(tmp_path, FakeDraftsImap())
    with pytest.raises(ConfigError):
        await service.drafts.save("work", to=["not an address"], subject="s", text="t")
    with pytest.raises(NotFoundError):
        await service.drafts.save("work", to=["bob@example.net"], subject="s", text="t",
                                  draft_id="../../etc/x")
    assert service.drafts.list_drafts() == []


async def test_sending_a_draft_removes_it_here_and_on_the_server(tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    async with serving() as fake:
        service = service_with(tmp_path, imap, smtp=fake.config("none"), allow_insecure=True)
        saved = await service.drafts.save("work", to=["bob@example.net"], subject="Go",
                                          text="now\n")
        outcome, left = await service.send_draft(saved.id)
    assert outcome.accepted == ["bob@example.net"] and left is None
    assert ours(imap) == [] and service.drafts.list_drafts() == []
    assert b"X-Mailclient-Draft" not in fake.bodies[0], "the draft header stays home"
    (item,) = service.outbox.items()
    assert item.subject == "Go"


def test_a_draft_without_recipient_builds_for_the_server() -> None:
    draft = Draft(sender=Address("Ada", "ada", "example.org"), to=[], subject="Idea",
                  text="Just a thought.")
    message = build_message(draft, require_recipient=False)
    assert message["To"] is None and message["Subject"] == "Idea"
