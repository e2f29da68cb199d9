"""Remote images in the reader: blocked with a bar, loaded by the app on request (from a real
HTTPS server on 127.0.0.1), always for a sender once asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl
from PySide6.QtGui import QImage, QTextDocument

from mailclient.core.message_parse import view_message
from mailclient.core.settings import Settings
from mailclient.ui.reader import ReaderPane
from mailclient.ui.remote_image_loader import RemoteImageLoader
from tests.helpers.https_image_server import HttpsImageServer, Route, https_image_server
from tests.helpers.window_list import ADA, select

IMAGE = QTextDocument.ResourceType.ImageResource
SHOP = "Shop <news@shop.example>"


def png(colour: int = 0xCC3366, size: int = 40) -> bytes:
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(colour)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[HttpsImageServer]:
    with https_image_server(tmp_path / "tls") as running:
        running.routes = {"/banner.png": Route(png()), "/pixel.gif": Route(png(size=1))}
        yield running


def newsletter(server: HttpsImageServer, make_raw, subject: str = "Sale") -> bytes:
    html = (f'<h2>Big sale</h2><img src="{server.url("/banner.png")}" alt="banner">'
            f'<img src="{server.url("/pixel.gif")}" width="1" height="1">'
            '<p>Everything must go.</p>')
    return make_raw(subject, sender=SHOP, when=datetime(2024, 3, 4, tzinfo=UTC),
                    text="plain", html=html)


def test_nothing_is_fetched_until_the_user_asks(qtbot, server, make_raw, service,
                                                bridge) -> None:
    reader = ReaderPane()
    qtbot.addWidget(reader)
    reader.resize(700, 500)
    loader = RemoteImageLoader(reader, service.accounts, bridge,
                               ssl_context=server.client_context)
    raw = newsletter(server, make_raw)
    reader.show_message(view_message(raw), raw)
    reader.show()
    reader.grab()  # laid out and painted: nothing may be requested now
    assert not reader.blocked.isHidden()
    assert reader.blocked.always_button.text() == "Always for news@shop.example"
    assert server.requests == []  # the canary: nothing fetched before the click
    assert "banner.png" not in reader.body.toHtml()
    with qtbot.waitSignal(reader.body.document().contentsChanged, timeout=5000):
        reader.blocked.load_button.click()
    assert reader.blocked.isHidden()
    assert [path for _method, path, _body in server.requests] == ["/banner.png"]  # no pixel
    assert "banner.png" in reader.body.toHtml()
    shown = reader.body.loadResource(IMAGE, QUrl(server.url("/banner.png")))
    assert QImage.fromData(shown).width() == 40
    reader.grab().save("/tmp/h4/reader-images-loaded.png")
    assert loader.reader is reader
    assert service.accounts.settings.remote_image_senders == []  # once only


def test_always_for_sender_persists_and_loads_later_mail(make_window, deliver, server,
                                                         make_raw, service, qtbot,
                                                         account) -> None:
    deliver(ADA, "INBOX", "", datetime(2024, 3, 4, tzinfo=UTC),
            raw=newsletter(server, make_raw, "First sale"))
    deliver(ADA, "INBOX", "", datetime(2024, 3, 5, tzinfo=UTC),
            raw=newsletter(server, make_raw, "Second sale"))
    window = make_window(mark_read_ms=60_000)
    window.display.images.ssl_context = server.client_context
    select(window, "First sale")
    reader = window.reader
    assert not reader.blocked.isHidden() and server.requests == []
    with qtbot.waitSignal(reader.body.document().contentsChanged, timeout=5000):
        reader.blocked.always_button.click()
    saved = Settings.from_json(service.profile.settings_file.read_text(encoding="utf-8"))
    assert saved.remote_image_senders == ["news@shop.example"]
    assert [a.name for a in saved.accounts] == [account.name]  # the rest kept
    assert len(server.requests) == 1
    with qtbot.waitSignal(reader.body.document().contentsChanged, timeout=5000):
        select(window, "Second sale")  # loaded at once, no bar
    qtbot.waitUntil(lambda: len(server.requests) == 2)
    qtbot.waitUntil(lambda: "banner.png" in reader.body.toHtml())
    assert reader.blocked.isHidden()


def test_a_late_answer_for_another_message_is_dropped(qtbot, server, make_raw) -> None:
    reader = ReaderPane()
    qtbot.addWidget(reader)
    raw = newsletter(server, make_raw)
    reader.show_message(view_message(raw), raw)
    urls = reader.remote_urls()
    reader.show_message(view_message(make_raw("Other", when=datetime(2024, 1, 1, tzinfo=UTC))))
    reader.show_remote_images(urls, {urls[0]: png()})
    assert "banner.png" not in reader.body.toHtml()
