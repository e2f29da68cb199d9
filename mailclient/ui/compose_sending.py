"""Sending a compose window's message through the bridge, and what the window shows then."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from mailclient.core.errors import AuthenticationError, MailError, find_cause
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import QT_TRANSLATE_NOOP, tr
from mailclient.ui.oauth_sign_in import SignInAgainPrompt
from mailclient.ui.password_prompt import PasswordPrompt, ask_password
from mailclient.ui.send_later_dialog import SendLaterDialog

if TYPE_CHECKING:
    from mailclient.ui.compose_window import ComposeWindow

STAYS_QUEUED = QT_TRANSLATE_NOOP(
    "mailclient", "The message stays in the outbox and is sent again at the next Get Mail; "
                  "Send here would send a second copy.")


def failure_text(failure: Failure) -> str:
    """What the window's error bar says when sending failed."""
    text = tr("The message was not sent: {error}.").format(error=failure.message)
    if isinstance(failure.error, MailError) and failure.error.temporary:
        text += " " + tr(STAYS_QUEUED)
    return text


class ComposeSending(QObject):
    """Runs ``service.send`` for the window: it closes on success; on failure it shows
    again (it may have been hidden while Undo was offered) with the error, nothing lost.

    Signals:
        message_sent(str): the message with this subject was sent.
        message_scheduled(str, float): the message with this subject waits in the outbox
            until that time (Send Later).
    """

    message_sent = Signal(str)
    message_scheduled = Signal(str, float)  # subject, when (epoch): it waits in the outbox

    def __init__(self, window: ComposeWindow, service: MailService, bridge: Bridge) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.bridge = bridge
        self.busy = False
        self.sent = False
        self.item_id: int | None = None  # the outbox message sent after the undo delay
        self.prompt: PasswordPrompt | SignInAgainPrompt | None = None

    def send_now(self) -> None:
        """Send the message as the fields say (the undo delay is over)."""
        if self.busy or self.sent:
            return
        window = self.window
        draft, name, service = window.draft(), window.account.name, self.service
        self.busy = True
        window.send_action.setEnabled(False)
        window.statusBar().showMessage(tr("Sending…"))
        self.bridge.run(lambda: service.send(name, draft), self._sent, self._failed,
                        key=name, label=tr("sending a message"))

    def queue(self, delay_seconds: float) -> int | None:
        """Put the message in the outbox, to go after ``delay_seconds`` (the undo delay): it
        survives a crash meanwhile (a later Get Mail sends it). None if it is invalid (the
        window shows why)."""
        window = self.window
        try:
            return self.service.send_later(window.account.name, window.draft(),
                                           at=time.time() + delay_seconds)
        except MailError as exc:
            window.show_error(tr("The message was not sent: {error}.").format(error=exc))
            return None

    def ask_send_later(self) -> SendLaterDialog | None:
        """Send Later: ask when; the message then waits in the outbox and the window closes."""
        window = self.window
        if self.busy or self.sent or not window.sendable():
            return None
        dialog = SendLaterDialog(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._schedule(dialog.chosen))
        dialog.open()
        return dialog

    def _schedule(self, when: datetime | None) -> None:
        if when is None or self.busy or self.sent:
            return
        item = self.queue(max(when.timestamp() - time.time(), 0.0))
        if item is None:
            return
        self.sent = True
        self.window.drafts.delete()
        self.message_scheduled.emit(self.window.subject_edit.text().strip(), when.timestamp())
        self.window.close()
        self.window.drafts.check_finished()

    def send_queued(self, item_id: int) -> None:
        """The undo delay is over: send the queued message now."""
        if self.busy or self.sent:
            return
        name, service = self.window.account.name, self.service
        self.busy = True
        self.item_id = item_id
        self.bridge.run(lambda: service.send_queued(item_id), self._sent, self._failed,
                        key=name, label=tr("sending a message"))

    def cancel(self, item_id: int) -> bool:
        """Take a queued message back out of the outbox (Undo); False if it is already
        being sent or was sent."""
        try:
            self.service.outbox.cancel(item_id)
        except MailError:
            return False
        return True

    def _sent(self, _outcome: object) -> None:
        self.busy = False
        self.sent = True
        self.window.drafts.delete()
        self.message_sent.emit(self.window.subject_edit.text().strip())
        self.window.close()
        self.window.drafts.check_finished()

    def _failed(self, failure: Failure) -> None:
        self.busy = False
        window = self.window
        window.send_action.setEnabled(True)
        window.statusBar().clearMessage()
        window.show_error(failure_text(failure))
        window.drafts.reopened()
        window.show()
        window.raise_()
        window.activateWindow()
        window.drafts.check_finished()
        refused = find_cause(failure.error, AuthenticationError)
        if isinstance(refused, AuthenticationError) and refused.oauth_rejected:
            self._ask_sign_in(failure.message)
        elif isinstance(refused, AuthenticationError) and not refused.temporary:
            self._ask_password(failure.message)

    def _ask_sign_in(self, reason: str) -> None:
        """The provider refused the account's OAuth2 sign-in: sign in again, then send."""
        if self.prompt is not None:
            return
        prompt = SignInAgainPrompt(self.service, self.bridge, self.window.account.name, reason,
                                   self.window)
        prompt.signed_in.connect(self.retry)
        prompt.finished.connect(lambda _result: setattr(self, "prompt", None))
        self.prompt = prompt
        prompt.open()

    def _ask_password(self, reason: str) -> None:
        """The server refused the saved password: ask for the new one, then send again."""
        if self.prompt is not None:
            return
        self.prompt = ask_password(self.window, self.service, self.bridge,
                                   self.window.account.name, reason, self.retry)
        self.prompt.finished.connect(lambda _result: setattr(self, "prompt", None))

    def retry(self) -> None:
        """Send again: the failed outbox message if there is one, else the fields."""
        item_id, service = self.item_id, self.service
        if item_id is None:
            self.send_now()
            return
        self.busy = True
        self.window.send_action.setEnabled(False)
        self.bridge.run(lambda: service.retry_outbox(item_id), self._sent, self._failed,
                        key=self.window.account.name, label=tr("sending a message"))
