"""Starting the GUI: the application, one instance per profile, the window, clean shutdown."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mailclient.services.mail_service import MailService
from mailclient.ui.bridge import Bridge
from mailclient.ui.i18n import install_translators
from mailclient.ui.icons import icon
from mailclient.ui.main_window import MainWindow
from mailclient.ui.single_instance import SingleInstance

APP_NAME = "mailclient"


def application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created on first use) named "mailclient"."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(sys.argv if argv is None else argv) or [APP_NAME])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(icon("app"))
    if not app.property("mailclient_translated"):
        install_translators(app)
        app.setProperty("mailclient_translated", True)
    return app


def run_gui(service: MailService, argv: list[str] | None = None) -> int:
    """Run the desktop window over ``service`` until it is closed; return the exit code.

    A second launch on the same profile raises the first window and returns 0 at once.
    """
    app = application(argv)
    instance = SingleInstance(str(service.profile.instance_socket))
    if not instance.acquire():
        return 0
    bridge = Bridge()
    bridge.at_exit(service.close_connections)
    window = MainWindow(service, bridge, check_now=bool(service.accounts.accounts()))
    instance.activated.connect(window.bring_to_front)
    try:
        window.show()
        if not service.accounts.accounts():
            QTimer.singleShot(0, lambda: window.add_account(first_run=True))
        return app.exec()
    finally:
        bridge.shutdown()
        window.shutdown()
        instance.release()
        window.deleteLater()
        bridge.deleteLater()
