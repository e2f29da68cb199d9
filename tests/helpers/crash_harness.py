"""Crash harness: run a CLI command as a subprocess and SIGKILL it at a chosen or random point."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

# Runs ``mailclient`` after replacing some functions with ones that SIGKILL the process
# right before or right after the real call (the Nth call only). argv[1] holds the hooks.
_WRAPPER = r'''
import functools, importlib, inspect, json, os, signal, sys

def _die():
    os.kill(os.getpid(), signal.SIGKILL)

def _install(target, when, nth):
    module, _, attribute = target.partition(":")
    owner = importlib.import_module(module)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    real = getattr(owner, name)
    calls = [0]

    def hit():
        calls[0] += 1
        return calls[0] == nth

    if inspect.iscoroutinefunction(real):
        @functools.wraps(real)
        async def hooked(*args, **kwargs):
            now = hit()
            if now and when == "before":
                _die()
            result = await real(*args, **kwargs)
            if now and when == "after":
                _die()
            return result
    else:
        @functools.wraps(real)
        def hooked(*args, **kwargs):
            now = hit()
            if now and when == "before":
                _die()
            result = real(*args, **kwargs)
            if now and when == "after":
                _die()
            return result
    setattr(owner, name, hooked)

for hook in json.loads(sys.argv[1]):
    _install(hook["target"], hook["when"], hook["nth"])
from mailclient.app import main
raise SystemExit(main(sys.argv[2:]))
'''


@dataclass(frozen=True)
class KillHook:
    """SIGKILL the process right ``when`` ("before" or "after") the ``nth`` call of
    ``target`` ("package.module:Class.method" or "package.module:function")."""

    target: str
    when: str = "before"
    nth: int = 1

    def __post_init__(self) -> None:
        if self.when not in ("before", "after") or self.nth < 1 or ":" not in self.target:
            raise ValueError(f"bad kill hook {self!r}")

    def __str__(self) -> str:
        return f"{self.when} {self.target} #{self.nth}"


@dataclass(frozen=True)
class KilledRun:
    """What became of a run: ``killed`` if it died of SIGKILL (ours or a hook's)."""

    args: tuple[str, ...]
    returncode: int
    killed: bool
    seconds: float
    armed: float | None  # seconds from the start to when ``until`` first held
    stdout: str
    stderr: str


def cli_command(profile: Path, *args: str, hooks: Sequence[KillHook] = ()) -> list[str]:
    """The argv of ``python -m mailclient --profile PROFILE ARGS``, under the hook wrapper
    if there are ``hooks``."""
    cli_args = ["--profile", str(profile), *args]
    if not hooks:
        return [sys.executable, "-m", "mailclient", *cli_args]
    spec = json.dumps([{"target": h.target, "when": h.when, "nth": h.nth} for h in hooks])
    return [sys.executable, "-c", _WRAPPER, spec, *cli_args]


def run_killed(command: Sequence[str], *, delay: float | None = None,
               until: Callable[[], bool] | None = None, stdin: str | None = None,
               timeout: float = 60.0, poll: float = 0.002,
               cwd: Path | None = None) -> KilledRun:
    """Run ``command`` and SIGKILL it ``delay`` seconds after ``until()`` first holds (after
    the start if there is no ``until``); let it finish if it ends first or neither is given.

    Args:
        command: the argv (see ``cli_command``).
        delay: seconds to wait before the kill (0 for at once); None: no timed kill.
        until: polled every ``poll`` seconds; the delay counts from when it first holds.
        stdin: text for standard input (then closed).
        timeout: a run still alive after this many seconds is killed and raises.
        cwd: working directory (defaults to the repository, so ``mailclient`` imports).

    Returns:
        How it ended, with its output.

    Raises:
        TimeoutError: it ran past ``timeout``.
    """
    with tempfile.TemporaryFile("w+") as given, tempfile.TemporaryFile("w+") as out, \
            tempfile.TemporaryFile("w+") as err:  # files, not pipes: a full pipe would block
        given.write(stdin or "")
        given.seek(0)
        began = time.monotonic()
        process = subprocess.Popen(list(command), stdin=given, stdout=out, stderr=err,
                                   text=True, cwd=cwd or Path(__file__).resolve().parents[2])
        armed = _kill_when(process, began, delay=delay, until=until, timeout=timeout,
                           poll=poll)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    return KilledRun(tuple(command), process.returncode, process.returncode == -signal.SIGKILL,
                     time.monotonic() - began, armed, stdout, stderr)


def _kill_when(process: subprocess.Popen[str], began: float, *, delay: float | None,
               until: Callable[[], bool] | None, timeout: float, poll: float) -> float | None:
    """Poll until the process ends or is killed; return when ``until`` first held."""
    armed_at = began if until is None else None
    while process.poll() is None:
        now = time.monotonic()
        if now - began > timeout:
            process.kill()
            process.wait()
            raise TimeoutError(f"{process.args!r} still running after {timeout}s")
        if armed_at is None and until is not None and until():
            armed_at = time.monotonic()
        if delay is not None and armed_at is not None and now - armed_at >= delay:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(poll)
    process.wait()
    return None if armed_at is None or until is None else armed_at - began


def store_file(profile: Path) -> Path:
    """The profile's SQLite store (as ``Profile.locate`` would find it)."""
    from mailclient.services.profile import Profile

    return Profile.locate(profile).store_file


def outbox_states(store: Path) -> dict[str, str]:
    """Message-ID -> outbox state, read-only (for ``until`` conditions and checks)."""
    if not store.exists():
        return {}
    try:
        with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5)) as db:
            rows = db.execute("SELECT message_id, state FROM outbox").fetchall()
    except sqlite3.OperationalError:  # not created yet
        return {}
    return {str(mid): str(state) for mid, state in rows}


