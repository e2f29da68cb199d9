"""Translation, accessible names, the Tab order and icons on a dark palette, as a user of
another language, of the keyboard, of a screen reader or of a dark desktop meets them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from mailclient.core.errors import CertificateError
from mailclient.ui import i18n
from mailclient.ui.account_dialog import AccountDialog
from mailclient.ui.account_settings import AccountSettingsDialog
from mailclient.ui.certificate_dialog import CertificateDialog
from mailclient.ui.compose_window import ComposeWindow
from mailclient.ui.icons import icon
from mailclient.ui.identity_editor import IdentityDialog
from mailclient.ui.password_prompt import PasswordPrompt
from mailclient.ui.send_later_dialog import SendLaterDialog

GERMAN = {"&File": "&Datei", "&Message": "&Nachricht", "Undo": "Rückgängig",
          "&Get Mail": "&Nachrichten abrufen", "&Send": "&Senden"}


def lrelease() -> str | None:
    beside_python = Path(sys.executable).parent / "pyside6-lrelease"
    return str(beside_python) if beside_python.exists() else shutil.which("pyside6-lrelease")


def make_qm(directory: Path, name: str, texts: dict[str, str]) -> Path:
    """A compiled catalog translating ``texts`` in the app's context (pyside6-lrelease)."""
    tool = lrelease()
    if tool is None:
        pytest.skip("pyside6-lrelease is not installed: no .qm can be made for the test")
    messages = "".join(f"<message><source>{escape(source)}</source>"
                       f"<translation>{escape(target)}</translation></message>"
                       for source, target in texts.items())
    source = directory / f"{name}.ts"
    source.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" '
                      f'language="de_DE"><context><name>{i18n.CONTEXT}</name>{messages}'
                      "</context></TS>", encoding="utf-8")
    compiled = directory / f"{name}.qm"
    subprocess.run([tool, str(source), "-qm", str(compiled)], check=True, capture_output=True)
    return compiled


@pytest.fixture
def german(tmp_path: Path) -> Iterator[QTranslator]:
    translator = QTranslator()
    assert translator.load(str(make_qm(tmp_path, "mailclient_de", GERMAN)))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_the_catalog_lists_the_source_texts() -> None:
    catalog = i18n.TRANSLATIONS_DIR / "mailclient.ts"
    text = catalog.read_text(encoding="utf-8")
    assert "<name>mailclient</name>" in text
    for source in ("&amp;Get Mail", "Undo", "No new mail", "Search the stored messages"):
        assert source in text, source


def test_a_translator_is_honoured_by_the_main_window(german, make_window, account) -> None:
    window = make_window()
    assert window.menus["file"].title() == "&Datei"
    assert window.menus["message"].title() == "&Nachricht"
    assert window.get_mail_action.text() == "&Nachrichten abrufen"
    assert window.compose.undo_bar.undo_button.text() == "Rückgängig"
    compose = window.compose.write()
    assert compose is not None
    assert compose.send_action.text() == "&Senden"


def test_install_translators_loads_the_language_catalog(tmp_path, monkeypatch) -> None:
    make_qm(tmp_path, "mailclient_de", GERMAN)
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    app = QApplication.instance()
    assert app is not None
    installed = i18n.install_translators(app, QLocale(QLocale.Language.German))
    try:
        assert i18n.tr("Undo") == "Rückgängig"
        assert i18n.tr("Not in the catalog") == "Not in the catalog"
    finally:
        for translator in installed:
            QCoreApplication.removeTranslator(translator)
    assert i18n.tr("Undo") == "Undo"


# accessible names ------------------------------------------------------------------
# Qt's own parts of composite widgets, named by their owners or never reached by Tab.
QT_INTERNALS = ("qt_",)


