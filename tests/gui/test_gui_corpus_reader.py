"""Every message of ../shared/corpus, stored and listed, is shown in the reader as the window
shows it; a message over the parse bounds is shown in part, with a note saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from mailclient.core.message_parse import view_message
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from mailclient.services.store.messages import NewMessage
from mailclient.ui.reader import ReaderPane
from mailclient.ui.reader_body import header_line

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
PATHOLOGICAL = ["flanker/enclosed-endless.eml", "flanker/long-header.eml",
                "mimekit/messages__stack-overflow.eml", "nodemailer-mailparser/outofmemory.eml",
                "nodemailer-mailparser/large_text.eml"]


def test_every_corpus_message_is_stored_listed_and_shown(qtbot, tmp_path: Path) -> None:
    files = sorted(CORPUS.rglob("*.eml"))
    store = MessageStore(Database(tmp_path / "m.db"), BlobStore(tmp_path / "b"))
    inbox = store.ensure_folder("a", "INBOX", "inbox")
    store.add_messages([NewMessage("a", inbox, path.read_bytes(), [], 1, uid)
                        for uid, path in enumerate(files, start=1)], index=False)
    listed = store.list_messages(account="a")
    assert len(listed) == len(files) > 500
    reader = ReaderPane()
    qtbot.addWidget(reader)
    reader.resize(800, 600)
    reader.show()
    shortened = 0
    for row in listed:
        raw = store.raw(row.id)
        view = view_message(raw)
        reader.show_message(view, raw)
        assert reader.view is view
        assert reader.subject.text() == (header_line(view.subject, 300) or "(no subject)")
        assert reader.shortened.isVisibleTo(reader) == bool(view.shortened)
        shortened += bool(view.shortened)
    assert shortened == len(PATHOLOGICAL)


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_message_is_shown_in_part_with_a_note(qtbot, name: str) -> None:
    raw = (CORPUS / name).read_bytes()
    reader = ReaderPane()
    qtbot.addWidget(reader)
    reader.resize(800, 600)
    reader.show()
    reader.show_message(view_message(raw), raw)
    assert reader.shortened.isVisible()
    assert reader.shortened.text().startswith("This message is too complex to show fully: showing")
    assert reader.body_text().strip() or reader.attachments.text()
    QApplication.processEvents()  # the layout, before the picture
    reader.grab().save(str(Path("/tmp") / f"h11-{Path(name).stem}.png"))
