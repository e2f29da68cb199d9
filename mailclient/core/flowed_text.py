"""Plain text bodies as display lines: format=flowed (RFC 3676) reflowed, quotes and signature."""

from __future__ import annotations

import re
from dataclasses import dataclass

SIGNATURE_SEPARATOR = "-- "
_QUOTE_MARKS = re.compile(r"^(?:> ?)+")


@dataclass(frozen=True)
class TextLine:
    """One line (or reflowed paragraph) of a plain text body as the reader shows it.

    ``depth`` is how many times it is quoted; ``text`` has the quote marks removed;
    ``signature`` is true from the unquoted ``-- `` line on.
    """

    depth: int
    text: str
    signature: bool = False


def is_flowed(content_type_params: dict[str, str]) -> tuple[bool, bool]:
    """Whether a text/plain part with these parameters is flowed, and whether DelSp=yes."""
    params = {key.lower(): str(value).strip().lower() for key, value in content_type_params.items()}
    return params.get("format") == "flowed", params.get("delsp") == "yes"


def _with_signature(lines: list[TextLine]) -> list[TextLine]:
    marked: list[TextLine] = []
    in_signature = False
    for line in lines:
        if line.depth == 0 and line.text == SIGNATURE_SEPARATOR:
            in_signature = True
        marked.append(TextLine(line.depth, line.text, in_signature) if in_signature else line)
    return marked


def plain_lines(text: str) -> list[TextLine]:
    """Split fixed (not flowed) text into lines with their quote depth ('>' and '> >' alike)."""
    lines: list[TextLine] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        marks = _QUOTE_MARKS.match(line)
        if marks is None:
            lines.append(TextLine(0, line))
        else:
            lines.append(TextLine(marks.group().count(">"), line[marks.end():]))
    return _with_signature(lines)


def _flowed_line(line: str) -> tuple[int, str]:
    """The quote depth of a flowed line and its content, space-stuffing removed."""
    depth = len(line) - len(line.lstrip(">"))
    content = line[depth:]
    if content.startswith(" "):
        content = content[1:]
    return depth, content


def unflow(text: str, *, delsp: bool = False) -> list[TextLine]:
    """Join the soft line breaks of format=flowed text (RFC 3676 section 4).

    A line ending in a space continues on the next line of the same quote depth; with
    ``delsp`` that trailing space is deleted when the lines are joined. The signature
    separator ``-- `` never flows. The result has one ``TextLine`` per paragraph or hard line.
    """
    lines: list[TextLine] = []
    pending: tuple[int, str] | None = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        depth, content = _flowed_line(raw)
        if pending is not None and pending[0] != depth:  # a quote depth change ends it
            lines.append(TextLine(*pending))
            pending = None
        soft = content.endswith(" ") and content != SIGNATURE_SEPARATOR
        if soft and delsp:
            content = content[:-1]
        joined = (pending[1] if pending is not None else "") + content
        if soft:
            pending = (depth, joined)
        else:
            lines.append(TextLine(depth, joined))
            pending = None
    if pending is not None:
        lines.append(TextLine(*pending))
    return _with_signature(lines)
