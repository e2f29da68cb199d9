"""How the message lists show a message's fields (sender, size, folder, date, in short) and
their column headers."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from PySide6.QtCore import Qt

from mailclient.core.errors import format_size
from mailclient.services.store.rows import MessageRow
from mailclient.services.store.threads import ThreadRow
from mailclient.ui.i18n import tr
from mailclient.ui.icons import icon


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


def cell_text(message: MessageRow, column: str) -> str:
    """What the list shows of ``message`` in the column named ``column`` (``"From"`` ...)."""
    if column == "From":
        return sender_name(message.sender)
    if column == "Subject":
        return message.subject or tr("(no subject)")
    if column == "Date":
        return format_date(message.date)
    if column == "Account":
        return message.account
    if column == "Folder":
        return folder_name(message.folder)
    if column == "Size":
        return short_size(message.size)
    return ""


def cell_tooltip(message: MessageRow, thread: ThreadRow | None, column: str) -> str | None:
    """The tooltip of a list cell: the whole sender, date, place, or what a mark means."""
    if column == "From":
        return message.sender
    if column == "Date":
        return message.date
    if column in ("Account", "Folder"):
        return f"{message.account}: {folder_name(message.folder)}"
    if column == "" and "flagged" in message.flags:
        return tr("Flagged")
    if column == "Subject" and thread is not None and thread.count > 1:
        return tr("A conversation of {count} messages here, {unread} unread").format(
            count=thread.count, unread=thread.unread)
    if column == "Subject" and message.attachments:
        count = message.attachments
        return tr("1 attachment") if count == 1 else tr("{count} attachments").format(
            count=count)
    return None


def row_key(message: MessageRow, *, grouped: bool) -> str:
    """The key of the list row showing ``message``: its id, or in conversation view the
    key of its conversation (``thread:12``); keys survive a reload."""
    return f"thread:{message.thread_id}" if grouped and message.thread_id else message.id


def header_cell(name: str, role: int, *, flag_column: bool = False) -> object:
    """What the list's header shows for the column called ``name`` (the flag column has an
    icon and a tooltip instead of a name)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return tr(name) if name else ""
    if flag_column and role == Qt.ItemDataRole.DecorationRole:
        return icon("flag-column")
    if flag_column and role == Qt.ItemDataRole.ToolTipRole:
        return tr("Flagged (S)")
    return None
