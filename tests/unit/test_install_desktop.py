"""``packaging/install-desktop.sh`` puts the launcher (running the given program), the icons
and the metainfo under XDG_DATA_HOME and makes mailclient the mailto: handler."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.mailclient.Mailclient"


def test_install_for_the_user(tmp_path: Path) -> None:
    program = tmp_path / "bin" / "mailclient"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    env["PATH"] = "/usr/bin:/bin"  # without xdg-utils the script writes mimeapps.list itself
    done = subprocess.run([str(ROOT / "packaging/install-desktop.sh"), str(program)],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    entry = (tmp_path / "data/applications" / f"{APP_ID}.desktop").read_text()
    assert f"Exec={program} %u" in entry and "MimeType=x-scheme-handler/mailto;" in entry
    assert (tmp_path / "data/icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
    assert (tmp_path / "data/icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    assert (tmp_path / "data/metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    handlers = (tmp_path / "config/mimeapps.list").read_text()
    assert f"x-scheme-handler/mailto={APP_ID}.desktop" in handlers
