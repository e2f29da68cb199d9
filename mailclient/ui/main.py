"""Starting the GUI: the application, one instance per profile, the window, clean shutdown."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from mailclient.services.mail_service import MailService
from mailclient.services.profile import BrokenSettingsError
from mailclient.ui.bridge import Bridge
from mailclient.ui.i18n import install_translators, tr
from mailclient.ui.icons import icon
from mailclient.ui.mailto_handler import open_mailto
from mailclient.ui.main_window import MainWindow
from mailclient.ui.single_instance import SingleInstance

APP_NAME = "mailclient"
APP_ID = "io.github.mailclient.Mailclient"  # the .desktop file's and AppStream's id
ICON_THEME = Path(__file__).resolve().parent.parent / "resources" / "icons" / "hicolor"
log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """The application's icon: the bundled SVG and PNGs, else the one painted in code."""
    bundled = QIcon()
    for file in sorted(ICON_THEME.glob(f"*/apps/{APP_ID}.*")):
        bundled.addFile(str(file))
    return bundled if not bundled.isNull() else icon("app")


def application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created on first use) named "mailclient"."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(sys.argv if argv is None else argv) or [APP_NAME])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    if not app.property("mailclient_translated"):
        install_translators(app)
        app.setProperty("mailclient_translated", True)
    return app


def ask_to_start_fresh(error: BrokenSettingsError, argv: list[str] | None = None) -> bool:
    """At start, with a settings file that cannot be used: say so in a dialog (the words the
    command line prints) and offer a way out; True when the user chose fresh settings (the
    caller sets the broken file aside), False to quit and mend it by hand."""
    application(argv)
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Settings cannot be read"),
                      tr("mailclient cannot start with its settings file."))
    words = str(error)
    box.setInformativeText(words[:1].upper() + words[1:])
    fresh = box.addButton(tr("Start with Fresh Settings"), QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    fresh.setToolTip(tr("The broken file is kept beside the new one as {name}.broken-DATE")
                     .format(name=error.path.name))
    box.exec()
    return box.clickedButton() is fresh


def run_gui(service: MailService, argv: list[str] | None = None, *, mailto: str | None = None,
            quit_after_start: bool = False) -> int:
    """Run the desktop window over ``service`` until it is closed; return the exit code.

    A second launch on the same profile raises the first window (handing it ``mailto``, a
    link to write to) and returns 0 at once. ``quit_after_start`` quits once the window is
    shown (status 1 if it is not visible): a smoke test of a build.
    """
    app = application(argv)
    instance = SingleInstance(str(service.profile.instance_socket))
    if not instance.acquire(mailto):
        log.info("handed the request to the running instance")
        return 0
    bridge = Bridge()
    bridge.at_exit(service.close_connections)
    window = MainWindow(service, bridge, check_now=bool(service.accounts.accounts()))
    instance.activated.connect(window.bring_to_front)
    instance.mailto_requested.connect(lambda link: open_mailto(window, link))
    try:
        window.show()
        QTimer.singleShot(0, lambda: _started(window, mailto, quit_after_start))
        return app.exec()
    finally:
        bridge.shutdown()
        window.shutdown()
        instance.release()
        window.deleteLater()
        bridge.deleteLater()


def _started(window: MainWindow, mailto: str | None, quit_after_start: bool) -> None:
    """Once the event loop runs: the first-run dialog, then the link's compose window."""
    log.info("main window shown: %s", "visible" if window.isVisible() else "NOT visible")
    if quit_after_start:
        QApplication.exit(0 if window.isVisible() else 1)
        return
    if window.service.accounts.accounts():
        if mailto is not None:
            open_mailto(window, mailto)
        return
    dialog = window.entries.quick_setup(first_run=True)
    if mailto is not None:  # write once there is an account to write from
        dialog.finished.connect(lambda _result: open_mailto(window, mailto))
