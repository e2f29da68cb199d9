"""Plain text bodies as HTML for the reader: escaped, links clickable, quotes and signature
dimmed, each quote level behind a bar."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from mailclient.core.flowed_text import TextLine

_URL = re.compile(r"""\b(https?://[^\s<>"']+[^\s<>"'.,;:!?)\]}])""")


@dataclass(frozen=True)
class TextColours:
    """The colours of a text body, as CSS colour names (derived from the widget's palette)."""

    dim: str  # quoted text and signature
    bar: str  # the bar left of each quote level


def _line_html(line: TextLine, colours: TextColours) -> str:
    escaped = _URL.sub(r'<a href="\1">\1</a>', html.escape(line.text, quote=True))
    if line.signature:
        return f'<span style="color:{colours.dim}">{escaped}</span>'
    return escaped


def _pre(lines: list[TextLine], colours: TextColours, family: str, dim: bool) -> str:
    colour = f" color:{colours.dim};" if dim else ""
    body = "\n".join(_line_html(line, colours) for line in lines)
    return (f"<pre style=\"white-space: pre-wrap; font-family: '{family}', monospace;{colour} "
            f'margin-top:0; margin-bottom:0;">{body}</pre>')


def _runs(lines: list[TextLine], depth: int) -> list[tuple[bool, list[TextLine]]]:
    """Consecutive lines at exactly ``depth`` (False) and deeper (True)."""
    runs: list[tuple[bool, list[TextLine]]] = []
    for line in lines:
        deeper = line.depth > depth
        if runs and runs[-1][0] == deeper:
            runs[-1][1].append(line)
        else:
            runs.append((deeper, [line]))
    return runs


def _keep_blank_edges(run: list[TextLine], first: bool, last: bool) -> list[TextLine]:
    """A blank line next to a quote would vanish at the edge of its <pre>: make it a
    no-break space (only between runs, so a body's own start and end stay as they are)."""
    kept = list(run)
    for index in ([] if first else [0]) + ([] if last else [len(kept) - 1]):
        line = kept[index]
        if not line.text.strip():
            kept[index] = TextLine(line.depth, "\u00a0", line.signature)
    return kept


def _level(lines: list[TextLine], depth: int, colours: TextColours, family: str) -> str:
    parts = []
    runs = _runs(lines, depth)
    for number, (deeper, run) in enumerate(runs):
        run = _keep_blank_edges(run, number == 0, number == len(runs) - 1)
        if deeper:
            inner = _level(run, depth + 1, colours, family)
            parts.append('<table cellspacing="0" cellpadding="0" style="margin-top:2px; '
                         f'margin-bottom:2px;"><tr><td width="3" bgcolor="{colours.bar}"></td>'
                         f'<td style="padding-left:8px;">{inner}</td></tr></table>')
        else:
            parts.append(_pre(run, colours, family, dim=depth > 0))
    return "".join(parts)


def text_to_html(lines: list[TextLine], font_family: str, colours: TextColours) -> str:
    """HTML for the lines of a plain text body (``flowed_text.plain_lines`` or ``unflow``)."""
    family = html.escape(font_family, quote=True)
    return _level(lines, 0, colours, family)
