"""Folders created, renamed and deleted on Dovecot through the service and the CLI; the store
follows, queued changes go first, and the kept folders (Inbox, Trash...) are refused."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from pathlib import Path

import pytest

from mailclient.core.errors import ConfigError, NetworkError
from mailclient.services.mail_service import MailService
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from tests.helpers.cli_runner import add_account, assert_ok, run_cli
from tests.helpers.mailservers import MailServers, TestUser
from tests.helpers.memory_keyring import MemoryKeyring
from tests.helpers.sync_support import account_for, sample, second_client, server_uids

pytestmark = pytest.mark.integration


@pytest.fixture
def user(mail_servers: MailServers) -> TestUser:
    created = mail_servers.new_user("folders")
    mail_servers.load_maildir(created, [sample(n) for n in range(1, 4)])
    mail_servers.load_maildir(created, [], "Trash")
    return created


@pytest.fixture
def service(tmp_path: Path, mail_servers: MailServers, user: TestUser) -> Iterator[MailService]:
    profile = Profile.locate(tmp_path / "profile")
    mail = MailService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    mail.accounts.settings.add_account(account_for(mail_servers, user))
    mail.secrets.set_password(user.name, user.password)
    yield mail
    mail.close()


def run(service: MailService, work: Coroutine[object, object, None]) -> None:
    """Run ``work`` on a loop of its own, logging out of the kept connections on it."""
    async def then_log_out() -> None:
        try:
            await work
        finally:
            await service.close_connections()

    asyncio.run(then_log_out())


def server_folders(servers: MailServers, user: TestUser) -> set[str]:
    with second_client(servers, user) as client:
        _, lines = client.list()
    return {line.decode().rsplit(' "/" ', 1)[1].strip('"') for line in lines}


def test_create_rename_delete_with_children_and_queued_moves(
        service: MailService, mail_servers: MailServers, user: TestUser) -> None:
    async def work() -> None:
        await service.sync(user.name)
        mailbox = service.mailbox
        assert await mailbox.create_folder(user.name, "Projects") == "Projects"
        assert await mailbox.create_folder(user.name, "2024", parent="Projects") == \
            "Projects/2024"
        with pytest.raises(ConfigError, match="already has"):
            await mailbox.create_folder(user.name, "Projects")
        first = service.store.list_messages(account=user.name, folder="INBOX")[0]
        mailbox.move([first.id], user.name, "Projects/2024")  # queued, not yet on the server
        assert await mailbox.rename_folder(user.name, "Projects", "Work") == "Work"
        assert {"Work", "Work/2024"} <= server_folders(mail_servers, user)
        assert not {"Projects", "Projects/2024"} & server_folders(mail_servers, user)
        with second_client(mail_servers, user) as client:
            assert len(server_uids(client, "Work/2024")) == 1  # the move went first
        await service.sync(user.name)  # the renamed folders are known: nothing lost
        assert [m.subject for m in service.store.list_messages(folder="Work/2024")] == \
            [first.subject]
        assert service.store.count(user.name) == 3
        assert await mailbox.rename_folder(user.name, "Work/2024", "Old",
                                           keep_parent=True) == "Work/Old"
        assert await mailbox.delete_folder(user.name, "Work") == 1
        assert not {"Work", "Work/Old"} & server_folders(mail_servers, user)
        assert not {f.name for f in service.store.folders(user.name)} & {"Work", "Work/Old"}

    run(service, work())


def test_kept_folders_are_refused(service: MailService, user: TestUser) -> None:
    async def work() -> None:
        await service.sync(user.name)
        for name in ("INBOX", "Trash"):
            with pytest.raises(ConfigError, match="cannot be deleted"):
                await service.mailbox.delete_folder(user.name, name)
            with pytest.raises(ConfigError, match="cannot be renamed"):
                await service.mailbox.rename_folder(user.name, name, "Other")
        with pytest.raises(ConfigError, match="control"):
            await service.mailbox.create_folder(user.name, "bad\r\nname")

    run(service, work())


def test_archive_folder_is_created_once(service: MailService, mail_servers: MailServers,
                                        user: TestUser) -> None:
    async def work() -> None:
        await service.sync(user.name)
        assert service.mailbox.special_folder(user.name, "archive") is None
        assert await service.mailbox.ensure_special_folder(user.name, "archive") == "Archive"
        assert "Archive" in server_folders(mail_servers, user)
        assert service.mailbox.special_folder(user.name, "archive") == "Archive"
        await service.sync(user.name)  # the next listing keeps it
        assert service.mailbox.special_folder(user.name, "archive") == "Archive"

    run(service, work())


def test_offline_folder_changes_say_so(service: MailService, user: TestUser) -> None:
    async def work() -> None:
        await service.sync(user.name)
        await service.close_connections()
        settings = service.accounts.settings
        account = service.accounts.get(user.name)
        dead = account.with_changes(incoming=account.incoming.__class__(
            "127.0.0.1", 1, "ssl", user.name))
        settings.accounts[settings.accounts.index(account)] = dead
        with pytest.raises(NetworkError):
            await service.mailbox.create_folder(user.name, "Later")
        assert "Later" not in [f.name for f in service.store.folders(user.name)]

    run(service, work())


def test_cli_folder_commands(mail_servers: MailServers, user: TestUser, tmp_path: Path) -> None:
    profile = tmp_path / "cli-profile"
    assert_ok(add_account(profile, mail_servers, user))
    assert_ok(run_cli(profile, "sync"))
    assert "created Lists" in assert_ok(run_cli(profile, "folder", "create", user.name, "Lists"))
    assert "renamed Lists to Clubs" in assert_ok(
        run_cli(profile, "folder", "rename", user.name, "Lists", "Clubs"))
    assert "Clubs" in server_folders(mail_servers, user)
    assert "deleted Clubs" in assert_ok(run_cli(profile, "folder", "delete", user.name, "Clubs"))
    assert "Clubs" not in server_folders(mail_servers, user)
    refused = run_cli(profile, "folder", "delete", user.name, "INBOX")
    assert refused.returncode == 2 and "cannot be deleted" in refused.stderr
