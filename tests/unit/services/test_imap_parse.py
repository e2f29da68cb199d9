"""Parsing IMAP answers (SELECT, LIST, FETCH, SEARCH, CAPABILITY) and modified UTF-7 names."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mailclient.core.errors import ProtocolError
from mailclient.services.imap.models import FolderInfo
from mailclient.services.imap.parse import (
    group_responses,
    guess_roles,
    literal_size,
    parse_capabilities,
    parse_fetch,
    parse_internaldate,
    parse_list,
    parse_search,
    parse_select,
    response_code,
    tokenize,
)
from mailclient.services.imap.utf7 import decode_mailbox, encode_mailbox, quote_mailbox


def test_select_codes() -> None:
    lines = [
        b"FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        b"OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags",
        b"172 EXISTS",
        b"1 RECENT",
        b"OK [UNSEEN 12] Message 12 is first unseen",
        b"OK [UIDVALIDITY 3857529045] UIDs valid",
        b"OK [UIDNEXT 4392] Predicted next UID",
        b"OK [HIGHESTMODSEQ 715194045007] Highest",
    ]
    folder = parse_select("INBOX", lines)
    assert (folder.name, folder.uidvalidity, folder.uidnext, folder.exists) == (
        "INBOX", 3857529045, 4392, 172,
    )  # fmt: skip
    assert folder.highestmodseq == 715194045007


def test_select_without_modseq_or_uidnext() -> None:
    folder = parse_select("x", [b"0 EXISTS", b"OK [UIDVALIDITY 1] ok", b"OK [NOMODSEQ] no"])
    assert (folder.uidnext, folder.exists, folder.highestmodseq) == (None, 0, None)


def test_select_without_uidvalidity_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="UIDVALIDITY"):
        parse_select("x", [b"3 EXISTS"])


def responses(*items: bytes | bytearray) -> list[list[bytes | bytearray]]:
    return list(group_responses(items))


def test_list_with_special_use() -> None:
    lines = [
        b'(\\HasNoChildren \\Sent) "/" Sent',
        b'(\\HasNoChildren \\Drafts) "/" "Drafts"',
        b'(\\HasNoChildren \\Trash) "/" Trash',
        b'(\\HasNoChildren \\Junk) "/" Junk',
        b'(\\HasNoChildren \\Archive) "/" "Archiv 2024"',
        b'(\\HasChildren) "/" INBOX',
        b'(\\HasNoChildren) "/" "INBOX/Entw&APw-rfe"',
        b'(\\Noselect) NIL "Public"',
        b'(\\HasNoChildren) "/" {11}',
        bytearray(b'Quote"s \\ x'),
        b"",
    ]
    folders = [parse_list(parts) for parts in responses(*lines)]
    assert [(f.name, f.role) for f in folders if f] == [
        ("Sent", "sent"),
        ("Drafts", "drafts"),
        ("Trash", "trash"),
        ("Junk", "junk"),
        ("Archiv 2024", "archive"),
        ("INBOX", "inbox"),
        ("INBOX/Entwürfe", None),
        ("Public", None),
        ('Quote"s \\ x', None),
    ]
    assert folders[0] == FolderInfo("Sent", "/", frozenset({"\\HasNoChildren", "\\Sent"}), "sent")
    assert folders[7] is not None and folders[7].delimiter is None


def test_list_line_with_list_word_and_escapes() -> None:
    folder = parse_list([b'LIST (\\All) "." "a \\"b\\""'])
    assert folder == FolderInfo('a "b"', ".", frozenset({"\\All"}), "all")


def test_roles_guessed_by_name_only_without_special_use() -> None:
    plain = [FolderInfo(n, "/", frozenset(), None) for n in ("INBOX/Sent Items", "Spam", "Misc")]
    assert [f.role for f in guess_roles(plain)] == ["sent", "junk", None]
    marked = [FolderInfo("Sent", "/", frozenset(), None),
              FolderInfo("Outbox", "/", frozenset({"\\Sent"}), "sent")]  # fmt: skip
    assert [f.role for f in guess_roles(marked)] == [None, "sent"]


def test_fetch_items() -> None:
    parts = [
        b"12 FETCH (UID 4827 FLAGS (\\Seen $Forwarded) RFC822.SIZE 4286 "
        b'INTERNALDATE "17-Jul-1996 02:44:25 -0700" BODY[HEADER] {10}',
        bytearray(b"Subject: \r"),
        b" BODY[] NIL)",
    ]
    message = parse_fetch(parts)
    assert message is not None
    assert message.uid == 4827
    assert message.flags == frozenset({"\\Seen", "$Forwarded"})
    assert message.size == 4286
    assert message.internaldate == datetime(
        1996, 7, 17, 2, 44, 25, tzinfo=timezone(-timedelta(hours=7))
    )
    assert message.header == b"Subject: \r"
    assert message.raw is None


def test_fetch_quoted_body_and_other_order() -> None:
    message = parse_fetch([b'1 FETCH (BODY[] "a\\"b" FLAGS () UID 3 RFC822.SIZE 3)'])
    assert message is not None
    assert (message.uid, message.raw, message.header) == (3, b'a"b', None)
    assert message.flags == frozenset()


def test_unsolicited_fetch_without_uid_is_skipped() -> None:
    assert parse_fetch([b"5 FETCH (FLAGS (\\Deleted))"]) is None


def test_fetch_garbage_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        parse_fetch([b"5 EXPUNGE"])


def test_tokenize_sections_and_nesting() -> None:
    tokens = tokenize([b'1 FETCH (BODY[HEADER.FIELDS (FROM TO)]<0> "x" X (A (B NIL)))'])
    items = ["BODY[HEADER.FIELDS (FROM TO)]<0>", b"x", "X", ["A", ["B", None]]]
    assert tokens == ["1", "FETCH", items]


def test_internaldate() -> None:
    assert parse_internaldate(b" 1-Feb-2024 10:00:00 +0130") == datetime(
        2024, 2, 1, 10, 0, tzinfo=timezone(timedelta(hours=1, minutes=30))
    )
    assert parse_internaldate(b"32-Feb-2024 10:00:00 +0000") is None
    assert parse_internaldate(None) is None


def test_search_and_capabilities_and_codes() -> None:
    assert parse_search([b"2 84 882", b"", b"5 (MODSEQ 9)"]) == [2, 84, 882, 5]
    assert parse_search([b"SEARCH 1 2"]) == [1, 2]
    caps = parse_capabilities([b"[CAPABILITY IMAP4rev1 IDLE auth=plain] Logged in"])
    assert caps == frozenset({"IMAP4REV1", "IDLE", "AUTH=PLAIN"})
    assert parse_capabilities([b"CAPABILITY IMAP4rev1 MOVE", b"done"]) == {"IMAP4REV1", "MOVE"}
    assert parse_capabilities([b"Logged in"]) is None
    assert response_code(b"[NONEXISTENT] Mailbox doesn't exist") == "NONEXISTENT"
    assert response_code(b"Mailbox doesn't exist") is None


def test_literal_size() -> None:
    assert literal_size(b"x {12}") == 12
    assert literal_size(b"x {12+}") == 12
    assert literal_size(b'x "{12}"') is None
    assert literal_size(b"x {a}") is None
    assert literal_size(b"}") is None


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ("INBOX", "INBOX"),
        ("Entwürfe", "Entw&APw-rfe"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("A&B", "A&-B"),
        ("&", "&-"),
        ("Tom's 😀 mail", "Tom's &2D3eAA- mail"),
        ("€uro/ü", "&IKw-uro/&APw-"),
    ],
)
def test_modified_utf7_round_trip(text: str, wire: str) -> None:
    assert encode_mailbox(text) == wire
    assert decode_mailbox(wire) == text
    assert decode_mailbox(wire.encode()) == text


def test_modified_utf7_leniency_and_quoting() -> None:
    assert decode_mailbox("bad&$$$-name") == "bad&$$$-name"
    assert decode_mailbox("Grüße".encode()) == "Grüße"  # raw UTF-8 from a UTF8=ACCEPT server
    assert quote_mailbox('a "b" \\ ä') == '"a \\"b\\" \\\\ &AOQ-"'


def test_an_empty_fetch_answer_is_a_protocol_error() -> None:
    from mailclient.core.errors import ProtocolError
    from mailclient.services.imap.parse import parse_fetch

    with pytest.raises(ProtocolError):
        parse_fetch([])
