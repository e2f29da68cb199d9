"""``mailclient sync`` SIGKILLed at hooked and random points, then restarted to completion:
the store equals the server (every message once, by folder+UID and by Message-ID, same flags,
nothing extra) and ``PRAGMA integrity_check`` is ok."""

from __future__ import annotations

import os
import random
import secrets
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mailclient.services.profile import Profile
from mailclient.services.store import Database, MessageStore
from mailclient.services.store.blobs import BlobStore
from tests.helpers.cli_runner import add_account, run_cli
from tests.helpers.crash_harness import KilledRun, KillHook, cli_command, integrity, run_killed
from tests.helpers.file_keyring import use_file_keyring
from tests.helpers.mailservers import MailServers, TestUser
from tests.helpers.server_truth import assert_store_equals_server, compose, every, imap, ok

pytestmark = pytest.mark.integration
# Kill points in all (some random ones land after a short resumed run ended); at least
# MIN_KILLS of them must kill (the issue asks for 50 or more).
KILLS = int(os.environ.get("MAILCLIENT_SYNC_CRASH_KILLS") or 66)
MIN_KILLS = min(50, KILLS * 3 // 4)
KILLS_PER_RUN = 3  # each profile is killed this many times before the run to completion
WORKERS = 4
FOLDERS = {"INBOX": 120, "Archive": 90, "Lists/Dev": 60}  # messages in each, small ones
STORE = "mailclient.services.store.messages:MessageStore"
CONNECTION = "mailclient.services.imap.connection:ImapConnection"
# The store writes (batches of 100 whole messages, folder states, flags, expunges, the
# threading and search index after the download) and the fetch (each parsed response).
HOOKS = [
    KillHook("mailclient.services.sync.writer:write_batch"),
    KillHook("mailclient.services.sync.writer:write_batch", "after"),
    KillHook("mailclient.services.sync.writer:write_batch", "after", nth=2),
    KillHook("mailclient.services.sync.writer:write_batch", nth=3),
    KillHook(f"{STORE}.set_folder_state"), KillHook(f"{STORE}.set_folder_state", "after"),
    KillHook(f"{STORE}.set_folder_state", "after", nth=6),
    KillHook(f"{STORE}.ensure_folder", "after", nth=2),
    KillHook(f"{CONNECTION}.select", nth=2), KillHook(f"{CONNECTION}.search_uids", "after"),
    KillHook("mailclient.services.imap.connection:read_fetch", nth=1),
    KillHook("mailclient.services.imap.connection:read_fetch", nth=50),
    KillHook("mailclient.services.imap.connection:read_fetch", nth=150),
]
# Late in a first sync (every folder stored, the index under way), then, after the server
# changed, in what only a later run does: flag changes and expunges.
LATE_HOOKS = [KillHook(f"{STORE}.index_pending", "after"),
              KillHook("mailclient.services.sync.bodies:thread_pending", "after"),
              KillHook(f"{STORE}.set_folder_state", "after", nth=7),
              KillHook(f"{STORE}.index_pending", nth=3)]
RESUME_HOOKS = [KillHook(f"{STORE}.set_flags"), KillHook(f"{STORE}.set_flags", "after"),
                KillHook(f"{STORE}.remove_uids"), KillHook(f"{STORE}.remove_uids", "after")]
# Seven folders: INBOX, the four of the account's roles (empty), Archive, Lists/Dev.
# Seconds (on two busy cores) from the start of the process to its first IMAP command, and
# from there to the end of a first sync of this mailbox, and of a resumed one, roughly.
STARTUP, FIRST_SYNC, RESUMED_SYNC = 0.35, 1.2, 0.5


@dataclass
class Scenario:
    """One profile: its kill points in order (a hook, or seconds after the start)."""

    name: str
    points: list[KillHook | float]
    change_server: bool  # expunge, flag and deliver between the first and the second kill
    user: TestUser | None = None
    runs: list[KilledRun] = field(default_factory=list)
    final: str = ""
    problems: list[str] = field(default_factory=list)


def scenarios(seed: int, kills: int) -> list[Scenario]:
    """``kills`` points in all (at least one profile for each hook). A hook stops the first
    run, a fresh first sync, where it always comes; the restarts are killed at random
    moments. The ``RESUME_HOOKS`` profiles are killed late, the server changes, then they
    are killed where only the resuming run goes."""
    chosen = random.Random(seed)

    def delay(first: bool) -> float:  # seconds from the start of the process
        return round(STARTUP + chosen.uniform(0, FIRST_SYNC if first else RESUMED_SYNC), 3)

    found = [Scenario(f"sync-resume-{i}", [late, resume, delay(False)], True)
             for i, (late, resume) in enumerate(zip(LATE_HOOKS, RESUME_HOOKS, strict=True))]
    firsts: list[KillHook | float] = list(HOOKS)
    firsts += [delay(True) for _ in range(-(-kills // KILLS_PER_RUN) - len(found) - len(HOOKS))]
    chosen.shuffle(firsts)
    for index, first in enumerate(firsts):
        found.append(Scenario(f"sync-{index:02}", [first] + [
            delay(False) for _ in range(KILLS_PER_RUN - 1)], index % 2 == 0))
    return found


def fill_mailbox(servers: MailServers, user: TestUser) -> None:
    """A few hundred small messages in three folders, with varied flags and keywords."""
    for folder, count in FOLDERS.items():
        tag = folder.replace("/", "-")
        messages = [compose(n, f"{tag}-{user.name}") for n in range(count)]
        servers.load_maildir(user, messages[:count // 2], folder, seen=True)
        servers.load_maildir(user, messages[count // 2:], folder)
    with imap(servers, user) as client:
        ok(client.select("INBOX"))
        ok(client.uid("STORE", every(7, 120), "+FLAGS", "(\\Flagged)"))
        answered = ",".join(map(str, range(2, 121, 5)))
        ok(client.uid("STORE", answered, "+FLAGS", "(\\Answered $Label1)"))
        ok(client.select('"Lists/Dev"'))
        ok(client.uid("STORE", every(3, 60), "+FLAGS", "(Work)"))


def change_server(servers: MailServers, user: TestUser) -> None:
    """What another client does meanwhile: flags changed, messages expunged, new mail."""
    with imap(servers, user) as client:
        ok(client.select("INBOX"))
        ok(client.uid("STORE", every(3, 40), "+FLAGS", "(\\Seen \\Flagged)"))
        ok(client.uid("STORE", ",".join(map(str, range(61, 91, 4))), "-FLAGS", "(\\Seen)"))
        ok(client.select("Archive"))
        ok(client.uid("STORE", "5,10,15,20", "+FLAGS", "(\\Deleted)"))
        ok(client.expunge())
        for n in range(5):
            ok(client.append("INBOX", "(\\Seen)" if n % 2 else "()", None,
                             compose(1000 + n, f"late-{user.name}")))


def open_profile_store(profile: Path) -> MessageStore:
    located = Profile.locate(profile)
    return MessageStore(Database(located.store_file), BlobStore(located.messages_dir))


def play(scenario: Scenario, servers: MailServers, root: Path) -> Scenario:
    """Kill the sync at each point, then run it to completion and compare with the server."""
    assert scenario.user is not None
    user, profile = scenario.user, root / scenario.name
    result = add_account(profile, servers, user, extra=("--no-verify",))
    assert result.returncode == 0, result.stderr
    sync = ("sync", "--account", user.name)
    for number, point in enumerate(scenario.points):
        hooks = (point,) if isinstance(point, KillHook) else ()
        delay = None if isinstance(point, KillHook) else point
        scenario.runs.append(run_killed(cli_command(profile, *sync, hooks=hooks), delay=delay))
        if number == 0 and scenario.change_server:
            change_server(servers, user)
    done = run_cli(profile, *sync)
    scenario.final = f"exit {done.returncode} {done.stderr.strip()}".strip()
    if done.returncode != 0:
        scenario.problems.append(f"the run to completion failed: {scenario.final}")
        return scenario
    scenario.problems += compare(profile, servers, user)
    return scenario


def compare(profile: Path, servers: MailServers, user: TestUser) -> list[str]:
    """What differs between the store and the server (empty: nothing)."""
    problems = []
    checked = integrity(Profile.locate(profile).store_file)
    if checked != "ok":
        problems.append(f"integrity_check: {checked}")
    store = open_profile_store(profile)
    try:
        truth = assert_store_equals_server(store, servers, user, raw_samples=2)
        stored = Counter(m.message_id for m in store.list_messages(account=user.name))
        expected = Counter(entry[3] for state in truth.values() for entry in state.values())
        if stored != expected:
            problems.append(f"by Message-ID: extra {stored - expected}, "
                            f"missing {expected - stored}")
    except AssertionError as exc:
        problems.append(f"store != server: {exc!r}"[:600])
    finally:
        store.db.close()
    return problems


def describe(scenario: Scenario) -> str:
    runs = ", ".join(f"{p} -> {'killed' if r.killed else f'exit {r.returncode}'} "
                     f"{r.seconds:.2f}s" for p, r in zip(scenario.points, scenario.runs,
                                                          strict=True))
    change = " (server changed)" if scenario.change_server else ""
    return f"{scenario.name}{change}: {runs}; final {scenario.final}"


def test_sigkilled_syncs_resume_to_the_servers_state(
        mail_servers: MailServers, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    use_file_keyring(monkeypatch, tmp_path)  # kills mid-call must not take the daemon down
    seed = int(os.environ.get("MAILCLIENT_CRASH_SEED") or secrets.randbelow(10**6))
    print(f"sync crash seed: {seed} (MAILCLIENT_CRASH_SEED={seed} to replay)")
    planned = scenarios(seed, KILLS)
    for scenario in planned:
        scenario.user = mail_servers.new_user("scr")
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda s: fill_mailbox(mail_servers, s.user), planned))
        done = list(pool.map(lambda s: play(s, mail_servers, tmp_path), planned))
    report = "\n".join(describe(s) for s in done)
    kills = sum(r.killed for s in done for r in s.runs)
    with capsys.disabled():
        print(f"\nsync crash seed {seed}: {kills} SIGKILLs in {len(done)} profiles\n{report}")
    unkilled = [f"{s.name}: {p} ({r.stderr.strip()[-300:]})" for s in done
                for p, r in zip(s.points, s.runs, strict=True)
                if isinstance(p, KillHook) and not r.killed]
    assert not unkilled, "a hook did not kill:\n" + "\n".join(unkilled)
    failures = [f"{s.name}: {p}" for s in done for p in s.problems]
    assert not failures, f"seed {seed}:\n" + "\n".join(failures) + "\n" + report
    assert kills >= MIN_KILLS, f"only {kills} of {KILLS} points killed:\n{report}"
