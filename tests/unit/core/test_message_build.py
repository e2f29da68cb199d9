"""Outgoing messages: headers, Bcc, attachments with non-ASCII names, injection refused."""

from email import message_from_bytes, policy
from email.headerregistry import Address

import pytest

from mailclient.core.errors import ConfigError
from mailclient.core.message_build import Attachment, Draft, build_message, serialize
from mailclient.core.message_parse import parse_bytes, view_message

SENDER = Address("Zoë Ä", "zoe", "example.org")


def draft(**changes: object) -> Draft:
    base = Draft(sender=SENDER, to=["Bob <bob@example.net>"], subject="Grüße 🎉",
                 text="Hallo Bob,\nwie geht's?\n")
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_headers_and_body_survive_the_wire() -> None:
    raw = serialize(build_message(draft(cc=["carol@example.net"])))
    assert b"\r\n" in raw and raw.isascii()
    view = view_message(raw)
    assert view.subject == "Grüße 🎉"
    assert view.from_ == "Zoë Ä <zoe@example.org>"
    assert view.to == ["Bob <bob@example.net>"] and view.cc == ["carol@example.net"]
    assert view.text == "Hallo Bob,\nwie geht's?\n"
    message = parse_bytes(raw)
    assert message["Message-ID"].endswith("@example.org>")
    assert message["Date"]


def test_bcc_is_a_recipient_but_not_a_header() -> None:
    d = draft(bcc=["secret@example.net"])
    raw = serialize(build_message(d))
    assert b"secret@example.net" not in raw
    assert d.recipients() == ["bob@example.net", "secret@example.net"]


def test_attachment_with_non_ascii_name() -> None:
    d = draft(attachments=[Attachment("Übersicht 2026.pdf", b"%PDF-1.4 test")])
    raw = serialize(build_message(d))
    assert b"filename*=utf-8''%C3%9Cbersicht%202026.pdf" in raw
    view = view_message(raw)
    assert [(a.filename, a.content_type, a.size) for a in view.attachments] == [
        ("Übersicht 2026.pdf", "application/pdf", 13)]


def test_reply_headers() -> None:
    message = build_message(draft(in_reply_to="<a@x>", references=["<root@x>"]))
    assert message["In-Reply-To"] == "<a@x>"
    assert message["References"] == "<root@x> <a@x>"


@pytest.mark.parametrize("field", ["subject", "to"])
def test_header_injection_refused(field: str) -> None:
    value = "Hi\r\nBcc: victim@example.net"
    d = draft(**{field: value if field == "subject" else [value]})
    with pytest.raises(ConfigError, match="line breaks"):
        build_message(d)


def test_no_recipient_refused() -> None:
    with pytest.raises(ConfigError, match="no recipient"):
        build_message(draft(to=[]))


def test_bad_address_refused() -> None:
    with pytest.raises(ConfigError, match="not an e-mail address"):
        build_message(draft(to=["bob at example"]))


def test_inline_images_go_with_the_html_as_related_parts() -> None:
    logo = Attachment("logo.png", b"\x89PNG fake", "image/png", content_id="logo.1@example.org")
    report = Attachment("report.pdf", b"%PDF fake")
    draft = Draft(sender=Address("Ada", "ada", "example.org"), to=["bob@example.net"],
                  subject="Figures", text="See the logo.",
                  html='<p><img src="cid:logo.1@example.org"> See the logo.</p>',
                  attachments=[logo, report])
    parsed = message_from_bytes(serialize(build_message(draft)), policy=policy.default)
    html = parsed.get_body(preferencelist=("html",))
    assert html is not None
    related = next(p for p in parsed.walk() if p.get_content_type() == "multipart/related")
    image = next(p for p in related.iter_parts() if p.get_content_type() == "image/png")
    assert image["Content-ID"] == "<logo.1@example.org>"
    assert image.get_content_disposition() == "inline"
    assert [a.get_filename() for a in parsed.iter_attachments()] == ["report.pdf"]


def test_a_content_id_with_brackets_is_refused() -> None:
    bad = Attachment("x.png", b"x", "image/png", content_id="<x>")
    draft = Draft(sender=Address("Ada", "ada", "example.org"), to=["bob@example.net"],
                  subject="x", text="x", html="<p>x</p>", attachments=[bad])
    with pytest.raises(ConfigError, match="content id"):
        build_message(draft)
