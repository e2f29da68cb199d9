"""Writes the configuration of the private test Dovecot (IMAP, POP3, LMTP, LDA, SASL auth)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SPECIAL_USE = {"Drafts": "\\Drafts", "Junk": "\\Junk", "Sent": "\\Sent", "Trash": "\\Trash"}
SEPARATOR = "/"


@dataclass(frozen=True)
class DovecotLayout:
    """Where the private Dovecot keeps its files, and who it runs as."""

    root: Path
    conf: Path
    users_dir: Path
    base_dir: Path
    state_dir: Path
    log_file: Path
    lda_log_file: Path
    cert: Path
    key: Path
    mail_uid: int
    mail_gid: int
    internal_user: str
    login_user: str
    postfix_user: str

    @property
    def lmtp_socket(self) -> Path:
        return self.base_dir / "lmtp"

    @property
    def auth_socket(self) -> Path:
        return self.base_dir / "auth-postfix"


def passwd_line(name: str, password: str, uid: int, gid: int, home: Path) -> str:
    """One passwd-file entry (passdb and userdb at once)."""
    return f"{name}:{{PLAIN}}{password}:{uid}:{gid}::{home}::\n"


def render_dovecot_conf(
    layout: DovecotLayout, ports: dict[str, int], hosts: tuple[str, ...], domain: str
) -> str:
    """The whole dovecot.conf; no system configuration is included."""
    mailboxes = "".join(
        f"  mailbox {name} {{\n    auto = subscribe\n    special_use = {flag}\n  }}\n"
        for name, flag in SPECIAL_USE.items()
    )
    sock_owner = f"    user = {layout.postfix_user}\n    mode = 0600\n"
    return f"""# Private Dovecot of the mailclient test suite (generated).
instance_name = {layout.root.name}
base_dir = {layout.base_dir}
state_dir = {layout.state_dir}
log_path = {layout.log_file}
info_log_path = {layout.log_file}
hostname = mail.{domain}
protocols = imap pop3 lmtp
listen = {", ".join(hosts)}
shutdown_clients = yes
default_internal_user = {layout.internal_user}
default_login_user = {layout.login_user}
first_valid_uid = {layout.mail_uid}
first_valid_gid = {layout.mail_gid}
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
ssl = yes
ssl_cert = <{layout.cert}
ssl_key = <{layout.key}
ssl_min_protocol = TLSv1.2
mail_location = maildir:~/Maildir
mail_fsync = never
recipient_delimiter = +
namespace inbox {{
  inbox = yes
  separator = {SEPARATOR}
{mailboxes}}}
# One passwd-file per user: a new file is read at its first lookup, whereas a changed
# file is only noticed up to a second later.
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {layout.users_dir}/%n
}}
userdb {{
  driver = passwd-file
  args = username_format=%n {layout.users_dir}/%n
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
protocol pop3 {{
  mail_max_userip_connections = 100
}}
protocol lmtp {{
  postmaster_address = postmaster@{domain}
}}
# dovecot-lda runs as the mail user (from Postfix's pipe): its own log file.
protocol lda {{
  postmaster_address = postmaster@{domain}
  log_path = {layout.lda_log_file}
  info_log_path = {layout.lda_log_file}
}}
service imap-login {{
  service_count = 0
  process_min_avail = 1
  inet_listener imap {{
    port = {ports["imap"]}
  }}
  inet_listener imaps {{
    port = {ports["imaps"]}
    ssl = yes
  }}
}}
service pop3-login {{
  service_count = 0
  inet_listener pop3 {{
    port = {ports["pop3"]}
  }}
  inet_listener pop3s {{
    port = {ports["pop3s"]}
    ssl = yes
  }}
}}
service lmtp {{
  unix_listener {layout.lmtp_socket.name} {{
{sock_owner}  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service auth {{
  unix_listener {layout.auth_socket.name} {{
{sock_owner}  }}
}}
"""
