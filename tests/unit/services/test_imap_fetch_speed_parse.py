"""The fast path for usual FETCH responses reads exactly what the generic parser reads."""

from __future__ import annotations

import random

import pytest

from mailclient.core.errors import ProtocolError
from mailclient.services.imap.fetch_fast import parse_usual_fetch, read_fetch
from mailclient.services.imap.models import FetchedMessage
from mailclient.services.imap.parse import Part, parse_fetch

FLAGS = ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "\\Recent",
         "$Label1", "$Forwarded", "Junk", "NonJunk", "receipt-handled", "a.b", "%x", "\\*",
         "a\\b"]  # fmt: skip
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
LITERAL_KEYS = [b"BODY[HEADER]", b"BODY[]", b"RFC822.HEADER", b"RFC822"]


def generic(parts: list[Part], *, answer_only: bool = False) -> FetchedMessage | None | str:
    try:
        return parse_fetch(parts, answer_only=answer_only)
    except ProtocolError:
        return "ProtocolError"


def fast_or_generic(parts: list[Part], *, answer_only: bool = False) -> FetchedMessage | None | str:
    try:
        return read_fetch(parts, answer_only=answer_only)
    except ProtocolError:
        return "ProtocolError"


def same(a: FetchedMessage | None | str, b: FetchedMessage | None | str) -> bool:
    """Equal, and dates with the same UTC offset (aware datetimes compare as instants)."""
    if not isinstance(a, FetchedMessage) or not isinstance(b, FetchedMessage):
        return a == b
    offsets = [m.internaldate.utcoffset() if m.internaldate else None for m in (a, b)]
    kinds = [(type(m.raw), type(m.header)) for m in (a, b)]
    return a == b and offsets[0] == offsets[1] and kinds[0] == kinds[1]


def date(rng: random.Random, odd: bool) -> bytes:
    day = rng.randint(1, 31)
    text = f"{day:2d}" if rng.random() < 0.3 else f"{day:02d}"
    month = rng.choice(MONTHS)
    month = rng.choice([month, month.upper(), month.lower()]) if rng.random() < 0.2 else month
    hour, minute, second = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    zone = f"{rng.choice('+-')}{rng.randint(0, 14):02d}{rng.choice([0, 0, 30, 45]):02d}"
    if odd:  # values the generic parser turns into None (or does not read as a date)
        month = rng.choice(["Foo", month])
        year = rng.choice([0, 2026, 99999])
        zone = rng.choice([zone, "+2400", "-9900", "+0075", "0100"])
        hour, second = rng.choice([(hour, second), (24, second), (hour, 60)])
        text = rng.choice([text, "32", "0", "123"])
    else:
        year = rng.randint(1970, 2100)
        day = min(day, 28)
        text = f"{day:2d}" if text.startswith(" ") else f"{day:02d}"
    return f'"{text}-{month}-{year:04d} {hour:02d}:{minute:02d}:{second:02d} {zone}"'.encode()


def response(rng: random.Random, odd_date: bool = False) -> tuple[list[Part], bool]:
    """A random FETCH response of the usual shape; True if it has a UID and is an answer."""
    items: dict[bytes, bytes] = {}
    if rng.random() < 0.95:
        items[b"UID"] = str(rng.choice([rng.randint(1, 2**32 - 1), 7])).encode()
    if rng.random() < 0.9:
        items[b"FLAGS"] = b"(" + " ".join(rng.sample(FLAGS, rng.randint(0, 4))).encode() + b")"
    if rng.random() < 0.9:
        items[b"RFC822.SIZE"] = str(rng.randint(0, 10**7)).encode()
    if rng.random() < 0.9:
        items[b"INTERNALDATE"] = date(rng, odd_date)
    if rng.random() < 0.7:
        items[b"MODSEQ"] = b"(%d)" % rng.randint(1, 2**63 - 1)
    pairs = list(items.items())
    rng.shuffle(pairs)
    line = b" ".join(name + b" " + value for name, value in pairs)
    answer = b"UID" in items and not (b"MODSEQ" in items and b"RFC822.SIZE" not in items)
    seq = b"%d FETCH (" % rng.randint(1, 10**6)
    if rng.random() < 0.6:
        key = rng.choice(LITERAL_KEYS)
        literal = bytearray(rng.randbytes(rng.randint(0, 300)) + b")\r\n{5}")
        head = seq + line + (b" " if line else b"") + key + b" {%d}" % len(literal)
        return [head, literal, b")"], answer
    return [seq + line + b")"], answer


def test_random_usual_responses_take_the_fast_path_and_read_the_same() -> None:
    rng = random.Random(20260302)
    fast = 0
    for _ in range(4000):
        parts, answer = response(rng)
        expected = generic(parts)
        message = parse_usual_fetch(parts)
        if answer:
            assert message is not None, parts
            fast += 1
        assert message is None or same(message, expected), parts
        for answer_only in (False, True):
            assert same(fast_or_generic(parts, answer_only=answer_only),
                        generic(parts, answer_only=answer_only)), parts  # fmt: skip
    assert fast > 2500


def test_random_odd_dates_read_the_same() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        parts, _ = response(rng, odd_date=True)
        assert same(fast_or_generic(parts), generic(parts)), parts


