"""How the message lists show a message's fields: sender, size, folder and date, in short."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from mailclient.core.errors import format_size


def short_size(size: int) -> str:
    """A compact size for a list column: ``812 B``, ``4.2 KB``, ``1.3 MB``."""
    return f"{size} B" if size < 1000 else format_size(size)


def sender_name(sender: str) -> str:
    """The display name of ``"Name <addr>"``, else the address."""
    name, address = parseaddr(sender)
    return name or address or sender


def folder_name(name: str) -> str:
    """A folder's name as the list shows it (``INBOX`` is "Inbox")."""
    return "Inbox" if name.upper() == "INBOX" else name


def format_date(iso: str | None, now: datetime | None = None) -> str:
    """A short local date: time today, weekday this week, day and month this year."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    now = now or datetime.now().astimezone()
    if when.date() == now.date():
        return when.strftime("%H:%M")
    age = (now.date() - when.date()).days
    if 0 < age < 7:
        return when.strftime("%a %H:%M")
    if when.year == now.year:
        return f"{when.day} {when.strftime('%b')}"
    return when.strftime("%Y-%m-%d")
