"""Every bounce of the shared corpus is explained; no other message of it is taken for one."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from mailclient.core.delivery_report import delivery_failure

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"

# The corpus has no "bounce" column: bounces are known by folder and upstream name.
# sisimai's arf-* (complaints) and rfc3834-* (auto-replies) are not bounces.
BOUNCE_PATHS = re.compile(
    r"^(sisimai/\w+__[lr]host-|flanker/bounce__|mimekit/messages__(bounce|delivery-status)|"
    r"mail-rb/multipart_report_emails__|enmime/dsn__|enmime/mail__multipart-wo-boundary|"
    r"postal-mime/bounce|nodemailer-mailparser/delivery-status)"
)
# Real bounces filed among other test messages upstream (each has a delivery-status part).
OTHER_BOUNCES = {
    "cpython/msg_16.eml",  # sendmail-style DSN: disk quota
    "cpython/msg_25.eml",  # sendmail DSN: too many hops
    "cpython/msg_43.eml",  # amavis DSN with 25 recipients
    "mail-rb/mime_emails__raw_email_with_mimepart_without_content_type.eml",  # delay DSN
}
# Bounces that carry no recipient to report, with the reason.
KNOWN_MISSES = {
    # multipart/report without a boundary: the body is one line, "I'm multipart message
    # without boundary", so there is nobody to name.
    "enmime/mail__multipart-wo-boundary.eml",
}


def _corpus_files() -> list[tuple[str, bytes]]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    lines = (CORPUS / "MANIFEST.tsv").read_text("utf-8").splitlines()[1:]
    return [(line.split("\t", 1)[0], (CORPUS / line.split("\t", 1)[0]).read_bytes())
            for line in lines if line]


def _is_bounce(path: str) -> bool:
    return BOUNCE_PATHS.match(path) is not None or path in OTHER_BOUNCES


def test_corpus_bounces_are_explained_and_others_are_not() -> None:
    files = _corpus_files()
    started = time.monotonic()
    explained, misses, flagged = [], [], []
    for path, raw in files:
        failure = delivery_failure(raw)
        if _is_bounce(path):
            if failure is not None and any("@" in r.address for r in failure.recipients):
                explained.append(path)
                assert failure.summary().startswith("Your message")
            else:
                misses.append(path)
        elif failure is not None:
            flagged.append(path)
    elapsed = time.monotonic() - started
    bounces = len(explained) + len(misses)
    assert bounces == 107
    assert len(explained) / bounces >= 0.90
    assert len(explained) == 106  # measured: 106 of 107 (99.1 %)
    assert set(misses) == KNOWN_MISSES
    assert flagged == []
    assert elapsed < 5.0
