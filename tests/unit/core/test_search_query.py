"""The search language: fields, quoted values, flags, dates, negation, clear errors."""

from datetime import UTC, datetime

import pytest

from mailclient.core.errors import ConfigError
from mailclient.core.search_query import SearchQuery, TextTerm, parse_query


def test_fields_words_and_phrases() -> None:
    query = parse_query('from:ada subject:"analytical engine" bernoulli "note g" -draft')
    assert query.terms == [
        TextTerm("ada", "sender"),
        TextTerm("analytical engine", "subject", phrase=True),
        TextTerm("bernoulli"),
        TextTerm("note g", phrase=True),
        TextTerm("draft", negated=True),
    ]


def test_filters() -> None:
    query = parse_query("has:attachment is:unread is:flagged before:2026-03-01 "
                        "after:2026-01-01 in:Sent account:work")
    assert query.has_attachment is True
    assert query.flags == {"seen": False, "flagged": True}
    assert query.before == datetime(2026, 3, 1, tzinfo=UTC)
    assert query.after == datetime(2026, 1, 1, tzinfo=UTC)
    assert (query.folder, query.account) == ("Sent", "work")
    assert parse_query("-is:read").flags == {"seen": False}
    assert parse_query("-has:attachment").has_attachment is False


def test_unknown_field_is_searched_as_text() -> None:
    assert parse_query("https://example.org re:budget").terms == [
        TextTerm("https://example.org"), TextTerm("re:budget")]


def test_empty_query() -> None:
    assert parse_query("   ").is_empty
    assert parse_query('subject:""') == SearchQuery()


@pytest.mark.parametrize(("text", "message"), [
    ("before:yesterday", "before: needs a date like 2026-03-01"),
    ("is:important", "is:important is not known"),
    ("has:pdf", "has:pdf is not known"),
])
def test_errors_name_the_part(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_query(text)
