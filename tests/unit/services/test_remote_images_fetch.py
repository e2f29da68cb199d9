"""Remote images and one-click unsubscribe against a real HTTPS server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailclient.core.errors import NetworkError
from mailclient.core.list_unsubscribe import read_unsubscribe
from mailclient.core.settings import Settings
from mailclient.services.https_client import https_request
from mailclient.services.remote_images import (
    ImageLimits,
    allow_sender,
    fetch_images,
    images_allowed,
    sender_address,
)
from mailclient.services.unsubscribe import one_click_unsubscribe
from tests.helpers.https_image_server import HttpsImageServer, Route, https_image_server

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def server(tmp_path: Path) -> Iterator[HttpsImageServer]:
    with https_image_server(tmp_path / "tls") as running:
        yield running


def test_fetches_https_images_only(server: HttpsImageServer) -> None:
    server.routes = {"/a.png": Route(PNG), "/b.png": Route(PNG + b"b"),
                     "/page": Route(b"<html>", "text/html"),
                     "/hop": Route(status=302, location="/b.png")}
    urls = [server.url("/a.png"), server.url("/hop"), server.url("/page"),
            server.url("/missing.png"), f"http://127.0.0.1:{server.port}/a.png"]
    images = asyncio.run(fetch_images(urls, ssl_context=server.client_context))
    assert images == {server.url("/a.png"): PNG, server.url("/hop"): PNG + b"b"}
    paths = sorted(path for _method, path, _body in server.requests)
    assert paths == ["/a.png", "/b.png", "/hop", "/missing.png", "/page"]  # never http


def test_limits_number_size_and_total(server: HttpsImageServer) -> None:
    server.routes = {f"/{n}.png": Route(PNG * (n + 1)) for n in range(4)}
    urls = [server.url(f"/{n}.png") for n in range(4)]
    limits = ImageLimits(max_images=3, max_image_bytes=len(PNG) * 2,
                         max_total_bytes=len(PNG) * 2)
    images = asyncio.run(fetch_images(urls, ssl_context=server.client_context, limits=limits))
    assert list(images) == [server.url("/0.png")]  # 1.png fits alone, not with 0.png
    assert server.url("/3.png") not in {server.url(p) for _m, p, _b in server.requests}


def test_redirects_away_from_https_and_untrusted_certificates_fail(
        server: HttpsImageServer) -> None:
    server.routes = {"/down": Route(status=301, location="http://127.0.0.1:9/x.png")}
    with pytest.raises(NetworkError, match="redirect"):
        asyncio.run(https_request(server.url("/down"), ssl_context=server.client_context))
    with pytest.raises(NetworkError):  # the system's CAs do not trust the test certificate
        asyncio.run(https_request(server.url("/down")))
    with pytest.raises(NetworkError, match="only https"):
        asyncio.run(https_request("file:///etc/passwd"))


def test_one_click_unsubscribe_posts_the_rfc_8058_body(server: HttpsImageServer) -> None:
    server.routes = {"/unsub?u=7": Route(b"ok", "text/plain")}
    methods = read_unsubscribe(f"<{server.url('/unsub?u=7')}>", "List-Unsubscribe=One-Click")
    assert methods is not None
    status = asyncio.run(one_click_unsubscribe(methods, ssl_context=server.client_context))
    assert status == 200
    assert server.requests == [("POST", "/unsub?u=7", b"List-Unsubscribe=One-Click")]


class _Profile:
    def __init__(self) -> None:
        self.saved: list[str] = []

    def load_settings(self) -> Settings:
        return Settings.from_json(self.saved[-1]) if self.saved else Settings()

    def save_settings(self, settings: Settings) -> None:
        self.saved.append(settings.to_json())


class _Accounts:
    def __init__(self) -> None:
        self.profile = _Profile()
        self.settings = Settings()

    def reload(self) -> None:
        self.settings = self.profile.load_settings()


def test_always_allowed_senders_are_saved() -> None:
    accounts = _Accounts()
    assert sender_address("Shop <News@Shop.Example>") == "news@shop.example"
    assert allow_sender(accounts, "Shop <News@Shop.Example>") == "news@shop.example"  # type: ignore[arg-type]
    assert allow_sender(accounts, "news@shop.example") == "news@shop.example"  # type: ignore[arg-type]
    assert len(accounts.profile.saved) == 1
    accounts.reload()
    assert accounts.settings.remote_image_senders == ["news@shop.example"]
    assert images_allowed(accounts, "news@shop.example")  # type: ignore[arg-type]
    assert not images_allowed(accounts, "other@shop.example")  # type: ignore[arg-type]
    assert allow_sender(accounts, "undisclosed-recipients:;") == ""  # type: ignore[arg-type]
