"""Print, Save As and Open Message File (.eml), and Unsubscribe, from the reader."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from mailclient.core.message_parse import view_message
from mailclient.ui.eml_window import MessageFileOpener
from mailclient.ui.reader import ReaderPane
from mailclient.ui.reader_actions import ReaderActions, file_name_for
from tests.helpers.https_image_server import Route, https_image_server

WHEN = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def build(qtbot) -> tuple[QWidget, ReaderPane, ReaderActions]:
    host = QWidget()
    qtbot.addWidget(host)
    reader = ReaderPane(host)
    return host, reader, ReaderActions(reader, host)


def test_print_to_pdf(qtbot, tmp_path: Path, make_raw) -> None:
    _host, reader, actions = build(qtbot)
    assert not actions.print_action.isEnabled()
    raw = make_raw("Printed notes", when=WHEN, text="The mill and the store.\n> quoted")
    reader.show_message(view_message(raw), raw)
    assert actions.print_action.isEnabled()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pdf = tmp_path / "message.pdf"
    printer.setOutputFileName(str(pdf))
    actions.print_to(printer)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_save_as_and_open_message_file(qtbot, tmp_path: Path, make_raw, monkeypatch) -> None:
    host, reader, actions = build(qtbot)
    raw = make_raw("Saved: a/b?", when=WHEN, text="Keep this.")
    reader.show_message(view_message(raw), raw)
    target = tmp_path / "saved.eml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (str(target), "Email messages (*.eml)"))
    actions.save_action.trigger()
    assert target.read_bytes() == raw
    assert file_name_for("Saved: a/b?") == "Saved  a b.eml"
    opener = MessageFileOpener(host)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(target), ""))
    with qtbot.waitSignal(opener.opened) as shown:
        opener.action.trigger()
    window = shown.args[0]
    qtbot.addWidget(window)
    assert window.reader.subject.text() == "Saved: a/b?"
    assert "Keep this." in window.reader.body_text()
    assert "saved.eml" in window.windowTitle()


def test_a_malformed_file_shows_its_text(qtbot, tmp_path: Path) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"\xff\xfenot: really\r\nContent-Type: multipart/mixed\r\n\r\n"
                       b"body \x00 text")
    window = MessageFileOpener(host).open(broken)
    assert window is not None
    qtbot.addWidget(window)
    shown = window.reader.body_text()  # not mail: its raw text
    assert "not: really" in shown and "body" in shown and "text" in shown


def test_unsubscribe_by_mail_and_web(qtbot, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    _host, reader, actions = build(qtbot)
    plain = b"From: a@example.org\r\nSubject: x\r\n\r\nhi\r\n"
    reader.show_message(view_message(plain), plain)
    assert not actions.unsubscribe_action.isVisible()
    listed = (b"From: list@list.example\r\nSubject: News\r\nList-Unsubscribe: "
              b"<mailto:leave@list.example?subject=unsubscribe>, <https://list.example/u>\r\n"
              b"\r\nhi\r\n")
    reader.show_message(view_message(listed), listed)
    assert actions.unsubscribe_action.isVisible()
    composed: list[str] = []
    actions.on_compose = composed.append
    actions.unsubscribe_action.trigger()
    assert composed == ["mailto:leave@list.example?subject=unsubscribe"]
    web = listed.replace(b"<mailto:leave@list.example?subject=unsubscribe>, ", b"")
    reader.show_message(view_message(web), web)
    actions.confirm = lambda _title, _text: False
    actions.unsubscribe_action.trigger()
    assert opened == []
    actions.confirm = lambda _title, _text: True
    actions.unsubscribe_action.trigger()
    assert opened == [QUrl("https://list.example/u").toString()]


def test_one_click_unsubscribe_posts_after_confirmation(qtbot, tmp_path: Path, bridge) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    reader = ReaderPane(host)
    with https_image_server(tmp_path / "tls") as server:
        server.routes = {"/u/7": Route(b"bye", "text/plain")}
        actions = ReaderActions(reader, host, bridge, ssl_context=server.client_context)
        raw = (f"From: list@list.example\r\nSubject: News\r\nList-Unsubscribe: "
               f"<{server.url('/u/7')}>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"
               f"\r\n\r\nhi\r\n").encode()
        reader.show_message(view_message(raw), raw)
        actions.confirm = lambda _title, _text: False
        actions.unsubscribe_action.trigger()
        assert server.requests == []  # nothing without the user's yes
        actions.confirm = lambda _title, _text: True
        with qtbot.waitSignal(actions.note, timeout=5000) as note:
            actions.unsubscribe_action.trigger()
        assert note.args == ["Unsubscribed: 127.0.0.1 accepted the request."]
        assert server.requests == [("POST", "/u/7", b"List-Unsubscribe=One-Click")]
