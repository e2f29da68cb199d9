"""``mailclient account add|list|test|remove``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mailclient.cli.account_sign_in import add_signed_in, missing_server_flags
from mailclient.cli.main import CommandFailed, fail, read_password_stdin
from mailclient.core.account import Account, ServerConfig
from mailclient.core.errors import ConfigError, MailError
from mailclient.services.mail_service import MailService


async def run(args: argparse.Namespace, service: MailService) -> None:
    action = args.account_command
    if action == "add":
        await add(args, service)
    elif action == "list":
        list_accounts(args, service)
    elif action == "test":
        await test(args, service)
    elif action == "remove":
        removed = service.remove_account(args.name)
        print(f"removed account {removed.name}")


def account_from_args(args: argparse.Namespace) -> Account:
    """Build (not yet validated) account settings from ``account add`` flags."""
    username = args.username or args.email
    return Account(
        name=args.name,
        email=args.email,
        display_name=args.display_name,
        smtp=ServerConfig(args.smtp_host, args.smtp_port, args.smtp_security,
                          args.smtp_username or username),
        incoming_kind=args.incoming,
        incoming=ServerConfig(args.incoming_host, args.incoming_port, args.incoming_security,
                              username),
        ca_file=str(Path(args.ca_file).resolve()) if args.ca_file else None,
        allow_insecure=args.allow_insecure,
        leave_on_server=not args.no_leave_on_server,
        delete_after_days=args.delete_after_days,
        body_download=args.bodies,
        body_days=args.body_days,
    )


async def add(args: argparse.Namespace, service: MailService) -> None:
    missing = missing_server_flags(args)
    if args.oauth2:
        await add_signed_in(args, service, None if missing else account_from_args(args))
        return
    if not args.password_stdin:
        missing.append("--password-stdin")
    if missing:
        raise ConfigError(f"account add needs {' '.join(missing)} (or --oauth2 to sign in "
                          "in the browser)")
    account = account_from_args(args)
    account.validate()
    if account.ca_file and not Path(account.ca_file).is_file():
        raise MailError(f"the CA file {args.ca_file} does not exist or is not a file")
    password = read_password_stdin()
    kept = await service.accounts.add(account, password, verify=not args.no_verify)
    print(f"added account {account.name} ({account.email})")
    if not kept:
        print(f"mailclient: warning: {service.secrets.problem}; the password is kept for this "
              "run only: give it again with --password-stdin", file=sys.stderr)


def list_accounts(args: argparse.Namespace, service: MailService) -> None:
    accounts = service.accounts.accounts()
    if args.json:
        print(json.dumps([a.to_dict() for a in accounts], indent=2, ensure_ascii=False))
        return
    for a in accounts:
        print(f"{a.name}\t{a.email}\t{a.incoming_kind} {a.incoming.host}:{a.incoming.port} "
              f"({a.incoming.security})\tsmtp {a.smtp.host}:{a.smtp.port} ({a.smtp.security})")


async def test(args: argparse.Namespace, service: MailService) -> None:
    account = service.accounts.get(args.name)
    if args.password_stdin:
        service.secrets.remember(account.name, read_password_stdin())
    results = await service.accounts.test(account, await service.accounts.credential(account))
    for server, error in results.items():
        print(f"{server}: ok" if error is None else f"{server}: failed: {error}")
    if any(error is not None for error in results.values()):
        fail(f"account {account.name}: a login failed")
        raise CommandFailed
