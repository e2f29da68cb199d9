"""The outbox: committed first, claimed once across processes, crashes held for the user."""

import os
import subprocess
import sys
from pathlib import Path

from mailclient.services.outbox import Outbox
from mailclient.services.store.database import Database


def queue_one(outbox: Outbox) -> int:
    return outbox.queue("a", raw=b"Subject: x\r\n\r\nhi\r\n", sender="a@x.org",
                        recipients=["b@x.org"], message_id="<1@x.org>", subject="x")


def test_queue_then_claim_once(tmp_path: Path) -> None:
    first = Outbox(Database(tmp_path / "db"))
    second = Outbox(Database(tmp_path / "db"))  # another connection, as another process
    item = queue_one(first)
    assert first.item(item).state == "queued"
    assert first.claim(item) == b"Subject: x\r\n\r\nhi\r\n"
    assert second.claim(item) is None
    assert second.item(item).state == "sending"


def test_claim_in_two_processes_only_one_wins(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "db"))
    item = queue_one(outbox)
    code = ("import sys; from pathlib import Path; from mailclient.services.outbox import Outbox;"
            "from mailclient.services.store.database import Database;"
            f"print(Outbox(Database(Path({str(tmp_path / 'db')!r}))).claim({item}) is not None)")
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
            for _ in range(4)]
    results = [run.communicate()[0].strip() for run in runs]
    assert sorted(results) == ["False", "False", "False", "True"]


def test_crashed_send_is_held_not_resent(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "db"))
    item = queue_one(outbox)
    outbox.claim(item)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    outbox.db.connection.execute("UPDATE outbox SET claim_pid = ?", (int(dead),))
    assert outbox.recover_crashed() == [item]
    held = outbox.item(item)
    assert held.state == "held" and "may already have been sent" in (held.last_error or "")
    assert outbox.due("a") == []
    assert outbox.claim(item) is None
    assert outbox.claim(item, force=True) is not None


def test_live_sender_is_not_taken_for_crashed(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "db"))
    item = queue_one(outbox)
    outbox.claim(item)
    assert outbox.recover_crashed() == []
    assert outbox.item(item).state == "sending"
    assert os.getpid()


def test_temporary_failure_requeues_with_backoff(tmp_path: Path) -> None:
    outbox = Outbox(Database(tmp_path / "db"))
    item = queue_one(outbox)
    outbox.claim(item)
    outbox.mark(item, "queued", error="451 try later", retry_in=60)
    assert outbox.item(item).attempts == 1
    assert outbox.due("a") == []
