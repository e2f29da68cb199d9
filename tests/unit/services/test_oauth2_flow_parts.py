"""PKCE values, the loopback redirect server, stored tokens and the provider client IDs."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import urllib.error
import urllib.request

import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.core.errors import ConfigError, ProtocolError
from mailclient.core.oauth_providers import GOOGLE
from mailclient.services.oauth2.flow import authorization_url
from mailclient.services.oauth2.pkce import challenge_of, make_state, make_verifier
from mailclient.services.oauth2.providers import OAuthClient, OAuthProviders
from mailclient.services.oauth2.redirect_server import LoopbackRedirect, SignInRefused
from mailclient.services.oauth2.tokens import TokenSet, token_set_from_reply


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode()


def test_challenge_is_b64url_of_sha256_of_the_verifier() -> None:
    verifier = make_verifier()
    assert 43 <= len(verifier) <= 128 and "=" not in verifier
    digest = hashlib.sha256(verifier.encode()).digest()
    assert challenge_of(verifier) == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert make_state() != make_state() and make_verifier() != verifier


def test_rfc7636_example() -> None:
    assert challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") \
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_authorization_url_carries_pkce_state_and_mail_scope() -> None:
    url = authorization_url(GOOGLE, OAuthClient("app-id"), redirect_uri="http://127.0.0.1:9/",
                            state="s1", code_challenge="c1", login_hint="ada@gmail.com")
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?response_type=code&")
    for part in ("client_id=app-id", "redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2F",
                 "scope=https%3A%2F%2Fmail.google.com%2F", "state=s1", "code_challenge=c1",
                 "code_challenge_method=S256", "access_type=offline",
                 "login_hint=ada%40gmail.com"):
        assert part in url


async def test_redirect_server_answers_once_with_the_code() -> None:
    async with LoopbackRedirect("good-state") as redirect:
        assert redirect.redirect_uri.startswith("http://127.0.0.1:")
        status, _ = await asyncio.to_thread(_get, redirect.redirect_uri + "favicon.ico")
        assert status == 404
        status, page = await asyncio.to_thread(
            _get, redirect.redirect_uri + "?code=abc&state=good-state")
        assert status == 200 and "close this window" in page
        assert await redirect.code(5) == "abc"
        with pytest.raises(urllib.error.URLError):  # the port is closed once answered
            await asyncio.to_thread(urllib.request.urlopen,
                                    redirect.redirect_uri + "?code=x&state=good-state", None, 2)


async def test_redirect_with_another_state_is_refused() -> None:
    async with LoopbackRedirect("good-state") as redirect:
        status, page = await asyncio.to_thread(
            _get, redirect.redirect_uri + "?code=abc&state=forged")
        assert status == 400 and "refused" in page
        with pytest.raises(SignInRefused, match="state mismatch"):
            await redirect.code(5)


async def test_declined_sign_in_says_so() -> None:
    async with LoopbackRedirect("st") as redirect:
        await asyncio.to_thread(_get, redirect.redirect_uri + "?error=access_denied&state=st")
        with pytest.raises(SignInRefused, match="access_denied"):
            await redirect.code(5)


def test_token_set_round_trip_keeps_refresh_token_and_hides_tokens() -> None:
    first = token_set_from_reply({"access_token": "A1", "refresh_token": "R1",
                                  "expires_in": 3600}, now=1000.0)
    assert first.expires_at == 4600.0 and first.fresh(now=4000.0) and not first.fresh(now=4550.0)
    again = token_set_from_reply({"access_token": "A2", "expires_in": 10}, previous=first)
    assert again.refresh_token == "R1"
    assert TokenSet.from_json(again.to_json()) == again
    assert "A2" not in repr(again) and "R1" not in repr(again)
    with pytest.raises(ProtocolError):
        TokenSet.from_json("{}")
    with pytest.raises(ProtocolError):
        token_set_from_reply({"token_type": "Bearer"})


def _account(provider: str = "google") -> Account:
    server = ServerConfig("imap.gmail.com", 993, "ssl", "ada@gmail.com")
    return Account("g", "ada@gmail.com", "Ada", server, "imap", server, auth="oauth2",
                   oauth_provider=provider)


def test_client_id_from_setting_then_environment() -> None:
    providers = OAuthProviders(environ={"MAILCLIENT_OAUTH_CLIENT_ID_GOOGLE": "from-env"})
    assert providers.client(GOOGLE, {}).client_id == "from-env"
    assert providers.client(GOOGLE, {"google": "from-setting"}).client_id == "from-setting"
    with pytest.raises(ConfigError, match="MAILCLIENT_OAUTH_CLIENT_ID_GOOGLE"):
        OAuthProviders(environ={}).client(GOOGLE, {})
    assert providers.for_account(_account()) is GOOGLE
    with pytest.raises(ConfigError, match="not known"):
        providers.for_account(_account("nowhere.example"))
