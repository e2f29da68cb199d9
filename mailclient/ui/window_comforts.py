"""The main window's comforts, built and wired in one place: folder actions, Archive and Junk,
messages dropped on folders, the new-mail notification, the remembered layout and the Tab
order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailclient.ui.folder_actions import FolderActions
from mailclient.ui.list_scope import ListScope
from mailclient.ui.message_filing import MessageFiling
from mailclient.ui.new_mail_notifier import NewMailNotifier
from mailclient.ui.window_layout import chain_focus
from mailclient.ui.window_state import WindowState

if TYPE_CHECKING:
    from mailclient.ui.main_window import MainWindow


class WindowComforts:
    """Builds the comforts for ``window`` (after its panes and message actions exist) and
    connects their signals to it."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.folder_actions = FolderActions(window.folders, window.reader_store, window.service,
                                            window.bridge, window.message_actions, window)
        self.filing = MessageFiling(window.message_actions, window.service, window.bridge,
                                    window)
        self.notifier = NewMailNotifier(window.reader_store, window.bridge, window)
        self.state = WindowState(window.service.profile.config_dir)
        folders, status = self.folder_actions, window.statusBar()
        folders.folders_changed.connect(self._folders_changed)
        folders.flags_changed.connect(window.flags_changed)
        folders.note.connect(status.showMessage)
        window.folders.messages_dropped.connect(window.message_actions.move_ids)
        window.get_mail.finished.connect(lambda _summary: self.notifier.check())

    def _folders_changed(self, scope: ListScope | None) -> None:
        window = self.window
        window.refresh()
        item = None if scope is None else window.folders.find_scope(scope)
        if item is not None:
            window.folders.setCurrentItem(item)
        self.folder_actions.update_state()

    def restore(self) -> None:
        """Put back the layout of the last run and set the Tab order: search, folders, list,
        reader (call once the window is built and the tree filled)."""
        window = self.window
        self.state.restore(window)
        window.update_columns()
        chain_focus([window.search_box, window.folders, window.messages,
                     window.reading.messages, window.reader.body])

    def save(self) -> None:
        """Remember the layout (on close)."""
        self.state.save(self.window)
