"""summarize(): list, index and threading fields of whole messages, as the header path has them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mailclient.core.header_summary import summarize_header
from mailclient.core.message_summary import (
    Summary,
    imap_flags_to_words,
    summarize,
    words_to_imap_flags,
)

RAW = (b"From: =?utf-8?q?J=C3=BCrgen?= <j@example.net>\r\nTo: a@example.org, B <b@example.org>\r\n"
       b"Cc: c@example.org\r\nSubject: Re: report\r\nMessage-ID: <3@example.net>\r\n"
       b"In-Reply-To: <2@example.net> (your message)\r\n"
       b"References: <1@example.net>\r\n <2@example.net>\r\n"
       b"Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n"
       b"Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
       b"--b1\r\nContent-Type: text/plain\r\n\r\nHello there.\r\n"
       b"--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
       b"filename=r.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b1--\r\n")


def test_summary_fields() -> None:
    summary = summarize(RAW)
    assert summary.sender == "Jürgen <j@example.net>"
    assert summary.to == ["a@example.org", "B <b@example.org>"]
    assert summary.cc == ["c@example.org"]
    assert summary.subject == "Re: report"
    assert summary.message_id == "<3@example.net>"
    assert summary.date == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert summary.attachment_names == ["r.pdf"] and summary.attachment_count == 1
    assert summary.body_text.strip() == "Hello there."
    assert summary.in_reply_to == "<2@example.net>"
    assert summary.references == ["<1@example.net>", "<2@example.net>"]


def test_header_path_agrees() -> None:
    summary, header = summarize(RAW), summarize_header(RAW)
    assert header.multipart_mixed
    for name in ("message_id", "in_reply_to", "references", "subject", "sender", "to", "cc",
                 "date"):
        assert getattr(summary, name) == getattr(header, name), name


@pytest.mark.parametrize(("headers", "in_reply_to", "references"), [
    (b"", "", []),
    (b"In-Reply-To: garbage\r\nReferences: none\r\n", "", []),
    (b"In-Reply-To: <a@x> <b@x>\r\nReferences: <a@x> <b@x> <a@x>\r\n", "<a@x>",
     ["<a@x>", "<b@x>"]),
    (b"References: " + b" ".join(b"<%d@x>" % i for i in range(150)) + b"\r\n", "",
     ["<0@x>", *(f"<{i}@x>" for i in range(51, 150))]),
])
def test_threading_fields(headers: bytes, in_reply_to: str, references: list[str]) -> None:
    raw = b"From: a@b\r\nSubject: s\r\n" + headers + b"\r\nbody\r\n"
    summary = summarize(raw)
    assert (summary.in_reply_to, summary.references) == (in_reply_to, references)
    header = summarize_header(raw)
    assert (header.in_reply_to, header.references) == (in_reply_to, references)


def test_new_fields_have_defaults() -> None:
    summary = Summary("<m@x>", "s", "a@b", [], [], None, [], "")
    assert (summary.in_reply_to, summary.references) == ("", [])


def test_flag_words_round_trip() -> None:
    words = imap_flags_to_words(["\\Seen", "\\Answered", "$Label1", "\\Recent"])
    assert words == ["$Label1", "answered", "seen"]
    assert words_to_imap_flags(words) == ["$Label1", "\\Answered", "\\Seen"]
