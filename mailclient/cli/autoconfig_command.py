"""``mailclient autoconfig ADDRESS [--json] [--network] [--verify --password-stdin [--save]]``:
the servers known for an address, from where, and whether they accept the login."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from mailclient.cli.main import CommandFailed, fail, read_password_stdin
from mailclient.core.errors import ConfigError, NetworkError
from mailclient.core.provider_config import ServerCandidate
from mailclient.services.discovery import Discovery, discover
from mailclient.services.discovery.network import make_network
from mailclient.services.discovery.online import discover_online
from mailclient.services.discovery.verify import LoginAttempt, VerifiedSetup, verify
from mailclient.services.mail_service import MailService

SECURITY_WORDS = {"ssl": "SSL/TLS", "starttls": "STARTTLS"}


async def autoconfig(args: argparse.Namespace, service: MailService) -> None:
    """Print what discovery found for ``args.address`` (and, with ``--verify``, which servers
    accepted the login; with ``--save``, add the account); exit 1 if nothing usable."""
    _check_options(args)
    password = read_password_stdin() if args.verify else ""
    found = await _discover(args)
    setup: VerifiedSetup | None = None
    if args.verify and found.found:
        setup = await verify(found, password, tester=service.accounts, ca_file=args.ca_file,
                             on_attempt=None if args.json else _print_attempt)
    saved = None
    if setup is not None and args.save:
        saved = await _save(args, service, setup, password)
    if args.json:
        print(json.dumps(discovery_json(found) | _verified_json(setup, saved), indent=2,
                         ensure_ascii=False))
    else:
        print_discovery(found)
    if not found.found:
        fail(not_found_message(found))
        raise CommandFailed
    if setup is not None and not setup.ok:
        fail(f"no discovered server accepted the login of {found.address}: "
             f"{_last_error(setup)}")
        raise CommandFailed
    if saved is not None and not args.json:
        print(f"added account {saved} ({found.address})")


async def _discover(args: argparse.Namespace) -> Discovery:
    if not (args.network or args.verify):
        return await discover(args.address)
    try:
        network = make_network(ca_file=args.ca_file, dns_server=args.dns_server)
    except NetworkError as exc:  # no DNS configuration at all: the bundled database alone
        print(f"mailclient: warning: {exc}; looking up offline", file=sys.stderr)
        return await discover(args.address)
    return await discover_online(args.address, network)


def _check_options(args: argparse.Namespace) -> None:
    if args.verify and not args.password_stdin:
        raise ConfigError("--verify needs the password: give it with --password-stdin")
    if args.save and not args.verify:
        raise ConfigError("--save needs --verify: only settings that logged in are saved")
    if args.ca_file and not Path(args.ca_file).is_file():
        raise ConfigError(f"the CA file {args.ca_file} does not exist or is not a file")


async def _save(args: argparse.Namespace, service: MailService, setup: VerifiedSetup,
                password: str) -> str | None:
    """Add the verified account (no second login); its name, or None if not verified."""
    if not setup.ok:
        return None
    account = setup.account(name=args.name, display_name=args.display_name or "",
                            ca_file=args.ca_file)
    if not await service.accounts.add(account, password, verify=False):
        print(f"mailclient: warning: {service.secrets.problem}; the password is kept for this "
              "run only", file=sys.stderr)
    return account.name


def _print_attempt(attempt: LoginAttempt) -> None:
    outcome = "logged in" if attempt.ok else f"failed: {attempt.error}"
    print(f"Trying {_describe(attempt.candidate)}: {outcome}")


def _last_error(setup: VerifiedSetup) -> str:
    failures = [attempt for attempt in setup.attempts if not attempt.ok]
    if not failures:
        return "nothing to try"
    last = failures[-1]
    return f"{last.candidate.host}:{last.candidate.port}: {last.error}"


def _verified_json(setup: VerifiedSetup | None, saved: str | None) -> dict[str, object]:
    if setup is None:
        return {}
    return {
        "verified": {
            "ok": setup.ok,
            "incoming": asdict(setup.incoming) if setup.incoming else None,
            "outgoing": asdict(setup.outgoing) if setup.outgoing else None,
            "attempts": [asdict(attempt.candidate) | {"ok": attempt.ok, "error": attempt.error}
                         for attempt in setup.attempts],
        },
        "saved_account": saved,
    }


def discovery_json(found: Discovery) -> dict[str, object]:
    """Plain data of a discovery: every value with the ``source`` it came from."""
    return {
        "address": found.address,
        "found": found.found,
        "provider": found.provider,
        "offline": found.offline,
        "network_answered": found.network_answered,
        "sources_tried": list(found.sources_tried),
        "answered": list(found.answered),
        "problems": list(found.problems),
        "incoming": [asdict(candidate) for candidate in found.incoming],
        "outgoing": [asdict(candidate) for candidate in found.outgoing],
    }


def print_discovery(found: Discovery) -> None:
    """The human form: the provider, each setting with its source, and how it was looked up."""
    if found.provider:
        print(f"Provider: {found.provider}")
    for title, candidates in (("Incoming", found.incoming), ("Outgoing", found.outgoing)):
        if candidates:
            print(f"{title}:")
        for candidate in candidates:
            print(f"  {_describe(candidate)}")
    print(_how_looked_up(found))


def not_found_message(found: Discovery) -> str:
    """Why there is nothing to use, in one line."""
    domain = found.address.rpartition("@")[2]
    if found.provider:
        return (f"{found.provider} ({domain}) offers no complete set of servers with TLS "
                "(cleartext settings are never used); enter the servers by hand")
    return (f"no settings known for {domain} in the {', '.join(found.sources_tried)}; "
            "enter the servers by hand")


def _describe(candidate: ServerCandidate) -> str:
    return (f"{candidate.protocol.upper():<5} {candidate.host}:{candidate.port} "
            f"{SECURITY_WORDS.get(candidate.security, candidate.security)}, "
            f"user {candidate.username}; from {candidate.source}")


def _how_looked_up(found: Discovery) -> str:
    if found.offline:
        return ("Looked up offline, in the bundled provider database only: no server was "
                "contacted and nothing was verified by logging in.")
    if not found.network_answered:
        return (f"Looked up in: {', '.join(found.sources_tried)}; no network source answered "
                "(offline?), so this comes from the bundled provider database alone.")
    return f"Looked up in: {', '.join(found.sources_tried)}."


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``autoconfig`` command, for the CLI parser."""
    parser = commands.add_parser(
        "autoconfig", help="find (and verify, and add) the servers of an e-mail address",
        description="Find the incoming and outgoing servers of an address: in the bundled "
        "provider database (Mozilla ISPDB), the provider's HTTPS autoconfig, DNS SRV records, "
        "the MX host's provider and guessed host names probed for TLS (--offline: the bundled "
        "database only). Cleartext settings are never offered.")
    parser.add_argument("address", help="the e-mail address, e.g. ada@gmail.com")
    parser.add_argument("--json", action="store_true",
                        help="print JSON, with where each value came from")
    parser.add_argument("--network", action="store_true", default=True,
                        help="also ask the network: HTTPS autoconfig, SRV, MX, guessed hosts "
                        "(the default)")
    parser.add_argument("--offline", dest="network", action="store_false",
                        help="only the bundled provider database")
    parser.add_argument("--dns-server", metavar="IP[:PORT]",
                        help="ask this DNS server instead of the system's")
    parser.add_argument("--ca-file", help="also trust the CA certificates in this PEM file")
    parser.add_argument("--verify", action="store_true",
                        help="log in to the servers found, best first (implies --network)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password for --verify from standard input")
    parser.add_argument("--save", action="store_true",
                        help="add the verified settings as an account")
    parser.add_argument("--name", help="the account's name for --save (default: the address)")
    parser.add_argument("--display-name", help="your name on sent mail, for --save")


HANDLERS = {"autoconfig": autoconfig}
