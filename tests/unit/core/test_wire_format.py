"""The fast wire form is byte for byte what ``as_bytes`` makes: every corpus message under
both line ends, and built messages with LF, CRLF, CR-only and unterminated bodies."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import SMTP, default
from pathlib import Path

import pytest

from mailclient.core.wire_format import wire_bytes

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".tsv", ".md"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_every_corpus_message_comes_out_the_same() -> None:
    compared = 0
    for path in corpus_files():
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        for policy in (SMTP, default):
            try:
                expected = message.as_bytes(policy=policy)
            except Exception:  # noqa: BLE001 - the stdlib cannot write this one either
                continue
            assert wire_bytes(message, policy) == expected, path.name  # type: ignore[arg-type]
            compared += 1
    assert compared > 500


@pytest.mark.parametrize("body", ["one\ntwo\n", "one\r\ntwo\r\n", "one\rtwo", "no end",
                                  "mixed\r\nends\nand\rhere", "", "\n\n\n"])
def test_line_ends_of_every_kind(body: str) -> None:
    message = EmailMessage()
    message["Subject"] = "ends"
    message.set_payload(body)
    for policy in (SMTP, default):
        assert wire_bytes(message, policy) == message.as_bytes(policy=policy)


def test_a_large_attachment() -> None:
    message = EmailMessage()
    message["Subject"] = "big"
    message.set_content("see attached\n")
    message.add_attachment(bytes(range(256)) * 20_000, maintype="application",
                           subtype="octet-stream", filename="big.bin")
    assert wire_bytes(message, SMTP) == message.as_bytes(policy=SMTP)
