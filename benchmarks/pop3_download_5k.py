"""POP3 figures: 5,000 messages downloaded by ``sync_account`` vs stdlib poplib RETR of all."""

# Run as root (the private test servers need it): .venv/bin/python benchmarks/pop3_download_5k.py
# (--profile also prints cProfile tables of the download and of the indexing; --count N shrinks
# the mailbox). Each sync of ours runs in a freshly spawned interpreter (which reports its peak
# RSS) into an empty store; ratios are to poplib over POP3S in the same run (lower is better);
# medians of RUNS.

from __future__ import annotations

import argparse
import asyncio
import poplib
import ssl
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_support import (  # noqa: E402
    PhaseClock,
    in_fresh_process,
    median,
    messages,
    peak_rss_mb,
    profiled,
    ratio_line,
    runs_of,
    verdict,
)

import mailclient.services.sync.pop3_account as pop3_account  # noqa: E402
from mailclient.core.account import Account  # noqa: E402
from mailclient.services.sync import sync_account  # noqa: E402
from tests.helpers.mailservers import MailServers, TestUser, start_mail_servers  # noqa: E402
from tests.helpers.sync_support import account_for, new_store  # noqa: E402

COUNT = 5_000
RUNS = 3


def poplib_retrieve_all(servers: MailServers, user: TestUser, expected: int) -> float:
    """Seconds for connect + TLS + USER/PASS + STAT + RETR of every message + QUIT."""
    context = ssl.create_default_context(cafile=str(servers.ca_file))
    start = time.perf_counter()
    client = poplib.POP3_SSL(servers.host, servers.pop3s_port, context=context)
    try:
        client.user(user.address)
        client.pass_(user.password)
        count, _ = client.stat()
        size = sum(len(b"\r\n".join(client.retr(n)[1])) for n in range(1, count + 1))
    finally:
        client.quit()
    assert count == expected and size > 0, count
    return time.perf_counter() - start


def _profiled_download(download: Callable[..., Any]) -> Callable[..., Any]:
    """``pop3_account._download`` under cProfile (it runs in a worker thread)."""

    def run(*args: Any) -> Any:
        with profiled("the POP3 download and store (worker thread)"):
            return download(*args)

    return run


def measured_sync(account: Account, password: str, root: str, expected: int,
                  profile: bool = False) -> dict[str, Any]:
    """Sync into an empty store under ``root``; seconds per phase and the peak RSS."""
    store = new_store(Path(root))
    clock = PhaseClock()
    clock.wrap(pop3_account, "index_in_steps")
    if profile:
        pop3_account._download = _profiled_download(pop3_account._download)
    clock.start()
    report = asyncio.run(sync_account(account, password, store))
    total = time.perf_counter() - clock.began
    assert report.new == store.count() == expected, (report, store.count())
    store.db.close()
    return {**clock.marks, "total": total, "rss": peak_rss_mb()}


def profiled_index(account: Account, password: str, root: str, expected: int) -> None:
    """The same sync, with the indexing phase under cProfile."""
    original = pop3_account.index_in_steps

    async def index(*args: Any) -> int:
        with profiled("the indexing phase (index_in_steps)"):
            return await original(*args)

    pop3_account.index_in_steps = index
    measured_sync(account, password, root, expected, profile=True)


def bare_rss() -> float:
    """Peak RSS of an interpreter that imported this script's modules and did nothing else."""
    return peak_rss_mb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    count = args.count
    began = time.perf_counter()
    with start_mail_servers() as servers, tempfile.TemporaryDirectory() as tmp:
        user = servers.new_user("pop")
        started = time.perf_counter()
        servers.load_maildir(user, messages(count, seed=5))
        print(f"loaded {count} realistic messages into Dovecot in "
              f"{time.perf_counter() - started:.1f} s")
        account = account_for(servers, user, "pop3")
        poplib_retrieve_all(servers, user, count)  # warm Dovecot's index and the page cache
        base: list[float] = []
        ours: list[dict[str, Any]] = []
        for run in range(RUNS):
            base.append(poplib_retrieve_all(servers, user, count))
            ours.append(in_fresh_process(measured_sync, account, user.password,
                                         f"{tmp}/pop-{run}", count))
        b = median(base)
        print(f"\n5. POP3 download of {count} messages into an empty store over POP3S "
              f"(median of {RUNS})")
        print(f"  stdlib poplib STAT + RETR of all: {b:.2f} s (baseline){runs_of(base)}")
        fetched = [r["index_in_steps start"] for r in ours]
        print(ratio_line("(a) download + store (sync_account up to the indexing)",
                         median(fetched), b, fetched, 1.5))
        index = [r["total"] - r["index_in_steps start"] for r in ours]
        print(f"  (b) indexing (index_in_steps): {median(index):.2f} s{runs_of(index)}")
        totals = [r["total"] for r in ours]
        print(ratio_line("whole sync_account call", median(totals), b, totals))
        rss = median([r["rss"] for r in ours])
        print(f"  peak RSS of the sync process: {rss:.0f} MB (target < 300 MB: "
              f"{verdict(rss, 300)}); a bare interpreter with the same imports: "
              f"{in_fresh_process(bare_rss):.0f} MB")
        if args.profile:
            in_fresh_process(profiled_index, account, user.password, f"{tmp}/prof", count)
    print(f"\ntotal run time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
