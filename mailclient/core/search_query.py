"""The search language shared by the CLI and the GUI: fields, flags, dates, words, phrases.

``from:ada subject:"engine notes" has:attachment is:unread after:2026-01-01 -draft``
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from mailclient.core.errors import ConfigError

TEXT_FIELDS = {"from": "sender", "to": "recipients", "subject": "subject", "body": "body",
               "filename": "attachment_names"}
FLAG_WORDS = {"unread", "read", "seen", "flagged", "starred", "answered", "draft"}
_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')


@dataclass(frozen=True)
class TextTerm:
    """Words that must occur (``column`` None: in any column); ``phrase`` keeps their order."""

    text: str
    column: str | None = None
    phrase: bool = False
    negated: bool = False


@dataclass
class SearchQuery:
    """A parsed query: text terms for the full-text index, the rest as filters."""

    terms: list[TextTerm] = field(default_factory=list)
    flags: dict[str, bool] = field(default_factory=dict)  # "seen"/"flagged"/... -> wanted
    has_attachment: bool | None = None
    before: datetime | None = None
    after: datetime | None = None
    folder: str | None = None
    account: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == SearchQuery()


def parse_query(text: str) -> SearchQuery:
    """Parse a query; ``ConfigError`` names the part that cannot be understood."""
    query = SearchQuery()
    for match in _TOKEN.finditer(text):
        negated = match.group(1) == "-"
        name = (match.group(2) or "").lower()
        quoted = match.group(3)
        value = quoted if quoted is not None else match.group(4) or ""
        if name and name not in TEXT_FIELDS and name not in _FILTERS:
            # Not a field we know (a URL, "re:"): search the whole token as words.
            value, name = f"{match.group(2)}:{value}", ""
        if not name:
            if value.strip():
                query.terms.append(TextTerm(value, None, quoted is not None, negated))
            continue
        if name in TEXT_FIELDS:
            if value.strip():
                query.terms.append(TextTerm(value, TEXT_FIELDS[name], quoted is not None,
                                            negated))
            continue
        _FILTERS[name](query, value, negated)
    return query


def _flag(query: SearchQuery, value: str, negated: bool) -> None:
    word = value.lower()
    if word not in FLAG_WORDS:
        raise ConfigError(f"is:{value} is not known; use one of is:unread, is:read, "
                          "is:flagged, is:answered, is:draft")
    flag = {"unread": "seen", "read": "seen", "starred": "flagged"}.get(word, word)
    wanted = word != "unread"
    query.flags[flag] = wanted != negated


def _has(query: SearchQuery, value: str, negated: bool) -> None:
    if value.lower() not in {"attachment", "attachments"}:
        raise ConfigError(f"has:{value} is not known; use has:attachment")
    query.has_attachment = not negated


def _day(value: str, what: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{what}: needs a date like 2026-03-01, not {value!r}") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _before(query: SearchQuery, value: str, negated: bool) -> None:
    query.before = _day(value, "before")


def _after(query: SearchQuery, value: str, negated: bool) -> None:
    query.after = _day(value, "after")


def _folder(query: SearchQuery, value: str, negated: bool) -> None:
    query.folder = value


def _account(query: SearchQuery, value: str, negated: bool) -> None:
    query.account = value


_FILTERS = {"is": _flag, "has": _has, "before": _before, "after": _after, "in": _folder,
            "folder": _folder, "account": _account}
