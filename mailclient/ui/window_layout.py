"""How the main window is laid out: its panes, menu bar, toolbar and busy indicator, and the
actions only it has."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QWidget,
)

from mailclient.ui.compose_actions import ComposeActions
from mailclient.ui.i18n import tr
from mailclient.ui.icons import icon
from mailclient.ui.message_actions import MessageActions
from mailclient.ui.resend import Resend

if TYPE_CHECKING:
    from mailclient.ui.main_window import MainWindow
    from mailclient.ui.window_comforts import WindowComforts


class WindowActions:
    """Get Mail, Add Account, Quit, Search and Group by Conversation; the window connects
    them (``group`` is checkable). Keys follow ``QKeySequence.StandardKey`` where one exists.
    ``compose`` has Write, Reply, Reply All and Forward (and
    connects them itself); ``resend`` opens a bounced message again."""

    def __init__(self, parent: MainWindow) -> None:
        self.compose = ComposeActions(parent)
        self.resend = Resend(parent, self.compose)  # Edit and resend of a bounce's banner
        self.compose.write_action.setShortcuts(
            standard_keys(QKeySequence.StandardKey.New, "Ctrl+N"))
        self.get_mail = QAction(icon("get-mail"), tr("&Get Mail"), parent)
        self.get_mail.setShortcuts(standard_keys(QKeySequence.StandardKey.Refresh, "F5"))
        self.get_mail.setToolTip(tr("Get new mail for every account (F5)"))
        self.add_account = QAction(icon("add-account"), tr("&Add Account…"), parent)
        self.quit = QAction(tr("&Quit"), parent)
        self.quit.setShortcuts(standard_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"))
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.find = QAction(icon("search"), tr("&Search Messages"), parent)
        self.find.setShortcuts([*standard_keys(QKeySequence.StandardKey.Find, "Ctrl+F"),
                                QKeySequence("Ctrl+K")])
        self.group = QAction(tr("Group by &Conversation"), parent)
        self.group.setCheckable(True)
        self.group.setShortcut(QKeySequence("Ctrl+T"))
        self.group.setToolTip(tr("One row per conversation, its messages shown together "
                                 "(Ctrl+T)"))


TAKEN_KEYS = {"Ctrl+R"}  # Reply; some desktops also bind Refresh to it


def standard_keys(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """The platform's keys for ``key`` (none taken by another action), else ``fallback``;
    the fallback comes first so that menus show it."""
    found = [k for k in QKeySequence.keyBindings(key) if k.toString() not in TAKEN_KEYS]
    first = QKeySequence(fallback)
    return [first, *(k for k in found if k != first)]


def build_menus(window: QMainWindow, own: WindowActions, messages: MessageActions,
                search_box: QWidget, comforts: WindowComforts) -> dict[str, QMenu]:
    """Fill the menu bar (File, Edit, View, Folder, Message) and add the toolbar; returns
    the menus by name ("file", "edit", "view", "folder", "message") for more entries."""
    compose, folders, filing = own.compose, comforts.folder_actions, comforts.filing
    bar = window.menuBar()
    menus = {key: bar.addMenu(text) for key, text in (
        ("file", tr("&File")), ("edit", tr("&Edit")), ("view", tr("&View")),
        ("folder", tr("F&older")), ("message", tr("&Message")))}
    _fill(menus["file"], [compose.write_action, own.get_mail, own.add_account, None, own.quit])
    menus["edit"].addAction(own.find)
    menus["view"].addAction(own.group)
    menus["folder"].aboutToShow.connect(folders.update_state)
    _fill(menus["folder"], [folders.new_action, folders.rename_action, folders.delete_action,
                            None, folders.mark_read_action])
    menu = menus["message"]
    menu.aboutToShow.connect(messages.update_state)
    _fill(menu, [compose.write_action, compose.reply_action, compose.reply_all_action,
                 compose.forward_action, None, messages.read_action, messages.flag_action,
                 filing.archive_action, filing.junk_action])
    menu.addMenu(messages.move_menu)
    _fill(menu, [None, messages.delete_action])
    toolbar = QToolBar(tr("Main"))
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    _fill(toolbar, [own.get_mail, compose.write_action, None, compose.reply_action,
                    compose.reply_all_action, compose.forward_action, filing.archive_action,
                    filing.junk_action, messages.delete_action])
    for action in (compose.reply_all_action, compose.forward_action, filing.junk_action):
        action.setPriority(QAction.Priority.LowPriority)  # icon only: the search box fits
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addWidget(search_box)
    window.addToolBar(toolbar)
    return menus


def _fill(menu: QMenu | QToolBar, actions: list[QAction | None]) -> None:
    """Add ``actions`` in order; None is a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)


def busy_indicator(window: QMainWindow) -> QProgressBar:
    """The small endless bar the status bar shows while mail is fetched (hidden at first)."""
    busy = QProgressBar()
    busy.setAccessibleName(tr("Getting mail"))
    window.statusBar().addPermanentWidget(busy)
    busy.setRange(0, 0)
    busy.setMaximumWidth(120)
    busy.setMaximumHeight(14)
    busy.setTextVisible(False)
    busy.hide()
    return busy


def chain_focus(widgets: list[QWidget]) -> None:
    """Make Tab go through ``widgets`` in this order."""
    for before, after in pairwise(widgets):
        QWidget.setTabOrder(before, after)


def panes(folders: QWidget, messages: QWidget, reading: QWidget) -> QSplitter:
    """The folder tree on the left; the message list above the reading pane on the right."""
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(messages)
    right.addWidget(reading)
    right.setStretchFactor(1, 1)
    right.setSizes([260, 420])
    main = QSplitter(Qt.Orientation.Horizontal)
    main.addWidget(folders)
    main.addWidget(right)
    main.setStretchFactor(1, 1)
    main.setSizes([230, 870])
    for splitter in (main, right):
        splitter.setChildrenCollapsible(False)
    return main
