"""IMAP sync figures (50,000 headers, resync, 10,000 bodies, peak RSS) vs stdlib imaplib."""

# Run as root (the private test servers need it): .venv/bin/python benchmarks/imap_sync_50k.py
# (--profile: cProfile tables of one header and one body sync, the parent process only; --count
# N, --bodies N: smaller mailboxes). Each measured sync runs in a freshly spawned interpreter
# (its store worker process is not in its RSS); ratios are to imaplib doing the same fetches in
# the same run (lower is better); 1a and 3a end when every row is listed, before the indexing
# (threads; bodies) that sync_account then does. Medians of RUNS (or RESYNC_RUNS). 1c and 3c
# add up the CPU seconds the sync (its process and store worker) and Dovecot (all its
# processes, TLS included) used: on a machine's N cores no sync can end before that sum / N,
# whatever the code does with its time; that floor over the baseline is the best ratio the
# sync's CPU allows here.

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path
from resource import RUSAGE_CHILDREN as CHILDREN
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_support import (  # noqa: E402
    PhaseClock,
    in_fresh_process,
    median,
    median_of,
    messages,
    peak_rss_mb,
    profiled,
    ratio_line,
    rss_line,
    runs_of,
    verdict,
)
from cpu_budget import budget_line, dovecot_pid, tree_cpu  # noqa: E402
from imaplib_baseline import (  # noqa: E402
    BODY_ITEMS,
    imaplib_fetch,
    imaplib_to_files,
    measured_fetch,
)

import mailclient.services.sync.imap_account as imap_account  # noqa: E402
from mailclient.core.account import Account  # noqa: E402
from mailclient.services.imap.connection import ImapConnection, SelectedFolder  # noqa: E402
from mailclient.services.sync import sync_account  # noqa: E402
from mailclient.services.sync.imap_folder import FIRST_CHUNK, HEADER_CHUNK  # noqa: E402
from mailclient.services.sync.report import chunks, uid_set  # noqa: E402
from tests.helpers.mailservers import MailServers, TestUser, start_mail_servers  # noqa: E402
from tests.helpers.sync_support import account_for, new_store  # noqa: E402

COUNT = 50_000
BODY_COUNT = 10_000
RUNS = 3
RESYNC_RUNS = 5
SHOWN = 100  # "the inbox shows within a second": the newest SHOWN messages stored
HEADER_ITEMS = "(UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER])"


# -- our IMAP layer alone -------------------------------------------------------------------

async def fetch_alone(account: Account, password: str, expected: int) -> float:
    """Our IMAP layer alone: what ``sync_account`` asks for the headers, nothing stored."""
    start = time.perf_counter()
    async with await ImapConnection.open(account.incoming, password,
                                         ca_file=account.ca_file) as connection:
        await connection.select("INBOX")
        uids = await connection.search_uids("ALL")
        got = 0
        for chunk in chunks(sorted(uids, reverse=True), FIRST_CHUNK, HEADER_CHUNK):
            async for batch in connection.fetch(uid_set(chunk), header=True, batch=500):
                got += len(batch)
    assert got == expected, got
    return time.perf_counter() - start


# -- our syncs, each in a fresh interpreter -----------------------------------------------------

def measured_sync(account: Account, password: str, root: str, expected: int,
                  profile: bool = False) -> dict[str, Any]:
    """Sync into an empty store under ``root``; seconds per phase and the peak RSS."""
    store = new_store(Path(root))
    clock = PhaseClock()
    clock.wrap(imap_account, "download_bodies")
    clock.wrap(imap_account, "index_in_steps")
    shown: set[int | None] = set()

    def progress(folder: str, count: int) -> None:
        if count >= SHOWN and not shown:
            clock.mark("first")  # what a window would list now:
            shown.update(m.uid for m in store.list_messages(folder="INBOX", limit=SHOWN))

    with profiled(f"sync_account, {expected} messages") if profile else nullcontext():
        clock.start()
        asyncio.run(sync_account(account, password, store, progress))
        total = time.perf_counter() - clock.began
    assert store.count() == expected, store.count()
    assert shown == set(range(expected - SHOWN + 1, expected + 1)), sorted(shown)[:3]
    store.db.close()
    return {**clock.marks, "total": total, "rss": peak_rss_mb(), "worker": peak_rss_mb(CHILDREN),
            "cpu listed": clock.cpu["index_in_steps start"]}


def synced(servers: MailServers, *args: Any) -> dict[str, Any]:
    """``measured_sync`` in a fresh interpreter, with the CPU seconds Dovecot used meanwhile."""
    server = dovecot_pid(servers.dovecot.base_dir)
    before = tree_cpu(server)
    result: dict[str, Any] = in_fresh_process(measured_sync, *args)
    return {**result, "server": tree_cpu(server) - before}