def unnamed_controls(root: QWidget) -> list[str]:
    """The focusable widgets under ``root`` (itself too) that a screen reader cannot name:
    no accessible name, no label buddy, no text of their own."""
    widgets = [root, *root.findChildren(QWidget)]
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    found = []
    for widget in widgets:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or widget.isWindow():
            continue
        if widget.window() is not root.window():
            continue  # a combo box's popup list: the combo box is named
        if widget.objectName().startswith(QT_INTERNALS) or widget.accessibleName():
            continue
        if id(widget) in buddies:
            continue
        if isinstance(widget, QLabel):
            continue  # read by its text; a selectable one takes the focus by click, never Tab
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue  # read by its own text
        parent = widget.parentWidget()
        found.append(f"{type(widget).__name__} {widget.objectName()!r} in "
                     f"{type(parent).__name__ if parent else None}")
    return found


def test_main_window_controls_are_named(make_window, mailbox) -> None:
    assert unnamed_controls(make_window()) == []


def test_compose_window_controls_are_named(make_window, account) -> None:
    compose = make_window().compose.write()
    assert isinstance(compose, ComposeWindow)
    assert unnamed_controls(compose) == []


def test_account_dialogs_are_named(qtbot, service, bridge, account) -> None:
    settings = AccountSettingsDialog(service, bridge)
    qtbot.addWidget(settings)
    assert unnamed_controls(settings) == []
    dialog = AccountDialog(service, bridge)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []


def test_certificate_dialog_is_named(qtbot) -> None:
    error = CertificateError("imap.example.org", "self-signed certificate", "AB:CD", port=993,
                             subject="CN=imap.example.org", issuer="CN=imap.example.org",
                             not_before="2026-01-01 00:00:00 UTC",
                             not_after="2027-01-01 00:00:00 UTC")
    dialog = CertificateDialog(error)
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []


def test_small_dialogs_are_named(qtbot) -> None:
    dialogs = [SendLaterDialog(), PasswordPrompt("ada@example.org", ""), IdentityDialog()]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        assert unnamed_controls(dialog) == [], type(dialog).__name__


# the keyboard ----------------------------------------------------------------------
def tab_chain(qtbot, start: QWidget, count: int) -> list[QWidget | None]:
    """The widgets that have the focus after each of ``count`` presses of Tab from ``start``."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen: list[QWidget | None] = []
    for _ in range(count):
        before = QApplication.focusWidget()
        assert before is not None
        qtbot.keyClick(before, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_tab_goes_search_folders_list_reader(make_window, mailbox, qtbot) -> None:
    window = make_window()
    window.activateWindow()
    window.messages.setCurrentIndex(window.model.index(0, 0))
    qtbot.waitUntil(lambda: window.display.shown_id is not None)
    assert tab_chain(qtbot, window.search_box, 3) == [window.folders, window.messages,
                                                     window.reader.body]


def test_tab_goes_from_to_cc_bcc_subject_body(make_window, account, qtbot) -> None:
    compose = make_window().compose.write()
    assert compose is not None
    compose.activateWindow()
    assert tab_chain(qtbot, compose.from_box, 5) == [
        compose.to_edit, compose.cc_edit, compose.bcc_edit, compose.subject_edit, compose.body]


# the dark palette ------------------------------------------------------------------
def ink_lightness(name: str) -> float:
    """The mean lightness of the painted pixels of icon ``name`` at 24 px."""
    image = icon(name).pixmap(24, 24).toImage()
    values = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    painted = [c.lightness() for c in values if c.alpha() > 200]
    assert painted
    return sum(painted) / len(painted)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                         (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.Highlight, "#2a82da")):
        palette.setColor(role, QColor(colour))
    return palette


def test_icons_follow_the_palette_and_its_changes() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = QPalette(app.palette())
    try:
        app.setPalette(QApplication.style().standardPalette())
        on_light = ink_lightness("search")
        app.setPalette(dark_palette())
        on_dark = ink_lightness("search")  # the same QIcon, painted again
    finally:
        app.setPalette(light)
    assert on_light < 110 < 170 < on_dark
