"""Private Dovecot and Postfix over TLS on 127.0.0.1 for the tests (run as module: keep them up)."""

from __future__ import annotations

import atexit
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from tests.helpers import maildir, processes
from tests.helpers.dovecot_config import SEPARATOR, DovecotLayout, passwd_line, render_dovecot_conf
from tests.helpers.host_setup import (
    MailServerError,
    account_or,
    base_dir,
    find_binary,
    mail_account,
    missing_requirements,
    run,
)
from tests.helpers.postfix_config import (
    PostfixLayout,
    render_alias_map,
    render_main_cf,
    render_master_cf,
)
from tests.helpers.tls_cert import make_self_signed

__all__ = ["MailServers", "TestUser", "ServerStartError", "missing_requirements"]

HOSTS = ("127.0.0.1", "127.0.0.2")
DOMAIN = "example.test"
FIXED_USERS = ("alice", "bob", "carol")
SINK_USER = "sink"
PORT_NAMES = ["imap", "imaps", "pop3", "pop3s", "submission", "smtps"]


class ServerStartError(MailServerError):
    """The private mail servers could not be started."""


@dataclass(frozen=True)
class TestUser:
    """A mailbox account on the test servers."""

    __test__ = False

    name: str
    address: str
    password: str
    maildir: Path


def _tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log yet)"


