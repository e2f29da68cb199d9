"""Every message of ../shared/corpus is read as the reader reads it, and agrees with the facts
MANIFEST.tsv records where Python's parser gives them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mailclient.core.message_parse import header_text, view_message

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
_ESCAPE = re.compile(r"\\(\\|t|n|r|x[0-9a-f]{2}|udc[0-9a-f]{2})")
# Where the reader deliberately shows less than Python's parser gives (parse_limits).
SHORTENED = {"flanker/enclosed-endless.eml", "flanker/long-header.eml",
             "mimekit/messages__stack-overflow.eml", "nodemailer-mailparser/large_text.eml",
             "nodemailer-mailparser/outofmemory.eml"}


def unescape(value: str) -> str:
    """A MANIFEST.tsv value as Python's parser gave it (see the corpus README)."""
    simple = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code in simple:
            return simple[code]
        return chr(int(code[1:] if code[0] == "x" else code, 16) if code[0] == "x"
                   else 0xDC00 + int(code[3:], 16))
    return _ESCAPE.sub(one, value)


def folded(value: str) -> str:
    """A header value on one line, surrogates as replacement marks (as the reader shows)."""
    text = " ".join(value.split()) if ("\n" in value or "\r" in value) else value
    return text.encode("utf-8", "replace").decode("utf-8")


def manifest() -> list[dict[str, str]]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as table:
        return list(csv.DictReader(table, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_manifest_lists_every_message() -> None:
    rows = manifest()
    assert len(rows) > 500
    assert {r["path"] for r in rows} == {str(p.relative_to(CORPUS))
                                         for p in CORPUS.rglob("*.eml")}


@pytest.mark.parametrize("row", manifest() if CORPUS.is_dir() else [],
                         ids=lambda row: row["path"])
def test_corpus_message_is_read_as_manifest_says(row: dict[str, str]) -> None:
    raw = (CORPUS / row["path"]).read_bytes()
    assert len(raw) == int(row["size"])
    view = view_message(raw)
    assert view.message is not None
    assert view.text is not None or view.html is not None or view.attachments or \
        view.message.is_multipart()
    if row["path"] in SHORTENED:
        assert view.shortened
        return
    assert not view.shortened
    given = {name: row[name] for name in ("subject", "from")
             if row[name] or not row["error"]}  # a field that raised is empty
    if "subject" in given:
        assert view.subject == folded(unescape(given["subject"]))
    if "from" in given:
        assert header_text(view.message, "from") == folded(unescape(given["from"]))
    if row["attachments"] != "ERR":
        assert len(view.attachments) == int(row["attachments"])
