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


def _foreign_draft() -> bytes:
    message = EmailMessage()
    message["From"] = "Ada <ada@example.org>"
    message["To"] = "Bob <bob@example.net>, carol@example.net"
    message["Bcc"] = "dave@example.net"
    message["Subject"] = "Plan, from my phone"
    message["In-Reply-To"] = REPLY_TO
    message["References"] = f"<root@example.net> {REPLY_TO}"
    message.set_content("Half written.\n")
    message.add_alternative("<p>Half <b>written</b>.</p>", subtype="html")
    message.add_attachment(PICTURE.data, maintype="image", subtype="png",
                           filename=PICTURE.filename)
    return message.as_bytes()


async def test_a_draft_from_another_client_is_adopted_and_replaced_on_save(
        tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    service = service_with(tmp_path, imap)
    adopted = service.drafts.adopt("work", _foreign_draft(), folder="Drafts", uidvalidity=7,
                                   uid=41)
    assert (adopted.to, adopted.bcc, adopted.subject, adopted.text) == (
        ["Bob <bob@example.net>", "carol@example.net"], ["dave@example.net"],
        "Plan, from my phone", "Half written.\n")
    assert adopted.sender == "Ada <ada@example.org>" and "<b>written</b>" in (adopted.html or "")
    assert (adopted.in_reply_to, adopted.references) == (REPLY_TO, ["<root@example.net>",
                                                                   REPLY_TO])
    assert [(a.filename, a.data) for a in adopted.attachments] == [(PICTURE.filename,
                                                                   PICTURE.data)]
    assert adopted.server is not None and adopted.server.uid == 41
    assert service.drafts.get(adopted.id).subject == "Plan, from my phone"


async def test_our_own_draft_is_not_adopted_twice(tmp_path: Path) -> None:
    imap = FakeDraftsImap()
    service = service_with(tmp_path, imap)
    saved = await service.drafts.save("work", to=["bob@example.net"], subject="Mine", text="x")
    (raw,) = ours(imap)
    again = service.drafts.adopt("work", raw, folder="Drafts", uidvalidity=1, uid=1)
    assert again.id == saved.id and len(service.drafts.list_drafts()) == 1


def test_a_broken_draft_still_opens() -> None:
    from mailclient.core.draft_fields import draft_fields

    fields = draft_fields(b"Subject: =?x-unknown?q?a?=\r\nContent-Type: multipart/mixed\r\n\r\n"
                          b"no boundary at all\r\n")
    assert fields.to == [] and isinstance(fields.text, str)
