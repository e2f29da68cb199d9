"""The authorization code flow with PKCE for a native app: browser, loopback redirect, code
exchanged for tokens (RFC 6749 section 4.1, RFC 7636, RFC 8252)."""

from __future__ import annotations

import inspect
import ssl
from collections.abc import Callable
from urllib.parse import urlencode

from mailclient.core.errors import AuthenticationError
from mailclient.core.oauth_providers import OAuthProvider
from mailclient.services.oauth2.pkce import challenge_of, make_state, make_verifier
from mailclient.services.oauth2.providers import OAuthClient
from mailclient.services.oauth2.redirect_server import LoopbackRedirect
from mailclient.services.oauth2.token_endpoint import post_token_request
from mailclient.services.oauth2.tokens import TokenSet, token_set_from_reply

BrowserOpener = Callable[[str], object]  # may return an awaitable (awaited)
SIGN_IN_TIMEOUT = 600.0  # seconds the user has to sign in in the browser


def authorization_url(provider: OAuthProvider, client: OAuthClient, *, redirect_uri: str,
                      state: str, code_challenge: str, login_hint: str = "") -> str:
    """The address to open in the browser to sign in."""
    query = {"response_type": "code", "client_id": client.client_id,
             "redirect_uri": redirect_uri, "scope": provider.scope, "state": state,
             "code_challenge": code_challenge, "code_challenge_method": "S256",
             **provider.extra_parameters}
    if login_hint:
        query["login_hint"] = login_hint
    separator = "&" if "?" in provider.authorization_url else "?"
    return provider.authorization_url + separator + urlencode(query)


async def sign_in(provider: OAuthProvider, client: OAuthClient, *, open_browser: BrowserOpener,
                  login_hint: str = "", timeout: float = SIGN_IN_TIMEOUT,
                  ssl_context: ssl.SSLContext | None = None) -> TokenSet:
    """Let the user sign in in the browser and return the tokens.

    Args:
        open_browser: shows the authorization URL (the GUI opens the system browser, the
            CLI prints it too, tests consent through HTTP); an awaitable result is awaited.
        login_hint: the address, so the provider proposes the right account.
        timeout: seconds to wait for the browser's redirect.

    Raises:
        ConfigError: an endpoint is not https.
        AuthenticationError: the user declined, the redirect was not ours, the code was
            refused, or no redirect came in time.
        NetworkError: the token endpoint cannot be reached.
    """
    provider.check_endpoints()
    verifier, state = make_verifier(), make_state()
    async with LoopbackRedirect(state) as redirect:
        url = authorization_url(provider, client, redirect_uri=redirect.redirect_uri,
                                state=state, code_challenge=challenge_of(verifier),
                                login_hint=login_hint)
        opened = open_browser(url)
        if inspect.isawaitable(opened):
            await opened
        try:
            code = await redirect.code(timeout)
        except TimeoutError as exc:
            raise AuthenticationError(f"the sign-in to {provider.display_name} was not "
                                      f"completed within {timeout / 60:g} minutes") from exc
    form = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": redirect.redirect_uri, "client_id": client.client_id,
            "code_verifier": verifier}
    if client.client_secret:
        form["client_secret"] = client.client_secret
    return token_set_from_reply(await post_token_request(provider, form,
                                                         ssl_context=ssl_context))
