"""IMAP modified UTF-7 (RFC 3501 section 5.1.3) for folder names, and quoting for the wire."""

from __future__ import annotations

import base64
import binascii
import re

_SHIFTED = re.compile(r"&([^-]*)-")


def _is_direct(char: str) -> bool:
    return "\x20" <= char <= "\x7e"


def _encode_run(run: str) -> str:
    data = run.encode("utf-16-be")
    text = base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ",")
    return f"&{text}-"


def encode_mailbox(name: str) -> str:
    """Encode a folder name to modified UTF-7 (``Entwürfe`` -> ``Entw&APw-rfe``)."""
    out: list[str] = []
    run: list[str] = []
    for char in name:
        if _is_direct(char):
            if run:
                out.append(_encode_run("".join(run)))
                run.clear()
            out.append("&-" if char == "&" else char)
        else:
            run.append(char)
    if run:
        out.append(_encode_run("".join(run)))
    return "".join(out)


def _decode_run(match: re.Match[str]) -> str:
    text = match.group(1)
    if not text:
        return "&"
    padded = text.replace(",", "/") + "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(padded, validate=True)
        return data.decode("utf-16-be")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return match.group(0)


def decode_mailbox(name: bytes | str) -> str:
    """Decode a folder name from modified UTF-7; raw UTF-8 (UTF8=ACCEPT servers) passes through.

    Malformed shifted sequences are kept as they are rather than refused.
    """
    if isinstance(name, bytes):
        try:
            text = name.decode("ascii")
        except UnicodeDecodeError:
            return name.decode("utf-8", errors="replace")
    else:
        text = name
    if "&" not in text:
        return text
    return _SHIFTED.sub(_decode_run, text)


def quote(text: str) -> str:
    """Return ``text`` as an IMAP quoted string (backslash and double quote escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_mailbox(name: str) -> str:
    """Return a folder name ready to send: modified UTF-7, quoted."""
    return quote(encode_mailbox(name))
