"""Passwords and tokens, only through the OS keyring (never settings, logs or cache).

When no usable keyring exists, a secret is kept in memory for this run only and the caller
is told why, in plain words; nothing is ever written to disk by this module.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from mailclient.core.errors import KeyringUnavailableError

log = logging.getLogger(__name__)
SERVICE = "mailclient"
# Backends that store secrets in plain files or nowhere: refused.
_UNSAFE_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")
_TOKENS_SUFFIX = "#oauth2"  # account names cannot hold '#': the entries never collide


def tokens_entry(account: str) -> str:
    """The keyring user name under which an account's OAuth2 tokens (JSON) are kept."""
    return account + _TOKENS_SUFFIX


class SecretStore:
    """The keyring entries of one profile, namespaced by the profile key.

    Args:
        profile_key: ``"default"`` for the default profile, else the profile's path, so two
            profiles never overwrite each other's passwords.
        backend: a keyring backend to use instead of the system's choice (tests).
    """

    def __init__(self, profile_key: str, backend: KeyringBackend | None = None) -> None:
        self.service = SERVICE if profile_key == "default" else f"{SERVICE}:{profile_key}"
        self._backend = backend
        self._memory: dict[str, str] = {}
        self.problem: str | None = None

    def _keyring(self) -> KeyringBackend:
        backend = self._backend or keyring.get_keyring()
        module = type(backend).__module__
        if module.startswith(_UNSAFE_MODULES):
            raise KeyringUnavailableError(
                "no usable keyring (Secret Service, KWallet or macOS Keychain) was found"
            )
        return backend

    def _unavailable(self, exc: Exception) -> KeyringUnavailableError:
        if isinstance(exc, KeyringUnavailableError):
            error = exc
        else:
            error = KeyringUnavailableError(f"the keyring cannot be used: {exc}")
        self.problem = str(error)
        return error

    def set_password(self, account: str, secret: str) -> bool:
        """Store a secret; return False if it is kept in memory only (see ``problem``)."""
        self._memory[account] = secret
        try:
            self._keyring().set_password(self.service, account, secret)
        except (keyring.errors.KeyringError, KeyringUnavailableError) as exc:
            self._unavailable(exc)
            log.warning("password for %s kept in memory only: %s", account, self.problem)
            return False
        return True

    def get_password(self, account: str) -> str | None:
        """Return the secret for ``account``: from this run's memory, else the keyring."""
        if account in self._memory:
            return self._memory[account]
        try:
            return self._keyring().get_password(self.service, account)
        except (keyring.errors.KeyringError, KeyringUnavailableError) as exc:
            self._unavailable(exc)
            return None

    def remember(self, account: str, secret: str) -> None:
        """Keep a secret for this run only (e.g. given on stdin), without storing it."""
        self._memory[account] = secret

    def delete_password(self, account: str) -> None:
        """Forget the secret everywhere; missing entries are fine."""
        self._memory.pop(account, None)
        try:
            self._keyring().delete_password(self.service, account)
        except keyring.errors.PasswordDeleteError:
            pass
        except (keyring.errors.KeyringError, KeyringUnavailableError) as exc:
            self._unavailable(exc)

    def set_tokens(self, account: str, tokens_json: str) -> bool:
        """Store an account's OAuth2 tokens (refresh token included) in their own entry;
        False if they are kept in memory only (see ``problem``)."""
        return self.set_password(tokens_entry(account), tokens_json)

    def get_tokens(self, account: str) -> str | None:
        """The account's OAuth2 tokens as stored (JSON), or None."""
        return self.get_password(tokens_entry(account))

    def delete_tokens(self, account: str) -> None:
        """Forget the account's OAuth2 tokens everywhere."""
        self.delete_password(tokens_entry(account))

    def check(self) -> None:
        """Raise ``KeyringUnavailableError`` if no usable keyring exists."""
        try:
            self._keyring().get_password(self.service, "__probe__")
        except (keyring.errors.KeyringError, KeyringUnavailableError) as exc:
            raise self._unavailable(exc) from exc
