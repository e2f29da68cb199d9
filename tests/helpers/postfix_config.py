"""Writes the configuration of the private test Postfix (submission only, Dovecot delivers)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MESSAGE_SIZE_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class PostfixLayout:
    """Where the private Postfix keeps its files."""

    config_dir: Path
    queue_dir: Path
    data_dir: Path
    log_file: Path
    cert: Path
    key: Path
    auth_socket: Path
    dovecot_lda: str
    dovecot_conf: Path
    mail_account: str
    mail_owner: str = "postfix"
    setgid_group: str = "postdrop"

    @property
    def alias_map(self) -> Path:
        return self.config_dir / "virtual_alias.regexp"

    @property
    def pid_file(self) -> Path:
        return self.queue_dir / "pid" / "master.pid"


def render_main_cf(layout: PostfixLayout, domain: str) -> str:
    """main.cf: nothing is ever delivered anywhere but to the private Dovecot.

    inet_interfaces only lists addresses of an interface (lo has 127.0.0.1), but master.cf
    listeners may still bind 127.0.0.2 explicitly.
    """
    return f"""# Private Postfix of the mailclient test suite (generated).
compatibility_level = 3.6
queue_directory = {layout.queue_dir}
data_directory = {layout.data_dir}
mail_owner = {layout.mail_owner}
setgid_group = {layout.setgid_group}
maillog_file = {layout.log_file}
maillog_file_prefixes = {layout.log_file.parent}
myhostname = mail.{domain}
mydomain = {domain}
myorigin = $mydomain
mydestination =
relay_domains =
mynetworks = 127.0.0.1/32
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:5.7.1 local delivery is disabled in the test server
default_transport = error:5.7.1 mail never leaves the test server
relay_transport = error:5.7.1 mail never leaves the test server
virtual_mailbox_domains = {domain}
virtual_alias_domains =
virtual_alias_maps = regexp:{layout.alias_map}
virtual_transport = dovecot
dovecot_destination_recipient_limit = 1
recipient_delimiter = +
message_size_limit = {MESSAGE_SIZE_LIMIT}
mailbox_size_limit = 0
smtputf8_enable = yes
biff = no
append_dot_mydomain = no
smtpd_banner = $myhostname ESMTP mailclient test server
smtpd_tls_chain_files = {layout.key}, {layout.cert}
smtpd_tls_security_level = encrypt
smtpd_tls_auth_only = yes
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_sasl_type = dovecot
smtpd_sasl_path = {layout.auth_socket}
smtpd_sasl_security_options = noanonymous
smtpd_sasl_tls_security_options = noanonymous
smtpd_sasl_auth_enable = yes
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
notify_classes = resource, software
delay_warning_time = 0
queue_run_delay = 2s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
"""


def render_alias_map(domain: str, sink: str) -> str:
    """Everything outside the test domain (and postmaster) goes to the sink user."""
    dom, target = re.escape(domain), f"{sink}@{domain}"
    return f"/^(postmaster|abuse|mailer-daemon)@{dom}$/ {target}\n!/@{dom}$/ {target}\n"


_SERVICES = """\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def _delivery(layout: PostfixLayout) -> str:
    """Delivery by Dovecot's LDA through pipe(8), not LMTP: Dovecot 2.3's LMTP lacks SMTPUTF8,
    so Postfix would bounce every SMTPUTF8 message."""
    return (
        "dovecot   unix  -       n       n       -       -       pipe\n"
        f"  flags=DRhu user={layout.mail_account}:{layout.mail_account}\n"
        f"  argv={layout.dovecot_lda} -c {layout.dovecot_conf} -e"
        " -f ${sender} -a ${recipient} -d ${user}@${nexthop}\n"
    )


def render_master_cf(
    layout: PostfixLayout, hosts: tuple[str, ...], submission_port: int, smtps_port: int
) -> str:
    """master.cf: the two submission listeners, the internal services and delivery to Dovecot;
    no smtp client (nothing can leave the machine)."""
    listeners = []
    for host in hosts:
        listeners.append(
            f"{host}:{submission_port} inet n - n - - smtpd\n"
            "  -o syslog_name=postfix/submission\n"
        )
        listeners.append(
            f"{host}:{smtps_port} inet n - n - - smtpd\n"
            "  -o syslog_name=postfix/smtps\n  -o smtpd_tls_wrappermode=yes\n"
        )
    header = "# Private Postfix services (generated).\n"
    return header + "".join(listeners) + _SERVICES + _delivery(layout)
