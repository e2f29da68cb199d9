"""``send`` and ``sync`` SIGKILLed at hooked and random points: sent at most once, never lost."""

from __future__ import annotations

import json
import os
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path

import pytest

from mailclient.core.message_build import Draft, build_message
from mailclient.services.outbox import Outbox
from mailclient.services.outbox_copies import sent_copy
from mailclient.services.store.database import Database
from tests.helpers.cli_runner import add_account, assert_ok, run_cli
from tests.helpers.crash_harness import (
    KilledRun,
    KillHook,
    MessageFate,
    cli_command,
    integrity,
    outbox_states,
    run_killed,
    store_file,
    subjects_of,
    violations,
    wait_quiet,
)
from tests.helpers.file_keyring import use_file_keyring
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration
OUTBOX = "mailclient.services.outbox:Outbox"
SMTP = "aiosmtplib.smtp:SMTP"
APPEND = "mailclient.services.imap.connection:ImapConnection.append"
SYNC_QUEUE = 3  # messages waiting in the outbox when a sync is killed
WORKERS = 4

# Every step of one `send`: queue commit, claim, SMTP connect, AUTH, DATA, 250, QUIT,
# state commit, Sent APPEND, copied.
SEND_HOOKS = [
    KillHook(f"{OUTBOX}.queue", "after"), KillHook(f"{OUTBOX}.claim", "after"),
    KillHook(f"{SMTP}.connect"), KillHook(f"{SMTP}.auth_plain"), KillHook(f"{SMTP}.data"),
    KillHook(f"{SMTP}.data", "after"), KillHook(f"{SMTP}.quit"), KillHook(f"{OUTBOX}.mark"),
    KillHook(f"{OUTBOX}.mark", "after"), KillHook(APPEND), KillHook(APPEND, "after"),
    KillHook(f"{OUTBOX}.mark", "after", nth=2),
]
# A sync flushing three messages: each claim is committed with the state of the message
# before (settle_and_claim #1-#3, #4 commits the last 250), then the Sent copies (APPEND and
# mark copied, three each).
SETTLE = f"{OUTBOX}.settle_and_claim"
SYNC_HOOKS = [
    KillHook(SETTLE, "after"), KillHook(f"{SMTP}.data", "after"),
    KillHook(SETTLE, "after", nth=2), KillHook(f"{SMTP}.data", nth=2),
    KillHook(f"{SMTP}.data", "after", nth=2), KillHook(SETTLE, "after", nth=4),
    KillHook(APPEND), KillHook(APPEND, "after", nth=2), KillHook(f"{OUTBOX}.mark", "after", nth=3),
]
# Killed again while restarting: during the Sent look-up of a held message, and in the flush.
DOUBLE_CRASHES = [
    ("sync", KillHook(f"{SMTP}.data", "after"),
     KillHook("mailclient.services.imap.connection:ImapConnection.search_uids", "after")),
    ("sync", KillHook(f"{SMTP}.data", "after"), KillHook(f"{OUTBOX}.settle_held", "after")),
    ("sync", KillHook(SETTLE, "after"), KillHook(f"{SMTP}.data", "after")),
    ("send", KillHook(f"{OUTBOX}.claim", "after"), KillHook(f"{OUTBOX}.recover_crashed", "after")),
]
# Kill points in all: the hooks (a double crash counts twice), then random ones, two a
# profile (the command, then its restart), for sends and syncs alike. A random one may land
# after its run ended: at least MIN_KILLS must kill (the issue asks for 50 or more).
KILLS = int(os.environ.get("MAILCLIENT_SEND_CRASH_KILLS") or 62)
MIN_KILLS = min(50, KILLS * 3 // 4)
HOOKED = len(SEND_HOOKS) + len(SYNC_HOOKS) + 2 * len(DOUBLE_CRASHES)
RANDOM_PROFILES = max(-(-(KILLS - HOOKED) // 2), 2)
RANDOM_SYNCS = RANDOM_PROFILES // 2
RANDOM_SENDS = RANDOM_PROFILES - RANDOM_SYNCS
RESTART_SECONDS = (0.4, 1.4)  # a restart is killed this long after its start, at random


@dataclass
class Scenario:
    """One kill point: hooks, or a random delay counted from the outbox's first change."""

    name: str
    command: str  # "send" or "sync"
    hooks: tuple[KillHook, ...] = ()
    delay: float | None = None
    restart_hooks: tuple[KillHook, ...] = ()  # kill the first restart too ...
    restart_delay: float | None = None  # ... or this long after its start
    sender: TestUser | None = None
    recipient: TestUser | None = None
    subjects: list[str] = field(default_factory=list)
    run: KilledRun | None = None
    again: KilledRun | None = None  # the first restart, if it was to be killed
    restart: str = ""
    states: dict[str, str] = field(default_factory=dict)  # subject -> state after restart
    integrity: str = ""


def queue_messages(profile: Path, sender: TestUser, to: TestUser, subjects: list[str]) -> None:
    """Commit messages to the profile's outbox, as a send that failed would leave them."""
    outbox = Outbox(Database(store_file(profile)))
    local, _, domain = sender.address.partition("@")
    try:
        for subject in subjects:
            message = build_message(Draft(sender=Address("", local, domain), to=[to.address],
                                          subject=subject, text="crash test\n"))
            outbox.queue(sender.name, raw=sent_copy(message, []), sender=sender.address,
                         recipients=[to.address], message_id=str(message["Message-ID"]),
                         subject=subject)
    finally:
        outbox.db.close()


def outbox_changed(profile: Path, command: str) -> bool:
    """For "send": a message is queued; for "sync": one has left the queued state."""
    states = outbox_states(store_file(profile)).values()
    return bool(states) if command == "send" else any(s != "queued" for s in states)


def play(scenario: Scenario, servers: MailServers, root: Path) -> Scenario:
    """Kill the command at the scenario's point, then restart as a user would."""
    assert scenario.sender is not None and scenario.recipient is not None
    profile = root / scenario.name
    sender, to = scenario.sender, scenario.recipient
    assert_ok(add_account(profile, servers, sender, extra=("--no-verify",)))
    if scenario.command == "send":
        scenario.subjects = [f"crash {scenario.name} {secrets.token_hex(3)}"]
        args = ["send", "--account", sender.name, "--to", to.address,
                "--subject", scenario.subjects[0], "--body", "crash test"]
    else:
        scenario.subjects = [f"crash {scenario.name} {i} {secrets.token_hex(3)}"
                             for i in range(SYNC_QUEUE)]
        queue_messages(profile, sender, to, scenario.subjects)
        args = ["sync", "--account", sender.name]
    until = None if scenario.hooks else (lambda: outbox_changed(profile, scenario.command))
    scenario.run = run_killed(cli_command(profile, *args, hooks=scenario.hooks),
                              delay=scenario.delay, until=until)
    if scenario.restart_hooks or scenario.restart_delay is not None:
        scenario.again = run_killed(cli_command(profile, "sync", "--account", sender.name,
                                                hooks=scenario.restart_hooks),
                                    delay=scenario.restart_delay)
        assert scenario.again.killed or not scenario.restart_hooks, \
            f"{scenario.name}: the restart hook did not kill: {scenario.again.stderr}"
    restart = run_cli(profile, "sync", "--account", sender.name)
    scenario.restart = f"sync exit {restart.returncode} {restart.stderr.strip()}".strip()
    listed = json.loads(assert_ok(run_cli(profile, "outbox", "list", "--json")))
    scenario.states = {item["subject"]: item["state"] for item in listed}
    scenario.integrity = integrity(store_file(profile))
    return scenario


def check(scenario: Scenario, servers: MailServers) -> list[str]:
    """The invariants, against what the servers hold."""
    assert scenario.sender is not None and scenario.recipient is not None
    delivered = subjects_of(servers.delivered(scenario.recipient))
    in_sent = subjects_of(servers.delivered(scenario.sender, "Sent"))
    found = [] if scenario.integrity == "ok" else [f"integrity_check: {scenario.integrity}"]
    for subject in scenario.subjects:
        fate = MessageFate(subject, scenario.command == "sync" or subject in scenario.states,
                           scenario.states.get(subject), delivered.count(subject),
                           in_sent.count(subject))
        found += violations(fate)
    return [f"{scenario.name}: {v}" for v in found]


def describe(scenario: Scenario, servers: MailServers) -> str:
    assert scenario.run is not None and scenario.recipient is not None
    delivered = subjects_of(servers.delivered(scenario.recipient))
    fates = ", ".join(f"{scenario.states.get(s)}/{delivered.count(s)}"
                      for s in scenario.subjects)
    how = ("killed" if scenario.run.killed else f"exit {scenario.run.returncode}")
    armed = "" if scenario.run.armed is None else f" (armed {scenario.run.armed:.2f}s)"
    again = "" if scenario.again is None else \
        f"restart {'killed' if scenario.again.killed else 'ended'} {scenario.again.seconds:.2f}s "
    return (f"{scenario.name:30} {how:7} {scenario.run.seconds:5.2f}s{armed:16} "
            f"{again}state/delivered: {fates}")


def kills(scenario: Scenario) -> int:
    return sum(run is not None and run.killed for run in (scenario.run, scenario.again))


def scenarios(seed: int) -> list[Scenario]:
    chosen = random.Random(seed)
    found = [Scenario(f"send-{i:02}-{h.when}-{h.target.rpartition('.')[2]}-{h.nth}", "send",
                      (h,)) for i, h in enumerate(SEND_HOOKS)]
    found += [Scenario(f"sync-{i:02}-{h.when}-{h.target.rpartition('.')[2]}-{h.nth}", "sync",
                       (h,)) for i, h in enumerate(SYNC_HOOKS)]
    found += [Scenario(f"{command}-twice-{i}", command, (first,), restart_hooks=(second,))
              for i, (command, first, second) in enumerate(DOUBLE_CRASHES)]
    # From the queue commit (send) to the end takes ~0.2-0.3 s; a sync's flush, over one SMTP
    # connection since, ~0.1-0.15 s from the first claim.
    # The restart is killed too, at a random moment of its own (often of its flush).
    found += [Scenario(f"send-random-{i}", "send", delay=round(chosen.uniform(0, 0.25), 3),
                       restart_delay=round(chosen.uniform(*RESTART_SECONDS), 3))
              for i in range(RANDOM_SENDS)]
    found += [Scenario(f"sync-random-{i}", "sync", delay=round(chosen.uniform(0, 0.15), 3),
                       restart_delay=round(chosen.uniform(*RESTART_SECONDS), 3))
              for i in range(RANDOM_SYNCS)]
    found += [Scenario("send-control", "send", delay=60), Scenario("sync-control", "sync",
                                                                   delay=60)]
    return found


def test_sigkill_never_sends_twice_nor_loses(mail_servers: MailServers, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    use_file_keyring(monkeypatch, tmp_path)  # kills mid-call must not take the daemon down
    seed = int(os.environ.get("MAILCLIENT_CRASH_SEED") or secrets.randbelow(10**6))
    print(f"crash harness seed: {seed} (MAILCLIENT_CRASH_SEED={seed} to replay)")
    planned = scenarios(seed)
    for scenario in planned:  # users made here, not in the threads
        scenario.sender = mail_servers.new_user("crs")
        scenario.recipient = mail_servers.new_user("crr")
    with ThreadPoolExecutor(WORKERS) as pool:
        done = list(pool.map(lambda s: play(s, mail_servers, tmp_path), planned))
    recipients = [s.recipient for s in done if s.recipient is not None]
    wait_quiet(lambda: sum(len(mail_servers.delivered(r)) for r in recipients))
    report = [describe(s, mail_servers) for s in done]
    failures = [v for s in done for v in check(s, mail_servers)]
    with capsys.disabled():
        print(f"\ncrash harness seed {seed}: {len(done)} profiles, "
              f"{sum(map(kills, done))} SIGKILLs\n" + "\n".join(report))
    assert all(s.run is not None and s.run.killed for s in done if s.hooks), \
        "a hook did not kill:\n" + "\n".join(report)
    assert all(s.run is not None and s.run.returncode == 0 for s in done if "control" in s.name)
    assert not failures, f"seed {seed}:\n" + "\n".join(failures)
    assert sum(map(kills, done)) >= MIN_KILLS, "too few kills:\n" + "\n".join(report)
