"""Pytest fixtures for the real mail servers (loaded by tests/conftest.py as a plugin)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.helpers.mailservers import MailServers, missing_requirements, start_mail_servers


@pytest.fixture(scope="session")
def mail_servers() -> Iterator[MailServers]:
    """A private Dovecot + Postfix over TLS on 127.0.0.1, shared by the whole session.

    Skipped when the servers cannot run here, but failing when the CI variable is set.
    """
    reason = missing_requirements()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"mail servers unavailable in CI: {reason}", pytrace=False)
        pytest.skip(f"mail servers unavailable: {reason}")
    servers = start_mail_servers()
    try:
        yield servers
    finally:
        servers.stop()
