"""List-Unsubscribe and List-Unsubscribe-Post headers."""

from __future__ import annotations

from mailclient.core.list_unsubscribe import Unsubscribe, message_unsubscribe, read_unsubscribe
from mailclient.core.mailto import parse_mailto
from mailclient.core.message_parse import parse_bytes


def test_both_methods_and_one_click() -> None:
    found = read_unsubscribe("<mailto:leave@list.example?subject=unsubscribe>, "
                             "<https://list.example/u/7>", "List-Unsubscribe=One-Click")
    assert found == Unsubscribe("mailto:leave@list.example?subject=unsubscribe",
                                "https://list.example/u/7", True)


def test_http_is_not_offered_and_one_click_needs_https() -> None:
    assert read_unsubscribe("<http://list.example/u>", "List-Unsubscribe=One-Click") is None
    assert read_unsubscribe("<mailto:a@b.example>", "List-Unsubscribe=One-Click") == Unsubscribe(
        "mailto:a@b.example", None, False)
    assert read_unsubscribe("<https://list.example/u>") == Unsubscribe(
        None, "https://list.example/u", False)
    assert read_unsubscribe("") is None
    assert read_unsubscribe("garbage without brackets") is None


def test_from_a_message_read_as_a_mailto_link() -> None:
    raw = (b"From: list@list.example\r\nList-Unsubscribe: <mailto:u@list.example?subject=bye"
           b"%20now&body=remove%20me>\r\n\r\nhi\r\n")
    found = message_unsubscribe(parse_bytes(raw))
    assert found is not None and found.mailto is not None
    request = parse_mailto(found.mailto)
    assert (request.to, request.subject, request.body) == (["u@list.example"], "bye now",
                                                           "remove me")
    assert message_unsubscribe(parse_bytes(b"Subject: x\r\n\r\nbody")) is None
