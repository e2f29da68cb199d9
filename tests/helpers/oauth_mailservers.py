"""The private Dovecot + Postfix with OAuth2 logins: Dovecot's ``oauth2`` passdb asks the test
authorization server (introspection), so XOAUTH2 and OAUTHBEARER work in IMAP, POP3 and SMTP
(Postfix authenticates through Dovecot); passwords keep working too."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from mailclient.core.account import ServerConfig
from tests.helpers.mailservers import (
    MailServers,
    ServerStartError,
    missing_requirements,
    start_fresh,
)
from tests.helpers.oauth_server import OAuthServer

__all__ = ["OAuthMailServers", "oauth_mail_servers", "start_oauth_mail_servers"]

_MECHANISMS = "auth_mechanisms = plain login\n"


def render_oauth2_conf(oauth: OAuthServer, ca_file: Path) -> str:
    """dovecot-oauth2.conf.ext: RFC 7662 introspection by POST, as the ``dovecot`` client."""
    client_id, secret = oauth.introspection_client
    parts = urlsplit(oauth.introspect_url)
    url = f"{parts.scheme}://{quote(client_id)}:{quote(secret)}@{parts.netloc}{parts.path}"
    return (
        "# OAuth2 token validation of the private test Dovecot (generated).\n"
        f"introspection_mode = post\nintrospection_url = {url}\nforce_introspection = yes\n"
        "username_attribute = username\nusername_format = %n\n"
        "active_attribute = active\nactive_value = true\n"
        f"tls_ca_cert_file = {ca_file}\ntimeout_msecs = 10000\n"
    )


def oauth_passdb(conf_ext: Path) -> str:
    """The passdb after the passwd-file one: a token is tried once the password check fails."""
    return (f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
            f"  args = {conf_ext}\n}}\n")


class OAuthMailServers(MailServers):
    """``MailServers`` whose Dovecot also accepts the test authorization server's tokens."""

    def __init__(self, root: Path, oauth: OAuthServer) -> None:
        super().__init__(root)
        self.oauth = oauth

    def config(self, protocol: str, user: str, *, ssl: bool = True) -> ServerConfig:
        """How to reach ``protocol`` ("imap", "pop3", "smtp") as ``user``: implicit TLS, or
        STARTTLS (STLS) if not ``ssl``."""
        ports = {
            "imap": (self.imaps_port, self.imap_port),
            "pop3": (self.pop3s_port, self.pop3_port),
            "smtp": (self.smtps_port, self.submission_port),
        }[protocol]
        return ServerConfig(self.host, ports[0 if ssl else 1], "ssl" if ssl else "starttls", user)

    def _write_dovecot(self) -> None:
        super()._write_dovecot()
        layout = self.dovecot
        ca_file = self.root / "tls" / "oauth-ca.pem"  # readable by Dovecot's auth process
        shutil.copyfile(self.oauth.ca_file, ca_file)
        ca_file.chmod(0o644)
        conf_ext = layout.conf.parent / "dovecot-oauth2.conf.ext"
        conf_ext.write_text(render_oauth2_conf(self.oauth, ca_file))
        conf_ext.chmod(0o644)
        text = layout.conf.read_text()
        if _MECHANISMS not in text or "userdb {" not in text:
            raise ServerStartError("dovecot.conf changed: cannot add the oauth2 passdb")
        text = text.replace(_MECHANISMS, "auth_mechanisms = plain login xoauth2 oauthbearer\n")
        text = text.replace("userdb {", oauth_passdb(conf_ext) + "userdb {", 1)
        layout.conf.write_text(text)


def start_oauth_mail_servers(oauth: OAuthServer, attempts: int = 3) -> OAuthMailServers:
    """Start both servers under a fresh temp dir (retrying if a chosen port got taken)."""
    return start_fresh(lambda root: OAuthMailServers(root, oauth),
                       "mailclient-oauth-servers-", attempts)


@pytest.fixture(scope="session")
def _session_oauth_mail_servers(_session_oauth_server: OAuthServer) -> Iterator[OAuthMailServers]:
    reason = missing_requirements()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"mail servers unavailable in CI: {reason}", pytrace=False)
        pytest.skip(f"mail servers unavailable: {reason}")
    servers = start_oauth_mail_servers(_session_oauth_server)
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture
def oauth_mail_servers(
    oauth_server: OAuthServer, _session_oauth_mail_servers: OAuthMailServers
) -> OAuthMailServers:
    """Dovecot + Postfix (one per session) validating ``oauth_server``'s tokens: log in with
    XOAUTH2 or OAUTHBEARER as a user's local part or address, with a token issued for it."""
    return _session_oauth_mail_servers
