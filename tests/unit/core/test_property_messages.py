"""Property tests: a message built, serialised and read back as the reader reads it keeps its
subject, addresses, body and attachments; parsing an address never raises but ConfigError."""

from __future__ import annotations

from datetime import UTC, datetime
from email.headerregistry import Address

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailclient.core.errors import ConfigError
from mailclient.core.message_build import Attachment, Draft, build_message, parse_address, serialize
from mailclient.core.message_parse import address_list, parse_bytes, view_message

settings.register_profile("mailclient", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mailclient")

# Text a user can type: any character but controls and surrogates, lines joined by "\n".
typed = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
line = st.text(typed, max_size=60)
display_name = line.map(str.strip)
local_part = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,15}", fullmatch=True).filter(
    lambda s: ".." not in s and not s.endswith("."))
domain = st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}", fullmatch=True)
addresses = st.builds(lambda name, local, host: (name, f"{local}@{host}"),
                      display_name, local_part, domain)
body = st.lists(st.text(typed, max_size=120), max_size=8).map("\n".join)
file_name = st.text(typed, min_size=1, max_size=40).map(str.strip).filter(
    lambda s: s not in ("", ".", ".."))
attachment = st.builds(Attachment, filename=file_name, data=st.binary(max_size=300),
                       content_type=st.sampled_from([None, "application/octet-stream",
                                                     "image/png", "application/pdf"]))


def as_field(name: str, addr: str) -> str:
    return str(Address(display_name=name, addr_spec=addr)) if name else addr


@given(sender=addresses, to=st.lists(addresses, min_size=1, max_size=3),
       cc=st.lists(addresses, max_size=2), subject=line, text=body,
       files=st.lists(attachment, max_size=3))
def test_built_message_reads_back(sender: tuple[str, str], to: list[tuple[str, str]],
                                  cc: list[tuple[str, str]], subject: str, text: str,
                                  files: list[Attachment]) -> None:
    draft = Draft(sender=Address(display_name=sender[0], addr_spec=sender[1]),
                  to=[as_field(*a) for a in to], cc=[as_field(*a) for a in cc],
                  subject=subject, text=text, attachments=files)
    raw = serialize(build_message(draft, date=datetime(2026, 1, 2, 3, 4, tzinfo=UTC)))
    view = view_message(raw)
    assert view.subject == subject.strip()
    assert view.message is not None
    assert _pairs(view.message, "from") == [sender]
    assert _pairs(view.message, "to") == to
    assert _pairs(view.message, "cc") == cc
    assert view.text is not None
    assert view.text.rstrip("\n") == text.rstrip("\n")
    assert [(a.filename, a.size) for a in view.attachments] == [
        (f.filename, len(f.data)) for f in files]
    for shown, part in zip(view.attachments, view.message.iter_attachments(), strict=True):
        assert shown.content_type == (part.get_content_type())
    assert [part.get_payload(decode=True) for part in view.message.iter_attachments()] == [
        f.data for f in files]
    assert not view.shortened


def _pairs(message: object, name: str) -> list[tuple[str, str]]:
    """The (display name, address) pairs of header ``name`` as the header registry reads them."""
    header = message.get(name)  # type: ignore[attr-defined]
    if header is None:
        return []
    return [(a.display_name, a.addr_spec) for a in header.addresses]


@given(st.text(max_size=80))
def test_parse_address_raises_only_config_error(value: str) -> None:
    try:
        parsed = parse_address(value)
    except ConfigError:
        return
    assert "@" in parsed.addr_spec


@given(st.text(max_size=200))
def test_reading_an_address_header_never_raises(value: str) -> None:
    raw = b"From: " + value.encode("utf-8", "surrogateescape") + b"\r\nSubject: s\r\n\r\nx\r\n"
    if b"\n" in value.encode() or b"\r" in value.encode():
        return  # another header, not this one
    message = parse_bytes(raw)
    address_list(message, "from")
    view_message(raw)


@pytest.mark.parametrize("value", ["", "@", "a@", "@b", "a@b", "<>", "x <@>", '"a@b" <>',
                                   "a@b.c, d@e.f", "\u0000@x.y", "ä@ö.ü"])
def test_parse_address_edges(value: str) -> None:
    try:
        parse_address(value)
    except ConfigError:
        pass
