"""``mailclient send|sync|list|show|outbox``; ``send --at`` queues a message for later."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

from mailclient.cli.main import CommandFailed, fail, read_password_stdin
from mailclient.core.delivery_report import delivery_failure
from mailclient.core.errors import MailError, format_size
from mailclient.core.html_text import html_to_text
from mailclient.core.message_build import Attachment, Draft
from mailclient.core.message_parse import view_message
from mailclient.services.mail_service import MailService
from mailclient.services.outbox_items import SendOutcome
from mailclient.services.send_later import describe_time, parse_send_time
from mailclient.services.store.messages import MessageRow


def password_from_stdin(args: argparse.Namespace, service: MailService, names: list[str]) -> None:
    if getattr(args, "password_stdin", False):
        password = read_password_stdin()
        for name in names:
            service.secrets.remember(name, password)


async def send(args: argparse.Namespace, service: MailService) -> None:
    account = service.accounts.get(args.account)
    password_from_stdin(args, service, [account.name])
    text = args.body if args.body is not None else Path(args.body_file).read_text("utf-8")
    attachments = [Attachment(Path(p).name, Path(p).read_bytes()) for p in args.attach]
    draft = Draft(sender=account.sender, to=args.to, cc=args.cc, bcc=args.bcc,
                  subject=args.subject, text=text, attachments=attachments)
    if args.at is not None:
        at = parse_send_time(args.at)
        item_id = service.send_later(account.name, draft, at=at)
        print(f"queued as outbox message {item_id}, to be sent at {describe_time(at)} "
              "(by 'mailclient sync' then)")
        return
    try:
        outcome = await service.send(account.name, draft)
    except MailError as exc:
        send_failed(exc)
    report_sent(outcome)


def send_failed(exc: MailError) -> NoReturn:
    """Say why a send failed and where the message is now (the outbox)."""
    if exc.temporary:
        fail(f"{exc}; the message stays in the outbox and will be sent again by "
             "'mailclient sync'")
    else:
        fail(f"{exc}; the message stays in the outbox as failed")
    raise CommandFailed from exc


def report_sent(outcome: SendOutcome) -> None:
    """Print who got a sent message; fail if some recipients were refused."""
    print(f"sent to {', '.join(outcome.accepted)}: {outcome.reply}")
    if outcome.refused:
        fail(f"not delivered to {', '.join(outcome.refused)}")
        raise CommandFailed


async def sync(args: argparse.Namespace, service: MailService) -> None:
    accounts = [service.accounts.get(args.account)] if args.account else \
        service.accounts.accounts()
    password_from_stdin(args, service, [a.name for a in accounts])
    failed = False
    for account in accounts:
        try:
            report, flushed = await service.sync(account.name)
        except MailError as exc:
            fail(f"{account.name}: {exc}")
            failed = True
            continue
        for outcome in flushed.sent:
            print(f"{account.name}: sent outbox message {outcome.item_id}")
        for item_id, error in flushed.failed:
            fail(f"{account.name}: outbox message {item_id}: {error}")
            failed = True
        print(f"{account.name}: {report.new} new, {report.removed} removed, "
              f"{report.flags_changed} flag changes in {len(report.folders)} folders")
    if failed:
        raise CommandFailed


def list_messages(args: argparse.Namespace, service: MailService) -> None:
    if args.account:
        service.accounts.get(args.account)
    print_rows(service.store.list_messages(account=args.account, folder=args.folder), args.json)


def search(args: argparse.Namespace, service: MailService) -> None:
    print_rows(service.search(" ".join(args.query), limit=args.limit), args.json)


def print_rows(rows: list[MessageRow], as_json: bool) -> None:
    """Print messages as a JSON array or one line each."""
    if as_json:
        print(json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False))
        return
    for r in rows:
        mark = " " if "seen" in r.flags else "*"
        print(f"{r.id}  {mark} {(r.date or '')[:16]:16}  {r.sender[:28]:28}  {r.subject}")


async def show(args: argparse.Namespace, service: MailService) -> None:
    row = service.store.message(args.id)
    if not row.has_body:  # headers-only so far: fetch it now
        password_from_stdin(args, service, [row.account])
        try:
            await service.mailbox.ensure_body(args.id)
        except MailError as exc:
            fail(f"only the headers are stored and the body cannot be downloaded now: {exc}")
    raw = service.store.raw(args.id)
    if args.raw:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    view = view_message(raw)
    failure = delivery_failure(raw)
    if args.json:
        print(json.dumps({
            "id": args.id,
            "headers": [list(pair) for pair in view.headers],
            "from": view.from_, "to": view.to, "cc": view.cc, "subject": view.subject,
            "date": view.date.isoformat() if view.date else None,
            "text": view.text, "html": view.html,
            "attachments": [{"filename": a.filename, "content_type": a.content_type,
                             "size": a.size} for a in view.attachments],
            "defects": view.defects,
            "delivery_failure": failure.to_json() if failure else None,
        }, indent=2, ensure_ascii=False))
        return
    print(f"From: {view.from_}\nTo: {', '.join(view.to)}")
    if view.cc:
        print(f"Cc: {', '.join(view.cc)}")
    print(f"Date: {view.date.isoformat() if view.date else ''}\nSubject: {view.subject}\n")
    if failure is not None:
        print(f"Delivery failed: {failure.summary()}")
        for r in failure.recipients:
            said = f"\n    server said: {r.diagnostic}" if r.diagnostic else ""
            print(f"  {r.address}: {r.explanation()}{said}")
        print()
    if view.text is not None:
        print(view.text)
    elif view.html is not None:
        print(html_to_text(view.html))
    for a in view.attachments:
        print(f"[attachment] {a.filename or '(no name)'}  {a.content_type}  {format_size(a.size)}")


async def outbox(args: argparse.Namespace, service: MailService) -> None:
    service.outbox.recover_crashed()  # a send cut short by a crash shows as held, not sending
    if args.outbox_command == "list":
        items = service.outbox.items()
        if args.json:
            print(json.dumps([asdict(item) for item in items], indent=2, ensure_ascii=False))
        for item in items if not args.json else []:
            when = f"\tat {describe_time(item.next_attempt_epoch)}" if item.state == "queued" \
                and item.next_attempt_epoch > time.time() else ""
            print(f"{item.id}\t{item.state}\t{item.subject}\t{item.last_error or ''}{when}")
        return
    if args.outbox_command == "cancel":
        removed = service.outbox.cancel(args.id)
        print(f"removed outbox message {removed.id} ({removed.state}): {removed.subject!r} "
              f"to {', '.join(removed.recipients)}")
        return
    item = service.outbox.item(args.id)
    password_from_stdin(args, service, [item.account])
    outcome = await service.retry_outbox(item.id)
    if outcome is None:
        print(f"outbox message {item.id} is in the Sent folder: it was sent already, "
              "and is not sent again")
        return
    print(f"sent to {', '.join(outcome.accepted)}: {outcome.reply}")
    if outcome.refused:
        fail(f"not delivered to {', '.join(outcome.refused)}")
        raise CommandFailed
