"""Running a command: dispatch, plain one-line errors and exit codes (0 ok, 1 failed, 2 usage)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine

from mailclient.core.errors import ConfigError, MailError, NotFoundError
from mailclient.services.mail_service import MailService

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandFailed(Exception):
    """A command finished with a failure it already reported (exit 1)."""


def fail(message: str) -> None:
    """Print a one-line error to stderr."""
    print(f"mailclient: {message}", file=sys.stderr)


def read_password_stdin() -> str:
    """The password from standard input, without its line end."""
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ConfigError("--password-stdin was given but standard input held no password")
    return password


async def _then_log_out(work: Coroutine[object, object, object], service: MailService) -> None:
    try:
        await work
    finally:
        await service.close_connections()


def run_command(args: argparse.Namespace, service: MailService) -> int:
    """Run the parsed command on ``service``; never lets a user-caused error escape."""
    from mailclient.cli import (
        account_commands,
        autoconfig_command,
        draft_commands,
        mail_commands,
        mailbox_commands,
    )

    handlers: dict[str, Callable[[argparse.Namespace, MailService], object]] = {
        "account": account_commands.run,
        "send": mail_commands.send,
        "sync": mail_commands.sync,
        "list": mail_commands.list_messages,
        "search": mail_commands.search,
        "show": mail_commands.show,
        "outbox": mail_commands.outbox,
        **mailbox_commands.HANDLERS,
        "draft": draft_commands.run,
        **autoconfig_command.HANDLERS,
    }
    try:
        result = handlers[args.command](args, service)
        if asyncio.iscoroutine(result):
            asyncio.run(_then_log_out(result, service))
    except CommandFailed:
        return EXIT_FAILED
    except (NotFoundError, ConfigError) as exc:
        fail(str(exc))
        return EXIT_USAGE
    except MailError as exc:
        fail(str(exc))
        return EXIT_FAILED
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    return EXIT_OK
