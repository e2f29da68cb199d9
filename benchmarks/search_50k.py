"""Search figures over 50,000 stored messages: p50/p95 of ten typical queries.

Run: ``.venv/bin/python benchmarks/search_50k.py``. The baseline, measured in the same run, is
a plain SQL ``LIKE`` scan for the same words (what a store without FTS5 would do).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mailclient.core.search_query import parse_query  # noqa: E402
from mailclient.services.store import Database, MessageStore  # noqa: E402
from mailclient.services.store.blobs import BlobStore  # noqa: E402
from mailclient.services.store.messages import NewMessage  # noqa: E402
from mailclient.services.store.search import search_messages  # noqa: E402

COUNT = 50_000
WORDS = ("engine mill store card number table note analysis report budget meeting invoice "
         "travel london paris dinner results induction telegraph comet star").split()
PEOPLE = ["Charles Babbage", "Mary Somerville", "Michael Faraday", "Ada Lovelace",
          "John Herschel", "Caroline Herschel", "Isambard Brunel", "Sophie Germain"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
QUERIES = ["engine", "from:faraday", "subject:invoice", '"mill store"', "has:attachment budget",
           "is:unread from:ada", "after:2026-06-01 report", "paris -subject:dinner",
           "to:caroline telegraph", "comet star"]


def message(rng: random.Random, n: int) -> bytes:
    who = rng.choice(PEOPLE)
    subject = " ".join(rng.choices(WORDS, k=4))
    body = " ".join(rng.choices(WORDS, k=80))
    month, day = 1 + n % 12, 1 + n % 28
    return (f"From: {who} <{who.split()[1].lower()}@example.net>\r\n"
            f"To: {rng.choice(PEOPLE)} <x{n}@example.org>\r\nSubject: {subject}\r\n"
            f"Date: {day:02d} {MONTHS[month - 1]} 2026 10:00:00 +0000\r\n"
            f"Message-ID: <{n}@bench>\r\n\r\n{body}\r\n").encode()


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch:
        store = MessageStore(Database(Path(scratch) / "m.db"), BlobStore(Path(scratch) / "b"))
        folder = store.ensure_folder("bench", "INBOX", "inbox")
        started = time.perf_counter()
        for start in range(0, COUNT, 1000):  # as a sync stores them: listed first, then indexed
            store.add_messages([
                NewMessage("bench", folder, message(rng, n), ["seen"] if n % 3 else [], 1, n + 1)
                for n in range(start, start + 1000)], index=False)
        listed = time.perf_counter() - started
        store.index_pending()
        print(f"stored {COUNT} messages: listed in {listed:.1f} s, "
              f"indexed for search in {time.perf_counter() - started - listed:.1f} s more")
        ours: list[float] = []
        baseline: list[float] = []
        for text in QUERIES:
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                search_messages(store.db, parse_query(text), limit=50)
                times.append(time.perf_counter() - t0)
            ours += times
            print(f"  {text:28} median {statistics.median(times) * 1000:6.1f} ms")
            word = text.replace('"', " ").split()[-1].split(":")[-1]
            t0 = time.perf_counter()
            store.db.query("SELECT m.id FROM messages m JOIN messages_fts t ON t.rowid = m.pk "
                           "WHERE t.subject LIKE ? OR t.body LIKE ? ORDER BY m.date_epoch DESC "
                           "LIMIT 50", (f"%{word}%", f"%{word}%"))
            baseline.append(time.perf_counter() - t0)
        p50, p95 = percentile(ours, 0.5) * 1000, percentile(ours, 0.95) * 1000
        b50 = statistics.median(baseline) * 1000
        print(f"ten typical queries, top 50: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        print(f"baseline LIKE scan of one word: p50 {b50:.1f} ms (ratio p50 {p50 / b50:.2f})")


if __name__ == "__main__":
    main()
