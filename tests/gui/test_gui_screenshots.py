"""Each main screen (main window with mail, reader with an HTML message, compose, settings)
is drawn under Xvfb by ``packaging/make_screenshot.py --all`` and saved as a PNG that is not
blank; the PNGs stay in pytest's temp dir for a person to look at."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ("main.png", "reader-html.png", "compose.png", "settings.png")


def distinct_colours(image: QImage, step: int = 7) -> int:
    """How many different colours a grid of sample points shows (a blank window shows 1-2)."""
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_every_main_screen_is_drawn_under_xvfb(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", sys.executable,
         str(ROOT / "packaging/make_screenshot.py"), "--all", str(tmp_path)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in SCREENS:
        image = QImage(str(tmp_path / name))
        assert not image.isNull(), f"{name} was not written"
        assert image.width() >= 400 and image.height() >= 300, name
        assert distinct_colours(image) > 20, f"{name} looks blank"
