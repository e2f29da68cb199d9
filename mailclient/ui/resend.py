"""Edit and resend: the message a bounce returned opened again, its failed addresses marked."""

from __future__ import annotations

import email
import email.policy
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from mailclient.core.delivery_report import DeliveryFailure, FailedRecipient
from mailclient.core.delivery_report_dsn import split_parts
from mailclient.core.draft_fields import files_of
from mailclient.core.errors import MailError
from mailclient.core.header_summary import first_message_id, reference_ids
from mailclient.core.message_parse import address_list, header_text, parse_bytes, view_message
from mailclient.services.store.messages import MessageStore
from mailclient.ui.compose_reply import ComposeSeed, body_text
from mailclient.ui.compose_window import ComposeWindow
from mailclient.ui.i18n import plural, tr

if TYPE_CHECKING:
    from mailclient.ui.compose_actions import ComposeActions
    from mailclient.ui.main_window import MainWindow

log = logging.getLogger(__name__)
_BY_MESSAGE_ID = ("SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id "
                  "WHERE m.message_id = ? ORDER BY (f.role = 'sent') DESC, (m.account = ?) DESC "
                  "LIMIT 5")


def original_seed(raw: bytes) -> ComposeSeed | None:
    """The message ``raw`` as it was (recipients, subject, text, attachments, threading), not
    quoted; None when it has no body to send again (only its headers were returned)."""
    message = parse_bytes(raw)
    view = view_message(raw)
    text = body_text(view)
    attachments = files_of(message)
    if not text.strip() and not attachments:
        return None
    return ComposeSeed(to=list(view.to), cc=list(view.cc), bcc=address_list(message, "bcc"),
                       subject=view.subject, text=text, attachments=attachments,
                       in_reply_to=first_message_id(header_text(message, "in-reply-to")) or None,
                       references=reference_ids(header_text(message, "references")))


def returned_message(bounce: bytes) -> bytes | None:
    """The bytes of the message/rfc822 part a bounce returned, None without one."""
    try:
        parsed = email.message_from_bytes(bounce, policy=email.policy.compat32)
        original = split_parts(parsed).original
        return original.as_bytes() if original is not None else None
    except Exception:  # noqa: BLE001 - a hostile report must not break the reader
        return None


def stored_original(store: MessageStore, failure: DeliveryFailure,
                    account: str) -> bytes | None:
    """The whole stored message the bounce is about (the Sent copy first), by Message-ID."""
    if not failure.original_message_id:
        return None
    try:
        rows = store.db.query(_BY_MESSAGE_ID, (f"<{failure.original_message_id}>", account))
        for row in rows:
            if store.message(row["id"]).has_body:
                return store.raw(row["id"])
    except MailError as exc:
        log.warning("cannot read the bounced message: %s", exc)
    return None


def resend_seed(bounce: bytes, failure: DeliveryFailure, store: MessageStore,
                account: str) -> ComposeSeed:
    """The original message from the bounce itself, else from the store, else its subject."""
    for raw in (returned_message(bounce), stored_original(store, failure, account)):
        seed = original_seed(raw) if raw is not None else None
        if seed is not None:
            return seed
    return ComposeSeed(subject=failure.original_subject)


def not_delivered(failed: list[FailedRecipient]) -> str:
    """"Not delivered to a@b (no such user, 5.1.1). Fix or remove the address, then send."""
    items = [f"{r.address} ({r.reason}, {r.status})" if r.status else f"{r.address} ({r.reason})"
             for r in failed]
    if len(items) == 1:
        listing = items[0]
    else:
        listing = tr("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])
    return plural(len(items), tr("Not delivered to {listing}. Fix or remove the address, then "
                                 "send."),
                  tr("Not delivered to {listing}. Fix or remove the addresses, then send."),
                  listing=listing)


def mark_failed(compose: ComposeWindow, failed: list[FailedRecipient]) -> None:
    """Name the failed addresses in the error bar and select the first one in its field."""
    if not failed:
        return
    compose.show_error(not_delivered(failed))
    for edit in (compose.to_edit, compose.cc_edit, compose.bcc_edit):
        text = edit.text().lower()
        for recipient in failed:
            at = text.find(recipient.address.lower())
            if at >= 0:
                edit.setFocus()
                edit.setSelection(at, len(recipient.address))
                edit.setToolTip(tr("Not delivered: {reason}").format(
                    reason=recipient.explanation()))
                return


class Resend(QObject):
    """Opens a compose window when the reader's bounce banner asks to resend."""

    def __init__(self, window: MainWindow, compose: ComposeActions) -> None:
        super().__init__(window)
        self.main = window
        self.compose = compose
        window.reader.bounce.resend_requested.connect(lambda: self.open())

    def open(self) -> ComposeWindow | None:
        """A compose window for the message the bounce shown is about."""
        failure = self.main.reader.bounce.failure
        ident = self.main.display.shown_id
        if failure is None or ident is None:
            return None
        store = self.main.reader_store
        try:
            account = store.message(ident).account
            raw = store.raw(ident)
        except MailError as exc:
            self.main.statusBar().showMessage(tr("Cannot resend this message: {error}")
                                              .format(error=exc))
            return None
        compose = self.compose.open(resend_seed(raw, failure, store, account), account)
        if compose is not None:
            mark_failed(compose, [r for r in failure.recipients if r.permanent])
        return compose