def cpu_lines(base: tuple[float, float, float], ours: list[dict[str, Any]]) -> str:
    """The baseline's CPU split, and the floor the CPU of our runs puts under them."""
    server, mine = (median([r[key] for r in ours]) for key in ("server", "cpu listed"))
    return (budget_line(server, mine, base[0], 1.5)
            + f"\n      the baseline's CPU: imaplib {base[1]:.2f} s, Dovecot {base[2]:.2f} s")


def bare_rss() -> float:
    """Peak RSS of an interpreter that imported this script's modules and did nothing else."""
    return peak_rss_mb()


@contextmanager
def hidden_capabilities(*names: str, modseq: bool = True) -> Iterator[None]:
    """Make ``ImapConnection`` believe the server does not offer ``names``; without ``modseq``
    SELECT answers also lose HIGHESTMODSEQ (Dovecot sends it even when CONDSTORE was not
    asked for, a server without CONDSTORE never does)."""
    offered = ImapConnection.capabilities
    assert isinstance(offered, property) and offered.fget is not None
    getter, select = offered.fget, ImapConnection.select
    ImapConnection.capabilities = property(  # type: ignore[method-assign, assignment]
        lambda self: getter(self) - set(names))

    async def select_without_modseq(self: ImapConnection, *args: Any,
                                    **kwargs: Any) -> SelectedFolder:
        return replace(await select(self, *args, **kwargs), highestmodseq=None)

    if not modseq:
        ImapConnection.select = select_without_modseq  # type: ignore[method-assign]
    try:
        yield
    finally:
        del ImapConnection.capabilities
        ImapConnection.select = select  # type: ignore[method-assign]


def timed_resync(account: Account, password: str, root: Path) -> float:
    store = new_store(root)
    try:
        start = time.perf_counter()
        report = asyncio.run(sync_account(account, password, store))
        elapsed = time.perf_counter() - start
    finally:
        store.db.close()
    assert report.new == report.removed == report.flags_changed == 0, report
    return elapsed


# -- the measurements -------------------------------------------------------------------------

