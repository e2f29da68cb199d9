"""A draft's server copy: APPENDUID read, the previous version deleted by UID (UIDPLUS) or
found by the draft's header (no UIDPLUS, a void UID), never the new one."""

from __future__ import annotations

import pytest

from mailclient.services.drafts_files import ServerCopy
from mailclient.services.drafts_server import draft_criteria, put_draft, remove_draft
from mailclient.services.imap.uids import parse_appenduid
from tests.helpers.fake_drafts_imap import FakeDraftsImap

DRAFT_ID = "0123456789ab"


def version(n: int, draft_id: str = DRAFT_ID) -> bytes:
    return (f"Subject: version {n}\r\nX-Mailclient-Draft: {draft_id}\r\n\r\nText {n}\r\n"
            ).encode()


def test_appenduid_is_read_from_the_tagged_answer() -> None:
    assert parse_appenduid([b"[APPENDUID 38505 3955] APPEND completed"]) == (38505, 3955)
    assert parse_appenduid([b"* 3 EXISTS", b"[appenduid 1 2] Append done."]) == (1, 2)


@pytest.mark.parametrize("line", [
    b"APPEND completed",  # no UIDPLUS
    b"[APPENDUID 38505 3955:3957] MULTIAPPEND completed",  # a set: not one message
    b"[APPENDUID 0 5] zero is no UIDVALIDITY",
    b"[APPENDUID 1 99999999999] out of range",
    b"[APPENDUID 1 x] junk",
])
def test_no_single_appenduid(line: bytes) -> None:
    assert parse_appenduid([line]) is None


def test_a_literal_is_not_read_for_codes() -> None:
    assert parse_appenduid([bytearray(b"[APPENDUID 1 2]"), b"OK done"]) is None


async def test_uidplus_deletes_exactly_the_remembered_uid() -> None:
    imap = FakeDraftsImap()
    first = await put_draft(imap, DRAFT_ID, version(1), None)
    assert first == ServerCopy("Drafts", 7, 1)
    second = await put_draft(imap, DRAFT_ID, version(2), first)
    assert second == ServerCopy("Drafts", 7, 2)
    assert list(imap.folders["Drafts"]) == [2]
    raw, flags = imap.folders["Drafts"][2]
    assert b"version 2" in raw and flags == "\\Draft \\Seen"
    assert imap.commands[-3:] == ["APPEND Drafts (\\Draft \\Seen)", "SELECT Drafts",
                                  "EXPUNGE 1"], "deleted by UID, no search needed"


async def test_without_uidplus_old_versions_are_found_by_header() -> None:
    imap = FakeDraftsImap(uidplus=False)
    other = version(1, "ffffffffffff")
    imap.folders["Drafts"][99] = (other, "\\Draft")  # another draft: left alone
    first = await put_draft(imap, DRAFT_ID, version(1), None)
    assert first == ServerCopy("Drafts", 7, None)
    await put_draft(imap, DRAFT_ID, version(2), first)
    await put_draft(imap, DRAFT_ID, version(3), first)
    ours = {uid: raw for uid, (raw, _) in imap.folders["Drafts"].items() if raw != other}
    assert list(ours) == [3] and b"version 3" in ours[3]
    assert 99 in imap.folders["Drafts"]
    assert f"SEARCH {draft_criteria(DRAFT_ID)}" in imap.commands


async def test_a_void_uid_falls_back_to_the_header() -> None:
    imap = FakeDraftsImap()
    first = await put_draft(imap, DRAFT_ID, version(1), None)
    imap.uidvalidity = 8  # the folder was recreated: UID 1 may be another message now
    imap.folders["Drafts"][5] = (b"Subject: not ours\r\n\r\n", "")
    await put_draft(imap, DRAFT_ID, version(2), first)
    assert sorted(imap.folders["Drafts"]) == [2, 5]


async def test_an_interrupted_save_is_cleaned_by_the_next() -> None:
    imap = FakeDraftsImap()
    await put_draft(imap, DRAFT_ID, version(1), None)
    await put_draft(imap, DRAFT_ID, version(2), None)  # the UID of version 1 was lost
    assert list(imap.folders["Drafts"]) == [2]


async def test_drafts_folder_by_name_or_created() -> None:
    imap = FakeDraftsImap(drafts="drafts", role=None)
    assert (await put_draft(imap, DRAFT_ID, version(1), None)).folder == "drafts"
    bare = FakeDraftsImap(drafts=None)
    assert (await put_draft(bare, DRAFT_ID, version(1), None)).folder == "Drafts"
    assert "CREATE Drafts" in bare.commands


async def test_remove_draft_by_uid_and_by_header() -> None:
    imap = FakeDraftsImap()
    copy = await put_draft(imap, DRAFT_ID, version(1), None)
    assert await remove_draft(imap, DRAFT_ID, copy) == 1
    assert imap.folders["Drafts"] == {}
    await put_draft(imap, DRAFT_ID, version(2), None)
    assert await remove_draft(imap, DRAFT_ID, None) == 1
    assert imap.folders["Drafts"] == {}
    assert await remove_draft(FakeDraftsImap(drafts=None), DRAFT_ID, None) == 0


def test_only_a_draft_id_goes_into_a_search() -> None:
    with pytest.raises(ValueError):
        draft_criteria('x" OR ALL')
