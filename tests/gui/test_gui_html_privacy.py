"""Showing HTML mail fetches nothing: every HTML message of ../shared/corpus, its URLs turned
into canaries, and hostile handmade samples render in the real reader with zero HTTP
requests to a local server and zero opens of a named-pipe canary file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from mailclient.core.message_parse import parse_bytes, part_text, view_message
from mailclient.ui.reader import ReaderPane
from tests.helpers.canary import FifoCanary, HttpCanary, fifo_canary, http_canary

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
URL_ATTRIBUTE = re.compile(
    r"(\b(?:src|href|background|srcset|data|poster|lowsrc|dynsrc|longdesc|action|codebase"
    r"|xlink:href)\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*(['\"]?)[^)]*?\1\s*\)", re.IGNORECASE)
CSS_IMPORT = re.compile(r"@import\s+(['\"])[^'\"]*\1", re.IGNORECASE)
BODY_TAG = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def hostile_block(web: str, local: str) -> str:
    """Every way an HTML body may ask for a resource, once for the web, once for a file."""
    return f"""
<base href="{web}/base/"><meta http-equiv="refresh" content="0; url={web}/refresh">
<link rel="stylesheet" href="{web}/link.css"><link rel="stylesheet" href="{local}">
<style>@import "{web}/import.css"; @import url({local});
body {{ background: url({web}/body-bg.png) }} p {{ background-image: url({local}) }}</style>
<img src="{web}/img.png"><img src="{local}"><img src="canary.png" width="40" height="40">
<img srcset="{web}/set.png 1x, {local} 2x"><picture><source srcset="{web}/source.png">
<img src="{local}"></picture>
<table background="{web}/table-bg.png"><tr><td background="{local}">cell</td></tr></table>
<div style="background:url({web}/div-bg.png)">styled</div>
<p style="background-image:url('{local}')">styled file</p>
<iframe src="{web}/frame.html"></iframe><iframe src="{local}"></iframe>
<object data="{web}/object.swf"></object><embed src="{local}">
<video poster="{web}/poster.png" src="{web}/video.mp4"></video><audio src="{local}"></audio>
<svg><image href="{web}/svg.png"/><image xlink:href="{local}"/></svg>
<input type="image" src="{web}/input.png"><form action="{web}/form"></form>
<img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Cimage
 href='{web}/data-svg.png'/%3E%3C/svg%3E">
<img src="cid:not-a-part@example"><img src="cid:{local}">
<script src="{web}/script.js"></script><script>document.write("SCRIPT RAN")</script>
<a href="{local}">a local link</a> <a href="{web}/link">a web link</a>
<img src="{web}/pixel.gif" width="1" height="1">
"""


def point_at_canaries(html: str, web: str, local: str) -> str:
    """``html`` with its URLs (attributes, CSS url() and @import) made canaries, taking
    turns between the web server and the file, and the hostile block added."""
    count = [0]

    def canary() -> str:
        count[0] += 1
        return f"{web}/{count[0]}.png" if count[0] % 2 else local

    html = URL_ATTRIBUTE.sub(lambda m: f'{m.group(1)}"{canary()}"', html)
    html = CSS_URL.sub(lambda _m: f"url({canary()})", html)
    html = CSS_IMPORT.sub(lambda _m: f'@import "{canary()}"', html)
    block = hostile_block(web, local)
    body = BODY_TAG.search(html)
    return html[:body.end()] + block + html[body.end():] if body else block + html


def rewritten(raw: bytes, web: str, local: str) -> bytes:
    """``raw`` with each text/html part pointing at the canaries; a new message around the
    body HTML when the original cannot be written back."""
    message = parse_bytes(raw)
    try:
        for part in message.walk():
            if part.get_content_type() == "text/html" and not part.is_multipart():
                text = point_at_canaries(part_text(part), web, local)
                part.set_content(text, subtype="html")  # type: ignore[attr-defined]
        return message.as_bytes()
    except Exception:  # noqa: BLE001 - a broken original: keep its HTML in a clean message
        html = view_message(raw).html or ""
        fresh = EmailMessage()
        fresh["Subject"] = "rewritten"
        fresh.set_content(point_at_canaries(html, web, local), subtype="html")
        return fresh.as_bytes()


def corpus_html() -> list[tuple[str, bytes]]:
    """The corpus messages the app shows as HTML, by path."""
    found = []
    for path in sorted(CORPUS.rglob("*.eml")):
        raw = path.read_bytes()
        if b"text/html" in raw.lower() and view_message(raw).html is not None:
            found.append((str(path.relative_to(CORPUS)), raw))
    return found


@pytest.fixture
def canaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[tuple[HttpCanary, FifoCanary]]:
    monkeypatch.chdir(tmp_path)  # a relative "canary.png" names the pipe too
    with http_canary() as web, fifo_canary(tmp_path) as local:
        yield web, local


@pytest.fixture
def reader(qtbot) -> ReaderPane:
    pane = ReaderPane()
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.show()
    return pane


def render(qtbot, pane: ReaderPane, raw: bytes, local: FifoCanary) -> None:
    """Show ``raw``, paint it (images load while laying out and painting), then let the
    event loop run until the pipe's watcher has looked three more times."""
    pane.show_message(view_message(raw), raw)
    pane.body.viewport().grab()
    pane.body.verticalScrollBar().setValue(pane.body.verticalScrollBar().maximum())
    pane.body.viewport().grab()
    QApplication.processEvents()
    start = local.rounds
    qtbot.waitUntil(lambda: local.rounds >= start + 3, timeout=2000)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_corpus_html_fetches_nothing(qtbot, reader, canaries) -> None:
    web, local = canaries
    messages = corpus_html()
    assert len(messages) >= 20, "the corpus should hold HTML messages"
    fetched: list[str] = []
    for index, (name, raw) in enumerate(messages):
        before = (len(web.requests), local.opens)
        render(qtbot, reader, rewritten(raw, web.url(f"/m{index}"), local.url()), local)
        assert reader.prepared.html is not None, name
        if (len(web.requests), local.opens) != before:
            fetched.append(f"{name}: {web.requests[before[0]:]} pipe opens "
                           f"{local.opens - before[1]}")
    assert not fetched, "\n".join(fetched)
    assert web.requests == [] and local.opens == 0