def header_sync(servers: MailServers, user: TestUser, count: int, scratch: Path,
                profile: bool) -> Path:
    """Item 1 and the header half of item 4; returns the store of the last run."""
    account = account_for(servers, user, body_download="none")
    imaplib_fetch(servers, user, HEADER_ITEMS, count)  # warm Dovecot's cache and page cache
    imaplib_runs, alone, ours, root = [], list[float](), list[dict[str, Any]](), scratch
    for run in range(RUNS):
        imaplib_runs.append(measured_fetch(servers, user, HEADER_ITEMS, count))
        alone.append(asyncio.run(fetch_alone(account, user.password, count)))
        root = scratch / f"headers-{run}"
        ours.append(synced(servers, account, user.password, str(root), count))
    base = [r[0] for r in imaplib_runs]
    b = median(base)
    listed = [r["index_in_steps start"] for r in ours]
    mid = sorted(ours, key=lambda r: r["index_in_steps start"])[RUNS // 2]
    print(f"\n1. header sync of a {count}-message INBOX into an empty store (median of {RUNS})")
    print(f"  stdlib imaplib UID FETCH 1:* {HEADER_ITEMS}: {b:.2f} s (baseline)"
          + runs_of(base))
    print(ratio_line("(a) sync_account, body_download='none', every row listed (up to "
                     "index_in_steps, as 3a)", mid["index_in_steps start"], b, listed, 1.5))
    fetch = median(alone)
    print(ratio_line("  of which our IMAP layer alone (same SEARCH and UID FETCH chunks, "
                     "nothing stored)", fetch, b, alone))
    firsts = [r["first"] for r in ours]
    print(f"  newest {SHOWN} in the store after {median(firsts):.3f} s (target < 1 s: "
          f"{verdict(median(firsts), 1.0)})" + runs_of(firsts, digits=3))
    index = [r["total"] - r["index_in_steps start"] for r in ours]
    print(f"  (b) index_in_steps (threads): {median(index):.2f} s" + runs_of(index))
    totals = [r["total"] for r in ours]
    print(ratio_line("whole sync_account call", median(totals), b, totals))
    print(cpu_lines(sorted(imaplib_runs)[RUNS // 2], ours))
    print(rss_line(ours))
    if profile:
        in_fresh_process(measured_sync, account, user.password, str(scratch / "prof-h"), count, 1)
    return root


def resync(servers: MailServers, user: TestUser, count: int, store_root: Path,
           scratch: Path) -> None:
    """Item 2: the unchanged folder again, as the server allows and with extensions hidden."""
    account = account_for(servers, user, body_download="none")
    print(f"\n2. resync of the unchanged {count}-message folder, whole sync_account call "
          f"(connect, TLS, LOGIN, LIST, ...; median of {RESYNC_RUNS})")
    both = ("QRESYNC", "CONDSTORE")
    variants = [("QRESYNC (as offered)", (), True),
                ("QRESYNC hidden: CONDSTORE", ("QRESYNC",), True),
                ("QRESYNC and CONDSTORE hidden, Dovecot still says HIGHESTMODSEQ", both, True),
                ("... and no HIGHESTMODSEQ either: UID/flag compare", both, False)]
    for n, (label, hide, modseq) in enumerate(variants):
        root = scratch / f"resync-{n}"
        shutil.copytree(store_root, root)
        with hidden_capabilities(*hide, modseq=modseq):
            mid, samples = median_of(RESYNC_RUNS,
                                     lambda r=root: timed_resync(account, user.password, r))
        goal = f" (target < 0.5 s: {verdict(mid, 0.5)})" if not hide else ""
        print(f"  {label}: {mid * 1000:.0f} ms{goal}" + runs_of(samples, 1000, 0))


def body_sync(servers: MailServers, user: TestUser, count: int, scratch: Path,
              profile: bool) -> None:
    """Item 3 and the body half of item 4."""
    account = account_for(servers, user, body_download="all")
    imaplib_fetch(servers, user, BODY_ITEMS, count)  # warm up
    whole: list[tuple[float, float, float]] = []
    chunked: list[tuple[float, float, float]] = []
    files: list[float] = []
    ours: list[dict[str, Any]] = []
    for run in range(RUNS):
        whole.append(measured_fetch(servers, user, BODY_ITEMS, count))
        chunked.append(measured_fetch(servers, user, BODY_ITEMS, count, chunk=500))
        files.append(imaplib_to_files(servers, user, count, scratch / f"files-{run}"))
        ours.append(synced(servers, account, user.password, str(scratch / f"bodies-{run}"),
                           count))
    w, c = sorted(whole)[RUNS // 2], sorted(chunked)[RUNS // 2]
    (base, *_), how = (w, "one UID FETCH 1:*") if w[0] <= c[0] else (c, "500-UID chunks")
    print(f"\n3. full-body download of {count} messages, body_download='all' (median of {RUNS})")
    print(f"  stdlib imaplib {BODY_ITEMS}, one UID FETCH 1:*: {w[0]:.2f} s; in 500-UID chunks: "
          f"{c[0]:.2f} s; baseline = the faster ({how})")
    fetched = [r["index_in_steps start"] for r in ours]
    mid = sorted(ours, key=lambda r: r["index_in_steps start"])[RUNS // 2]
    print(ratio_line("(a) headers + bodies fetched and stored", mid["index_in_steps start"],
                     base, fetched, 1.5))
    print(f"      the same vs imaplib writing each message to a file "
          f"({median(files):.2f} s): ratio {mid['index_in_steps start'] / median(files):.2f}"
          + runs_of(files))
    index = [r["total"] - r["index_in_steps start"] for r in ours]
    print(f"  (b) indexing (index_in_steps): {median(index):.2f} s" + runs_of(index))
    totals = [r["total"] for r in ours]
    print(ratio_line("whole sync_account call", median(totals), base, totals))
    print(cpu_lines(w if w[0] <= c[0] else c, ours))
    print(rss_line(ours))
    if profile:
        in_fresh_process(measured_sync, account, user.password, str(scratch / "prof-b"), count, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--bodies", type=int, default=BODY_COUNT)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    with start_mail_servers() as servers, tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        headers, bodies = servers.new_user("headers"), servers.new_user("bodies")
        started = time.perf_counter()
        servers.load_maildir(headers, messages(args.count))
        servers.load_maildir(bodies, messages(args.bodies, seed=11))
        print(f"loaded {args.count} + {args.bodies} realistic messages into Dovecot in "
              f"{time.perf_counter() - started:.1f} s")
        print(f"4. peak RSS of a bare interpreter with the same imports: "
              f"{in_fresh_process(bare_rss):.0f} MB (baseline for the RSS figures below)")
        store_root = header_sync(servers, headers, args.count, scratch, args.profile)
        resync(servers, headers, args.count, store_root, scratch)
        body_sync(servers, bodies, args.bodies, scratch, args.profile)
    print(f"\ntotal run time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
