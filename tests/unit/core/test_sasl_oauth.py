"""SASL XOAUTH2 and OAUTHBEARER initial responses and the server's error challenges."""

from __future__ import annotations

import base64

import pytest

from mailclient.core import sasl_oauth
from mailclient.core.credentials import OAuthRejectedError, OAuthToken
from mailclient.core.errors import AuthenticationError


def decoded(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def test_xoauth2_initial_response() -> None:
    response = sasl_oauth.xoauth2_response("alice@example.test", "ya29.token")
    assert decoded(response) == b"user=alice@example.test\x01auth=Bearer ya29.token\x01\x01"


def test_oauthbearer_initial_response_rfc7628() -> None:
    response = sasl_oauth.oauthbearer_response("alice@example.test", "tok", host="imap.test",
                                               port=993)
    assert decoded(response) == (
        b"n,a=alice@example.test,\x01host=imap.test\x01port=993\x01auth=Bearer tok\x01\x01"
    )


def test_oauthbearer_escapes_comma_and_equals_in_the_user_name() -> None:
    response = sasl_oauth.oauthbearer_response("a,b=c", "t", host="h", port=1)
    assert decoded(response).startswith(b"n,a=a=2Cb=3Dc,\x01")


def test_utf8_user_name() -> None:
    assert "jürgen".encode() in decoded(sasl_oauth.xoauth2_response("jürgen", "t"))


@pytest.mark.parametrize("bad", ["a\x01b", "a\r\nb", "a\0b"])
def test_control_characters_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        sasl_oauth.xoauth2_response(bad, "token")
    with pytest.raises(ValueError):
        sasl_oauth.oauthbearer_response("user", bad, host="h", port=1)


def test_initial_response_by_mechanism_name() -> None:
    for name in ("xoauth2", "XOAUTH2"):
        assert sasl_oauth.initial_response(name, "u", "t", host="h", port=1) == (
            sasl_oauth.xoauth2_response("u", "t")
        )
    assert sasl_oauth.initial_response("OAUTHBEARER", "u", "t", host="h", port=1) == (
        sasl_oauth.oauthbearer_response("u", "t", host="h", port=1)
    )
    with pytest.raises(ValueError, match="PLAIN"):
        sasl_oauth.initial_response("PLAIN", "u", "t", host="h", port=1)


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        ({"PLAIN", "XOAUTH2", "OAUTHBEARER"}, "OAUTHBEARER"),
        ({"plain", "xoauth2"}, "XOAUTH2"),
        ({"PLAIN", "LOGIN"}, None),
        (set(), None),
    ],
)
def test_choose_mechanism(offered: set[str], chosen: str | None) -> None:
    assert sasl_oauth.choose_mechanism(offered) == chosen


def challenge(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("sent", "reason"),
    [
        ('{"status":"invalid_token","schemes":"bearer","scope":"mail"}', "expired or was revoked"),
        ('{"status":"401","schemes":"bearer","scope":"mail"}', "expired or was revoked"),
        ('{"status":"insufficient_scope"}', "does not grant access to mail"),
        ('{"status":"400"}', "did not understand"),
        ('{"status":"teapot"}', "refused the sign-in (teapot)"),
        ('{"schemes":"bearer"}', "expired or was revoked"),
        ("[1, 2]", "expired or was revoked"),
    ],
)
def test_challenge_reason(sent: str, reason: str) -> None:
    assert reason in sasl_oauth.challenge_reason(challenge(sent))
    assert reason in sasl_oauth.challenge_reason(challenge(sent).encode())


@pytest.mark.parametrize("unreadable", [None, "", b"", "not base64!", challenge("not json")])
def test_unreadable_challenge_means_the_usual_cause(unreadable: str | bytes | None) -> None:
    assert sasl_oauth.challenge_reason(unreadable) == sasl_oauth.EXPIRED_REASON
    assert sasl_oauth.challenge_status(unreadable or "") is None


def test_dummy_response_is_one_control_a() -> None:
    assert decoded(sasl_oauth.DUMMY_RESPONSE) == b"\x01"


def test_token_hidden_from_repr_and_rejection_flagged() -> None:
    token = OAuthToken("secret-token")
    assert "secret-token" not in repr(token)
    error = OAuthRejectedError("the sign-in expired or was revoked")
    assert isinstance(error, AuthenticationError) and error.oauth_rejected
