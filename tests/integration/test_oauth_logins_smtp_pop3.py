"""OAuth2 logins to the real Postfix (SASL through Dovecot) and Dovecot POP3: XOAUTH2 and
OAUTHBEARER with the test authorization server's tokens; expired and revoked tokens refused."""

from __future__ import annotations

import aiosmtplib
import pytest

from mailclient.core.credentials import OAuthRejectedError, OAuthToken
from mailclient.services import pop3, smtp
from mailclient.services.smtp_session import SmtpSession
from tests.helpers.oauth_mailservers import OAuthMailServers
from tests.helpers.oauth_server import OAuthServer

pytestmark = pytest.mark.integration

EXPIRED = "the sign-in expired or was revoked"


# -- SMTP ---------------------------------------------------------------------------------------


def restricted(mechanism: str, credential: OAuthToken, user: str) -> smtp.Authenticator:
    """``oauth_auth``, as if the server offered only ``mechanism``."""
    login = smtp.oauth_auth(user, credential)

    async def authenticate(client: aiosmtplib.SMTP) -> None:
        client.server_auth_methods = [mechanism.lower()]
        await login(client)

    return authenticate


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
async def test_smtp_send_with_token(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer, mechanism: str
) -> None:
    user = oauth_mail_servers.new_user("smtp")
    token = OAuthToken(oauth_server.issue_token(user.name))
    message = (f"From: {user.address}\r\nTo: {user.address}\r\nSubject: oauth {mechanism}\r\n"
               f"\r\nSent with {mechanism}.\r\n").encode()
    report = await smtp.send_message(
        oauth_mail_servers.config("smtp", user.address), token, sender=user.address,
        recipients=[user.address], message=message, ca_file=str(oauth_mail_servers.ca_file),
        timeout=10, auth=restricted(mechanism, token, user.address),
    )
    assert report.accepted == [user.address]
    assert b"Sent with" in oauth_mail_servers.wait_delivered(user, 1)[0]


async def test_smtp_session_with_token_over_starttls(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    user = oauth_mail_servers.new_user("smtp")
    token = OAuthToken(oauth_server.issue_token(user.name))
    server = oauth_mail_servers.config("smtp", user.name, ssl=False)
    async with SmtpSession(server, token, ca_file=str(oauth_mail_servers.ca_file),
                           timeout=10) as session:
        for n in (1, 2):
            await session.send(sender=user.address, recipients=[user.address],
                               message=f"Subject: {n}\r\n\r\nbody {n}\r\n".encode())
    oauth_mail_servers.wait_delivered(user, 2)


async def test_smtp_token_source_is_asked_at_login(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    asked: list[str] = []

    async def fresh_token() -> OAuthToken:
        asked.append("token")
        return OAuthToken(oauth_server.issue_token("bob"))

    server = oauth_mail_servers.config("smtp", "bob")
    await smtp.check_login(server, "", ca_file=str(oauth_mail_servers.ca_file), timeout=10,
                           auth=smtp.oauth_auth("bob", fresh_token))
    assert asked == ["token"]


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
async def test_smtp_expired_token_refused(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer, mechanism: str
) -> None:
    token = OAuthToken(oauth_server.issue_token("alice"))
    oauth_server.expire_access_tokens()
    with pytest.raises(OAuthRejectedError, match=EXPIRED) as caught:
        await smtp.check_login(oauth_mail_servers.config("smtp", "alice"), token,
                               ca_file=str(oauth_mail_servers.ca_file), timeout=10,
                               auth=restricted(mechanism, token, "alice"))
    assert caught.value.oauth_rejected and not caught.value.temporary


async def test_smtp_revoked_token_refused(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    token = OAuthToken(oauth_server.issue_token("alice"))
    server = oauth_mail_servers.config("smtp", "alice")
    await smtp.check_login(server, token, ca_file=str(oauth_mail_servers.ca_file), timeout=10)
    oauth_server.revoke_grants("alice")
    with pytest.raises(OAuthRejectedError, match=EXPIRED):
        await smtp.check_login(server, token, ca_file=str(oauth_mail_servers.ca_file), timeout=10)


# -- POP3 ---------------------------------------------------------------------------------------


def pop3_login(servers: OAuthMailServers, user: str, credential: OAuthToken | str, *,
               ssl: bool = True, mechanism: str | None = None) -> list[str]:
    """Log in (as if the server offered only ``mechanism``), return the UIDL keys."""
    original = pop3._Pop3.capa if mechanism else None

    def capa(self: pop3._Pop3) -> dict[str, list[str]]:
        assert original is not None
        return {**original(self), "SASL": [mechanism or ""]}

    server = servers.config("pop3", user, ssl=ssl)
    with pytest.MonkeyPatch.context() as patch:
        if mechanism:
            patch.setattr(pop3._Pop3, "capa", capa)
            patch.setattr(pop3._Pop3Ssl, "capa", capa)
        with pop3.Pop3Session(server, credential, ca_file=str(servers.ca_file),
                              timeout=10) as session:
            return list(session.uidl())


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
@pytest.mark.parametrize("length", [32, 900], ids=["on-the-line", "after-the-plus"])
def test_pop3_login_with_token(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer, mechanism: str,
    length: int,
) -> None:
    user = oauth_mail_servers.new_user("pop")
    oauth_mail_servers.load_maildir(user, [b"Subject: hi\r\n\r\nhello\r\n"])
    token = OAuthToken(oauth_server.issue_token(user.name, length=length))
    assert len(pop3_login(oauth_mail_servers, user.address, token, mechanism=mechanism)) == 1


async def test_pop3_check_login_with_token_over_stls(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    token = OAuthToken(oauth_server.issue_token("carol"))
    await pop3.check_login(oauth_mail_servers.config("pop3", "carol", ssl=False), token,
                           ca_file=str(oauth_mail_servers.ca_file), timeout=10)
    assert "method=OAUTHBEARER" in oauth_mail_servers.log_tail(5)


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_pop3_expired_token_refused(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer, mechanism: str
) -> None:
    token = OAuthToken(oauth_server.issue_token("alice"))
    oauth_server.expire_access_tokens()
    with pytest.raises(OAuthRejectedError, match=EXPIRED) as caught:
        pop3_login(oauth_mail_servers, "alice", token, mechanism=mechanism)
    assert caught.value.oauth_rejected and not caught.value.temporary


def test_pop3_revoked_token_refused_and_password_still_works(
    oauth_mail_servers: OAuthMailServers, oauth_server: OAuthServer
) -> None:
    token = OAuthToken(oauth_server.issue_token("alice"))
    pop3_login(oauth_mail_servers, "alice", token)
    oauth_server.revoke_grants("alice")
    with pytest.raises(OAuthRejectedError, match=EXPIRED):
        pop3_login(oauth_mail_servers, "alice", token)
    alice = oauth_mail_servers.user("alice")
    pop3_login(oauth_mail_servers, "alice", alice.password)


