"""Drafts keep everything of the message: attachments (bytes beside the JSON), the identity,
the reply's threading headers; older draft files still load; unused contents are removed."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailclient.core.errors import StoreError
from mailclient.core.message_build import Attachment
from mailclient.services import drafts_blobs
from tests.helpers.fake_drafts_imap import FakeDraftsImap
from tests.helpers.fake_smtp import serving
from tests.unit.services.test_drafts import ours, service_with

PICTURE = Attachment("Bild ä.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "image/png")
REPLY_TO = "<original@example.net>"


async def test_attachments_identity_and_threading_survive_a_save(tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    service = service_with(tmp_path, imap)
    saved = await service.drafts.save(
        "work", to=["bob@example.net"], subject="Re: Plan", text="Yes.\n",
        attachments=[PICTURE], sender="Ada Alias <ada.alias@example.org>",
        in_reply_to=REPLY_TO, references=["<root@example.net>"])
    again = service.drafts.get(saved.id)
    assert again.attachments == [PICTURE]
    assert (again.sender, again.in_reply_to, again.references) == (
        "Ada Alias <ada.alias@example.org>", REPLY_TO, ["<root@example.net>"])
    stored = json.loads((tmp_path / "profile/data/drafts" / f"{saved.id}.json").read_text())
    assert "data" not in json.dumps(stored["attachments"]), "bytes are kept beside, not in JSON"
    (raw,) = ours(imap)
    server_copy = message_from_bytes(raw, policy=policy.default)
    assert isinstance(server_copy, EmailMessage)
    assert server_copy["From"].addresses[0].addr_spec == "ada.alias@example.org"
    assert server_copy["In-Reply-To"] == REPLY_TO
    assert REPLY_TO in server_copy["References"]
    (part,) = list(server_copy.iter_attachments())
    assert part.get_filename() == PICTURE.filename and part.get_content() == PICTURE.data


async def test_sending_a_draft_sends_its_attachments(tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    async with serving() as fake:
        service = service_with(tmp_path, imap, smtp=fake.config("none"), allow_insecure=True)
        saved = await service.drafts.save("work", to=["bob@example.net"], subject="Photo",
                                          text="Here.\n", attachments=[PICTURE],
                                          in_reply_to=REPLY_TO)
        await service.send_draft(saved.id)
    sent = message_from_bytes(fake.bodies[0], policy=policy.default)
    assert isinstance(sent, EmailMessage) and sent["In-Reply-To"] == REPLY_TO
    assert [p.get_filename() for p in sent.iter_attachments()] == [PICTURE.filename]


async def test_contents_no_draft_names_are_removed(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drafts_blobs, "FRESH_SECONDS", -1)
    service = service_with(tmp_path, FakeDraftsImap())
    blobs = tmp_path / "profile/data/drafts/attachments"
    saved = await service.drafts.save("work", to=[], subject="s", text="t",
                                      attachments=[PICTURE])
    assert len(list(blobs.iterdir())) == 1
    await service.drafts.save("work", to=[], subject="s", text="t", draft_id=saved.id)
    assert list(blobs.iterdir()) == []


async def test_a_fresh_content_is_never_collected(tmp_path: Path) -> None:
    service = service_with(tmp_path, FakeDraftsImap())
    saved = await service.drafts.save("work", to=[], subject="s", text="t",
                                      attachments=[PICTURE])
    await service.drafts.delete(saved.id)
    blobs = tmp_path / "profile/data/drafts/attachments"
    assert len(list(blobs.iterdir())) == 1, "another process may be writing a draft naming it"


async def test_a_damaged_attachment_is_a_store_error(tmp_path: Path) -> None:
    service = service_with(tmp_path, FakeDraftsImap())
    saved = await service.drafts.save("work", to=[], subject="s", text="t",
                                      attachments=[PICTURE])
    (blob,) = (tmp_path / "profile/data/drafts/attachments").iterdir()
    blob.write_bytes(b"changed")
    with pytest.raises(StoreError, match="damaged"):
        service.drafts.get(saved.id)


def test_a_draft_file_of_the_first_format_still_loads(tmp_path: Path) -> None:
    service = service_with(tmp_path, FakeDraftsImap())
    folder = tmp_path / "profile/data/drafts"
    folder.mkdir(parents=True)
    (folder / "0123456789ab.json").write_text(json.dumps({
        "id": "0123456789ab", "account": "work", "to": ["bob@example.net"], "subject": "Old",
        "text": "kept", "cc": [], "bcc": [], "updated_epoch": 1.0, "server": None,
        "server_error": None}))
    draft = service.drafts.get("0123456789ab")
    assert (draft.subject, draft.attachments, draft.sender) == ("Old", [], None)
    account = service.accounts.get("work")
    assert draft.compose(account).sender == account.sender
