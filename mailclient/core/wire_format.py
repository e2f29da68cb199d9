"""A message's wire form, as ``EmailMessage.as_bytes`` makes it, without its per-line loop.

The standard generator splits every body into lines and writes each with the policy's line
end: for a 10 MB attachment that is ~190,000 Python-level writes, most of the time it takes to
send one. ``WireGenerator`` writes a body with one ``str.replace`` (or one regex pass when it
already holds CRs) instead; the bytes are the same (tested against ``as_bytes``).
"""

from __future__ import annotations

import re
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import Policy
from io import BytesIO

_LINE_ENDS = re.compile(r"\r\n|\r|\n")  # the generator's own NLCRE


class WireGenerator(BytesGenerator):
    """``BytesGenerator`` whose body lines get their line ends in one pass."""

    def _write_lines(self, lines: str) -> None:
        if not lines:
            return
        # The same as the base class: each line end (CRLF, CR or LF) becomes the policy's, and a
        # last line without one is written as it is.
        assert self.policy is not None  # flatten() sets it, and _NL to its linesep
        end = self.policy.linesep
        if "\r" not in lines:
            self.write(lines if end == "\n" else lines.replace("\n", end))
        else:
            self.write(_LINE_ENDS.sub(end, lines))


def wire_bytes(message: EmailMessage, policy: Policy) -> bytes:
    """``message.as_bytes(policy=policy)``, faster for large bodies."""
    out = BytesIO()
    WireGenerator(out, mangle_from_=False, policy=policy).flatten(message, unixfrom=False)
    return out.getvalue()
