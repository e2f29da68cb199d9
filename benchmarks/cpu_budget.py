"""CPU seconds of a process tree (Dovecot's), and the floor they put under a sync's time."""

from __future__ import annotations

import os
import resource
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and of the children it reaped), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None  # gone meanwhile
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / _TICK


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and every process below it, ended ones included
    (an ended process counts in the one that reaped it: Dovecot's master reaps its own)."""
    stats = {int(pid): s for pid in os.listdir("/proc") if pid.isdigit() and (s := _stat(pid))}
    below: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        below.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
            todo += below.get(pid, [])
    return total


def own_cpu() -> float:
    """CPU seconds of this process and of its ended children (a sync's store worker)."""
    usages = map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def dovecot_pid(base_dir: Path) -> int:
    return int((base_dir / "master.pid").read_text().split()[0])


def budget_line(server: float, ours: float, baseline: float, target: float) -> str:
    """What the CPU used bounds: on this machine's cores no schedule of the sync and the
    server together ends before their CPU seconds shared out evenly."""
    cores = os.cpu_count() or 1
    floor = (server + ours) / cores
    room = target * baseline * cores - server
    return (f"  (c) CPU to every row listed: the server (Dovecot) {server:.2f} s + the sync "
            f"{ours:.2f} s; on {cores} cores nothing ends before {floor:.2f} s (ratio "
            f"{floor / baseline:.2f}); ratio {target} would leave the sync {room:.2f} s of CPU "
            "even if the cores never idled")
