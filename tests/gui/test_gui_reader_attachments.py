"""The reader's attachments: each name is a link offering Open and Save As…; Save All keeps
every name without overwriting; what would run as a program is never opened from here."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMenu, QWidget

from mailclient.core.message_parse import view_message
from mailclient.ui.reader import ReaderPane
from mailclient.ui.reader_actions import ReaderActions

PDF = b"%PDF-1.4 figures"
SCRIPT = b"#!/bin/sh\necho hi\n"


def shown(qtbot) -> tuple[ReaderPane, ReaderActions]:
    message = EmailMessage()
    message["From"] = "Charles <charles@example.net>"
    message["Subject"] = "Figures"
    message.set_content("Attached.\n")
    message.add_attachment(PDF, maintype="application", subtype="pdf",
                           filename="../../Ergebnisse Köln.pdf")
    message.add_attachment(SCRIPT, maintype="text", subtype="x-sh", filename="setup.sh")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="report.pdf")
    host = QWidget()
    qtbot.addWidget(host)
    reader = ReaderPane(host)
    actions = ReaderActions(reader, host)
    raw = message.as_bytes()
    reader.show_message(view_message(raw), raw)
    return reader, actions


def test_names_are_links_and_save_writes_the_bytes(qtbot, tmp_path: Path) -> None:
    reader, actions = shown(qtbot)
    assert "href='attachment:0'" in reader.attachments.text()
    files = actions.attachments
    assert [name for name, _ in files.files()] == ["Ergebnisse Köln.pdf", "setup.sh",
                                                    "report.pdf"], "no directories in names"
    asked: list[str] = []
    files.ask_path = lambda suggested: (asked.append(suggested), str(tmp_path / "a.pdf"))[1]
    assert files.save(0) == tmp_path / "a.pdf" and (tmp_path / "a.pdf").read_bytes() == PDF
    assert asked == ["Ergebnisse Köln.pdf"]
    files.ask_path = lambda _suggested: ""
    assert files.save(0) is None, "cancelled"


def test_save_all_never_overwrites(qtbot, tmp_path: Path) -> None:
    _reader, actions = shown(qtbot)
    files = actions.attachments
    (tmp_path / "report.pdf").write_bytes(b"older")
    files.ask_folder = lambda: str(tmp_path)
    saved = files.save_all()
    assert sorted(p.name for p in saved) == ["Ergebnisse Köln.pdf", "report (2).pdf",
                                             "setup.sh"]
    assert (tmp_path / "report.pdf").read_bytes() == b"older"


def test_open_hands_a_private_copy_to_the_desktop_but_never_a_program(qtbot) -> None:
    _reader, actions = shown(qtbot)
    files = actions.attachments
    opened: list[QUrl] = []
    notes: list[str] = []
    files.open_url = opened.append
    files.note.connect(notes.append)
    copy = files.open(0)
    assert copy is not None and copy.read_bytes() == PDF and opened == [
        QUrl.fromLocalFile(str(copy))]
    assert files.open(1) is None and len(opened) == 1
    assert "would run as a program" in notes[-1]


def test_a_click_on_a_name_offers_open_and_save(qtbot) -> None:
    reader, actions = shown(qtbot)
    reader.attachments.linkActivated.emit("attachment:2")
    menus = [m for m in actions.attachments._parent.findChildren(QMenu) if m.isVisible()]
    assert menus and [a.text() for a in menus[-1].actions()] == ["&Open", "&Save As…",
                                                                  "Save &All…"]
    menus[-1].close()
