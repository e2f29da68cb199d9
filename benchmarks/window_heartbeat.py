"""Responsiveness: the window's event-loop gaps while Get Mail syncs 50,000 messages."""

# Run as root (the private Dovecot needs it): .venv/bin/python benchmarks/window_heartbeat.py
# [--count N] [--bodies all|none] [--runs R]. The real main window (offscreen Qt) over an
# empty profile gets a 50,000-message INBOX from the real Dovecot through Get Mail (the
# account's defaults unless --bodies), showing that INBOX as it fills. A QTimer ticks every
# 5 ms on the GUI thread; each gap between ticks is how long the window could not answer.
# A watchdog thread samples the GUI thread's Python stack whenever no tick came for 25 ms,
# so the long gaps are put down to the code that ran (or waited for the GIL) in them.
# Budget (issue 5): the window never stalls more than 50 ms during the sync.

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import messages, peak_rss_mb  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from mailclient.services.mail_service import MailService  # noqa: E402
from mailclient.services.profile import Profile  # noqa: E402
from mailclient.services.secrets import SecretStore  # noqa: E402
from mailclient.ui.bridge import Bridge  # noqa: E402
from mailclient.ui.main import application  # noqa: E402
from mailclient.ui.main_window import MainWindow  # noqa: E402
from tests.helpers.mailservers import MailServers, TestUser, start_mail_servers  # noqa: E402
from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402
from tests.helpers.sync_support import account_for  # noqa: E402

TICK_MS = 5
BUDGET_MS = 50
SAMPLE_AFTER_S = 0.025  # sample the GUI thread's stack once a tick is this late


class Heartbeat:
    """Ticks on the GUI thread; a watchdog thread samples its stack when ticks are late."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.samples: dict[int, list[str]] = {}  # gap number -> sampled stacks
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._gui = threading.get_ident()
        self._running = False
        self._watchdog = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self._running = True
        self.ticks.append(time.perf_counter())
        self._timer.start()
        self._watchdog.start()

    def stop(self) -> None:
        self._timer.stop()
        self._running = False
        self._watchdog.join()

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def _watch(self) -> None:
        while self._running:
            time.sleep(0.004)
            if time.perf_counter() - self.ticks[-1] < SAMPLE_AFTER_S:
                continue
            frame = sys._current_frames().get(self._gui)
            if frame is not None:
                stack = [f"{Path(f.filename).name}:{f.lineno} {f.name}"
                         for f in traceback.extract_stack(frame)[-8:]]
                self.samples.setdefault(len(self.ticks), []).append(" < ".join(stack[::-1]))

    def gaps(self) -> list[tuple[float, int]]:
        """(gap in seconds, gap number) between consecutive ticks."""
        pairs = zip(self.ticks, self.ticks[1:], strict=False)
        return [(b - a, n + 1) for n, (a, b) in enumerate(pairs)]


def run_once(servers: MailServers, user: TestUser, bodies: str | None) -> dict[str, Any]:
    """One Get Mail into a fresh profile with the window open; the heartbeat's figures."""
    app = application(["bench"])
    with tempfile.TemporaryDirectory() as tmp:
        profile = Profile.locate(tmp)
        keyring = MemoryKeyring()
        service = MailService(profile, secrets=SecretStore(profile.key, backend=keyring))
        changes = {} if bodies is None else {"body_download": bodies}
        account = account_for(servers, user, **changes)
        service.accounts.settings.add_account(account)
        service.profile.save_settings(service.accounts.settings)
        service.secrets.remember(account.name, user.password)
        bridge = Bridge()
        window = MainWindow(service, bridge)
        window.resize(1100, 700)
        window.show()
        app.processEvents()
        beat = Heartbeat()
        done = QEventLoop()
        window.get_mail.finished.connect(done.quit)
        refreshes = [0]
        window.get_mail.mail_stored.connect(lambda: refreshes.__setitem__(0, refreshes[0] + 1))
        began = time.perf_counter()
        beat.start()
        window.start_get_mail()
        done.exec()
        beat.stop()
        elapsed = time.perf_counter() - began
        summary = window.statusBar().currentMessage()
        rows = window.model.rowCount()
        window.close()
        bridge.shutdown()
        window.shutdown()
        service.close()
        window.deleteLater()
        bridge.deleteLater()
        app.processEvents()
    gaps = beat.gaps()
    return {"elapsed": elapsed, "gaps": gaps, "samples": beat.samples, "rows": rows,
            "summary": summary, "refreshes": refreshes[0], "rss": peak_rss_mb()}


def report(result: dict[str, Any], top: int) -> None:
    gaps = sorted((g for g, _ in result["gaps"]), reverse=True)
    ms = [g * 1000 for g in gaps]
    p99 = ms[len(ms) // 100] if ms else 0.0
    long_ones = [g for g in ms if g > BUDGET_MS]
    print(f"  sync: {result['elapsed']:.1f} s, {result['rows']} rows listed, "
          f"{result['refreshes']} list refreshes; status: {result['summary']!r}")
    print(f"  ticks: {len(ms)}; max gap {ms[0]:.0f} ms, p99 {p99:.1f} ms, "
          f"gaps > {BUDGET_MS} ms: {len(long_ones)} (budget: none; "
          f"{'met' if not long_ones else 'MISSED'})")
    print(f"  peak RSS {result['rss']:.0f} MB")
    for gap, number in sorted(result["gaps"], reverse=True)[:3]:
        stacks = Counter(result["samples"].get(number, [])).most_common(1)
        print(f"  a gap of {gap * 1000:.0f} ms: {stacks[0][0] if stacks else '(not sampled)'}")
    blamed: Counter[str] = Counter()
    for gap, number in sorted(result["gaps"], reverse=True):
        if gap * 1000 <= BUDGET_MS:
            break
        stacks = result["samples"].get(number, [])
        blamed[Counter(stacks).most_common(1)[0][0] if stacks else "(not sampled)"] += 1
    if blamed:
        print(f"  where the GUI thread was during the gaps > {BUDGET_MS} ms "
              "(innermost first; count of gaps):")
        for stack, count in blamed.most_common(top):
            print(f"    {count:4d} x {stack}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--bodies", choices=("all", "recent", "none"), default=None,
                        help="body_download of the account (default: the account default)")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--switch-ms", type=float, default=None,
                        help="sys.setswitchinterval for the run (Python's default: 5 ms)")
    args = parser.parse_args()
    if args.switch_ms is not None:
        sys.setswitchinterval(args.switch_ms / 1000)
    with start_mail_servers() as servers:
        user = servers.new_user("beat")
        started = time.perf_counter()
        servers.load_maildir(user, messages(args.count))
        print(f"loaded {args.count} realistic messages into Dovecot in "
              f"{time.perf_counter() - started:.1f} s")
        for run in range(args.runs):
            print(f"\nrun {run + 1}: Get Mail of a {args.count}-message INBOX with the window "
                  f"open, body_download={args.bodies or 'account default'}, GIL switch "
                  f"interval {sys.getswitchinterval() * 1000:g} ms")
            report(run_once(servers, user, args.bodies), args.top)


if __name__ == "__main__":
    main()
