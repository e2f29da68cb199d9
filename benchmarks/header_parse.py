"""Header-parse figures: µs per header block for summarize_header vs the stdlib ways.

Run: ``.venv/bin/python benchmarks/header_parse.py``. Each way takes the same fields (message
id, in-reply-to, references, subject, from, to, cc, date, content type) of the corpus's header
blocks and of 50,000 synthetic headers shaped like real mail; ratios are to summarize_header
measured in the same run (higher means slower than ours).
"""

from __future__ import annotations

import random
import re
import sys
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_support import best_per_item  # noqa: E402

from mailclient.core.header_summary import summarize_header  # noqa: E402

COUNT = 50_000
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
_BLANK_LINE = re.compile(rb"(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r|\n)")
PEOPLE = ["Charles Babbage", "Mary Somerville", "Michael Faraday", "Ada Lovelace",
          "Jürgen Müller", "Zoë Ångström", "François Lefèvre", "Björk Guðmundsdóttir"]
WORDS = ("engine mill store card number table note analysis report budget meeting invoice "
         "travel london paris dinner results induction telegraph comet star grüße").split()
_DEFAULT = BytesHeaderParser(policy=policy.default)
_COMPAT = BytesHeaderParser(policy=policy.compat32)


def _encoded(text: str) -> str:
    """``text`` as one Q-encoded word when it is not ASCII (as most mailers send it)."""
    if text.isascii():
        return text
    data = "".join("_" if c == " " else c if c.isascii() and c.isalnum()
                   else "".join(f"={b:02X}" for b in c.encode()) for c in text)
    return f"=?utf-8?q?{data}?="


def sample(rng: random.Random, i: int) -> bytes:
    """One typical header block: 12-20 fields, Received chain, DKIM, list headers."""
    who = rng.choice(PEOPLE)
    addr = who.split()[0].lower().encode("ascii", "ignore").decode() + "@example.net"
    subject = " ".join(rng.choices(WORDS, k=rng.randint(3, 8)))
    reply = rng.random() < 0.5
    lines = [f"Return-Path: <{addr}>"]
    for hop in range(rng.randint(2, 4)):
        lines.append(f"Received: from mx{hop}.example.net (mx{hop}.example.net [192.0.2.{hop}])"
                     f"\r\n\tby mail.example.org (Postfix) with ESMTPS id 4F{i:08X}{hop}"
                     f"\r\n\tfor <bench@example.org>; Mon, 2 Mar 2026 10:{i % 60:02d}:0{hop} +0000")
    lines.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; "
                 "s=sel1;\r\n\th=from:to:subject:date:message-id; bh=" + "A" * 44 + ";\r\n\tb="
                 + "\r\n\t".join("B" * 64 for _ in range(5)))
    lines += [f"Message-ID: <{i}.{rng.getrandbits(40):x}@mail.example.net>",
              f"Date: Mon, {1 + i % 28} Mar 2026 10:{i % 60:02d}:{i % 59:02d} +0100",
              f"From: {_encoded(who)} <{addr}>",
              f"To: Bench User <bench@example.org>{', Team <team@example.org>' * (i % 3)}"]
    if i % 4 == 0:
        lines.append("Cc: " + ", ".join(f"{_encoded(p)} <p{n}@example.com>"
                                        for n, p in enumerate(rng.sample(PEOPLE, 2))))
    lines.append("Subject: " + ("Re: " if reply else "") + _encoded(subject))
    if reply:
        parents = [f"<{COUNT + i - k}.x@mail.example.net>" for k in range(rng.randint(1, 6), 0, -1)]
        lines += [f"In-Reply-To: {parents[-1]}", "References: " + "\r\n ".join(parents)]
    lines += ["MIME-Version: 1.0",
              "Content-Type: " + ("multipart/mixed; boundary=\"b1\"" if i % 5 == 0
                                  else "text/plain; charset=utf-8; format=flowed"),
              "Content-Transfer-Encoding: 8bit"]
    extras = ["List-Id: Bench list <bench.lists.example.org>",
              "List-Unsubscribe: <mailto:leave@lists.example.org>",
              "X-Mailer: Bench 1.0", "X-Spam-Status: No, score=-0.1",
              "Authentication-Results: mail.example.org; dkim=pass; spf=pass"]
    lines += rng.sample(extras, rng.randint(0, len(extras)))
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def via_default(header: bytes) -> tuple[object, ...]:
    """The fields from ``policy.default`` header objects."""
    message = _DEFAULT.parsebytes(header)

    def field(name: str) -> object:
        try:
            value = message[name]
            if name in ("from", "to", "cc"):
                return [str(a) for a in value.addresses] if value is not None else []
            if name == "date":
                return value.datetime if value is not None else None
            return str(value) if value is not None else ""
        except Exception:  # noqa: BLE001 - header classes raise on hostile input
            return None

    return (field("message-id"), field("in-reply-to"), field("references"),
            field("subject"), field("from"), field("to"), field("cc"), field("date"),
            message.get_content_type())


