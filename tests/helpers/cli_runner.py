"""Running ``python -m mailclient`` as a user would, for end-to-end tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers.mailservers import MailServers, TestUser


def run_cli(profile: Path, *args: str, stdin: str | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """Run ``python -m mailclient --profile PROFILE ARGS`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "mailclient", "--profile", str(profile), *args],
        input=stdin, capture_output=True, text=True, timeout=120,
    )


def add_account(profile: Path, servers: MailServers, user: TestUser, *, incoming: str = "imap",
                password: str | None = None, extra: tuple[str, ...] = (),
                ca_file: bool = True) -> subprocess.CompletedProcess[str]:
    ports = {"imap": (servers.imaps_port, "ssl"), "pop3": (servers.pop3_port, "starttls")}
    port, security = ports[incoming]
    args = ["account", "add", user.name, "--email", user.address,
            "--display-name", f"{user.name.title()} Tëster",
            "--smtp-host", servers.host, "--smtp-port", str(servers.submission_port),
            "--smtp-security", "starttls",
            "--incoming", incoming, "--incoming-host", servers.host,
            "--incoming-port", str(port), "--incoming-security", security,
            "--password-stdin", *extra]
    if ca_file:
        args += ["--ca-file", str(servers.ca_file)]
    return run_cli(profile, *args, stdin=(password or user.password) + "\n")


def assert_ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    return result.stdout


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int,
                          *words: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]
