"""Passwords through the real Secret Service (gnome-keyring in the test D-Bus session)."""

import os
import uuid

import keyring
import pytest
from keyring.backends import SecretService

from mailclient.services.secrets import SecretStore

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def secret_service() -> SecretService.Keyring:
    backend = SecretService.Keyring()
    try:
        backend.get_password("mailclient-test-probe", "probe")
    except keyring.errors.KeyringError as exc:
        reason = f"no Secret Service in this session ({exc}); run through packaging/run-tests.sh"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return backend


def test_store_read_delete(secret_service: SecretService.Keyring) -> None:
    profile = f"/tmp/profile-{uuid.uuid4()}"
    store = SecretStore(profile, backend=secret_service)
    assert store.set_password("work", "pässword-1")
    assert SecretStore(profile, backend=secret_service).get_password("work") == "pässword-1"
    store.delete_password("work")
    assert SecretStore(profile, backend=secret_service).get_password("work") is None


def test_profiles_are_namespaced(secret_service: SecretService.Keyring) -> None:
    one = SecretStore(f"/tmp/{uuid.uuid4()}", backend=secret_service)
    two = SecretStore(f"/tmp/{uuid.uuid4()}", backend=secret_service)
    one.set_password("work", "first")
    two.set_password("work", "second")
    assert one.get_password("work") == "first"
    assert two.get_password("work") == "second"
    one.delete_password("work")
    two.delete_password("work")


def test_system_choice_is_the_secret_service(secret_service: SecretService.Keyring) -> None:
    store = SecretStore(f"/tmp/{uuid.uuid4()}")
    store.check()
    assert type(keyring.get_keyring()).__module__.startswith("keyring.backends")
