"""The settings document: declared once with defaults, versioned, upgraded step by step."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mailclient.core.account import Account
from mailclient.core.errors import ConfigError, NotFoundError

SETTINGS_VERSION = 3


def _add_identities(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2: each account has a Reply-To, a signature and a list of alias identities."""
    for account in document.get("accounts", []):
        if isinstance(account, dict):
            account.setdefault("reply_to", None)
            account.setdefault("signature", "")
            account.setdefault("identities", [])
    return document


def _add_oauth2(document: dict[str, Any]) -> dict[str, Any]:
    """Version 3: accounts sign in with a password or OAuth2; OAuth2 client IDs by provider."""
    for account in document.get("accounts", []):
        if isinstance(account, dict):
            account.setdefault("auth", "password")
            account.setdefault("oauth_provider", None)
    document.setdefault("oauth_client_ids", {})
    return document


# Each hook upgrades a document from version N to N + 1.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _add_identities, 2: _add_oauth2}


@dataclass
class Settings:
    """All user settings of one profile; never holds a password."""

    accounts: list[Account] = field(default_factory=list)
    sync_interval_minutes: int = 10
    remote_image_senders: list[str] = field(default_factory=list)  # images always loaded
    # OAuth2 client IDs registered by the user, by provider key ("google"): not secrets
    oauth_client_ids: dict[str, str] = field(default_factory=dict)

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
            "oauth_client_ids": self.oauth_client_ids,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """Parse settings-file text, upgrading older versions.

        Raises:
            ConfigError: the text is not a settings document this program can use; the
                message says which value is wrong (for a file edited by hand).
        """
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"it is not valid JSON ({exc})") from exc
        if not isinstance(document, dict):
            raise ConfigError("it does not hold a settings object ({...})")
        version = document.get("version", 0)
        if not _is_int(version) or version < 0:
            raise ConfigError(f"its version must be a whole number, not {version!r}")
        if version > SETTINGS_VERSION:
            raise ConfigError(
                f"it has version {version}, newer than this program understands "
                f"({SETTINGS_VERSION}); please update mailclient"
            )
        while version < SETTINGS_VERSION:
            upgrade = _UPGRADES.get(version)
            if upgrade is not None:
                document = upgrade(document)
            version += 1
        interval = document.get("sync_interval_minutes", 10)
        if not _is_int(interval) or interval < 1:
            raise ConfigError(
                f"sync_interval_minutes must be a whole number of minutes, not {interval!r}")
        senders = document.get("remote_image_senders", [])
        if not isinstance(senders, list) or not all(isinstance(s, str) for s in senders):
            raise ConfigError("remote_image_senders must be a list of addresses")
        client_ids = document.get("oauth_client_ids", {})
        if not isinstance(client_ids, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in client_ids.items()):
            raise ConfigError("oauth_client_ids must map provider names to client IDs")
        return cls(accounts=_accounts(document.get("accounts", [])),
                   sync_interval_minutes=interval, remote_image_senders=list(senders),
                   oauth_client_ids=dict(client_ids))


_ACCOUNT_FIELDS = ("name", "email", "display_name", "smtp", "incoming_kind", "incoming")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _accounts(entries: object) -> list[Account]:
    """The accounts of a settings document, each checked as when it was added."""
    if not isinstance(entries, list):
        raise ConfigError("accounts must be a list of accounts")
    accounts = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"account {number} is not an object ({{...}})")
        label = f"account {number} ({entry.get('name')!r})"
        missing = [name for name in _ACCOUNT_FIELDS if name not in entry]
        if missing:
            raise ConfigError(f"{label} lacks {', '.join(missing)}")
        if not all(isinstance(entry[name], dict) for name in ("smtp", "incoming")):
            raise ConfigError(f"{label}: smtp and incoming must be objects ({{...}})")
        try:
            account = Account.from_dict(entry)
            account.validate()
        except ConfigError as exc:
            raise ConfigError(f"{label}: {exc}") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{label} is malformed: {exc}") from exc
        accounts.append(account)
    return accounts
