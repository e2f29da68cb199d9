"""Window figures over a 100,000-message store: cold start, opening the folder, End, RSS."""

# Run: .venv/bin/python benchmarks/window_100k.py [--runs 3] [--count N] [--importtime]
# (offscreen Qt). The store is built once by window_store.py and cached under /tmp.
#  1. cold start: a fresh ``python -m mailclient --profile P`` (the real start-up path, the
#     null keyring so no password is found), from just before the process is spawned to the
#     first paint of the main window and of the message list's rows; RSS then.
#  2. in one fresh process per run: opening the 100k INBOX from a 50-message folder to the
#     list's first paint, End (the key) until the last row is painted, RSS after both; and
#     the baseline: a plain 100,000-row table model set on a QTreeView to its first paint.
# Figures are medians of --runs fresh processes; budgets from issue 5.

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

COLD_CHILD = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
began = float(sys.argv[1])
marks = {"interpreter + Qt imported": time.time() - began}
app = QApplication(["mailclient"])
marks["QApplication"] = time.time() - began

class FirstPaints(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            name = type(watched).__name__
            if name == "MainWindow":
                marks.setdefault("main window painted", time.time() - began)
            elif name == "QWidget" and type(watched.parent()).__name__ == "MessageListView":
                view = watched.parent()
                if view.model().rowCount() and "list rows painted" not in marks:
                    marks["list rows painted"] = time.time() - began
                    marks["rows"] = view.model().rowCount()
                    QTimer.singleShot(0, app.quit)
        return False

spy = FirstPaints()
app.installEventFilter(spy)
import mailclient.app
marks["mailclient.app imported"] = time.time() - began
import mailclient.ui.main
marks["mailclient.ui.main imported"] = time.time() - began
status = mailclient.app.main(["--profile", sys.argv[2]])
from bench_support import peak_rss_mb
marks["peak RSS MB"] = peak_rss_mb()
print("RESULT " + json.dumps(marks))
"""


def cold_start(profile: Path) -> dict[str, float]:
    """One fresh process through ``mailclient.app.main``; seconds since the spawn."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{HERE}"}
    began = time.time()
    done = subprocess.run([sys.executable, "-c", COLD_CHILD, repr(began), str(profile)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, float] = json.loads(line[7:])
            return result
    raise RuntimeError(f"cold start failed:\n{done.stdout}\n{done.stderr}")


def import_breakdown(top: int) -> list[tuple[float, str]]:
    """The slowest imports (cumulative ms) of the GUI start-up path, by ``-X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import mailclient.app, mailclient.ui.main"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 2:
                rows.append((int(parts[1]) / 1000, name))
    return sorted(rows, reverse=True)[:top]


def open_and_scroll(profile_dir: str) -> dict[str, Any]:
    """In this (fresh) process: the window over ``profile_dir``; seconds per step, RSS MB."""
    from bench_support import peak_rss_mb
    from PySide6.QtCore import (
        QAbstractItemModel,
        QAbstractTableModel,
        QEvent,
        QModelIndex,
        QObject,
        QStringListModel,
        Qt,
    )
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTreeView
    from window_store import ACCOUNT, SMALL_FOLDER

    from mailclient.services.mail_service import MailService
    from mailclient.services.profile import Profile
    from mailclient.ui.bridge import Bridge
    from mailclient.ui.list_scope import ListScope
    from mailclient.ui.main import application
    from mailclient.ui.main_window import MainWindow

    app = application(["bench"])

    class PaintWatch(QObject):
        painted = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    def until_painted(watch: PaintWatch, since: float) -> float:
        while not watch.painted:
            app.processEvents()
            if time.perf_counter() - since > 30:
                raise TimeoutError("no paint in 30 s")
        return time.perf_counter() - since

    class PlainModel(QAbstractTableModel):
        def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: N802, B008
            return 0 if parent.isValid() else 4

        def data(self, index: Any, role: int = 0) -> object:
            return self.rows[index.row()][index.column()] if role == 0 else None

    def first_paint(model: QAbstractItemModel) -> float:
        """A QTreeView set up as the message list's: set ``model``, seconds to its paint."""
        plain = QTreeView()
        plain.setUniformRowHeights(True)
        plain.setRootIsDecorated(False)
        plain.resize(800, 600)
        plain.show()
        base_watch = PaintWatch()
        plain.viewport().installEventFilter(base_watch)
        until_painted(base_watch, time.perf_counter())
        base_watch.painted = False
        began = time.perf_counter()
        plain.setModel(model)
        seconds = until_painted(base_watch, began)
        plain.close()
        return seconds


    service = MailService(Profile.locate(profile_dir))
    window = MainWindow(service, Bridge())
    window.resize(1100, 700)
    window.show()
    watch = PaintWatch()
    window.messages.viewport().installEventFilter(watch)
    until_painted(watch, time.perf_counter())
    figures: dict[str, Any] = {}
    inbox = window.folders.find_scope(ListScope(ACCOUNT, "INBOX"))
    small = window.folders.find_scope(ListScope(ACCOUNT, SMALL_FOLDER))
    assert inbox is not None and small is not None
    total = service.store.count_folder(service.store.folder(ACCOUNT, "INBOX").id)
    for key in ("open", "reopen"):
        window.folders.setCurrentItem(small)
        watch.painted = False
        until_painted(watch, time.perf_counter())
        watch.painted = False
        began = time.perf_counter()
        window.folders.setCurrentItem(inbox)
        figures[key] = until_painted(watch, began)
    view = window.messages
    view.setFocus()
    for key, wanted in (("end", total - 1), ("top", 0)):
        began = time.perf_counter()
        for _ in range(2000):  # a model that pages by offset needs End again per page
            watch.painted = False
            QTest.keyClick(view, Qt.Key.Key_End if key == "end" else Qt.Key.Key_Home)
            until_painted(watch, time.perf_counter())
            if view.currentIndex().row() == wanted:
                break
        figures[key] = time.perf_counter() - began
        if key == "end":
            figures["last_row"] = (f"{view.currentIndex().row() + 1} of {total}: "
                                   f"{view.currentIndex().siblingAtColumn(1).data()!r}")
    with open("/proc/self/status") as status:
        vm = next(line for line in status if line.startswith("VmRSS"))
    figures["rss"] = int(vm.split()[1]) / 1024
    figures["peak"] = peak_rss_mb()
    window.close()
    window.shutdown()
    service.close()
    # the baselines last, so that the RSS above is the window's alone
    rows = [(f"Sender {i}", f"Subject {i}", "2025-01-01", "4 KB") for i in range(100_000)]
    figures["baseline"] = first_paint(QStringListModel([row[1] for row in rows]))
    figures["python_model"] = first_paint(PlainModel(rows))
    return figures


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def show_runs(label: str, values: list[float], budget: float | None = None,
              unit: str = "ms", scale: float = 1000) -> None:
    mid = median(values)
    text = f"  {label}: {mid * scale:.0f} {unit}"
    if budget is not None:
        text += f" (budget < {budget * scale:.0f} {unit}: {'met' if mid < budget else 'MISSED'})"
    print(text + "  runs: " + ", ".join(f"{v * scale:.0f}" for v in values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--importtime", action="store_true", help="print the slowest imports")
    args = parser.parse_args()
    from bench_support import in_fresh_process
    from window_store import fresh_copy

    with tempfile.TemporaryDirectory() as tmp:
        profile = fresh_copy(args.count, Path(tmp))
        cold_start(profile)  # warm the page cache and the .pyc files
        colds = [cold_start(profile) for _ in range(args.runs)]
        print(f"\n1. cold start of `python -m mailclient` over a {args.count}-message INBOX "
              f"(fresh process each, median of {args.runs})")
        for mark in colds[0]:
            if mark in ("rows", "peak RSS MB"):
                continue
            budget = 1.0 if mark == "list rows painted" else None
            show_runs(mark, [c[mark] for c in colds], budget)
        print(f"  rows in the list: {colds[0].get('rows', 0):.0f}")
        show_runs("peak RSS at the first paint", [c["peak RSS MB"] for c in colds], 200,
                  "MB", 1)
        opened: list[dict[str, Any]] = [in_fresh_process(open_and_scroll, str(profile))
                                        for _ in range(args.runs)]
        print(f"\n2. the window over the {args.count}-message INBOX (fresh process each, "
              f"median of {args.runs})")
        show_runs("baseline: 100,000-row QStringListModel (C++) in a QTreeView, set model to "
                  "first paint", [o["baseline"] for o in opened])
        show_runs("  the same rows in a Python QAbstractTableModel (QTreeView asks its rowCount "
                  "and columnCount of every row)", [o["python_model"] for o in opened])
        for key, label, budget in (
                ("open", "open the INBOX (from a 50-message folder) to first paint", 0.1),
                ("reopen", "open it again (warm)", 0.1),
                ("end", "End key to the last row painted", 0.05),
                ("top", "Home key back to the first row painted", 0.05)):
            values = [o[key] for o in opened]
            show_runs(label, values, budget)
            base = median([o["baseline"] for o in opened])
            print(f"    ratio to the baseline: {median(values) / base:.1f}")
        show_runs("RSS after all that", [o["rss"] for o in opened], 200, "MB", 1)
        show_runs("peak RSS", [o["peak"] for o in opened], 200, "MB", 1)
        print(f"  last row shown: {opened[0]['last_row']}")
    if args.importtime:
        print("\n3. slowest imports of `import mailclient.app, mailclient.ui.main` (cumulative)")
        for ms, name in import_breakdown(15):
            print(f"  {ms:7.1f} ms  {name.strip()}")


if __name__ == "__main__":
    main()
