"""The reading pane and its browser: nothing remote or local is loaded, links are filtered."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument

from mailclient.core.message_parse import view_message
from mailclient.ui.reader import ReaderPane
from mailclient.ui.reader_body import inline_parts, plain_to_html
from mailclient.ui.safe_browser import SafeBrowser

IMAGE = QTextDocument.ResourceType.ImageResource


def png_bytes() -> bytes:
    image = QImage(2, 2, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_only_cid_resources_are_answered(qtbot, tmp_path) -> None:
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes())
    logo = png_bytes()
    browser.set_parts({"logo@example": logo, "junk@example": b"not an image"})
    for url in ("http://tracker.example/pixel.gif", "https://x.example/a.png",
                QUrl.fromLocalFile(str(secret)).toString(), str(secret), "secret.png"):
        answer = browser.loadResource(IMAGE, QUrl(url))
        assert isinstance(answer, QByteArray) and answer.isEmpty(), url
    assert bytes(browser.loadResource(IMAGE, QUrl("cid:logo@example")).data()) == logo
    for missing in ("cid:nothing@example", "cid:junk@example"):  # a blank pixel, no file
        blank = QImage.fromData(browser.loadResource(IMAGE, QUrl(missing)))
        assert blank.size().width() == 1 and blank.pixelColor(0, 0).alpha() == 0


def test_links_open_only_for_web_and_mail(qtbot, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    refused: list[str] = []
    browser.link_refused.connect(refused.append)
    for url in ("https://example.net/", "http://example.net/", "mailto:ada@example.org",
                "file:///etc/passwd", "javascript:alert(1)", "ftp://example.net/x"):
        browser.anchorClicked.emit(QUrl(url))
    assert opened == ["https://example.net/", "http://example.net/", "mailto:ada@example.org"]
    assert refused == ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.net/x"]


def test_plain_text_is_escaped_and_links_made_clickable() -> None:
    html = plain_to_html("<script>x</script> & see https://example.net/a?b=1.\n> quote", "Mono")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.net/a?b=1">' in html
    assert "white-space: pre-wrap" in html


def test_inline_parts_by_content_id() -> None:
    raw = (b"Content-Type: multipart/related; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/html\r\n\r\n<img src=\"cid:pic@x\">\r\n--b\r\n"
           b"Content-Type: image/png\r\nContent-ID: <pic@x>\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n")
    assert inline_parts(raw) == {"pic@x": b"hello"}
    assert inline_parts(b"not mime at all") == {}


def test_reader_shows_headers_and_attachments(qtbot) -> None:
    pane = ReaderPane()
    qtbot.addWidget(pane)
    raw = (b"From: Ada <ada@example.org>\r\nTo: b@example.org\r\nSubject: Hi\r\n"
           b"Date: Fri, 01 Mar 2024 10:00:00 +0000\r\n\r\nBody <b>text</b>\r\n")
    pane.show_message(view_message(raw), raw)
    assert pane.subject.text() == "Hi"
    assert pane.fields["From"].text() == "Ada <ada@example.org>"
    assert "2024" in pane.fields["Date"].text()
    assert "Body <b>text</b>" in pane.body_text()
    assert pane.attachment_row.isHidden()
    pane.clear()
    assert pane.body_text() == ""