def integrity(store: Path) -> str:
    """``PRAGMA integrity_check`` of a store, as one string ("ok" when sound)."""
    with closing(sqlite3.connect(store, timeout=15)) as db:
        return "; ".join(str(r[0]) for r in db.execute("PRAGMA integrity_check"))


def subjects_of(messages: Sequence[bytes]) -> list[str]:
    """The Subject of each raw message (decoded)."""
    from email import message_from_bytes, policy

    return [str(message_from_bytes(m, policy=policy.default)["Subject"]) for m in messages]


@dataclass(frozen=True)
class MessageFate:
    """Where one message ended up after a crash and a restart."""

    subject: str
    queued: bool  # known to have been committed to the outbox before the kill
    state: str | None  # in the outbox now (None: gone)
    delivered: int  # copies in the recipient's mailbox
    in_sent: int  # copies in the sender's Sent folder


def violations(fate: MessageFate) -> list[str]:
    """What breaks "sent at most once, and either delivered or still in the outbox"."""
    found = []
    where = f"{fate.subject!r} (state {fate.state}, delivered {fate.delivered}, " \
            f"in Sent {fate.in_sent})"
    if fate.delivered > 1:
        found.append(f"delivered {fate.delivered} times: {where}")
    if fate.delivered == 0 and fate.state is None and fate.queued:
        found.append(f"lost (neither delivered nor in the outbox): {where}")
    if fate.delivered and fate.state is None:
        found.append(f"delivered but gone from the outbox: {where}")
    if fate.delivered and fate.state in ("queued", "sending"):
        found.append(f"delivered yet still waiting to be sent again: {where}")
    if not fate.delivered and fate.state in ("sent", "copied"):
        found.append(f"marked {fate.state} but never delivered: {where}")
    if fate.in_sent > 1:
        found.append(f"{fate.in_sent} copies in Sent: {where}")
    if fate.state == "copied" and fate.in_sent == 0:
        found.append(f"marked copied but not in Sent: {where}")
    return found


def wait_quiet(count: Callable[[], int], *, quiet: float = 1.5, timeout: float = 20.0) -> int:
    """Poll ``count()`` until it has not changed for ``quiet`` seconds; return it."""
    last, since, deadline = count(), time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return last

