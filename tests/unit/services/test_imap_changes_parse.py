"""Parsing for two-way sync: QRESYNC SELECT answers, MODSEQ, UID sets, COPYUID, flag checks."""

from __future__ import annotations

import pytest

from mailclient.core.errors import ProtocolError
from mailclient.services.imap.changes import check_flags
from mailclient.services.imap.models import FetchedMessage, SelectedFolder
from mailclient.services.imap.parse import parse_enabled, parse_fetch, parse_select
from mailclient.services.imap.uids import (
    check_uid_set,
    compress_uids,
    expand_uid_set,
    parse_copyuid,
)

QRESYNC_SELECT = [
    b"OK [CLOSED] Previous mailbox closed.",
    b"FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)",
    b"5 EXISTS",
    b"OK [UIDVALIDITY 67890007] UIDs valid",
    b"OK [UIDNEXT 600] Predicted next UID",
    b"OK [HIGHESTMODSEQ 90060128194045007] Highest",
    b"VANISHED (EARLIER) 41,43:45,598:700",
    b"2 FETCH (UID 50 FLAGS (\\Seen $Forwarded) MODSEQ (90060128194045001))",
    b"3 FETCH (FLAGS (\\Flagged) UID 51 MODSEQ (90060128194045002))",
    b"4 FETCH (FLAGS (\\Deleted))",  # no UID: not a QRESYNC answer
]


def test_qresync_select_reports_vanished_ranges_and_changed_flags() -> None:
    folder = parse_select("INBOX", QRESYNC_SELECT, qresync=True)
    assert (folder.uidvalidity, folder.uidnext, folder.exists) == (67890007, 600, 5)
    assert folder.highestmodseq == 90060128194045007
    assert folder.vanished == (41, 43, 44, 45, 598, 599)  # 600 and above cannot exist yet
    assert folder.changed == (
        FetchedMessage(50, frozenset({"\\Seen", "$Forwarded"}), 0, None, None, None,
                       90060128194045001),
        FetchedMessage(51, frozenset({"\\Flagged"}), 0, None, None, None, 90060128194045002),
    )  # fmt: skip


def test_answers_before_closed_belong_to_the_previous_folder() -> None:
    lines = [
        b"OK [UIDVALIDITY 1] old folder",
        b"OK [HIGHESTMODSEQ 7] old folder",
        b"2 EXPUNGE",
        b"VANISHED 3:4",
        b"1 FETCH (UID 9 FLAGS () MODSEQ (8))",
        b"OK [CLOSED] Previous mailbox closed.",
        b"0 EXISTS",
        b"OK [UIDVALIDITY 22] new",
        b"VANISHED 5",  # expunged meanwhile by someone else: gone as well
        b"OK [NOMODSEQ] no modseqs here",
    ]
    folder = parse_select("Other", lines, qresync=True)
    assert (folder.uidvalidity, folder.exists, folder.uidnext) == (22, 0, None)
    assert folder.highestmodseq is None
    assert (folder.vanished, folder.changed) == ((5,), ())


def test_plain_select_ignores_fetch_and_vanished() -> None:
    folder = parse_select("INBOX", QRESYNC_SELECT)
    assert (folder.vanished, folder.changed) == ((), ())
    assert folder == SelectedFolder("INBOX", 67890007, 600, 5, 90060128194045007)


def test_uidvalidity_changed_means_no_changes_reported() -> None:
    folder = parse_select("INBOX", [b"3 EXISTS", b"OK [UIDVALIDITY 99] new", b"OK [UIDNEXT 4] x"],
                          qresync=True)  # fmt: skip
    assert (folder.uidvalidity, folder.vanished, folder.changed) == (99, (), ())


def test_malformed_vanished_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="malformed UID set"):
        parse_select("INBOX", [b"OK [UIDVALIDITY 1] x", b"VANISHED (EARLIER) 3:*"], qresync=True)


def test_fetch_with_modseq() -> None:
    message = parse_fetch([b"7 FETCH (UID 12 MODSEQ (624140003) FLAGS (\\Seen) RFC822.SIZE 44)"])
    assert message is not None
    assert (message.uid, message.modseq, message.size) == (12, 624140003, 44)
    plain = parse_fetch([b"7 FETCH (UID 12 FLAGS ())"])
    assert plain is not None and plain.modseq is None


def test_answer_only_skips_flag_changes_pushed_during_a_fetch() -> None:
    pushed = [b"3 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (80))"]
    assert parse_fetch(pushed) is not None
    assert parse_fetch(pushed, answer_only=True) is None
    answer = [b"3 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (80) RFC822.SIZE 9)"]
    assert parse_fetch(answer, answer_only=True) is not None


def test_expand_and_compress_uid_sets() -> None:
    assert expand_uid_set(b"304,319:320,5:3") == [304, 319, 320, 3, 4, 5]
    assert expand_uid_set("1:10", below=4) == [1, 2, 3]
    assert compress_uids([7, 3, 1, 2, 3, 9, 8]) == "1:3,7:9"
    assert compress_uids([]) == ""
    for bad in (b"", b"1,,2", b"1:*", b"a"):
        with pytest.raises(ProtocolError):
            expand_uid_set(bad)
    with pytest.raises(ProtocolError, match="more than"):
        expand_uid_set("1:4294967295")
    with pytest.raises(ProtocolError, match="more than 5"):
        expand_uid_set("1:3,7:9", limit=5)


def test_check_uid_set() -> None:
    assert check_uid_set("1:*,5") == "1:*,5"
    with pytest.raises(ValueError):
        check_uid_set("1:3 (FLAGS)")
    with pytest.raises(ValueError):
        check_uid_set("1:*", star=False)


def test_copyuid_in_tagged_and_untagged_answers() -> None:
    tagged = [b"[COPYUID 38505 304,319:320 3956:3958] Done"]
    assert parse_copyuid(tagged) == {304: 3956, 319: 3957, 320: 3958}
    untagged = [b"OK [COPYUID 432432 42:43 1:2] Moved", b"1 EXPUNGE", b"1 EXPUNGE", b"Done"]
    assert parse_copyuid(untagged) == {42: 1, 43: 2}
    assert parse_copyuid([bytearray(b"[COPYUID 1 1 2]"), b"OK done"]) == {}  # a literal
    assert parse_copyuid([b"[COPYUID 1 1:3 7:8] Done"]) == {}  # sets do not pair up
    assert parse_copyuid([b"Done"]) == {}


def test_enabled() -> None:
    assert parse_enabled([b"ENABLED QRESYNC condstore", b"OK x"]) == {"QRESYNC", "CONDSTORE"}
    assert parse_enabled([b"ENABLED", b"done"]) == frozenset()


@pytest.mark.parametrize("flag", ["\\Seen", "$Forwarded", "\\Deleted", "Junk", "$label1"])
def test_valid_flags(flag: str) -> None:
    assert check_flags([flag]) == [flag]


@pytest.mark.parametrize(
    "flag", ["", "\\", "two words", "(x", "x)", "a\r\nA1 DELETE INBOX", "x\n", '"q"', "a*",
             "\\\\Seen", "ä", "a]"],
)  # fmt: skip
def test_invalid_flags(flag: str) -> None:
    with pytest.raises(ValueError, match="not an IMAP flag"):
        check_flags(["\\Seen", flag])


def test_flags_as_one_string_are_refused() -> None:
    with pytest.raises(ValueError, match="list"):
        check_flags("\\Seen")