def via_compat32(header: bytes) -> tuple[object, ...]:
    """The fields from ``compat32`` strings, ``decode_header`` and ``email.utils``."""
    message = _COMPAT.parsebytes(header)

    def text(name: str) -> str:
        value = message.get(name)
        if value is None:
            return ""
        try:
            return str(make_header(decode_header(value)))
        except Exception:  # noqa: BLE001 - unknown charsets, broken encoded words
            return str(value)

    def addresses(name: str) -> list[str]:
        try:
            return [f"{text_of(d)} <{a}>" if d else a
                    for d, a in getaddresses(message.get_all(name, []))]
        except Exception:  # noqa: BLE001 - getaddresses is fragile on hostile input
            return []

    def text_of(value: str) -> str:
        try:
            return str(make_header(decode_header(value)))
        except Exception:  # noqa: BLE001 - as above
            return value

    try:
        date = parsedate_to_datetime(str(message.get("date", "")))
    except (TypeError, ValueError, IndexError):
        date = None
    return (str(message.get("message-id", "")), str(message.get("in-reply-to", "")),
            str(message.get("references", "")), text("subject"), addresses("from"),
            addresses("to"), addresses("cc"), date, message.get_content_type())


def header_block(raw: bytes) -> bytes:
    """The header block of a whole message, with its blank line."""
    end = _BLANK_LINE.search(raw)
    return raw[: end.end()] if end is not None else raw




def report(title: str, headers: list[bytes], rounds: int) -> None:
    size = sum(map(len, headers)) / len(headers)
    print(f"\n{title}: {len(headers)} header blocks, {size:.0f} bytes on average")
    ours = best_per_item(summarize_header, headers, rounds)
    print(f"  {'summarize_header':<34}{ours:8.1f} µs/header   1.00x")
    for name, parse in (("BytesHeaderParser(policy.default)", via_default),
                        ("compat32 + decode_header", via_compat32)):
        figure = best_per_item(parse, headers, rounds)
        print(f"  {name:<34}{figure:8.1f} µs/header {figure / ours:6.2f}x")
    print(f"  50,000 headers with summarize_header: {ours * 50_000 / 1e6:.2f} s")


def main() -> None:
    rng = random.Random(1)
    synthetic = [sample(rng, i) for i in range(COUNT)]
    report("synthetic typical headers", synthetic, 3)
    if CORPUS.is_dir():
        corpus = [header_block(p.read_bytes()) for p in sorted(CORPUS.rglob("*.eml"))]
        report(f"corpus ({CORPUS})", corpus, 3)
        typical = [h for h in corpus if len(h) < 16_384]
        report("corpus, header blocks under 16 KiB", typical, 5)
    else:
        print(f"\n{CORPUS} is absent: corpus figures skipped")


if __name__ == "__main__":
    main()
