"""``mailclient account add NAME --email ADDR --oauth2``: sign in in the browser instead of
giving a password; the tokens go to the keyring."""

from __future__ import annotations

import argparse
import sys
import webbrowser
from collections.abc import Callable

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.mail_service import MailService

SERVER_FLAGS = ("smtp_host", "smtp_port", "smtp_security", "incoming", "incoming_host",
                "incoming_port", "incoming_security")


def missing_server_flags(args: argparse.Namespace) -> list[str]:
    """The server flags not given, as written on the command line (``--smtp-host``)."""
    return ["--" + name.replace("_", "-") for name in SERVER_FLAGS
            if getattr(args, name) is None]


def _provider(args: argparse.Namespace, service: MailService) -> OAuthProvider:
    providers = service.accounts.providers
    if args.provider:
        return providers.built_in(args.provider)
    found = providers.for_address(args.email)
    if found is None:
        domain = args.email.rpartition("@")[2]
        raise ConfigError(f"no OAuth2 sign-in is known for {domain}: give --provider google "
                          "or --provider microsoft, or add the account with a password")
    return found


def _servers_found(args: argparse.Namespace, account: Account | None) -> Account:
    """``account`` (all server flags given), else one from the bundled provider database."""
    if account is not None:
        return account
    from mailclient.services.discovery import discover_bundled

    found = discover_bundled(args.email)
    incoming = [c for c in found.incoming if args.incoming in (None, c.protocol)]
    if not incoming or not found.outgoing:
        raise ConfigError(f"the servers of {args.email} are not known: give "
                          + " ".join(missing_server_flags(args)))
    return Account(name=args.name, email=args.email, display_name=args.display_name,
                   smtp=found.outgoing[0].to_server_config(),
                   incoming_kind="pop3" if incoming[0].protocol == "pop3" else "imap",
                   incoming=incoming[0].to_server_config(), ca_file=args.ca_file)


def _show_url(provider: OAuthProvider, no_browser: bool) -> Callable[[str], None]:
    def show(url: str) -> None:
        print(f"Sign in to {provider.display_name} in your browser; if it does not open, "
              f"open this address:\n{url}", flush=True)
        if not no_browser:
            webbrowser.open(url)
    return show


async def add_signed_in(args: argparse.Namespace, service: MailService,
                        account: Account | None) -> None:
    """Sign in, check both servers accept the token, save the account (tokens: keyring).

    ``account``: built from the server flags, or None to take the bundled database's."""
    if args.password_stdin:
        raise ConfigError("--oauth2 signs in in the browser: leave out --password-stdin")
    provider = _provider(args, service)
    account = _servers_found(args, account).with_changes(auth="oauth2",
                                                         oauth_provider=provider.key)
    account.validate()
    tokens = await service.accounts.sign_in(
        provider, open_browser=_show_url(provider, args.no_browser), login_hint=args.email)
    kept = await service.accounts.add_signed_in(account, tokens, verify=not args.no_verify)
    print(f"added account {account.name} ({account.email}), signed in with "
          f"{provider.display_name}")
    if not kept:
        print(f"mailclient: warning: {service.secrets.problem}; the sign-in is kept for this "
              "run only", file=sys.stderr)
