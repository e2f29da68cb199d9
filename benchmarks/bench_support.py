"""Shared bits of the sync benchmarks: realistic mail, medians, fresh processes, phase clocks."""

from __future__ import annotations

import base64
import gc
import multiprocessing
import random
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from cpu_budget import own_cpu

PEOPLE = ["Charles Babbage", "Mary Somerville", "Michael Faraday", "Ada Lovelace",
          "John Herschel", "Jürgen Müller", "Zoë Ångström", "François Lefèvre",
          "Björk Guðmundsdóttir", "Isambard Brunel", "Sophie Germain", "Caroline Herschel"]
WORDS = ("engine mill store card number table note analysis report budget meeting invoice "
         "travel london paris dinner results induction telegraph comet star the of and to in "
         "is that for with as on by this be are from at or have an which grüße").split()
EXTRAS = ["List-Id: Bench list <bench.lists.example.org>",
          "List-Unsubscribe: <mailto:leave@lists.example.org>", "X-Mailer: Bench 1.0",
          "X-Spam-Status: No, score=-0.1",
          "Authentication-Results: mail.example.org; dkim=pass; spf=pass"]
START = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
_LINES = [" ".join(random.Random(n).choices(WORDS, k=11)) for n in range(4096)]
_BLOB = base64.encodebytes(random.Random(3).randbytes(60_000)).replace(b"\n", b"\r\n")


def _encoded(text: str, rng: random.Random) -> str:
    """``text`` as one RFC 2047 word (Q or B) when it is not ASCII, as mailers send it."""
    if text.isascii():
        return text
    if rng.random() < 0.5:
        return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="
    data = "".join(c if c.isascii() and c.isalnum() else "_" if c == " " else
                   "".join(f"={b:02X}" for b in c.encode()) for c in text)
    return f"=?utf-8?q?{data}?="


def message_id(i: int) -> str:
    return f"<{i}.{i * 7919 % 100_003:x}@mail.example.net>"


def _headers(rng: random.Random, i: int, content_type: str) -> list[str]:
    who = rng.choice(PEOPLE)
    addr = who.split()[-1].lower().encode("ascii", "ignore").decode() + "@example.net"
    date = START + timedelta(minutes=i)  # newer with every UID, as delivery makes it
    lines = [f"Return-Path: <{addr}>"]
    for hop in range(rng.randint(2, 3)):
        lines.append(f"Received: from mx{hop}.example.net (mx{hop}.example.net [192.0.2.{hop}])"
                     f"\r\n\tby mail.example.org (Postfix) with ESMTPS id 4F{i:08X}{hop}\r\n\t"
                     f"for <bench@example.org>; {format_datetime(date)}")
    lines.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; "
                 "s=sel1;\r\n\th=from:to:subject:date:message-id; bh=" + "A" * 44 + ";\r\n\tb="
                 + "\r\n\t".join("B" * 64 for _ in range(5)))
    subject = " ".join(rng.choices(WORDS, k=rng.randint(3, 8)))
    if rng.random() < 0.2:
        subject += " — " + rng.choice(PEOPLE)
    lines += [f"Message-ID: {message_id(i)}", f"Date: {format_datetime(date)}",
              f"From: {_encoded(who, rng)} <{addr}>",
              "To: Bench User <bench@example.org>" + ", Team <team@example.org>" * (i % 2)]
    if rng.random() < 0.3:
        lines.append("Cc: " + ", ".join(f"{_encoded(p, rng)} <p{n}@example.com>"
                                        for n, p in enumerate(rng.sample(PEOPLE, 2))))
    reply = i > 10 and rng.random() < 0.4
    lines.append("Subject: " + ("Re: " if reply else "") + _encoded(subject, rng))
    if reply:
        parents = [message_id(i - k) for k in range(rng.randint(1, 6), 0, -1)]
        lines += [f"In-Reply-To: {parents[-1]}", "References: " + "\r\n ".join(parents)]
    lines += ["MIME-Version: 1.0", f"Content-Type: {content_type}",
              "Content-Transfer-Encoding: 8bit"]
    return lines + rng.sample(EXTRAS, rng.randint(0, 3))


