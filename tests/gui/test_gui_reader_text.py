"""The reader's plain text (format=flowed, dimmed quotes) and its links (misleading ones warn)."""

from __future__ import annotations

from email.message import EmailMessage

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from mailclient.core.message_parse import view_message
from mailclient.ui.reader import ReaderPane
from mailclient.ui.reader_body import palette_colours


def flowed_raw(text: str, delsp: bool = False) -> bytes:
    message = EmailMessage()
    message["From"] = "Charles <charles@example.net>"
    message["Subject"] = "Re: Notes"
    params = {"format": "flowed", **({"delsp": "yes"} if delsp else {})}
    message.set_content(text, params=params, cte="8bit")
    return message.as_bytes()


def test_flowed_text_is_reflowed_and_quotes_dimmed(qtbot) -> None:
    reader = ReaderPane()
    qtbot.addWidget(reader)
    raw = flowed_raw("One long \nparagraph.\n> quoted \n> words\n>> deeper\n\n-- \nCharles\n")
    reader.show_message(view_message(raw), raw)
    lines = reader.body_text().splitlines()
    assert "One long paragraph." in lines and "quoted words" in lines and "deeper" in lines
    document = reader.body.document()
    dim = palette_colours(reader.body).dim
    text_colour = reader.body.palette().color(QPalette.ColorRole.Text).name()
    colours = {}
    block = document.begin()
    while block.isValid():
        if block.text().strip():
            format_ = block.begin().fragment().charFormat()
            colours[block.text()] = format_.foreground().color().name()
        block = block.next()
    assert colours["quoted words"] == dim == colours["deeper"] == colours["Charles"]
    assert colours["One long paragraph."] != dim
    assert dim != text_colour


def test_delsp_and_fixed_text(qtbot) -> None:
    reader = ReaderPane()
    qtbot.addWidget(reader)
    raw = flowed_raw("Zusammen \ngesetzt\n", delsp=True)
    reader.show_message(view_message(raw), raw)
    assert "Zusammengesetzt" in reader.body_text()
    fixed = b"From: a@example.org\r\nSubject: x\r\n\r\nkept \r\nbroken\r\n"
    reader.show_message(view_message(fixed), fixed)
    assert reader.body_text().splitlines()[:2] == ["kept ", "broken"]


def html_with_links(reader: ReaderPane) -> None:
    raw = (b"From: bank@bank.example\r\nSubject: Login\r\nContent-Type: text/html\r\n\r\n"
           b'<a href="https://evil.example/steal">https://bank.example/login</a> '
           b'<a href="https://bank.example/help">bank.example</a>\r\n')
    reader.show_message(view_message(raw), raw)


def test_a_misleading_link_asks_first(qtbot, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    reader = ReaderPane()
    qtbot.addWidget(reader)
    html_with_links(reader)
    asked: list[str] = []

    def answer_dialog() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, answer_dialog)
    reader.body.anchorClicked.emit(QUrl("https://evil.example/steal"))
    assert asked == ["The link text shows bank.example but leads to evil.example. "
                     "Open it anyway?"]
    assert opened == []
    reader.body.confirm = lambda _parent, _mismatch: True
    reader.body.anchorClicked.emit(QUrl("https://evil.example/steal"))
    reader.body.anchorClicked.emit(QUrl("https://bank.example/help"))  # safe: no question
    assert opened == ["https://evil.example/steal", "https://bank.example/help"]


def test_hovering_a_link_tells_its_target(qtbot) -> None:
    reader = ReaderPane()
    qtbot.addWidget(reader)
    html_with_links(reader)
    with qtbot.waitSignal(reader.link_hovered) as hovered:
        reader.body.highlighted.emit(QUrl("https://evil.example/steal"))
    assert hovered.args == ["https://evil.example/steal"]
