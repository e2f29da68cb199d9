"""Fixtures of the integration tests (the mail servers come from tests/helpers/fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailclient.services.store import MessageStore
from tests.helpers.sync_support import new_store


@pytest.fixture
def store(tmp_path: Path) -> MessageStore:
    """An empty store in the test's temporary directory."""
    return new_store(tmp_path)
