"""The Sent copy keeps Bcc, the wire copy never has it; cancelling removes only what waits."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.headerregistry import Address
from pathlib import Path

import pytest

from mailclient.core.errors import MailError, NotFoundError
from mailclient.core.message_build import Draft, build_message
from mailclient.services.outbox import Outbox
from mailclient.services.outbox_copies import sent_copy, without_bcc
from mailclient.services.store.database import Database


def draft(**changes: object) -> Draft:
    made = Draft(sender=Address("Alice", "alice", "example.org"), to=["bob@example.net"],
                 subject="Plans", text="Hello\n", bcc=["Carol <carol@example.net>"])
    for name, value in changes.items():
        setattr(made, name, value)
    return made


def test_sent_copy_names_bcc_and_wire_copy_does_not() -> None:
    message = build_message(draft(bcc=["Carol <carol@example.net>", "dan@example.net"]))
    copy = sent_copy(message, ["Carol <carol@example.net>", "dan@example.net"])
    parsed = message_from_bytes(copy, policy=policy.default)
    assert [a.addr_spec for a in parsed["Bcc"].addresses] == ["carol@example.net",
                                                              "dan@example.net"]
    assert "Bcc" not in message, "the built message itself is left alone"
    wire = without_bcc(copy)
    assert b"carol@example.net" not in wire and b"dan@example.net" not in wire
    assert wire == bytes(message.as_bytes(policy=policy.SMTP))
    assert without_bcc(wire) == wire


def test_no_bcc_leaves_the_message_as_built() -> None:
    message = build_message(draft(bcc=[]))
    assert sent_copy(message, []) == message.as_bytes(policy=policy.SMTP)


def test_folded_and_resent_bcc_fields_are_removed_body_untouched() -> None:
    raw = (b"From: a@x.org\r\nBcc: one@x.org,\r\n two@x.org\r\nSubject: s\r\n"
           b"RESENT-BCC: three@x.org\r\nTo: b@x.org\r\n\r\nBcc: this is the body\r\n")
    assert without_bcc(raw) == (b"From: a@x.org\r\nSubject: s\r\nTo: b@x.org\r\n\r\n"
                                b"Bcc: this is the body\r\n")
    assert without_bcc(b"Subject: s\nbcc: x@y.org\n\nbody\n") == b"Subject: s\n\nbody\n"


def test_non_ascii_bcc_address_is_kept_in_utf8() -> None:
    message = build_message(draft(bcc=["jörg@example.net"]))
    copy = sent_copy(message, ["jörg@example.net"])
    assert "Bcc: jörg@example.net".encode() in copy
    assert "jörg".encode() not in without_bcc(copy)


def queued(outbox: Outbox, subject: str = "Plans") -> int:
    return outbox.queue("a", raw=b"Subject: x\r\n\r\nhi\r\n", sender="a@x.org",
                        recipients=["b@x.org"], message_id="<1@x.org>", subject=subject)


@pytest.mark.parametrize("state", ["queued", "failed", "held"])
def test_cancel_removes_a_waiting_message(tmp_path: Path, state: str) -> None:
    outbox = Outbox(Database(tmp_path / "db"))
    item = queued(outbox)
    if state != "queued":
        outbox.claim(item)
        outbox.mark(item, state, error="x")
    removed = outbox.cancel(item)
    assert (removed.id, removed.subject, removed.state) == (item, "Plans", state)
    assert outbox.items() == []
    with pytest.raises(NotFoundError, match=f"no outbox message with id {item}"):
        outbox.cancel(item)


def test_cancel_refuses_a_message_being_sent_or_sent(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "db"))
    sending, sent = queued(outbox), queued(outbox)
    outbox.claim(sending)
    outbox.claim(sent)
    outbox.mark(sent, "sent")
    with pytest.raises(MailError, match="being sent right now"):
        outbox.cancel(sending)
    with pytest.raises(MailError, match="sent already"):
        outbox.cancel(sent)
    assert [i.state for i in outbox.items()] == ["sending", "sent"]
