"""Where a profile keeps its files: settings, store, cache, logs, single-instance socket."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from mailclient.core.errors import ConfigError
from mailclient.core.settings import Settings

APP_NAME = "mailclient"
PROFILE_ENV = "MAILCLIENT_PROFILE"


@dataclass(frozen=True)
class Profile:
    """The directories of one profile; ``key`` namespaces its keyring entries."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path
    key: str

    @classmethod
    def locate(cls, profile_dir: str | os.PathLike[str] | None = None) -> Profile:
        """Use ``profile_dir``, else ``$MAILCLIENT_PROFILE``, else the platform's user dirs."""
        chosen = profile_dir or os.environ.get(PROFILE_ENV) or None
        if chosen:
            root = Path(chosen).expanduser().resolve()
            return cls(root / "config", root / "data", root / "cache", root / "logs", str(root))
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME)),
            Path(platformdirs.user_data_dir(APP_NAME)),
            Path(platformdirs.user_cache_dir(APP_NAME)),
            Path(platformdirs.user_log_dir(APP_NAME)),
            "default",
        )

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def store_file(self) -> Path:
        return self.data_dir / "mail.sqlite3"

    @property
    def messages_dir(self) -> Path:
        return self.data_dir / "messages"

    @property
    def instance_socket(self) -> Path:
        return self.cache_dir / "instance.sock"

    def ensure_dirs(self) -> None:
        """Create the profile's directories, private to the user."""
        for path in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            path.mkdir(parents=True, exist_ok=True, mode=0o700)

    def load_settings(self) -> Settings:
        """Read the settings file; a missing file means fresh settings."""
        try:
            text = self.settings_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except OSError as exc:
            raise ConfigError(f"cannot read {self.settings_file}: {exc.strerror}") from exc
        return Settings.from_json(text)

    def save_settings(self, settings: Settings) -> None:
        """Write the settings file atomically (temp file, fsync, rename)."""
        self.ensure_dirs()
        write_atomically(self.settings_file, settings.to_json().encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
