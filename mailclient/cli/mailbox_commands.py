"""``mailclient mark|move|delete|empty|thread|folder``: changes to stored mail and folders."""

from __future__ import annotations

import argparse

from mailclient.cli.mail_commands import password_from_stdin, print_rows
from mailclient.cli.main import fail
from mailclient.core.errors import ConfigError, MailError
from mailclient.services.mail_service import MailService

MARKS = {"read": ("seen", True), "unread": ("seen", False), "flagged": ("flagged", True),
         "unflagged": ("flagged", False), "answered": ("answered", True)}


async def _push(args: argparse.Namespace, service: MailService, accounts: set[str]) -> None:
    """Replay the queued changes now; offline they wait for the next sync."""
    imap = [a for a in accounts if service.accounts.get(a).incoming_kind == "imap"]
    password_from_stdin(args, service, imap)
    for name in imap:
        try:
            await service.mailbox.push(name)
        except MailError as exc:
            fail(f"{name}: saved here; the server will be updated at the next sync ({exc})")


def _accounts_of(service: MailService, idents: list[str]) -> set[str]:
    return {service.store.message(i).account for i in idents}


async def mark(args: argparse.Namespace, service: MailService) -> None:
    flag, on = MARKS[args.as_]
    accounts = _accounts_of(service, args.ids)
    changed = service.mailbox.mark(args.ids, add=[flag] if on else [],
                                   remove=[] if on else [flag])
    print(f"{changed} marked {args.as_}")
    await _push(args, service, accounts)


async def move(args: argparse.Namespace, service: MailService) -> None:
    accounts = _accounts_of(service, args.ids)
    if len(accounts) != 1:
        fail("move messages of one account at a time")
        return
    moved = service.mailbox.move(args.ids, accounts.pop(), args.to)
    print(f"{moved} moved to {args.to}")
    await _push(args, service, _accounts_of(service, args.ids) if moved else set())


async def delete(args: argparse.Namespace, service: MailService) -> None:
    accounts = _accounts_of(service, args.ids)
    print(f"{service.mailbox.delete(args.ids)} deleted")
    await _push(args, service, accounts)


async def empty(args: argparse.Namespace, service: MailService) -> None:
    service.accounts.get(args.account)
    count = service.mailbox.empty_folder(args.account, args.folder)
    print(f"{count} deleted for good")
    await _push(args, service, {args.account})


async def folder(args: argparse.Namespace, service: MailService) -> None:
    """``folder create|rename|delete ACCOUNT NAME [NEW]``: at once on the server (IMAP)."""
    account = service.accounts.get(args.account)
    password_from_stdin(args, service, [account.name])
    mailbox = service.mailbox
    if args.folder_command == "create":
        print(f"created {await mailbox.create_folder(account.name, args.name)}")
    elif args.folder_command == "rename":
        if not args.new:
            raise ConfigError("give the new name: mailclient folder rename ACCOUNT NAME NEW")
        renamed = await mailbox.rename_folder(account.name, args.name, args.new)
        print(f"renamed {args.name} to {renamed}")
    else:
        count = await mailbox.delete_folder(account.name, args.name)
        print(f"deleted {args.name} and {count} stored messages")


def thread(args: argparse.Namespace, service: MailService) -> None:
    row = service.store.message(args.id)
    print_rows(service.store.thread(row.thread_id) if row.thread_id else [row], args.json)


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The subcommands of this module, for the CLI parser."""
    marker = commands.add_parser("mark", help="mark messages read, unread, flagged, ...")
    marker.add_argument("ids", nargs="+", metavar="ID")
    marker.add_argument("--as", dest="as_", required=True, choices=sorted(MARKS))
    mover = commands.add_parser("move", help="move messages to another folder")
    mover.add_argument("ids", nargs="+", metavar="ID")
    mover.add_argument("--to", required=True, metavar="FOLDER")
    deleter = commands.add_parser("delete", help="move messages to Trash (from Trash: for good)")
    deleter.add_argument("ids", nargs="+", metavar="ID")
    emptier = commands.add_parser("empty", help="delete every message of Trash or Junk")
    emptier.add_argument("--account", required=True)
    emptier.add_argument("--folder", help="the folder (default: the account's Trash)")
    for sub in (marker, mover, deleter, emptier):
        sub.add_argument("--password-stdin", action="store_true",
                         help="read the password from standard input")
    folders = commands.add_parser("folder", help="create, rename or delete a folder")
    folders.add_argument("folder_command", choices=("create", "rename", "delete"),
                         metavar="create|rename|delete")
    folders.add_argument("account")
    folders.add_argument("name", help="the folder (its full name, e.g. Projects/2024)")
    folders.add_argument("new", nargs="?", help="rename: the new full name")
    folders.add_argument("--password-stdin", action="store_true",
                         help="read the password from standard input")
    threads = commands.add_parser("thread", help="list the conversation of a message")
    threads.add_argument("id")
    threads.add_argument("--json", action="store_true")


HANDLERS = {"mark": mark, "move": move, "delete": delete, "empty": empty, "thread": thread,
            "folder": folder}
