"""Starting the GUI with a settings file edited into nonsense: a dialog with the words the
command line prints, and a way out (fresh settings, the broken file kept) or Quit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from mailclient.app import open_service
from mailclient.services.profile import BrokenSettingsError, Profile
from mailclient.ui.main import run_gui
from mailclient.ui.main_window import MainWindow

BROKEN = '{"version": 2, "accounts": [{"name": "work", "smtp": '


pytestmark = pytest.mark.usefixtures("app_outlives_windows")


@pytest.fixture
def broken_profile(tmp_path: Path) -> Profile:
    profile = Profile.locate(tmp_path)
    profile.ensure_dirs()
    profile.settings_file.write_text(BROKEN, encoding="utf-8")
    return profile


def answer_dialog(button_text: str, seen: list[str], shot: Path | None = None) -> QTimer:
    """Poll for the settings dialog; note its words, then press ``button_text``."""
    timer = QTimer()
    timer.setInterval(10)

    def poll() -> None:
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            return
        timer.stop()
        box = boxes[0]
        seen.append(f"{box.windowTitle()}\n{box.text()}\n{box.informativeText()}")
        if shot is not None:
            box.grab().save(str(shot))
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    timer.timeout.connect(poll)
    timer.start()
    return timer


def test_fresh_settings_start_the_window(qapp, broken_profile: Profile) -> None:
    seen: list[str] = []
    timer = answer_dialog("Start with Fresh Settings", seen, Path("/tmp/h12-broken.png"))
    service = open_service(broken_profile, gui=True)
    try:
        assert run_gui(service, [], quit_after_start=True) == 0
    finally:
        service.close()
    del timer
    [words] = seen
    assert str(broken_profile.settings_file) in words
    assert "not valid JSON" in words and "move it aside" in words
    [aside] = broken_profile.config_dir.glob("settings.json.broken-*")
    assert aside.read_text(encoding="utf-8") == BROKEN
    assert not broken_profile.settings_file.exists() or broken_profile.load_settings()
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def test_quit_leaves_the_file_for_mending(qapp, broken_profile: Profile) -> None:
    seen: list[str] = []
    timer = answer_dialog("Quit", seen)
    with pytest.raises(BrokenSettingsError) as caught:
        open_service(broken_profile, gui=True)
    del timer
    assert seen and str(caught.value)[1:] in seen[0]  # the words the command line prints
    assert broken_profile.settings_file.read_text(encoding="utf-8") == BROKEN
    assert not list(broken_profile.config_dir.glob("settings.json.broken-*"))


def test_the_command_line_gets_the_error_not_a_dialog(broken_profile: Profile) -> None:
    with pytest.raises(BrokenSettingsError, match="move it aside"):
        open_service(broken_profile, gui=False)