class MailServers:
    """A running private Dovecot + Postfix (the mail_servers fixture yields one).

    Ports, on host and also on 127.0.0.2 (where Dovecot announces LOGINDISABLED before TLS):
    imap_port (STARTTLS), imaps_port, pop3_port (STLS), pop3s_port, submission_port
    (STARTTLS, then AUTH PLAIN/LOGIN) and smtps_port (implicit TLS + AUTH). Users log in with
    their address or local part. Mail to an unknown user of the domain bounces to the sender;
    mail to any other domain lands in the "sink" user's INBOX. Folder separator: "/".
    """

    host = HOSTS[0]
    domain = DOMAIN
    separator = SEPARATOR

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ports = processes.free_ports(PORT_NAMES, HOSTS)
        self.imap_port, self.imaps_port = self.ports["imap"], self.ports["imaps"]
        self.pop3_port, self.pop3s_port = self.ports["pop3"], self.ports["pop3s"]
        self.submission_port, self.smtps_port = self.ports["submission"], self.ports["smtps"]
        self.uid, self.gid = mail_account()
        self.ca_file, key = make_self_signed(root / "tls", find_binary("openssl"))
        (root / "log").mkdir(mode=0o755)
        fallback = pwd.getpwuid(self.uid).pw_name
        self.dovecot = DovecotLayout(
            root=root, conf=root / "dovecot" / "dovecot.conf",
            users_dir=root / "dovecot" / "users", base_dir=root / "dovecot" / "run",
            state_dir=root / "dovecot" / "state", log_file=root / "log" / "dovecot.log",
            lda_log_file=root / "log" / "dovecot-lda.log",
            cert=self.ca_file, key=key, mail_uid=self.uid, mail_gid=self.gid,
            internal_user=account_or("dovecot", fallback),
            login_user=account_or("dovenull", fallback),
            postfix_user=account_or("postfix", fallback),
        )
        self.postfix = PostfixLayout(
            config_dir=root / "postfix" / "etc", queue_dir=root / "postfix" / "spool",
            data_dir=root / "postfix" / "data", log_file=root / "log" / "postfix.log",
            cert=self.ca_file, key=key, auth_socket=self.dovecot.auth_socket,
            dovecot_lda=find_binary("dovecot-lda"), dovecot_conf=self.dovecot.conf,
            mail_account=fallback,
        )
        self._users: dict[str, TestUser] = {}
        self._users_gid = grp.getgrnam(self.dovecot.internal_user).gr_gid
        self._stopped = False
        self._guardian: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0

    # -- start -------------------------------------------------------------------------------

    def _write_dovecot(self) -> None:
        layout = self.dovecot
        layout.conf.parent.mkdir(mode=0o755)
        layout.state_dir.mkdir(mode=0o750)
        (self.root / "home").mkdir(mode=0o755)
        layout.users_dir.mkdir(mode=0o750)
        os.chown(layout.users_dir, os.getuid(), self._users_gid)
        layout.lda_log_file.touch(mode=0o600)
        os.chown(layout.lda_log_file, self.uid, self.gid)
        for name in (*FIXED_USERS, SINK_USER):
            self._add_user(name)
        layout.conf.write_text(render_dovecot_conf(layout, self.ports, HOSTS, DOMAIN))

    def _write_postfix(self) -> None:
        layout = self.postfix
        for directory in (layout.config_dir, layout.queue_dir):
            directory.mkdir(mode=0o755, parents=True)
        layout.data_dir.mkdir(mode=0o700)
        owner = pwd.getpwnam(layout.mail_owner)
        os.chown(layout.data_dir, owner.pw_uid, owner.pw_gid)
        files = {
            "main.cf": render_main_cf(layout, DOMAIN),
            "master.cf": render_master_cf(layout, HOSTS, self.submission_port, self.smtps_port),
            layout.alias_map.name: render_alias_map(DOMAIN, SINK_USER),
        }
        an_hour_ago = time.time() - 3600  # Postfix waits for "too new" files otherwise
        for name, text in files.items():
            (layout.config_dir / name).write_text(text)
            os.utime(layout.config_dir / name, (an_hour_ago, an_hour_ago))

    def start(self) -> MailServers:
        """Write the configurations and start Dovecot, then Postfix (which needs its sockets)."""
        atexit.register(self.stop)
        processes.become_subreaper()
        self._guardian = processes.start_guardian(self.root, self._pid_files())
        try:
            self._write_dovecot()
            self._write_postfix()
            run(find_binary("dovecot"), "-c", str(self.dovecot.conf))
            run(find_binary("postfix"), "-c", str(self.postfix.config_dir), "start")
        except MailServerError as exc:
            self.stop()
            raise ServerStartError(f"{exc}\n{self.log_tail()}") from exc
        except BaseException:
            self.stop()
            raise
        return self

    # -- users and mailboxes -----------------------------------------------------------------

    def _add_user(self, name: str) -> TestUser:
        home = self.root / "home" / name
        home.mkdir(mode=0o700)
        os.chown(home, self.uid, self.gid)
        user = TestUser(name, f"{name}@{DOMAIN}", secrets.token_urlsafe(12), home / "Maildir")
        maildir.ensure_maildir(user.maildir, self.uid, self.gid)
        draft = self.dovecot.users_dir / f".{name}.new"
        draft.write_text(passwd_line(name, user.password, self.uid, self.gid, home))
        os.chown(draft, os.getuid(), self._users_gid)
        draft.chmod(0o640)
        draft.replace(self.dovecot.users_dir / name)  # appears complete
        self._users[name] = user
        return user

    def user(self, name: str) -> TestUser:
        try:
            return self._users[name]
        except KeyError:
            raise KeyError(f"no test user {name!r}; known: {sorted(self._users)}") from None

    @property
    def lmtp_socket(self) -> Path:
        """Dovecot's LMTP socket (root only): smtplib.LMTP(str(path)) injects mail directly."""
        return self.dovecot.lmtp_socket

    @property
    def sink(self) -> TestUser:
        """Receives all mail addressed outside the test domain."""
        return self._users[SINK_USER]

    def new_user(self, prefix: str = "u") -> TestUser:
        return self._add_user(f"{prefix}-{secrets.token_hex(4)}")

    def _resolve(self, user: TestUser | str) -> TestUser:
        return self.user(user) if isinstance(user, str) else user

    def doveadm(self, *args: str) -> None:
        """Run a doveadm command against the private Dovecot."""
        run(find_binary("doveadm"), "-c", str(self.dovecot.conf), *args)

    def load_maildir(
        self,
        user: TestUser | str,
        messages: Iterable[bytes],
        folder: str = "INBOX",
        *,
        seen: bool = False,
    ) -> int:
        account = self._resolve(user)
        path = maildir.folder_dir(account.maildir, folder, SEPARATOR)
        if not path.is_dir():
            self.doveadm("mailbox", "create", "-s", "-u", account.name, folder)
        maildir.ensure_maildir(path, self.uid, self.gid)
        count = maildir.write_messages(path, messages, self.uid, self.gid, seen=seen)
        self.doveadm("force-resync", "-u", account.name, folder)  # indexed now: fast SELECT
        return count

    def delivered(self, user: TestUser | str, folder: str = "INBOX") -> list[bytes]:
        account = self._resolve(user)
        return maildir.read_messages(maildir.folder_dir(account.maildir, folder, SEPARATOR))

    def wait_delivered(
        self, user: TestUser | str, count: int, folder: str = "INBOX", timeout: float = 10.0
    ) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.delivered(user, folder)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                name = self._resolve(user).name
                raise AssertionError(
                    f"{name}/{folder}: {len(found)} of {count} messages after {timeout}s\n"
                    + self.log_tail()
                )
            time.sleep(0.05)

    # -- diagnostics and shutdown ------------------------------------------------------------

    def log_tail(self, lines: int = 50) -> str:
        logs = {
            "postfix": self.postfix.log_file,
            "dovecot": self.dovecot.log_file,
            "dovecot-lda": self.dovecot.lda_log_file,
        }
        return "\n".join(
            f"--- {name} log ({path}) ---\n{_tail(path, lines)}" for name, path in logs.items()
        )

    def describe(self) -> dict[str, object]:
        """Everything a manual client needs, JSON-ready."""
        return {
            "host": self.host, "hosts": list(HOSTS), "domain": self.domain,
            **{f"{name}_port": port for name, port in self.ports.items()},
            "ca_file": str(self.ca_file), "root": str(self.root),
            "users": [{**asdict(u), "maildir": str(u.maildir)} for u in self._users.values()],
        }

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self.stop)
        processes.stop_daemons(self._pid_files())
        if self._guardian is not None:
            processes.release_guardian(self._guardian)
        if not os.environ.get("MAILCLIENT_KEEP_SERVER_DIR"):
            shutil.rmtree(self.root, ignore_errors=True)

    def _pid_files(self) -> list[Path]:
        return [self.postfix.pid_file, self.dovecot.base_dir / "master.pid"]

    def __enter__(self) -> MailServers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