def realistic_message(rng: random.Random, i: int) -> bytes:
    """One message shaped like real mail: 12-20 header fields, a 1-10 KB text body; about
    15% also HTML (multipart/alternative), 2% with a 60 KB PDF attachment."""
    text = "\r\n".join(rng.choices(_LINES, k=rng.randint(16, 160))).encode() + b"\r\n"
    kind = rng.random()
    if kind < 0.02:
        ctype, body = 'multipart/mixed; boundary="mix"', (
            b"--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text
            + b"--mix\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
            b"Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + _BLOB + b"--mix--\r\n")
    elif kind < 0.17:
        html = b"<html><body><p>" + text.replace(b"\r\n", b"</p>\r\n<p>") + b"</p></body></html>"
        ctype, body = 'multipart/alternative; boundary="alt"', (
            b"--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text
            + b"--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
            + b"\r\n--alt--\r\n")
    else:
        ctype, body = "text/plain; charset=utf-8; format=flowed", text
    return ("\r\n".join(_headers(rng, i, ctype)) + "\r\n\r\n").encode() + body


def messages(count: int, seed: int = 7) -> Iterator[bytes]:
    rng = random.Random(seed)
    return (realistic_message(rng, i) for i in range(count))


def median_of(runs: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    """The median of ``runs`` calls of ``measure`` (seconds), and every sample."""
    samples = [measure() for _ in range(runs)]
    return statistics.median(samples), samples


def median(values: list[float]) -> float:
    """The middle value (of an odd number of runs: one that was measured)."""
    return sorted(values)[len(values) // 2]


def runs_of(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    """``  runs: 1.23, 1.25, 1.31`` (``scale`` 1000 for milliseconds)."""
    return "  runs: " + ", ".join(f"{v * scale:.{digits}f}" for v in values)


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """Call a module-level function in a newly spawned interpreter and return its result."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """This process's peak resident set size so far (Linux reports KiB); with
    ``RUSAGE_CHILDREN`` that of its largest ended child (the sync's store worker)."""
    return resource.getrusage(who).ru_maxrss / 1024


class PhaseClock:
    """Seconds since ``start()`` at which named moments happened (first call wins), and the
    CPU seconds this process and its ended children had used by then (``cpu``)."""

    def __init__(self) -> None:
        self.began = time.perf_counter()
        self.began_cpu = own_cpu()
        self.marks: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def start(self) -> None:
        self.began, self.began_cpu = time.perf_counter(), own_cpu()
        self.marks.clear()
        self.cpu.clear()

    def mark(self, name: str) -> None:
        if name not in self.marks:
            self.marks[name] = time.perf_counter() - self.began
            self.cpu[name] = own_cpu() - self.began_cpu

    def wrap(self, module: object, name: str) -> None:
        """Replace the coroutine function ``module.name`` by one that marks its start and end."""
        original = getattr(module, name)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            self.mark(f"{name} start")
            try:
                return await original(*args, **kwargs)
            finally:
                self.mark(f"{name} end")

        setattr(module, name, timed)


@contextmanager
def profiled(title: str, top: int = 25) -> Iterator[None]:
    """Run the block under cProfile and print the top functions by cumulative and self time."""
    import cProfile
    import io
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(key).print_stats(top)
            lines = out.getvalue().splitlines()
            start = next((n for n, line in enumerate(lines) if "ncalls" in line), 0)
            print(f"\n--- profile of {title}, by {key} ---")
            print("\n".join(lines[start:]))


def ratio_line(label: str, seconds: float, baseline: float, samples: list[float] | None = None,
               target: float | None = None) -> str:
    """``label: 1.23 s (ratio 1.10, target <= 1.5: met)`` with the samples if several."""
    text = f"  {label}: {seconds:.2f} s (ratio {seconds / baseline:.2f}"
    if target is not None:
        text += f", target <= {target}: {'met' if seconds / baseline <= target else 'MISSED'}"
    text += ")"
    return text + (runs_of(samples) if samples and len(samples) > 1 else "")


def rss_line(results: list[dict[str, Any]], limit: float = 300) -> str:
    """The median peak RSS of measured runs (``rss`` of each) against its target."""
    rss, worker = (median([r.get(key, 0.0) for r in results]) for key in ("rss", "worker"))
    return f"  peak RSS of the sync process: {rss:.0f} MB (target < {limit:.0f} MB: " \
        f"{verdict(rss, limit)}); of its store worker process: {worker:.0f} MB"


def verdict(value: float, limit: float) -> str:
    return "met" if value < limit else "MISSED"


def best_per_item(work: Callable[[Any], object], items: list[Any], rounds: int) -> float:
    """Best of ``rounds`` runs of ``work`` over ``items``, in µs per item."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for item in items:
            work(item)
        best = min(best, time.perf_counter() - start)
    return best / len(items) * 1e6
