"""What a sync reports, and the UID-set helper the sync steps share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# progress(folder name, messages stored so far in this sync): lets a window show new mail
# while a long first sync goes on.
Progress = Callable[[str, int], None]


@dataclass
class SyncReport:
    """What one sync of one account changed."""

    account: str
    new: int = 0
    removed: int = 0
    flags_changed: int = 0
    bodies: int = 0
    replayed: int = 0
    folders: list[str] = field(default_factory=list)


def uid_set(uids: list[int]) -> str:
    """Compress UIDs into an IMAP sequence set: [1, 2, 3, 7] -> '1:3,7'."""
    ordered = sorted(set(uids))
    ranges: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        ranges.append(f"{start}:{prev}" if start != prev else str(start))
        start = prev = uid
    ranges.append(f"{start}:{prev}" if start != prev else str(start))
    return ",".join(ranges)


def chunks(items: list[int], first: int, rest: int) -> list[list[int]]:
    """Split ``items`` into a small first chunk (quick first results) and larger ones."""
    out = [items[:first]] if items else []
    out += [items[start:start + rest] for start in range(first, len(items), rest)]
    return out
