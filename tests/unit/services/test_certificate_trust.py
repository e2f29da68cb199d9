"""Trusted certificates: fingerprints, pins read from accounts, trust once, contexts, saving."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailclient.core.account import Account, ServerConfig
from mailclient.core.errors import NotFoundError
from mailclient.services.accounts import AccountService
from mailclient.services.certificate_trust import TRUST, CertificateTrust, normalized_fingerprint
from mailclient.services.profile import Profile
from mailclient.services.secrets import SecretStore
from mailclient.services.tls import PinMismatchError, is_certificate_failure, make_ssl_context
from tests.helpers.memory_keyring import MemoryKeyring

FINGERPRINT = ":".join(["0A"] * 32)
OTHER = ":".join(["B1"] * 32)
SERVER = ServerConfig("Mail.Example.org", 993, "ssl", "ada")


@pytest.fixture(autouse=True)
def fresh_trust() -> Iterator[None]:
    yield
    TRUST.forget_trusted_once()
    TRUST.read_pins_from(tuple)


def account(pins: dict[str, str], name: str = "work") -> Account:
    return Account(name, "ada@example.org", "Ada", SERVER, "imap", SERVER,
                   pinned_certificates=pins)


def test_fingerprints_are_normalized() -> None:
    assert normalized_fingerprint("0a" * 32) == FINGERPRINT
    assert normalized_fingerprint(" " + FINGERPRINT.lower() + "\n") == FINGERPRINT
    for bad in ("", "0A:0B", "ZZ" * 32, "0A" * 33):
        with pytest.raises(ValueError):
            normalized_fingerprint(bad)


def test_pins_come_from_the_accounts_of_the_moment() -> None:
    trust = CertificateTrust()
    accounts = [account({"mail.example.org:993": FINGERPRINT.lower(),
                         "mail.example.org:465": OTHER})]
    trust.read_pins_from(lambda: accounts)
    assert trust.accepted("MAIL.example.org", 993) == {FINGERPRINT}
    assert trust.accepted("mail.example.org", 143) == frozenset()
    accounts.append(account({"mail.example.org:993": OTHER}, name="second"))
    assert trust.accepted("mail.example.org", 993) == {FINGERPRINT, OTHER}


def test_broken_pins_in_the_settings_are_ignored() -> None:
    trust = CertificateTrust()
    trust.read_pins_from(lambda: [account({"mail.example.org:993": "nonsense"})])
    assert trust.accepted("mail.example.org", 993) == frozenset()


def test_trusted_once_until_forgotten() -> None:
    trust = CertificateTrust()
    trust.trust_once("mail.example.org", 993, FINGERPRINT)
    assert trust.accepted("mail.example.org", 993) == {FINGERPRINT}
    assert trust.accepted("mail.example.org", 995) == frozenset()
    trust.forget_trusted_once()
    assert trust.accepted("mail.example.org", 993) == frozenset()


def test_context_verifies_unless_a_certificate_is_trusted() -> None:
    usual = make_ssl_context(server=SERVER)
    assert usual.verify_mode == ssl.CERT_REQUIRED and usual.check_hostname
    TRUST.trust_once(SERVER.host, SERVER.port, FINGERPRINT)
    pinned = make_ssl_context(server=SERVER, ca_file=None)
    assert pinned.verify_mode == ssl.CERT_NONE and not pinned.check_hostname
    assert pinned.minimum_version == ssl.TLSVersion.TLSv1_2
    assert make_ssl_context().verify_mode == ssl.CERT_REQUIRED  # no server: verified


def test_a_changed_certificate_is_a_certificate_failure() -> None:
    failure = PinMismatchError(b"der")
    assert not is_certificate_failure(ConnectionError("plain"))
    wrapped = ConnectionError("wrapped")
    wrapped.__cause__ = failure
    assert is_certificate_failure(wrapped)
    assert failure.der == b"der" and "different certificate" in failure.verify_message


def test_pin_is_saved_with_the_account(tmp_path: Path) -> None:
    profile = Profile.locate(tmp_path / "profile")
    profile.ensure_dirs()
    accounts = AccountService(profile, SecretStore(profile.key, backend=MemoryKeyring()))
    accounts.settings.add_account(account({}))
    profile.save_settings(accounts.settings)
    accounts.pin_certificate("work", SERVER.host, SERVER.port, FINGERPRINT.replace(":", ""))
    saved = profile.load_settings().account("work")
    assert saved.pinned_certificates == {"mail.example.org:993": FINGERPRINT}
    assert Account.from_dict(saved.to_dict()) == saved
    assert TRUST.accepted(SERVER.host, SERVER.port) == {FINGERPRINT}
    with pytest.raises(NotFoundError):
        accounts.pin_certificate("nobody", SERVER.host, SERVER.port, FINGERPRINT)


def test_accounts_saved_before_pins_existed_load() -> None:
    data = account({}).to_dict()
    del data["pinned_certificates"]
    assert Account.from_dict(data).pinned_certificates == {}
