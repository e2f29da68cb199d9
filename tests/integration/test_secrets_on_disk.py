"""After a full workflow with protocol traces on (add account, send, sync, search), no file
under the profile or the XDG dirs holds the password, in plain, base64 (AUTH PLAIN and
LOGIN) or URL-encoded form; the logs show the AUTH lines, redacted."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from tests.helpers.cli_runner import assert_ok
from tests.helpers.dovecot_config import passwd_line
from tests.helpers.mailservers import MailServers, TestUser

pytestmark = pytest.mark.integration
XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


def with_awkward_password(servers: MailServers, user: TestUser) -> TestUser:
    """``user`` with a password that URL-encoding and quoting change (no quote or colon)."""
    password = f"Pa$$/w+rd=%&?{secrets.token_urlsafe(8)}"
    home = user.maildir.parent
    users_dir = servers.dovecot.users_dir
    draft = users_dir / f".{user.name}.new"
    draft.write_text(passwd_line(user.name, password, servers.uid, servers.gid, home))
    os.chown(draft, os.getuid(), (users_dir / user.name).stat().st_gid)
    draft.chmod(0o640)
    draft.replace(users_dir / user.name)
    return replace(user, password=password)


def secret_forms(user: TestUser) -> dict[str, bytes]:
    """Every spelling of the password that a log, a cache or a URL might hold."""
    password = user.password.encode()
    forms = {"plain": password, "url": quote(user.password).encode(),
             "url+": quote_plus(user.password).encode(),
             "base64 (AUTH LOGIN)": base64.b64encode(password)}
    for login in (user.address, user.name):
        for authz in ("", login):
            plain = f"{authz}\0{login}\0{user.password}".encode()
            forms[f"base64 (AUTH PLAIN {authz!r} {login})"] = base64.b64encode(plain)
    return forms


def run(env: dict[str, str], profile: Path, *args: str, stdin: str | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mailclient", "--profile", str(profile),
                           "--debug", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=env)


def add(env: dict[str, str], profile: Path, servers: MailServers, user: TestUser,
        incoming: str) -> subprocess.CompletedProcess[str]:
    port, security = {"imap": (servers.imaps_port, "ssl"),
                      "pop3": (servers.pop3_port, "starttls")}[incoming]
    return run(env, profile, "account", "add", user.name, "--email", user.address,
               "--smtp-host", servers.host, "--smtp-port", str(servers.submission_port),
               "--smtp-security", "starttls", "--incoming", incoming,
               "--incoming-host", servers.host, "--incoming-port", str(port),
               "--incoming-security", security, "--ca-file", str(servers.ca_file),
               "--password-stdin", stdin=user.password + "\n")


def test_full_workflow_leaves_no_password(mail_servers: MailServers, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    homes = {name: tmp_path / name.lower() for name in XDG}
    for name, path in homes.items():
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    env = dict(os.environ)
    profile = tmp_path / "profile"
    alice = with_awkward_password(mail_servers, mail_servers.new_user("alice"))
    bob = with_awkward_password(mail_servers, mail_servers.new_user("bob"))
    assert_ok(add(env, profile, mail_servers, alice, "imap"))
    assert_ok(add(env, profile, mail_servers, bob, "pop3"))
    assert_ok(run(env, profile, "account", "test", alice.name))
    assert_ok(run(env, profile, "send", "--account", alice.name, "--to", bob.address,
                  "--subject", "Quarterly figures", "--body", "See you."))
    mail_servers.wait_delivered(bob, 1)
    assert "1 new" in assert_ok(run(env, profile, "sync", "--account", bob.name))
    assert_ok(run(env, profile, "sync", "--account", alice.name))
    found = json.loads(assert_ok(run(env, profile, "search", "quarterly", "--json")))
    assert [m["subject"] for m in found] == ["Quarterly figures"] * 2  # Inbox and Sent

    files = [p for root in (profile, *homes.values()) for p in root.rglob("*") if p.is_file()]
    assert any(p.name == "mailclient.log" for p in files)
    leaks = [f"{path}: {what}" for path in files for user in (alice, bob)
             for what, form in secret_forms(user).items() if form in path.read_bytes()]
    assert not leaks, "\n".join(leaks)

    log = "".join(p.read_text(errors="replace") for p in files if "mailclient.log" in p.name)
    assert "SMTP C:" in log and "AUTH" in log, "protocol traces were not on"
    assert "POP3 C:" in log
    assert "[redacted]" in log
    assert "250-AUTH PLAIN LOGIN" in log  # the server's capability line is not a secret
