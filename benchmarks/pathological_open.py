"""Opening the corpus's pathological messages as the reader does: seconds and peak memory each.

Run: ``.venv/bin/python benchmarks/pathological_open.py``. Each file is opened in a fresh
interpreter (offscreen Qt): ``view_message`` (parse, bounded by ``parse_limits``), then
``ReaderPane.show_message`` and the layout of the result, as the window shows a message. The
time is that of the open alone; the peak resident memory (ru_maxrss) is the whole process's,
Qt included, with the figure before the open beside it. Budget: under 2 s and 200 MB each; the
exit status is 1 when a file is over it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import in_fresh_process, peak_rss_mb  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BUDGET_SECONDS = 2.0
BUDGET_MB = 200.0
# (file, what makes it hostile)
PATHOLOGICAL = [
    ("flanker/enclosed-endless.eml", "3,043 parts of nested message/rfc822, 3 MB"),
    ("flanker/long-header.eml", "a 210 KB Subject of 6,600 encoded words"),
    ("mimekit/messages__stack-overflow.eml", "a 135 KB To of 2,700 encoded words"),
    ("nodemailer-mailparser/outofmemory.eml", "1.1 MB parser-DoS fixture"),
    ("nodemailer-mailparser/htmllargecallstack.eml", "570 KB of deeply nested HTML"),
    ("nodemailer-mailparser/large_text.eml", "1.1 MB of text"),
    ("mailcore2/summary__989-encoding-8.eml", "35 attachments, 700 KB"),
    ("postal-mime/mimetorture.eml", "the MIME torture test: 10 attachments, nesting"),
    ("dovecot/thirdparty__005.eml", "a NUL byte"),
    ("sisimai/mac__lhost-amavis-01.eml", "CR-only line ends"),
    ("sisimai/mac__arf-01.eml", "CR-only line ends, a feedback report"),
    ("enmime/mail__multipart-wo-boundary.eml", "a multipart without boundary"),
    ("enmime/parts__multimixed-no-closing-boundary.eml", "no closing boundary"),
    ("dovecot/malformed__001.eml", "broken nesting"),
]


def open_once(path: str) -> tuple[float, float, float, int]:
    """Open one file as the reader does; (seconds, MB before, peak MB, notes shown)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from mailclient.core.message_parse import view_message
    from mailclient.ui.reader import ReaderPane

    app = QApplication([])
    reader = ReaderPane()
    reader.resize(900, 700)
    reader.show()
    app.processEvents()
    raw = (CORPUS / path).read_bytes()
    before = peak_rss_mb()
    started = time.perf_counter()
    view = view_message(raw)
    reader.show_message(view, raw)
    app.processEvents()  # the layout and paint of what was shown
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    return seconds, before, peak, len(view.shortened)


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}")
        return 0
    print(f"{'file':50} {'seconds':>8} {'MB before':>10} {'peak MB':>8}  shortened  what")
    over = 0
    for path, what in PATHOLOGICAL:
        seconds, before, peak, notes = in_fresh_process(open_once, path)
        flag = "" if seconds < BUDGET_SECONDS and peak < BUDGET_MB else "  OVER BUDGET"
        over += bool(flag)
        print(f"{path:50} {seconds:8.3f} {before:10.1f} {peak:8.1f}  {notes:9}  {what}{flag}")
    print(f"budget: {BUDGET_SECONDS} s and {BUDGET_MB:.0f} MB each; {over} over")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
