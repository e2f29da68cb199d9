"""Keeping a compose window's message as a draft: on Save Draft, every so often, on close."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from mailclient.services.drafts_files import SavedDraft
from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import tr

if TYPE_CHECKING:
    from mailclient.ui.compose_window import ComposeWindow

class DraftKeeper(QObject):
    """Saves the window's fields through ``service.drafts`` on the bridge, one save at a
    time (a second one waits, so a new draft is never made twice), and deletes the draft
    once the message is sent or discarded.

    ``draft_id`` is the draft the window was opened from (or last saved as).
    """

    def __init__(self, window: ComposeWindow, service: MailService, bridge: Bridge,
                 draft_id: str | None) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.bridge = bridge
        self.draft_id = draft_id
        self.changed = False
        self.saving = False
        self._again: bool | None = None  # a save asked for while one runs (quiet or not)
        self._deleting = False
        self.discarded = False
        self._closed = False

    @property
    def busy(self) -> bool:
        return self.saving or self._deleting

    def mark_changed(self) -> None:
        self.changed = True

    # saving -------------------------------------------------------------------------
    def save(self) -> None:
        """Save now (Save Draft); a failure shows in the window's error bar."""
        self._save(quiet=False)

    def autosave(self) -> None:
        """Save if the fields changed since the last save (the timer, closing)."""
        if self.changed and not self.window.sending.busy and not self.window.sending.sent:
            self._save(quiet=True)

    def _save(self, *, quiet: bool) -> None:
        if self.discarded or self.window.sending.sent:
            return
        if self.saving:
            self._again = quiet if self._again is None else (self._again and quiet)
            return
        draft = self.window.draft()
        name, drafts, draft_id = self.window.account.name, self.service.drafts, self.draft_id
        self.changed, self.saving = False, True
        self.bridge.run(
            lambda: drafts.save(name, to=draft.to, cc=draft.cc, bcc=draft.bcc,
                                subject=draft.subject, text=draft.text, draft_id=draft_id,
                                sender=str(draft.sender), html=draft.html,
                                attachments=draft.attachments, reply_to=draft.reply_to,
                                in_reply_to=draft.in_reply_to, references=draft.references),
            self._saved, lambda failure: self._not_saved(failure, quiet),
            key=name, label=tr("saving a draft"))

    def _saved(self, saved: SavedDraft) -> None:
        self.saving = False
        self.draft_id = saved.id
        when = time.strftime("%H:%M")
        if saved.server_error:
            note = tr("Draft saved at {time}, on this computer only ({error})").format(
                time=when, error=saved.server_error)
        else:
            note = tr("Draft saved at {time}").format(time=when)
        self.window.statusBar().showMessage(note)
        self._next()

    def _not_saved(self, failure: Failure, quiet: bool) -> None:
        self.saving = False
        self.changed = True
        text = tr("The draft was not saved: {error}").format(error=failure.message)
        if quiet:
            self.window.statusBar().showMessage(text)
        else:
            self.window.show_error(text)
        self._next()

    def _next(self) -> None:
        again, self._again = self._again, None
        if self.discarded or self.window.sending.sent:
            self.delete()
        elif again is not None:
            self._save(quiet=again)
        self.check_finished()

    # deleting -----------------------------------------------------------------------
    def discard(self) -> None:
        """Throw the message away: no more saves; the draft is deleted."""
        self.discarded = True
        self.changed = False
        self.delete()

    def delete(self) -> None:
        """Delete the draft here and (if possible) on the server, once no save runs."""
        if self.saving or self._deleting or self.draft_id is None:
            return
        drafts, draft_id = self.service.drafts, self.draft_id
        self.draft_id = None
        self._deleting = True

        async def remove() -> None:
            await drafts.discard(drafts.get(draft_id))

        self.bridge.run(remove, self._deleted, self._deleted, key=self.window.account.name,
                        label=tr("deleting a draft"))

    def _deleted(self, _result: object) -> None:
        self._deleting = False
        self.check_finished()

    # closing ------------------------------------------------------------------------
    def can_close(self) -> bool:
        """Whether closing may go on: always (what changed is saved as a draft on close)."""
        return True

    def closed(self) -> None:
        """The window closed: save what changed; ``finished`` once nothing runs."""
        self._closed = True
        self.autosave()
        self.check_finished()

    def reopened(self) -> None:
        """The window shows again (sending failed after it was closed)."""
        self._closed = False

    def check_finished(self) -> None:
        if self._closed and not self.busy and not self.window.sending.busy:
            self.window.finished.emit()
