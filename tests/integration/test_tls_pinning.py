"""Untrusted certificates on the real servers: refused with details, pinned, changed, once."""

from __future__ import annotations

import inspect
import shutil
import ssl
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.core.errors import CertificateError
from mailclient.services import pop3, smtp
from mailclient.services.certificate_trust import TRUST, endpoint
from mailclient.services.imap.connection import ImapConnection
from mailclient.services.tls import fingerprint_of
from tests.helpers.aiosmtpd_server import PASSWORD, USER, fault_server
from tests.helpers.host_setup import base_dir
from tests.helpers.mailservers import MailServers, missing_requirements
from tests.helpers.tls_cert import make_expired, make_wrong_host

pytestmark = pytest.mark.integration

KINDS = [("imap", "ssl"), ("imap", "starttls"), ("pop3", "ssl"), ("pop3", "starttls"),
         ("smtp", "ssl"), ("smtp", "starttls")]
PORT_NAMES = {("imap", "ssl"): "imaps", ("imap", "starttls"): "imap",
              ("pop3", "ssl"): "pop3s", ("pop3", "starttls"): "pop3",
              ("smtp", "ssl"): "smtps", ("smtp", "starttls"): "submission"}
SMTP_WIRED = "server=server" in inspect.getsource(smtp.open_session)
needs_smtp_wiring = pytest.mark.skipif(
    not SMTP_WIRED, reason="smtp.open_session does not pass server= to make_ssl_context yet")


@pytest.fixture(autouse=True)
def fresh_trust() -> Iterator[None]:
    yield
    TRUST.forget_trusted_once()
    TRUST.read_pins_from(tuple)


def fingerprint_in(cert: Path) -> str:
    return fingerprint_of(ssl.PEM_cert_to_DER_cert(cert.read_text()))


def server_of(servers: MailServers, kind: str, security: str) -> ServerConfig:
    port = servers.ports[PORT_NAMES[kind, security]]
    return ServerConfig(servers.host, port, security, "alice")  # type: ignore[arg-type]


def pin(server: ServerConfig, fingerprint: str) -> None:
    """Make an account that pins ``fingerprint`` for ``server`` the source of the pins."""
    account = Account("pinning", "alice@example.test", "Alice", server, "imap", server,
                      pinned_certificates={endpoint(server.host, server.port): fingerprint})
    TRUST.read_pins_from(lambda: [account])


async def log_in(kind: str, server: ServerConfig, password: str, ca_file: Path | None = None
                 ) -> None:
    """Connect, secure and log in with the app's own code for ``kind``, then log out."""
    ca = str(ca_file) if ca_file else None
    if kind == "imap":
        async with await ImapConnection.open(server, password, ca_file=ca, timeout=10):
            pass
    elif kind == "pop3":
        await pop3.check_login(server, password, ca_file=ca, timeout=10)
    else:
        await smtp.check_login(server, password, ca_file=ca, timeout=10)


def params(kinds: list[tuple[str, str]]) -> list[Any]:
    return [pytest.param(k, s, marks=needs_smtp_wiring if k == "smtp" else ())
            for k, s in kinds]


@pytest.fixture(scope="module", params=["expired", "wrong_host"])
def odd_servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[str, MailServers]]:
    """Dovecot and Postfix showing an expired, or a wrong-host, certificate."""
    reason = missing_requirements()
    if reason is not None:
        pytest.skip(f"mail servers unavailable: {reason}")
    maker = make_expired if request.param == "expired" else make_wrong_host
    cert, key = maker(tmp_path_factory.mktemp(request.param))
    root = Path(tempfile.mkdtemp(prefix="mailclient-tls-", dir=base_dir()))
    root.chmod(0o755)
    servers = MailServers(root)
    shutil.copyfile(cert, servers.ca_file)  # before start: the servers then show this one
    shutil.copyfile(key, root / "tls" / "key.pem")
    servers.start()
    try:
        yield request.param, servers
    finally:
        servers.stop()


@pytest.mark.parametrize(("kind", "security"), KINDS)
async def test_self_signed_refused_with_details(mail_servers: MailServers, kind: str,
                                                security: str) -> None:
    server = server_of(mail_servers, kind, security)
    with pytest.raises(CertificateError) as info:
        await log_in(kind, server, mail_servers.user("alice").password)
    error = info.value
    assert error.fingerprint == fingerprint_in(mail_servers.ca_file)
    assert (error.port, error.changed) == (server.port, False)
    assert "self-signed" in error.reason or "self signed" in error.reason
    assert error.subject == error.issuer == "CN=localhost"
    assert error.not_before < error.not_after and error.not_after.endswith(" UTC")
    assert f"is not trusted: {error.reason} (SHA-256 fingerprint {error.fingerprint})" in str(error)


