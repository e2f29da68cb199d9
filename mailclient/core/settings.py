"""The settings document: declared once with defaults, versioned, upgraded step by step."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError, NotFoundError

SETTINGS_VERSION = 2


def _add_identities(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2: each account has a Reply-To, a signature and a list of alias identities."""
    for account in document.get("accounts", []):
        if isinstance(account, dict):
            account.setdefault("reply_to", None)
            account.setdefault("signature", "")
            account.setdefault("identities", [])
    return document


# Each hook upgrades a document from version N to N + 1.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _add_identities}


@dataclass
class Settings:
    """All user settings of one profile; never holds a password."""

    accounts: list[Account] = field(default_factory=list)
    sync_interval_minutes: int = 10
    remote_image_senders: list[str] = field(default_factory=list)  # images always loaded

    def account(self, name: str) -> Account:
        """Return the account called ``name`` or raise ``NotFoundError``."""
        for account in self.accounts:
            if account.name == name:
                return account
        raise NotFoundError(f"no account named {name!r}")

    def add_account(self, account: Account) -> None:
        """Add a validated account; names are unique."""
        account.validate()
        if any(a.name == account.name for a in self.accounts):
            raise ConfigError(f"an account named {account.name!r} exists already")
        self.accounts.append(account)

    def replace_account(self, account: Account) -> None:
        """Put a validated ``account`` in place of the saved one of the same name."""
        account.validate()
        old = self.account(account.name)
        self.accounts[self.accounts.index(old)] = account

    def remove_account(self, name: str) -> Account:
        """Remove and return the account called ``name``."""
        account = self.account(name)
        self.accounts.remove(account)
        return account

    def to_json(self) -> str:
        """Serialise to the settings-file text."""
        document = {
            "version": SETTINGS_VERSION,
            "accounts": [a.to_dict() for a in self.accounts],
            "sync_interval_minutes": self.sync_interval_minutes,
            "remote_image_senders": self.remote_image_senders,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """Parse settings-file text, upgrading older versions; ``ConfigError`` if unreadable."""
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"the settings file is not valid JSON: {exc}") from exc
        if not isinstance(document, dict):
            raise ConfigError("the settings file does not hold a settings object")
        version = document.get("version", 0)
        if not isinstance(version, int) or version > SETTINGS_VERSION:
            raise ConfigError(
                f"the settings file has version {version!r}, newer than this program "
                f"understands ({SETTINGS_VERSION}); please update mailclient"
            )
        while version < SETTINGS_VERSION:
            upgrade = _UPGRADES.get(version)
            if upgrade is not None:
                document = upgrade(document)
            version += 1
        accounts = [Account.from_dict(a) for a in document.get("accounts", [])]
        interval = document.get("sync_interval_minutes", 10)
        senders = [str(s) for s in document.get("remote_image_senders", [])]
        return cls(accounts=accounts, sync_interval_minutes=int(interval),
                   remote_image_senders=senders)
