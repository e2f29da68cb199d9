"""Search over the store: the query language compiled to FTS5 and SQL filters."""

from __future__ import annotations

import re

from mailclient.core.search_query import SearchQuery, TextTerm, parse_query
from mailclient.services.store.database import Database
from mailclient.services.store.messages import MESSAGE_COLUMNS, MessageRow, row_to_message

_WORD = re.compile(r"\w+", re.UNICODE)


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_expression(term: TextTerm) -> str | None:
    """The FTS5 expression for one term, or None if it holds no searchable word.

    A quoted phrase must match in order; a plain word matches as a prefix (``engin`` finds
    ``engine``); a word the tokenizer splits (``ada@example.org``) must match as a phrase.
    """
    if term.phrase:
        tokens = _WORD.findall(term.text)
        parts = [_quoted(" ".join(tokens))] if tokens else []
    else:
        parts = []
        for word in term.text.split():
            tokens = _WORD.findall(word)
            if len(tokens) == 1:
                parts.append(_quoted(tokens[0]) + "*")
            elif tokens:
                parts.append(_quoted(" ".join(tokens)))
    if not parts:
        return None
    expression = " AND ".join(parts)
    if term.column is not None:
        expression = f"{term.column} : ({expression})"
    return expression


def search_messages(db: Database, query: SearchQuery, *, limit: int = 100) -> list[MessageRow]:
    """Messages matching ``query``, newest first."""
    where: list[str] = []
    params: list[object] = []
    positive = [e for t in query.terms if not t.negated and (e := fts_expression(t))]
    if positive:
        where.append("m.pk IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)")
        params.append(" AND ".join(f"({e})" for e in positive))
    for term in query.terms:
        expression = fts_expression(term) if term.negated else None
        if expression:
            where.append("m.pk NOT IN (SELECT rowid FROM messages_fts "
                         "WHERE messages_fts MATCH ?)")
            params.append(expression)
    for flag, wanted in query.flags.items():
        where.append(f"(' ' || m.flags || ' ') {'' if wanted else 'NOT '}LIKE ?")
        params.append(f"% {flag} %")
    if query.has_attachment is not None:
        where.append("m.attachments > 0" if query.has_attachment else "m.attachments = 0")
    if query.before is not None:
        where.append("m.date_epoch < ?")
        params.append(query.before.timestamp())
    if query.after is not None:
        where.append("m.date_epoch >= ?")
        params.append(query.after.timestamp())
    if query.folder is not None:
        where.append("f.name = ? COLLATE NOCASE")
        params.append(query.folder)
    if query.account is not None:
        where.append("m.account = ?")
        params.append(query.account)
    sql = (f"SELECT {MESSAGE_COLUMNS} FROM messages m JOIN folders f ON f.id = m.folder_id "
           f"WHERE {' AND '.join(where) or '1'} ORDER BY m.date_epoch DESC, m.pk DESC LIMIT ?")
    params.append(limit)
    return [row_to_message(r) for r in db.query(sql, tuple(params))]


def search_text(db: Database, text: str, *, limit: int = 100) -> list[MessageRow]:
    """Messages matching a query in the search language (``from:ada has:attachment``), newest
    first: what ``mailclient search`` and the window's search box both run.

    Raises:
        ConfigError: the query cannot be understood (``before:tomorrow``).
    """
    return search_messages(db, parse_query(text), limit=limit)
