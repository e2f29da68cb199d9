"""The command-line grammar: ``mailclient [--profile DIR] COMMAND ...``."""

from __future__ import annotations

import argparse
import sys

from mailclient.core.account import BODY_DOWNLOADS, INCOMING_KINDS, SECURITIES
from mailclient.core.mailto import is_mailto_url

# Options of the program itself, which may come before a mailto: link (and whether they take a
# value).
_GLOBAL_OPTIONS = {"--profile": True, "--debug": False, "--quit-after-start": False}


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number, not {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 1 to 65535, not {value}")
    return value


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"days must be a number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("days must be 0 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The parser; with no command, the app opens its window."""
    parser = argparse.ArgumentParser(
        prog="mailclient", description="A desktop email client. Without a command, opens the "
        "window; with a mailto: link, opens a new message filled in from it.")
    parser.add_argument("--profile", metavar="DIR",
                        help="keep settings, mail and logs under DIR (or $MAILCLIENT_PROFILE)")
    parser.add_argument("--debug", action="store_true",
                        help="log the IMAP, SMTP and POP3 conversations too (logins redacted)")
    # Open the window, then quit once it is shown: how packaging/check-frozen.sh tries a build.
    parser.add_argument("--quit-after-start", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    account = commands.add_parser("account", help="add, list, test or remove accounts")
    account_commands = account.add_subparsers(dest="account_command", metavar="ACTION",
                                              required=True)
    add = account_commands.add_parser("add", help="add an account (verifies both logins)")
    add.add_argument("name")
    add.add_argument("--email", required=True)
    add.add_argument("--display-name", default="")
    add.add_argument("--smtp-host")
    add.add_argument("--smtp-port", type=_port)
    add.add_argument("--smtp-security", choices=SECURITIES)
    add.add_argument("--smtp-username")
    add.add_argument("--incoming", choices=INCOMING_KINDS)
    add.add_argument("--incoming-host")
    add.add_argument("--incoming-port", type=_port)
    add.add_argument("--incoming-security", choices=SECURITIES)
    add.add_argument("--username")
    add.add_argument("--ca-file", metavar="PEM")
    add.add_argument("--allow-insecure", action="store_true",
                     help="allow security 'none' (the password travels in clear text)")
    add.add_argument("--no-verify", action="store_true", help="save without trying to log in")
    add.add_argument("--no-leave-on-server", action="store_true",
                     help="POP3: delete messages from the server once downloaded")
    add.add_argument("--bodies", choices=BODY_DOWNLOADS, default="all",
                     help="IMAP: download every body (all), those of the last --body-days "
                     "(recent), or each when opened (none); headers always")
    add.add_argument("--body-days", type=_days, default=30, metavar="N")
    add.add_argument("--delete-after-days", type=_days, metavar="N",
                     help="POP3: delete from the server N days after download")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input")
    add.add_argument("--oauth2", action="store_true",
                     help="sign in in the browser (Google, Microsoft) instead of a password; "
                     "the servers come from the provider database unless given")
    add.add_argument("--provider", choices=("google", "microsoft"),
                     help="with --oauth2: the provider (default: found from the address)")
    add.add_argument("--no-browser", action="store_true",
                     help="with --oauth2: only print the sign-in address, open no browser")
    listing = account_commands.add_parser("list", help="list accounts")
    listing.add_argument("--json", action="store_true")
    test = account_commands.add_parser("test", help="log in to both servers")
    test.add_argument("name")
    _password_flag(test)
    remove = account_commands.add_parser("remove", help="remove an account and its password")
    remove.add_argument("name")

    send = commands.add_parser("send", help="send a message now (or later, with --at)")
    send.add_argument("--account", required=True)
    send.add_argument("--to", action="append", default=[], metavar="ADDR")
    send.add_argument("--cc", action="append", default=[], metavar="ADDR")
    send.add_argument("--bcc", action="append", default=[], metavar="ADDR")
    send.add_argument("--subject", required=True)
    body = send.add_mutually_exclusive_group(required=True)
    body.add_argument("--body")
    body.add_argument("--body-file", metavar="F")
    send.add_argument("--attach", action="append", default=[], metavar="FILE")
    send.add_argument("--at", metavar="TIME",
                      help='send later: queue it until TIME, "2026-12-01 09:00" (local time) '
                      "or ISO 8601 with an offset; 'mailclient sync' sends it once due")
    _password_flag(send)

    sync = commands.add_parser("sync", help="fetch new mail and send what waits in the outbox")
    sync.add_argument("--account")
    _password_flag(sync)

    lister = commands.add_parser("list", help="list stored messages, newest first")
    lister.add_argument("--account")
    lister.add_argument("--folder")
    lister.add_argument("--json", action="store_true")

    search = commands.add_parser(
        "search", help="search stored messages",
        description="Words and \"quoted phrases\" match anywhere; fields: from: to: "
        "subject: body: filename: in:FOLDER account:NAME; filters: has:attachment is:unread "
        "is:read is:flagged before:YYYY-MM-DD after:YYYY-MM-DD; a leading - excludes.")
    search.add_argument("query", nargs="+", help="the search, e.g. from:ada has:attachment")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=100, metavar="N")

    show = commands.add_parser("show", help="show one stored message")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.add_argument("--raw", action="store_true", help="print the message as received")
    _password_flag(show)

    outbox = commands.add_parser("outbox", help="messages waiting to be sent")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", metavar="ACTION",
                                            required=True)
    outbox_list = outbox_commands.add_parser("list", help="list the outbox")
    outbox_list.add_argument("--json", action="store_true")
    retry = outbox_commands.add_parser("retry", help="send a held or failed message again")
    retry.add_argument("id", type=int)
    _password_flag(retry)
    cancel = outbox_commands.add_parser(
        "cancel", help="remove a queued, failed or held message from the outbox (not one "
        "being sent)")
    cancel.add_argument("id", type=int)
    from mailclient.cli import autoconfig_command, draft_commands, mailbox_commands

    mailbox_commands.add_parsers(commands)
    draft_commands.add_parsers(commands)
    autoconfig_command.add_parsers(commands)
    # Set after the commands, whose own usage lines start with the program's.
    parser.usage = "%(prog)s [-h] [--profile DIR] [--debug] [mailto:LINK | COMMAND ...]"
    return parser


def parse_command_line(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse ``argv`` (default ``sys.argv[1:]``); ``args.mailto`` is the ``mailto:`` link given
    instead of a command (``mailclient [--profile DIR] mailto:ADDR?subject=...``, as a desktop
    passes a clicked link), else None. Exits with status 2 on a wrong command line."""
    words = list(sys.argv[1:] if argv is None else argv)
    index = 0
    while index < len(words) and words[index].split("=", 1)[0] in _GLOBAL_OPTIONS:
        takes_value = _GLOBAL_OPTIONS[words[index].split("=", 1)[0]] and "=" not in words[index]
        index += 2 if takes_value else 1
    link = words[index] if index < len(words) and is_mailto_url(words[index]) else None
    parser = build_parser()
    if link is None:
        args = parser.parse_args(words)
    else:
        args = parser.parse_args(words[:index] + words[index + 1:])
        if args.command is not None:
            parser.error("a mailto: link opens the window: give it without a command")
    args.mailto = link
    return args


def _password_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input (when no keyring is usable)")
