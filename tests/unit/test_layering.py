"""The dependency direction core <- services <- ui / cli holds (import-linter contracts)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.skip("import-linter is not installed")
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_imports_no_io_or_qt_modules() -> None:
    forbidden = ("PySide6", "sqlite3", "socket", "asyncio", "keyring", "aiosmtplib",
                 "aioimaplib", "poplib", "platformdirs")
    for path in (ROOT / "mailclient" / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in forbidden:
            assert f"import {name}" not in text and f"from {name}" not in text, (path, name)
