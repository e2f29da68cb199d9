"""``mailclient draft save|list|send|delete``: drafts kept here and in the IMAP Drafts folder."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from mailclient.cli.mail_commands import password_from_stdin, report_sent, send_failed
from mailclient.cli.main import fail
from mailclient.core.errors import ConfigError, MailError
from mailclient.core.message_build import Attachment
from mailclient.services.drafts_files import SavedDraft
from mailclient.services.mail_service import MailService


async def save(args: argparse.Namespace, service: MailService) -> None:
    account = service.accounts.get(args.account)
    if account.incoming_kind == "imap":
        password_from_stdin(args, service, [account.name])
    text = args.body if args.body is not None else Path(args.body_file).read_text("utf-8")
    attachments = [Attachment(Path(p).name, Path(p).read_bytes()) for p in args.attach]
    draft = await service.drafts.save(account.name, to=args.to, cc=args.cc, bcc=args.bcc,
                                      subject=args.subject, text=text, draft_id=args.id,
                                      attachments=attachments, in_reply_to=args.in_reply_to,
                                      sender=args.sender)
    print(draft.id)
    if draft.server_error:
        fail(f"draft {draft.id} is saved here only, not in the server's Drafts folder "
             f"({draft.server_error}); saving it again will try again")


def list_drafts(args: argparse.Namespace, service: MailService) -> None:
    if args.account:
        service.accounts.get(args.account)
    drafts = service.drafts.list_drafts(args.account)
    if args.json:
        print(json.dumps([_as_json(d) for d in drafts], indent=2, ensure_ascii=False))
        return
    for d in drafts:
        where = "here only" if d.server is None else f"here and in {d.server.folder}"
        print(f"{d.id}  {_when(d.updated_epoch)}  {d.account}  {', '.join(d.to)[:30]:30}  "
              f"{d.subject}  ({where})")


def _as_json(draft: SavedDraft) -> dict[str, object]:
    data = draft.to_json()
    data["updated"] = _when(draft.updated_epoch)
    return data


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")


async def send(args: argparse.Namespace, service: MailService) -> None:
    password_from_stdin(args, service, [service.drafts.get(args.id).account])
    try:
        outcome, left_on_server = await service.send_draft(args.id)
    except ConfigError:
        raise  # nothing was queued and the draft is kept: a plain usage error
    except MailError as exc:
        send_failed(exc)
    if left_on_server:
        fail(f"the draft was sent but is still in the server's Drafts folder: {left_on_server}")
    report_sent(outcome)


async def delete(args: argparse.Namespace, service: MailService) -> None:
    draft = service.drafts.get(args.id)
    password_from_stdin(args, service, [draft.account])
    removed = await service.drafts.delete(args.id)
    print(f"deleted draft {removed.id}: {removed.subject!r}")


async def run(args: argparse.Namespace, service: MailService) -> None:
    """Dispatch ``mailclient draft ACTION``."""
    actions = {"save": save, "send": send, "delete": delete}
    if args.draft_command == "list":
        list_drafts(args, service)
        return
    await actions[args.draft_command](args, service)


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The ``draft`` command and its actions, for the CLI parser."""
    draft = commands.add_parser("draft", help="save, list, send or delete drafts")
    actions = draft.add_subparsers(dest="draft_command", metavar="ACTION", required=True)
    saver = actions.add_parser(
        "save", help="save a draft (IMAP: also in the Drafts folder); prints its id")
    saver.add_argument("--account", required=True)
    saver.add_argument("--id", help="replace this draft with the new text")
    saver.add_argument("--to", action="append", default=[], metavar="ADDR")
    saver.add_argument("--cc", action="append", default=[], metavar="ADDR")
    saver.add_argument("--bcc", action="append", default=[], metavar="ADDR")
    saver.add_argument("--subject", default="")
    saver.add_argument("--attach", action="append", default=[], metavar="FILE")
    saver.add_argument("--in-reply-to", metavar="MESSAGE-ID",
                       help="the Message-ID of the message this draft answers")
    saver.add_argument("--from", dest="sender", metavar="ADDR",
                       help="write from this address (an identity) instead of the account's")
    body = saver.add_mutually_exclusive_group(required=True)
    body.add_argument("--body")
    body.add_argument("--body-file", metavar="F")
    lister = actions.add_parser("list", help="list drafts, the latest saved first")
    lister.add_argument("--account")
    lister.add_argument("--json", action="store_true")
    sender = actions.add_parser("send", help="send a draft now, then delete it")
    sender.add_argument("id")
    deleter = actions.add_parser("delete", help="delete a draft here and on the server")
    deleter.add_argument("id")
    for sub in (saver, sender, deleter):
        sub.add_argument("--password-stdin", action="store_true",
                         help="read the password from standard input")
