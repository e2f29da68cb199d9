"""The keyring module: unusable backends are refused, secrets then live in memory only."""

from pathlib import Path

from keyring.backends import fail

from mailclient.services.secrets import SecretStore
from tests.helpers.memory_keyring import MemoryKeyring


def test_profiles_do_not_share_entries() -> None:
    backend = MemoryKeyring()
    default = SecretStore("default", backend=backend)
    other = SecretStore("/home/u/profile2", backend=backend)
    assert default.set_password("work", "one") and other.set_password("work", "two")
    assert SecretStore("default", backend=backend).get_password("work") == "one"
    assert SecretStore("/home/u/profile2", backend=backend).get_password("work") == "two"
    default.delete_password("work")
    default.delete_password("work")
    assert SecretStore("default", backend=backend).get_password("work") is None


def test_no_keyring_keeps_secret_in_memory_only(tmp_path: Path) -> None:
    store = SecretStore("default", backend=fail.Keyring())
    assert store.set_password("work", "s3cret-pw") is False
    assert store.problem and "keyring" in store.problem
    assert store.get_password("work") == "s3cret-pw"
    assert SecretStore("default", backend=fail.Keyring()).get_password("work") is None
    assert not any(b"s3cret-pw" in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_plaintext_backends_are_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    store = SecretStore("default", backend=PlaintextKeyring())
    assert store.set_password("work", "pw") is False
    assert "no usable keyring" in (store.problem or "")