def test_random_damage_to_usual_responses_reads_the_same() -> None:
    rng = random.Random(11)
    damages = [
        lambda b: b.replace(b" ", b"  ", 1), lambda b: b.replace(b"UID", b"uid"),
        lambda b: b.replace(b"FLAGS (", b"FLAGS (NIL "), lambda b: b.replace(b")", b"", 1),
        lambda b: b.replace(b"(", b"((", 1), lambda b: b.replace(b'"', b"", 1),
        lambda b: b.replace(b"MODSEQ (", b"MODSEQ (x"), lambda b: b.replace(b" ", b"\t", 1),
        lambda b: b.replace(b"FETCH (", b"FETCH (X-GM-THRID 12 "),
        lambda b: b.replace(b"FETCH (", b'FETCH (ENVELOPE ("a\\"b" NIL) '),
        lambda b: b + b" ", lambda b: b.replace(b"FLAGS (", b'FLAGS ("x" '),
        lambda b: b.replace(b"RFC822.SIZE ", b"RFC822.SIZE NIL "),
        lambda b: b[:-1] + b"+}" if b.endswith(b"}") else b,
        lambda b: b.replace(b" FETCH", b" fetch"),
    ]  # fmt: skip
    for _ in range(3000):
        parts, _ = response(rng)
        parts[0] = rng.choice(damages)(bytes(parts[0]))
        for answer_only in (False, True):
            assert same(fast_or_generic(parts, answer_only=answer_only),
                        generic(parts, answer_only=answer_only)), parts  # fmt: skip


USUAL = [
    [b'1 FETCH (UID 456 FLAGS (\\Seen $Label) RFC822.SIZE 2345 INTERNALDATE "02-Mar-2026 10:00:00'
     b' +0100" MODSEQ (789) BODY[HEADER] {3}', bytearray(b"a\r\n"), b")"],
    [b'9 FETCH (MODSEQ (1) INTERNALDATE " 2-Mar-2026 10:00:00 -0000" RFC822.SIZE 0 FLAGS ()'
     b" UID 1)"],
    [b"9 FETCH (UID 1 FLAGS (\\Seen) UID 2 FLAGS ())"],  # repeated items: the last one counts
    [b"9 FETCH (BODY[] {0}", bytearray(), b")"],  # no UID: the generic parser decides
    [b"9 FETCH (UID 5 RFC822 {2}", bytearray(b"ab"), b")"],
    [b'9 FETCH (UID 5 INTERNALDATE "31-Dec-1999 23:59:59 -1259")'],
]  # fmt: skip
ODD = [
    [b'1 FETCH (UID 1 BODY[HEADER] "quoted \\" header")'],
    [b"1 FETCH (UID 1 FLAGS (\\Seen) BODY[] NIL)"],
    [b"1 FETCH (UID 1 X-GM-LABELS (\\Inbox))"],
    [b"1 FETCH (UID 1 BODY[] {1}", bytearray(b"a"), b" FLAGS (\\Seen))"],
    [b"1 FETCH (UID 1 BODY[HEADER] {1}", bytearray(b"a"), b" BODY[] {1}", bytearray(b"b"), b")"],
    [b"1 FETCH (UID  1)"], [b"1 FETCH (UID 1 )"], [b"1 FETCH ( UID 1)"], [b"1 FETCH (UID 1) "],
    [b"1 FETCH (uid 1)"], [b"1 Fetch (UID 1)"], [b"1 FETCH (UID 1 FLAGS (nil \\Seen))"],
    [b'1 FETCH (UID 1 INTERNALDATE "30-Feb-2026 10:00:00 +0000")'],
    [b'1 FETCH (UID 1 INTERNALDATE "01-Feb-2026 10:00:00 +2400")'],
    [b'1 FETCH (UID 1 INTERNALDATE "01-Xyz-2026 10:00:00 +0000")'],
    [b"1 FETCH (UID 1 MODSEQ (5))"], [b"1 FETCH (UID 1 BODY[HEADER]<0> {1}", bytearray(b"a"), b")"],
    [b"1 FETCH (UID 1 FLAGS (\\Seen)"], [b"1 FETCH (UID 1 FLAGS (\\Se\xc3\xa9n))"],
    [b"1 FETCH (UID 1 BODY[] {1}", b"a", b")"], [bytearray(b"1 FETCH (UID 1)")],
    [b"1 EXPUNGE"], [b"FETCH (UID 1)"],
]  # fmt: skip


@pytest.mark.parametrize("parts", USUAL, ids=range(len(USUAL)))
def test_usual_shapes(parts: list[Part]) -> None:
    message = parse_usual_fetch(parts)
    expected = generic(parts)
    assert same(message, expected) or (message is None and expected is None)
    for answer_only in (False, True):
        assert same(fast_or_generic(parts, answer_only=answer_only),
                    generic(parts, answer_only=answer_only))  # fmt: skip


def test_usual_shape_values() -> None:
    message = parse_usual_fetch(USUAL[0])
    assert message is not None and message.uid == 456 and message.modseq == 789
    assert message.flags == {"\\Seen", "$Label"} and message.header == b"a\r\n"
    assert message.size == 2345 and message.raw is None
    assert message.internaldate is not None and message.internaldate.isoformat() == (
        "2026-03-02T10:00:00+01:00"
    )


@pytest.mark.parametrize("parts", ODD, ids=range(len(ODD)))
def test_odd_shapes_fall_back_to_the_generic_parser(parts: list[Part]) -> None:
    assert parse_usual_fetch(parts) is None
    for answer_only in (False, True):
        assert same(fast_or_generic(parts, answer_only=answer_only),
                    generic(parts, answer_only=answer_only))  # fmt: skip