ServersT = TypeVar("ServersT", bound=MailServers)


def start_mail_servers(attempts: int = 3) -> MailServers:
    """Start both servers under a fresh temp dir (retrying if a chosen port got taken)."""
    return start_fresh(MailServers, "mailclient-servers-", attempts)


def start_fresh(make: Callable[[Path], ServersT], prefix: str, attempts: int = 3) -> ServersT:
    """``make(root)`` then start it, under a fresh temp dir named ``prefix...``; again with
    other ports (at most ``attempts`` times) when a chosen port got taken meanwhile."""
    began = time.monotonic()
    for attempt in range(attempts):
        root = Path(tempfile.mkdtemp(prefix=prefix, dir=base_dir()))
        root.chmod(0o755)  # traversable by the servers' users
        try:
            servers = make(root)
            servers.start()
        except ServerStartError as exc:
            shutil.rmtree(root, ignore_errors=True)
            if "in use" not in str(exc) or attempt == attempts - 1:
                raise
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        else:
            servers.start_seconds = time.monotonic() - began
            return servers
    raise AssertionError("unreachable")


def main() -> None:
    """Start the servers, print how to reach them as JSON, serve until SIGINT/SIGTERM."""
    reason = missing_requirements()
    if reason:
        raise SystemExit(reason)
    servers = start_mail_servers()
    with servers:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        info = {**servers.describe(), "start_seconds": round(servers.start_seconds, 3)}
        print(json.dumps(info, indent=2), flush=True)
        signal.sigwait({signal.SIGINT, signal.SIGTERM})


if __name__ == "__main__":
    main()