@pytest.mark.parametrize(("kind", "security"), params(KINDS))
async def test_pinned_certificate_logs_in(mail_servers: MailServers, kind: str,
                                          security: str) -> None:
    server = server_of(mail_servers, kind, security)
    pin(server, fingerprint_in(mail_servers.ca_file).replace(":", "").lower())  # any spelling
    await log_in(kind, server, mail_servers.user("alice").password)


@pytest.mark.parametrize(("kind", "security"), params(KINDS))
async def test_changed_certificate_refused_as_an_attack(
    mail_servers: MailServers, tmp_path: Path, kind: str, security: str
) -> None:
    server = server_of(mail_servers, kind, security)
    other, _ = make_wrong_host(tmp_path)
    pin(server, fingerprint_in(other))
    with pytest.raises(CertificateError) as info:  # even with the CA file that would verify it
        await log_in(kind, server, mail_servers.user("alice").password, mail_servers.ca_file)
    error = info.value
    assert error.changed
    assert error.fingerprint == fingerprint_in(mail_servers.ca_file)  # what it shows now
    assert error.subject == "CN=localhost"
    assert "changed since you trusted it" in str(error) and "may be an attack" in str(error)


async def test_trusted_once_until_forgotten(mail_servers: MailServers) -> None:
    server = server_of(mail_servers, "imap", "ssl")
    password = mail_servers.user("alice").password
    TRUST.trust_once(server.host, server.port, fingerprint_in(mail_servers.ca_file))
    await log_in("imap", server, password)
    TRUST.forget_trusted_once()
    with pytest.raises(CertificateError):
        await log_in("imap", server, password)


async def test_trusted_once_is_for_that_port_only(mail_servers: MailServers) -> None:
    imaps = server_of(mail_servers, "imap", "ssl")
    TRUST.trust_once(imaps.host, imaps.port, fingerprint_in(mail_servers.ca_file))
    with pytest.raises(CertificateError) as info:
        await log_in("pop3", server_of(mail_servers, "pop3", "ssl"),
                     mail_servers.user("alice").password)
    assert not info.value.changed


@pytest.mark.parametrize(("kind", "security"), [("imap", "ssl"), ("pop3", "starttls"),
                                                ("smtp", "ssl"), ("imap", "starttls")])
async def test_expired_or_wrong_host_refused(odd_servers: tuple[str, MailServers], kind: str,
                                             security: str) -> None:
    defect, servers = odd_servers
    with pytest.raises(CertificateError) as info:  # its own CA file: only the defect is left
        await log_in(kind, server_of(servers, kind, security), servers.user("alice").password,
                     servers.ca_file)
    error = info.value
    assert error.fingerprint == fingerprint_in(servers.ca_file) and not error.changed
    if defect == "expired":
        assert "expired" in error.reason
        assert error.not_after == "2020-02-01 00:00:00 UTC"
    else:
        assert "mismatch" in error.reason.lower()
        assert error.subject == "CN=wrong.example, O=Wrong Host Tests"


@pytest.mark.parametrize(("kind", "security"), params([("imap", "ssl"), ("pop3", "starttls"),
                                                       ("smtp", "starttls")]))
async def test_pinned_expired_or_wrong_host_logs_in(odd_servers: tuple[str, MailServers],
                                                    kind: str, security: str) -> None:
    _, servers = odd_servers
    server = server_of(servers, kind, security)
    pin(server, fingerprint_in(servers.ca_file))
    await log_in(kind, server, servers.user("alice").password)


@needs_smtp_wiring
@pytest.mark.parametrize("security", ["ssl", "starttls"])
async def test_smtp_sends_no_credentials_to_a_changed_certificate(tmp_path: Path,
                                                                  security: str) -> None:
    async with fault_server(tmp_path / "certs", security=security) as server:  # type: ignore[arg-type]
        config = server.config()
        pin(config, fingerprint_in(make_expired(tmp_path / "other")[0]))
        with pytest.raises(CertificateError) as info:
            await smtp.check_login(config, PASSWORD, timeout=10)
        assert info.value.changed and server.handler.logins == []
        pin(config, fingerprint_in(server.ca_file))
        await smtp.check_login(config, PASSWORD, timeout=10)
        assert server.handler.logins == [("PLAIN", USER)]
