"""Subject normalisation for threading: reply/forward prefixes and list tags stripped."""

from __future__ import annotations

import re

# Reply and forward markers of common mail programs, English and localised ("AW:" German
# Antwort, "WG:" Weitergeleitet, "SV:"/"VS:" Nordic, "Antw:" Dutch, "Odp:" Polish, "Ynt:"
# Turkish, "RIF:" Italian, "Res:"/"Enc:" Portuguese, "TR:" French, "回复:" Chinese).
# Each may carry a counter ("Re[2]:", "Re(2):", "Re^2:") and a space before the colon.
_MARKERS = "re|fwd?|aw|wg|sv|vs|antw|odp|ynt|rif|res|enc|tr|回复|回覆|答复|转发|轉寄"
_REPLY = re.compile(
    rf"(?:{_MARKERS})\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]\s*", re.IGNORECASE
)
_LIST_TAG = re.compile(r"\[[^\[\]]*\]\s*")
_FWD_WRAPPER = re.compile(r"\[fwd?:\s*(.*)\]", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_MAX_ROUNDS = 32  # nested "[Fwd: ...]" wrappers beyond this are left alone (hostile input)


def split_subject(subject: str) -> tuple[str, bool]:
    """Return (base subject, whether a reply/forward marker was stripped).

    Leading "Re:"-style markers and "[list-tag]"s are stripped in any order and any number,
    case-insensitively; a tag is kept when nothing would remain after it ("[PATCH]" alone).
    A trailing "(fwd)" and a "[Fwd: ...]" wrapper count as forward markers (RFC 5256).
    Runs of whitespace (folded headers, tabs) become one space. Linear in the length.
    """
    text = _SPACE.sub(" ", subject).strip()
    replied = False
    for _ in range(_MAX_ROUNDS):
        stripped, marked = _strip_leading(text)
        replied = replied or marked
        end = len(stripped)
        while stripped[max(end - 5, 0) : end].lower() == "(fwd)":
            end -= 5
            while end > 0 and stripped[end - 1] == " ":  # whitespace is already collapsed
                end -= 1
            replied = True
        stripped = stripped[:end]
        wrapper = _FWD_WRAPPER.fullmatch(stripped)
        if wrapper is not None:
            stripped = wrapper.group(1).strip()
            replied = True
        if stripped == text:
            break
        text = stripped
    return text, replied


def normalize_subject(subject: str) -> str:
    """Return the subject without reply/forward prefixes and list tags (see split_subject)."""
    return split_subject(subject)[0]


def _strip_leading(text: str) -> tuple[str, bool]:
    """Strip the leading markers and tags of ``text`` in one pass."""
    pos = 0
    replied = False
    while pos < len(text):
        match = _REPLY.match(text, pos)
        if match is not None:
            pos = match.end()
            replied = True
            continue
        match = _LIST_TAG.match(text, pos)
        if match is not None and match.end() < len(text):
            pos = match.end()
            continue
        break
    return text[pos:], replied
