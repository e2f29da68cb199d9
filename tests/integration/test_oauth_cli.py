"""``mailclient account add NAME --email ADDR --oauth2``: the sign-in address printed, the
redirect awaited, the account saved with its tokens in the keyring; then it syncs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailclient.services.profile import Profile
from tests.helpers.cli_runner import assert_ok, run_cli
from tests.helpers.oauth_mailservers import OAuthMailServers
from tests.helpers.oauth_server import OAuthServer

pytestmark = pytest.mark.integration


def test_cli_adds_an_account_by_signing_in(tmp_path: Path, oauth_server: OAuthServer,
                                           oauth_mail_servers: OAuthMailServers,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    servers, user = oauth_mail_servers, oauth_mail_servers.new_user("cli")
    for name, value in (("AUTHORIZATION_URL", oauth_server.authorize_url),
                        ("TOKEN_URL", oauth_server.token_url),
                        ("CA_FILE", str(oauth_server.ca_file)),
                        ("CLIENT_ID", oauth_server.client_id)):
        monkeypatch.setenv(f"MAILCLIENT_OAUTH_{name}_GOOGLE", value)
    profile = tmp_path / "profile"
    command = [sys.executable, "-m", "mailclient", "--profile", str(profile), "account", "add",
               user.name, "--email", user.address, "--oauth2", "--provider", "google",
               "--no-browser", "--smtp-host", servers.host,
               "--smtp-port", str(servers.smtps_port), "--smtp-security", "ssl",
               "--incoming", "imap", "--incoming-host", servers.host,
               "--incoming-port", str(servers.imaps_port), "--incoming-security", "ssl",
               "--username", user.name, "--ca-file", str(servers.ca_file)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=os.environ.copy()) as adding:
        assert adding.stdout is not None
        assert "Sign in to Google" in adding.stdout.readline()
        url = adding.stdout.readline().strip()
        assert url.startswith(oauth_server.authorize_url + "?")
        oauth_server.consent(url, user=user.name)
        out, err = adding.communicate(timeout=60)
    assert adding.returncode == 0, err
    assert f"added account {user.name}" in out and "signed in with Google" in out
    settings = Profile.locate(profile).settings_file.read_text()
    assert '"auth": "oauth2"' in settings and "refresh_token" not in settings
    assert "imap: ok" in assert_ok(run_cli(profile, "account", "test", user.name))
    assert_ok(run_cli(profile, "sync", "--account", user.name))
    assert_ok(run_cli(profile, "account", "remove", user.name))  # forgets the tokens too
