"""Indexing figures: µs per message for index_text (compat32) vs summarize (policy.default).

Run: ``.venv/bin/python benchmarks/index_text.py``. Both take what the search index needs of
a whole message (body text, attachment names, defect count) from the corpus's messages and
from 10,000 realistic ones (``bench_support.messages``: 1-10 KB text, 15% HTML alternative,
2% with a 60 KB PDF); the ratio is summarize's time over index_text's (higher: we are faster).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_support import best_per_item, messages  # noqa: E402

from mailclient.core.index_text import index_text  # noqa: E402
from mailclient.core.message_summary import summarize  # noqa: E402

COUNT = 10_000
ROUNDS = 3
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"




def slowest(parse: Callable[[bytes], object], raws: list[bytes]) -> tuple[float, int]:
    """The slowest single message in ms, and its index."""
    times = []
    for raw in raws:
        start = time.perf_counter()
        parse(raw)
        times.append(time.perf_counter() - start)
    worst = max(range(len(raws)), key=times.__getitem__)
    return times[worst] * 1000, worst


def report(title: str, raws: list[bytes], rounds: int, names: list[str] | None = None) -> None:
    size = sum(map(len, raws)) / len(raws)
    print(f"\n{title}: {len(raws)} messages, {size / 1024:.1f} KiB on average")
    ours = best_per_item(index_text, raws, rounds)
    theirs = best_per_item(summarize, raws, rounds)
    print(f"  {'index_text (compat32)':<26}{ours:9.1f} µs/message")
    print(f"  {'summarize (policy.default)':<26}{theirs:9.1f} µs/message   "
          f"ratio {theirs / ours:.1f}x")
    print(f"  {len(raws):,} messages: {ours * len(raws) / 1e6:.2f} s vs "
          f"{theirs * len(raws) / 1e6:.2f} s")
    if names is not None:
        for label, parse in (("index_text", index_text), ("summarize", summarize)):
            ms, worst = slowest(parse, raws)
            print(f"  slowest with {label}: {ms:.0f} ms ({names[worst]})")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    realistic = list(messages(COUNT))
    report("realistic messages (bench_support)", realistic, rounds)
    if CORPUS.is_dir():
        paths = sorted(CORPUS.rglob("*.eml"))
        report(f"corpus ({CORPUS})", [p.read_bytes() for p in paths], rounds,
               [str(p.relative_to(CORPUS)) for p in paths])
    else:
        print(f"\n{CORPUS} is absent: corpus figures skipped")


if __name__ == "__main__":
    main()
