"""How the main window is laid out: its panes, menu bar, toolbar and busy indicator, and the
actions only it has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QWidget,
)

from mailclient.ui.compose_actions import ComposeActions
from mailclient.ui.icons import icon
from mailclient.ui.message_actions import MessageActions
from mailclient.ui.resend import Resend

if TYPE_CHECKING:
    from mailclient.ui.main_window import MainWindow


class WindowActions:
    """Get Mail, Add Account, Quit, Search and Group by Conversation; the window connects
    them (``group`` is checkable). ``compose`` has Write, Reply, Reply All and Forward (and
    connects them itself); ``resend`` opens a bounced message again."""

    def __init__(self, parent: MainWindow) -> None:
        self.compose = ComposeActions(parent)
        self.resend = Resend(parent, self.compose)  # Edit and resend of a bounce's banner
        self.get_mail = QAction(icon("get-mail"), "&Get Mail", parent)
        self.get_mail.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.get_mail.setToolTip("Get new mail for every account (F5)")
        self.add_account = QAction(icon("add-account"), "&Add Account…", parent)
        self.quit = QAction("&Quit", parent)
        self.quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.find = QAction(icon("search"), "&Search Messages", parent)
        self.find.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")])
        self.group = QAction("Group by &Conversation", parent)
        self.group.setCheckable(True)
        self.group.setShortcut(QKeySequence("Ctrl+T"))
        self.group.setToolTip("One row per conversation, its messages shown together (Ctrl+T)")


def build_menus(window: QMainWindow, own: WindowActions, messages: MessageActions,
                search_box: QWidget) -> None:
    """Fill the menu bar (File, Edit, View, Message) and add the toolbar."""
    compose = own.compose
    menu = window.menuBar().addMenu("&File")
    menu.addAction(compose.write_action)
    menu.addAction(own.get_mail)
    menu.addAction(own.add_account)
    menu.addSeparator()
    menu.addAction(own.quit)
    window.menuBar().addMenu("&Edit").addAction(own.find)
    window.menuBar().addMenu("&View").addAction(own.group)
    menu = window.menuBar().addMenu("&Message")
    menu.aboutToShow.connect(messages.update_state)
    menu.addAction(compose.write_action)
    for action in (compose.reply_action, compose.reply_all_action, compose.forward_action):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(messages.read_action)
    menu.addAction(messages.flag_action)
    menu.addMenu(messages.move_menu)
    menu.addSeparator()
    menu.addAction(messages.delete_action)
    toolbar = QToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addAction(own.get_mail)
    toolbar.addAction(compose.write_action)
    toolbar.addSeparator()
    for action in (compose.reply_action, compose.reply_all_action, compose.forward_action):
        toolbar.addAction(action)
    toolbar.addAction(messages.delete_action)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addWidget(search_box)
    window.addToolBar(toolbar)


def busy_indicator(window: QMainWindow) -> QProgressBar:
    """The small endless bar the status bar shows while mail is fetched (hidden at first)."""
    busy = QProgressBar()
    window.statusBar().addPermanentWidget(busy)
    busy.setRange(0, 0)
    busy.setMaximumWidth(120)
    busy.setMaximumHeight(14)
    busy.setTextVisible(False)
    busy.hide()
    return busy


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