HOSTILE = {
    "script": "<p>x</p><script>document.write('SCRIPT RAN')</script>"
              "<img src=x onerror=\"document.write('SCRIPT RAN')\">",
    "meta refresh": '<meta http-equiv="refresh" content="0; url={web}/go">',
    "css url": '<p style="background:url({web}/s.png)">a</p><style>p{{background:url({local})}}'
               "</style>",
    "import": '<style>@import "{web}/i.css"; @import url("{local}");</style>',
    "link stylesheet": '<link rel="stylesheet" href="{web}/l.css"><link rel=stylesheet '
                       'href="{local}">',
    "base href": '<base href="{web}/"><img src="relative.png"><img src="canary.png">',
    "srcset": '<img srcset="{web}/a.png 1x, {local} 2x" src="{local}">',
    "svg image": '<svg><image href="{web}/s.png"/><image xlink:href="{local}"/></svg>',
    "data url": '<img src="data:image/png;base64,iVBORw0KGgo="><object data="data:text/html,'
                '%3Cimg src=%22{web}/d.png%22%3E"></object>',
    "cid not a part": '<img src="cid:missing@example"><img src="cid:../../canary.png">',
    "file url": '<img src="{local}"><img src="{plain}"><img src="canary.png">',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_html_fetches_nothing(qtbot, reader, canaries, kind: str) -> None:
    web, local = canaries
    html = HOSTILE[kind].format(web=web.url(""), local=local.url(), plain=local.path)
    message = EmailMessage()
    message["From"] = "Mallory <mallory@example.net>"
    message["Subject"] = kind
    message.set_content("plain")
    message.add_alternative(f"<html><body><p>Hello</p>{html}</body></html>", subtype="html")
    raw = message.as_bytes()
    render(qtbot, reader, raw, local)
    assert web.requests == [] and local.opens == 0
    assert "SCRIPT RAN" not in reader.body_text()
    assert "Hello" in reader.body_text()


def test_tracking_pixel_removed_and_misleading_link_flagged(qtbot, reader, canaries) -> None:
    web, local = canaries
    message = EmailMessage()
    message["From"] = "Bank <news@bank.example>"
    message["Subject"] = "Your account"
    message.set_content("plain")
    message.add_alternative(
        f'<p>Hi</p><img src="{web.url("/pixel.gif")}" width="1" height="1">'
        f'<img src="{web.url("/hidden.gif")}" style="display:none">'
        f'<img src="{web.url("/logo.png")}" width="120">'
        '<a href="https://evil.example/login">https://www.bank.example/login</a>'
        '<a href="https://www.bank.example/help">bank.example</a>', subtype="html")
    render(qtbot, reader, message.as_bytes(), local)
    assert reader.remote_urls() == [web.url("/logo.png")]
    assert reader.blocked.isVisible()
    assert {m.shown for m in reader.prepared.misleading.values()} == {"bank.example"}
    assert list(reader.prepared.misleading) == ["https://evil.example/login"]
    assert web.requests == [] and local.opens == 0


@pytest.mark.qt_log_ignore(r"QFile::at: Cannot set file position")  # Qt reading the pipe
def test_the_canaries_notice_a_fetch(qtbot, canaries) -> None:
    """The control: a plain QTextBrowser reads local files itself, and the pipe sees it."""
    from urllib.request import urlopen

    from PySide6.QtWidgets import QTextBrowser

    web, local = canaries
    plain = QTextBrowser()
    qtbot.addWidget(plain)
    plain.setHtml(f'<img src="{local.url()}"><img src="canary.png">')
    plain.viewport().grab()
    assert local.opens >= 1
    with pytest.raises(OSError):
        urlopen(web.url("/probe"), timeout=5)  # noqa: S310 - the loopback canary answers 404
    assert web.requests == [("GET", "/probe")]
