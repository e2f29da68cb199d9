"""``mailclient autoconfig ADDRESS [--json]``: the servers known for an address, and from where."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from mailclient.cli.main import CommandFailed, fail
from mailclient.core.provider_config import ServerCandidate
from mailclient.services.discovery import Discovery, discover
from mailclient.services.mail_service import MailService

SECURITY_WORDS = {"ssl": "SSL/TLS", "starttls": "STARTTLS"}


async def autoconfig(args: argparse.Namespace, service: MailService) -> None:
    """Print what discovery found for ``args.address``; fails (exit 1) if nothing usable."""
    found = await discover(args.address)
    if args.json:
        print(json.dumps(discovery_json(found), indent=2, ensure_ascii=False))
    else:
        print_discovery(found)
    if not found.found:
        fail(not_found_message(found))
        raise CommandFailed


def discovery_json(found: Discovery) -> dict[str, object]:
    """Plain data of a discovery: every value with the ``source`` it came from."""
    return {
        "address": found.address,
        "found": found.found,
        "provider": found.provider,
        "offline": found.offline,
        "sources_tried": list(found.sources_tried),
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
    return f"Looked up in: {', '.join(found.sources_tried)}."


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``autoconfig`` command, for the CLI parser."""
    parser = commands.add_parser(
        "autoconfig", help="show the known servers of an e-mail address (offline lookup)",
        description="Find the incoming and outgoing servers of an address in the bundled "
        "provider database (Mozilla ISPDB), offline. Cleartext settings are never offered.")
    parser.add_argument("address", help="the e-mail address, e.g. ada@gmail.com")
    parser.add_argument("--json", action="store_true",
                        help="print JSON, with where each value came from")


HANDLERS = {"autoconfig": autoconfig}
