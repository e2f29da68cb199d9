"""Process utilities for the test mail servers: free ports, shutdown, orphan guard."""

from __future__ import annotations

import ctypes
import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack, suppress
from pathlib import Path

_PR_SET_CHILD_SUBREAPER = 36


def free_ports(names: list[str], hosts: tuple[str, ...]) -> dict[str, int]:
    """Distinct TCP ports, one per name, currently free on every host address."""
    ports: dict[str, int] = {}
    with ExitStack() as stack:
        while len(ports) < len(names):
            first = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            first.bind((hosts[0], 0))
            port = first.getsockname()[1]
            try:
                for host in hosts[1:]:
                    other = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                    other.bind((host, port))
            except OSError:
                continue
            ports[names[len(ports)]] = port
    return ports


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    return raw.rsplit(")", 1)[1].split()  # [state, ppid, pgrp, session, ...]


def alive(pid: int) -> bool:
    """Whether pid runs (a zombie left to a non-reaping init counts as dead)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def session_members(sid: int) -> list[int]:
    """Live processes of session sid."""
    members: list[int] = []
    if sid <= 0:
        return members
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None and fields[0] not in ("Z", "X") and int(fields[3]) == sid:
                members.append(int(entry))
    return members


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def become_subreaper() -> None:
    """Adopt our daemons' orphans, so that stop() can reap them (no zombies left to init)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap(pids: list[int]) -> None:
    for pid in pids:
        with suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


def _zombies(sid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        fields = _stat_fields(int(entry)) if entry.isdigit() else None
        if fields is not None and fields[0] == "Z" and int(fields[3]) == sid:
            found.append(int(entry))
    return found


def run_captured(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run command with a pty as stdout/stderr: Postfix prints errors only to a terminal, and
    daemons inheriting a pipe would keep it open forever."""
    reader, writer = pty.openpty()
    chunks: list[bytes] = []
    try:
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=writer, stderr=writer, env=env
        )
        os.close(writer)
        writer = -1
        while proc.poll() is None:
            if select.select([reader], [], [], 0.05)[0]:
                with suppress(OSError):
                    chunks.append(os.read(reader, 65536))
        os.set_blocking(reader, False)
        while select.select([reader], [], [], 0)[0]:
            try:
                chunks.append(os.read(reader, 65536))
            except OSError:
                break
    finally:
        os.close(reader)
        if writer >= 0:
            os.close(writer)
    return proc.returncode, b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")


def _wait(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def stop_daemons(pid_files: list[Path], timeout: float = 5.0) -> None:
    """SIGTERM the daemons of pid_files at once, wait for their sessions to end (SIGKILL what
    is left after timeout), and reap the zombies we adopted as subreaper."""
    own_session = os.getsid(0)
    sessions: list[tuple[int, int]] = []
    for pid_file in pid_files:
        pid = read_pid(pid_file)
        if pid is None or not alive(pid):
            continue
        with suppress(ProcessLookupError):
            sid = os.getsid(pid)
            os.kill(pid, signal.SIGTERM)
            sessions.append((pid, sid if sid != own_session else -1))

    def gone() -> bool:
        return all(not alive(pid) and not session_members(sid) for pid, sid in sessions)

    if not _wait(gone, timeout):
        for pid, sid in sessions:
            for member in {pid, *session_members(sid)}:
                with suppress(ProcessLookupError):
                    os.kill(member, signal.SIGKILL)
        _wait(gone, 1.0)
    for pid, sid in sessions:
        _reap([pid, *_zombies(sid)])


_STOPPED = b"stopped\n"


def start_guardian(root: Path, pid_files: list[Path]) -> subprocess.Popen[bytes]:
    """Start a watchdog that stops the daemons and deletes root if we die before stop()."""
    return subprocess.Popen(
        [sys.executable, "-I", __file__, str(root), *map(str, pid_files)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def release_guardian(guardian: subprocess.Popen[bytes]) -> None:
    """Tell the watchdog that we stopped everything ourselves, and let it end."""
    with suppress(OSError):
        assert guardian.stdin is not None
        guardian.stdin.write(_STOPPED)
        guardian.stdin.close()
    try:
        guardian.wait(timeout=5)
    except subprocess.TimeoutExpired:
        guardian.kill()
        guardian.wait()


def _guard(root: Path, pid_files: list[Path]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.stdin.buffer.read() != _STOPPED:  # EOF without word: our owner died
        stop_daemons(pid_files)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    _guard(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]])
