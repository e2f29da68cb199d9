"""Links whose visible text shows another domain than their target."""

from __future__ import annotations

from mailclient.core.link_check import LinkMismatch, link_mismatch, misleading_links, shown_domain


def test_shown_domain_of_urls_and_bare_domains() -> None:
    assert shown_domain("https://www.Example.com/login") == "example.com"
    assert shown_domain("example.com") == "example.com"
    assert shown_domain("Click here") is None
    assert shown_domain("ada@example.org") is None
    assert shown_domain("version 1.2") is None


def test_mismatch_only_for_another_site() -> None:
    assert link_mismatch("example.com", "https://evil.com/x") == LinkMismatch(
        "example.com", "evil.com")
    assert link_mismatch("example.com", "https://mail.example.com/") is None
    assert link_mismatch("https://www.example.com", "https://example.com/") is None
    assert link_mismatch("paypal.com", "https://paypal.com.evil.net/") == LinkMismatch(
        "paypal.com", "paypal.com.evil.net")
    assert link_mismatch("Read more", "https://evil.com/") is None
    assert link_mismatch("example.com", "mailto:x@evil.com") is None


def test_look_alike_letters_do_not_match() -> None:
    mismatch = link_mismatch("exаmple.com", "https://example.com/")  # Cyrillic а
    assert mismatch is not None and mismatch.shown.startswith("xn--")


def test_misleading_links_of_html() -> None:
    html = ('<a href="https://evil.com/a">https://bank.example/login</a>'
            '<a href="https://bank.example/">bank.example</a><a href="https://x.example/">'
            '<b>go</b></a><a>no href</a>')
    assert misleading_links(html) == {
        "https://evil.com/a": LinkMismatch("bank.example", "evil.com")}
