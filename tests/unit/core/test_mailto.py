"""mailto: URLs (RFC 6068): recipients, fields, percent-decoding, hostile input."""

from __future__ import annotations

import pytest

from mailclient.core.errors import ConfigError
from mailclient.core.mailto import MAX_URL_LENGTH, is_mailto_url, parse_mailto


def test_a_plain_address() -> None:
    request = parse_mailto("mailto:ada@example.org")
    assert request.to == ["ada@example.org"]
    assert (request.cc, request.bcc, request.subject, request.body) == ([], [], "", "")
    assert request.in_reply_to is None


def test_several_addresses_and_fields() -> None:
    request = parse_mailto(
        "mailto:ada@example.org,grace@example.com?subject=Lunch%20on%20Friday%3F"
        "&cc=charles@example.net%2Cmary@example.net&bcc=me@example.org&to=alan@example.org"
        "&body=Hello%2C%0D%0Asee%20you%20there.")
    assert request.to == ["ada@example.org", "grace@example.com", "alan@example.org"]
    assert request.cc == ["charles@example.net", "mary@example.net"]
    assert request.bcc == ["me@example.org"]
    assert request.subject == "Lunch on Friday?"
    assert request.body == "Hello,\nsee you there."


def test_utf8_percent_decoding_and_plus_stays_a_plus() -> None:
    request = parse_mailto("mailto:ada+lists@example.org?subject=Gr%C3%BC%C3%9Fe%20a+b"
                           "&body=%E2%9C%93%20d%C3%A9j%C3%A0%20vu")
    assert request.to == ["ada+lists@example.org"]
    assert request.subject == "Grüße a+b"
    assert request.body == "✓ déjà vu"


def test_field_names_ignore_case_and_unsafe_fields_are_dropped() -> None:
    request = parse_mailto("MAILTO:?To=ada@example.org&SUBJECT=Hi&from=evil@example.com"
                           "&reply-to=evil@example.com&x-mailer=evil&subject=second")
    assert request.to == ["ada@example.org"]
    assert request.subject == "Hi"


def test_display_names_and_in_reply_to() -> None:
    request = parse_mailto("mailto:%22Lovelace%2C%20Ada%22%20%3Cada@example.org%3E"
                           "?in-reply-to=%3C1234@example.net%3E")
    assert request.to == ['"Lovelace, Ada" <ada@example.org>']
    assert request.in_reply_to == "<1234@example.net>"


def test_an_empty_link_is_an_empty_message() -> None:
    assert parse_mailto("mailto:").to == []
    assert parse_mailto("mailto:?&&subject=x").subject == "x"


def test_is_mailto_url() -> None:
    assert is_mailto_url("mailto:a@b")
    assert is_mailto_url("MailTo:a@b")
    assert not is_mailto_url("http://example.org")
    assert not is_mailto_url("mail")


@pytest.mark.parametrize("url", [
    "mailto:ada@example.org?subject=Hi%0D%0ABcc:%20evil@example.com",
    "mailto:ada@example.org?subject=Hi%0ABcc:%20evil@example.com",
    "mailto:ada@example.org%0D%0ABcc:evil@example.com",
    "mailto:ada@example.org?cc=a@b%0D%0AX-Evil:%201",
    "mailto:ada@example.org?in-reply-to=%3Ca@b%3E%0D%0AX:1",
    "mailto:ada@example.org?subject=a%00b",
    "mailto:ada@example.org?body=a%00b",
])
def test_line_breaks_and_controls_in_headers_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        parse_mailto(url)


@pytest.mark.parametrize("url", [
    "http://example.org",
    "mailto:ada@example.org?subject=%ZZ",
    "mailto:ada@example.org?subject=%E2%9C",
    "mailto:ada@example.org?subject=50%",
    "mailto:not-an-address",
    "mailto:@example.org",
    "mailto:ada@example.org?cc=a%20b@example.org",
    "mailto:ada@example.org?in-reply-to=nonsense",
    "mailto:ada@example.org?subject",
    "mailto:" + ",".join(f"a{n}@example.org" for n in range(201)),
    "mailto:ada@example.org?body=" + "x" * MAX_URL_LENGTH,
])
def test_hostile_or_broken_links_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        parse_mailto(url)


def test_the_command_line_takes_a_link_instead_of_a_command() -> None:
    from mailclient.cli.parser import parse_command_line

    args = parse_command_line(["--profile", "/tmp/p", "--debug", "mailto:ada@example.org?to=b@x"])
    assert (args.command, args.mailto, args.profile, args.debug) == (
        None, "mailto:ada@example.org?to=b@x", "/tmp/p", True)
    assert parse_command_line(["--profile=/tmp/p", "MAILTO:a@b"]).mailto == "MAILTO:a@b"
    assert parse_command_line([]).mailto is None
    args = parse_command_line(["send", "--account", "a", "--subject", "mailto:x", "--body", "b"])
    assert (args.command, args.subject, args.mailto) == ("send", "mailto:x", None)
    with pytest.raises(SystemExit):
        parse_command_line(["mailto:a@b", "list"])
