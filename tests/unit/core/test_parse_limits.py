"""Known parser traps, each handled where it occurs, and the bounds on hostile structure:
the message is still shown, with a note of what was left out."""

from __future__ import annotations

import time

import pytest

from mailclient.core.message_parse import (
    address_list,
    body_part,
    header_text,
    parse_bytes,
    part_text,
    view_message,
)
from mailclient.core.parse_limits import (
    MAX_BODY_CHARS,
    MAX_DEPTH,
    MAX_HEADER_CHARS,
    MAX_PARTS,
    Shortened,
    base64_size,
    bound_raw,
    walk_parts,
)

HEAD = b"From: Ada <ada@example.org>\r\nTo: bob@example.org\r\nSubject: hostile\r\n"


def nested(depth: int) -> bytes:
    opening = [b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
               for i in range(depth)]
    closing = [b"--b%d--\r\n" % i for i in reversed(range(depth))]
    return HEAD + b"".join(opening) + b"Content-Type: text/plain\r\n\r\ninnermost\r\n" + \
        b"".join(closing)


def many_parts(count: int) -> bytes:
    parts = b"".join(b"--sep\r\nContent-Type: text/plain\r\nContent-Disposition: attachment;"
                     b' filename="f%d.txt"\r\n\r\npart %d\r\n' % (i, i) for i in range(count))
    return (HEAD + b'Content-Type: multipart/mixed; boundary="sep"\r\n\r\n' + parts
            + b"--sep--\r\n")


def test_unlisted_recipients_group_raises_in_the_header_object_only() -> None:
    raw = HEAD.replace(b"To: bob@example.org", b"To: unlisted-recipients:; (no To-header)")
    message = parse_bytes(raw)
    with pytest.raises(AttributeError):  # the trap: the header class itself raises
        str(message["to"])
    assert header_text(message, "to").startswith("unlisted-recipients:;")
    assert address_list(message, "to")  # shown as it is
    view = view_message(raw)
    assert view.subject == "hostile" and view.from_ == "Ada <ada@example.org>"


@pytest.mark.parametrize("charset", ["windows-874", "us-askey", "x-unknown", "charset=us-ascii"])
def test_unknown_charset_is_decoded_with_replacement(charset: str) -> None:
    raw = HEAD + b"Content-Type: text/plain; charset=" + charset.encode() + \
        b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nsawasdee \xca\xc7\xd1\xca\r\n"
    message = parse_bytes(raw)
    if charset != "windows-874":  # Python 3.11 knows windows-874 as cp874
        with pytest.raises(LookupError):
            message.get_content()
    text = part_text(message)
    assert text.startswith("sawasdee ") and text.endswith("\n")
    assert view_message(raw).text == text


def test_multipart_without_boundary_raises_key_error_and_is_shown_as_text() -> None:
    raw = HEAD + b"Content-Type: multipart/alternative\r\n\r\nno boundary here\r\n"
    message = parse_bytes(raw)
    with pytest.raises(KeyError):
        message.get_content()
    assert body_part(message, "plain") is None
    view = view_message(raw)
    assert view.text is not None and "no boundary here" in view.text
    assert view.defects and not view.attachments


@pytest.mark.parametrize("ending", [b"\r", b"\n", b"\r\n"])
def test_any_line_ending_and_nul_bytes(ending: bytes) -> None:
    raw = HEAD.replace(b"\r\n", ending) + ending + b"one\x00two" + ending
    view = view_message(raw)
    assert view.subject == "hostile"
    assert view.text is not None and "one\x00two" in view.text


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH + 1, 1_000, 5_000])
def test_nesting_depth_is_bounded(depth: int) -> None:
    started = time.perf_counter()
    view = view_message(nested(depth))  # Python's parser fails near 1,000 levels alone
    assert time.perf_counter() - started < 2
    assert view.subject == "hostile"
    if depth < MAX_DEPTH:
        assert view.text == "innermost" and not view.shortened
    else:
        assert view.shortened == [Shortened("depth", MAX_DEPTH)]
    assert view.message is not None
    assert sum(1 for _ in walk_parts(view.message)) <= MAX_DEPTH + 1


def test_part_count_is_bounded() -> None:
    raw = many_parts(3 * MAX_PARTS)
    started = time.perf_counter()
    view = view_message(raw)
    assert time.perf_counter() - started < 2
    assert view.shortened == [Shortened("parts", MAX_PARTS)]
    assert MAX_PARTS - 2 <= len(view.attachments) <= MAX_PARTS
    assert view.attachments[0].filename == "f0.txt"
    assert bound_raw(many_parts(50)) == (many_parts(50), [])  # within bounds: as it is


def test_huge_headers_are_shown_in_part() -> None:
    words = b" ".join(b"=?utf-8?q?caf=C3=A9_%d?=" % i for i in range(20_000))  # 480 KB
    raw = HEAD.replace(b"Subject: hostile", b"Subject: " + words) + \
        b"".join(b"X-Filler-%d: %s\r\n" % (i, b"y" * 1_000) for i in range(800)) + b"\r\nbody\r\n"
    started = time.perf_counter()
    view = view_message(raw)
    assert time.perf_counter() - started < 2
    assert view.subject.startswith("café 0café 1")  # adjacent encoded words join
    assert MAX_HEADER_CHARS // 4 < len(view.subject) < MAX_HEADER_CHARS
    assert Shortened("header", MAX_HEADER_CHARS, "Subject") in view.shortened
    assert any(cut.kind == "headers" for cut in view.shortened)  # over 1 MB in all
    assert view.text == "body\n" and view.from_ == "Ada <ada@example.org>"


def test_huge_body_is_shown_in_part() -> None:
    raw = HEAD + b"\r\n" + b"0123456789\r\n" * (MAX_BODY_CHARS // 5)
    view = view_message(raw)
    assert view.text is not None and len(view.text) == MAX_BODY_CHARS
    assert view.shortened == [Shortened("body", MAX_BODY_CHARS)]


def test_base64_size_without_decoding() -> None:
    assert base64_size("aGVs\r\nbG8=\r\n") == 5
    assert base64_size("aGVsbG8h") == 6
