"""Where a profile keeps its files: settings, store, cache, logs, single-instance socket."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import platformdirs

from mailclient.core.errors import ConfigError
from mailclient.core.settings import Settings

APP_NAME = "mailclient"
PROFILE_ENV = "MAILCLIENT_PROFILE"


class BrokenSettingsError(ConfigError):
    """The settings file exists but cannot be used (edited by hand into nonsense, cut short).

    The message names the file, says what is wrong and how to get out: correct the file, or
    move it aside to start with fresh settings. ``path`` is the file, ``reason`` what is wrong.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"the settings file {path} cannot be used: {reason}. Correct it in a text editor, "
            f"or move it aside (for example to {path.name}.broken) to start with fresh "
            "settings; your stored mail and passwords are kept.")
        self.path = path
        self.reason = reason


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
        """Read the settings file; a missing file means fresh settings.

        Raises:
            BrokenSettingsError: the file is there but not usable settings.
            ConfigError: the file cannot be read (permissions).
        """
        try:
            text = self.settings_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except UnicodeDecodeError as exc:
            raise BrokenSettingsError(self.settings_file, "it is not UTF-8 text") from exc
        except OSError as exc:
            raise ConfigError(f"cannot read {self.settings_file}: {exc.strerror}") from exc
        try:
            return Settings.from_json(text)
        except ConfigError as exc:
            raise BrokenSettingsError(self.settings_file, str(exc)) from exc

    def set_aside_settings(self) -> Path:
        """Rename a broken settings file to ``settings.json.broken-DATE`` (kept for the user
        to mend or copy from), so that the next start begins with fresh settings."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.settings_file.with_name(f"{self.settings_file.name}.broken-{stamp}")
        os.replace(self.settings_file, aside)
        return aside

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
