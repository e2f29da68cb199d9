"""What the test mail servers need from the host: binaries, system accounts, a temp location."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile

from tests.helpers import processes

MAIL_ACCOUNT = "mailclient-test"
SEARCH_PATH = os.pathsep.join(
    [os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/bin", "/usr/lib/dovecot",
     "/usr/libexec/dovecot"]
)


class MailServerError(RuntimeError):
    """A command run against the private mail servers failed."""


def find_binary(name: str) -> str:
    """Absolute path of a tool (sbin included), or just its name when not found."""
    return shutil.which(name, path=SEARCH_PATH) or name


def missing_requirements() -> str | None:
    """Why the servers cannot run here, or None."""
    for name in ("dovecot", "doveadm", "dovecot-lda", "postfix", "openssl"):
        if shutil.which(name, path=SEARCH_PATH) is None:
            return (
                f"{name} is not installed (apt-get install dovecot-core dovecot-imapd "
                "dovecot-pop3d dovecot-lmtpd postfix openssl)"
            )
    if os.geteuid() != 0:
        return "the private Postfix/Dovecot test servers must be started as root"
    return None


def run(*command: str) -> None:
    """Run a server command; raise MailServerError with its output when it fails."""
    env = {k: v for k, v in os.environ.items() if k != "MAIL_CONFIG"}
    env["PATH"] = SEARCH_PATH
    code, output = processes.run_captured(list(command), env)
    if code != 0:
        raise MailServerError(f"{' '.join(command)} failed ({code}):\n{output}")


def account_or(name: str, fallback: str) -> str:
    """name if such a system user exists, else fallback."""
    try:
        pwd.getpwnam(name)
        return name
    except KeyError:
        return fallback


def mail_account() -> tuple[int, int]:
    """uid/gid owning the mailboxes: a dedicated system user, created if needed (Dovecot
    will not access mail as root)."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    try:
        entry = pwd.getpwnam(MAIL_ACCOUNT)
    except KeyError:
        subprocess.run(
            [find_binary("useradd"), "--system", "--no-create-home", "--home-dir",
             "/nonexistent", "--shell", "/usr/sbin/nologin", "--user-group", MAIL_ACCOUNT],
            capture_output=True, check=False,
        )  # may race with a parallel worker: only the lookup below decides
        try:
            entry = pwd.getpwnam(MAIL_ACCOUNT)
        except KeyError as exc:
            raise MailServerError(f"cannot create the system user {MAIL_ACCOUNT}") from exc
    return entry.pw_uid, entry.pw_gid


def base_dir() -> str:
    """Where the servers' temp dir goes: tmpfs when roomy (50,000 Maildir files are written
    in about a second there, but can take many seconds on a busy disk), else the temp dir."""
    if os.environ.get("MAILCLIENT_SERVERS_TMPDIR"):
        return os.environ["MAILCLIENT_SERVERS_TMPDIR"]
    try:
        shm = os.statvfs("/dev/shm")
        if shm.f_bavail * shm.f_frsize >= 2 << 30 and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    except OSError:
        pass
    base = tempfile.gettempdir()
    return base if len(base) <= 40 else "/tmp"  # unix socket paths are limited to ~107 bytes
