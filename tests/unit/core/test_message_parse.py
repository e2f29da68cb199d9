"""Reading hostile messages never raises; known traps are handled where they occur."""

from pathlib import Path

import pytest

from mailclient.core.html_safety import sanitize_html
from mailclient.core.message_parse import view_message
from mailclient.core.message_summary import imap_flags_to_words, summarize

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


def test_unlisted_recipients_group() -> None:
    raw = b"From: a@b.c\r\nTo: unlisted-recipients:;\r\nSubject: x\r\n\r\nbody\r\n"
    view = view_message(raw)
    assert view.subject == "x"
    assert view.text is not None and view.text.strip() == "body"
    assert summarize(raw).subject == "x"


def test_unknown_charset_decoded_with_replacement() -> None:
    raw = (b"From: a@b.c\r\nSubject: s\r\nContent-Type: text/plain; charset=us-askey\r\n\r\n"
           b"caf\xe9\r\n")
    view = view_message(raw)
    assert view.text is not None and view.text.startswith("caf")


@pytest.mark.parametrize(("body", "expected"), [
    ("Grüße aus Köln".encode(), "Grüße aus Köln"),
    ("Grüße aus Köln".encode("windows-1252"), "Grüße aus Köln"),
])
def test_undeclared_8bit_text_is_guessed(body: bytes, expected: str) -> None:
    raw = b"From: a@b.c\r\nSubject: s\r\n\r\n" + body + b"\r\n"
    assert view_message(raw).text == expected + "\n"


def test_multipart_without_boundary_still_shows_text() -> None:
    raw = b"From: a@b.c\r\nSubject: s\r\nContent-Type: multipart/mixed\r\n\r\nhello there\r\n"
    view = view_message(raw)
    assert view.defects
    assert summarize(raw).subject == "s"


def test_html_is_sanitised() -> None:
    html = ('<p onclick="x()">Hi<script>alert(1)</script><img src="https://t.example/p.gif">'
            '<img src="cid:logo"><a href="javascript:evil()">x</a>'
            '<a href="https://ok.example/">ok</a></p>')
    clean = sanitize_html(html)
    assert "script" not in clean and "onclick" not in clean and "t.example" not in clean
    assert 'src="cid:logo"' in clean and "javascript" not in clean
    assert 'href="https://ok.example/"' in clean


def test_flags_to_words() -> None:
    assert imap_flags_to_words({"\\Seen", "\\Flagged", "\\Recent", "$Forwarded"}) == [
        "$Forwarded", "flagged", "seen"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_every_corpus_message_is_summarised() -> None:
    files = sorted(CORPUS.rglob("*.eml"))
    assert len(files) > 500
    for path in files:
        raw = path.read_bytes()
        summarize(raw)
        view_message(raw)
