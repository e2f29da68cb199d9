"""Small builders for test data: accounts pointing at the test servers or nowhere."""

from __future__ import annotations

from mailclient.core.account import Account, ServerConfig


def make_account(**changes: object) -> Account:
    """A valid IMAP account on example.org (never contacted), with fields replaced."""
    account = Account(
        name="work", email="alice@example.org", display_name="Alice",
        smtp=ServerConfig("smtp.example.org", 587, "starttls", "alice@example.org"),
        incoming_kind="imap",
        incoming=ServerConfig("imap.example.org", 993, "ssl", "alice@example.org"),
    )
    return account.with_changes(**changes)
