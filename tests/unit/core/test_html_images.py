"""Remote images set aside by the sanitiser; tracking pixels dropped."""

from __future__ import annotations

from mailclient.core.html_images import html_body, sanitize_keeping_images, tracker_sources
from mailclient.core.message_parse import parse_bytes

HTML = ('<p>Hi</p><img src="https://img.example/a.png?x=1&amp;y=2" alt="logo">'
        '<img src="https://img.example/a.png?x=1&amp;y=2">'
        '<img src="https://t.example/open.gif" width="1" height="1">'
        '<img src="https://t.example/zero.gif" width="0">'
        '<img src="https://t.example/hidden.gif" style="display: none">'
        '<img src="http://plain.example/b.png"><img src="file:///etc/passwd">'
        '<img src="data:image/png;base64,AAAA"><img src="cid:part@x">'
        '<img srcset="https://img.example/c.png 2x"><script>alert(1)</script>')


def test_remote_images_listed_once_trackers_never() -> None:
    safe = sanitize_keeping_images(HTML)
    assert safe.remote_urls == ["https://img.example/a.png?x=1&y=2", "http://plain.example/b.png"]
    for html in (safe.blocked, safe.with_remote):
        assert "t.example" not in html and "passwd" not in html and "script" not in html
        assert "data:" not in html and "srcset" not in html
        assert '<img src="cid:part@x">' in html
    assert "img.example" not in safe.blocked and "plain.example" not in safe.blocked
    assert safe.with_remote.count("https://img.example/a.png") == 2


def test_tracker_sources() -> None:
    assert tracker_sources('<img src="a" height="1px"><img src="b" style="width:1px">'
                           '<img src="c" width="10" height="10">') == {"a", "b"}


def test_html_body_of_a_message() -> None:
    raw = (b"Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/plain\r\n\r\nplain\r\n--b\r\nContent-Type: text/html\r\n\r\n"
           b"<p>rich</p>\r\n--b--\r\n")
    assert html_body(parse_bytes(raw)) == "<p>rich</p>"
    assert html_body(parse_bytes(b"Subject: x\r\n\r\nplain")) is None
