"""Bounds on how much of one message is parsed and shown, so hostile mail opens quickly.

The numbers, and why:

* ``MAX_DEPTH`` 100 levels of nested parts: real mail nests 3-6 deep (a forward of a forward
  of a signed message); Python's parser recurses per level and fails near 1,000 levels.
* ``MAX_PARTS`` 1,000 parts: the largest real digests and mailing-list bundles hold a few
  hundred; each part costs the parser about 0.3 ms (its headers are parsed several times).
* ``MAX_HEADER_CHARS`` 16,384 characters of one header value decoded (about 400 addresses;
  the longest real one in the test corpus is a 9 KB spam report); the standard header parser
  takes ~0.2 ms per encoded word, so a 135 KB ``To:`` took 1 s, and is asked several times.
* ``MAX_DECODED_HEADERS`` 65,536 characters of header values decoded in all; the rest of the
  headers are listed as they are, up to ``MAX_HEADER_BYTES`` (1 MB) shown.
* ``MAX_BODY_CHARS`` 1,000,000 characters of body text or HTML shown: a long real message has
  100 KB; the text view lays out a million characters in about half a second.
* ``MAX_ENCODED_PART`` 50 MB of one part's encoded payload decoded at most.

A message over a bound is still shown: the parts, headers and text within it, with
``Shortened`` notes that say what was left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Literal

MAX_DEPTH = 100
MAX_PARTS = 1_000
MAX_HEADER_CHARS = 16_384
MAX_DECODED_HEADERS = 65_536
MAX_HEADER_BYTES = 1_048_576
MAX_BODY_CHARS = 1_000_000
MAX_ENCODED_PART = 50 * 1_048_576

ShortenedKind = Literal["parts", "depth", "header", "headers", "body", "raw"]


@dataclass(frozen=True)
class Shortened:
    """One way a message is shown less than whole: ``kind`` of thing, how many ``shown``
    (parts, levels or characters) and, for one header, its ``name``."""

    kind: ShortenedKind
    shown: int
    name: str = ""


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")
_CONTENT_TYPE = re.compile(rb"content-type[ \t]*:[ \t]*([a-z0-9!#$&^_.+-]+)/([a-z0-9!#$&^_.+-]+)",
                           re.IGNORECASE)
_BOUNDARY = re.compile(rb'boundary[ \t]*=[ \t]*(?:"([^"\r\n]*)"|([^;\s]+))', re.IGNORECASE)


@dataclass
class _Container:
    boundary: bytes | None  # None: the body of a message/rfc822 part


class _StructureScan:
    """Follows boundaries line by line, as a MIME parser would, without building parts."""

    def __init__(self) -> None:
        self.stack: list[_Container] = []
        self.parts = 1
        self.header: list[bytes] = []
        self.in_header = True

    def end_of_header(self) -> int:
        """Open what the header just read opens; return the new depth."""
        header = b" ".join(line.strip() for line in self.header)
        self.header, self.in_header = [], False
        content_type = _CONTENT_TYPE.search(header)
        if content_type is None:
            return len(self.stack)
        maintype, subtype = content_type.group(1).lower(), content_type.group(2).lower()
        if maintype == b"multipart":
            found = _BOUNDARY.search(header, content_type.end())
            if found is not None:
                self.stack.append(_Container(found.group(1) or found.group(2)))
        elif maintype == b"message" and subtype in (b"rfc822", b"global"):
            self.stack.append(_Container(None))
            self.in_header = True
        return len(self.stack)

    def boundary_line(self, line: bytes) -> bool:
        """Close or open parts on a boundary line; whether it was one."""
        text = line.rstrip(b" \t\r\n")
        for level in range(len(self.stack) - 1, -1, -1):
            boundary = self.stack[level].boundary
            if boundary is None or not text.startswith(b"--" + boundary):
                continue
            rest = text[len(boundary) + 2:]
            if rest == b"--":
                del self.stack[level:]
                return True
            if rest == b"":
                del self.stack[level + 1:]
                self.in_header, self.header = True, []
                self.parts += 1
                return True
        return False


def bound_raw(raw: bytes) -> tuple[bytes, list[Shortened]]:
    """``raw`` cut before the first part past ``MAX_PARTS`` or nested deeper than
    ``MAX_DEPTH`` (the bytes as they are when within both), with what was left out."""
    scan = _StructureScan()
    part_start = 0
    for match in _LINE.finditer(raw):
        line = match.group()
        if not line:
            break
        if scan.in_header:
            if line.strip(b"\r\n") == b"":
                if scan.end_of_header() > MAX_DEPTH:
                    return raw[:part_start], [Shortened("depth", MAX_DEPTH)]
                if scan.in_header:  # a message/rfc822 body: its own header follows
                    part_start = match.end()
            elif line[:1] in (b" ", b"\t") or b":" in line:
                scan.header.append(line)
            else:  # not a header line: the header ended without a blank line
                scan.end_of_header()
        elif line.startswith(b"--") and scan.stack and scan.boundary_line(line):
            if scan.parts > MAX_PARTS:
                return raw[:match.start()], [Shortened("parts", MAX_PARTS)]
            part_start = match.end()
    return raw, []


def walk_parts(message: Message) -> Iterator[Message]:
    """Every part of ``message`` (itself first), depth first, without recursion, at most
    ``MAX_PARTS`` of them and ``MAX_DEPTH`` levels deep."""
    pending: list[tuple[Message, int]] = [(message, 0)]
    count = 0
    while pending and count < MAX_PARTS:
        part, depth = pending.pop()
        count += 1
        yield part
        children = part.get_payload() if part.is_multipart() else None
        if isinstance(children, list) and depth < MAX_DEPTH:
            pending.extend((child, depth + 1) for child in reversed(children)
                           if isinstance(child, Message))


def shortened_value(raw_value: str) -> str:
    """A header value cut to ``MAX_HEADER_CHARS`` at a space, if it is longer."""
    if len(raw_value) <= MAX_HEADER_CHARS:
        return raw_value
    cut = raw_value[:MAX_HEADER_CHARS]
    space = max(cut.rfind(" "), cut.rfind("\t"), cut.rfind("\n"))
    return cut[:space] if space > MAX_HEADER_CHARS // 2 else cut


def base64_size(encoded: str) -> int:
    """The size of what base64 text ``encoded`` decodes to, without decoding it."""
    compact = "".join(encoded.split())
    return max(0, len(compact) * 3 // 4 - compact[-2:].count("="))
