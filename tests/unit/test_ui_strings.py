"""Every user-visible string of the ui goes through tr(): literals given to Qt's text sinks fail."""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI_DIR = Path(__file__).resolve().parents[2] / "mailclient" / "ui"
SINK_CLASSES = {"QAction", "QLabel", "QPushButton", "QCheckBox", "QGroupBox", "QMenu",
                "QToolButton", "QRadioButton", "QToolBar", "QMessageBox"}
SINK_METHODS = {"setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "showMessage",
                "setAccessibleName", "setAccessibleDescription", "addMenu", "setStatusTip",
                "setTitle", "setLabelText", "addButton", "setWhatsThis", "setInformativeText",
                "addAction", "addRow", "addItem", "setTabText", "addTab"}
MESSAGE_BOX_CALLS = {"warning", "information", "critical", "question", "about"}
# (file, text): the few literals that are not words to translate
ALLOWED = {
    ("main_window.py", "mailclient"): "the application's name is the window title",
    ("account_form.py", "IMAP"): "a protocol name in the incoming server choice",
    ("account_form.py", "POP3"): "a protocol name in the incoming server choice",
    ("account_form.py", "ada@example.org"): "an example address, not words",
    ("identity_editor.py", "ada@example.org"): "an example address, not words",
    ("quick_setup.py", "ada@example.org"): "an example address, not words",
    ("server_fields.py", ".example.org"): "an example host name, not words",
}
FIRST_ARG_ONLY = {"addItem"}  # (text, data): the data is not shown
_MARKUP = re.compile(r"<[^>]*>")
# files another engineer edits now: their strings are reported, not fixed here
NOT_OURS: set[str] = set()


def _has_letters(node: ast.AST) -> str | None:
    """The literal text in ``node`` that has letters (a string, f-string, concatenation or
    conditional of them), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = _MARKUP.sub("", node.value)
        return node.value if any(c.isalpha() for c in words) else None
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values
                 if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        text = "".join(parts)
        return text if any(c.isalpha() for c in _MARKUP.sub("", text)) else None
    if isinstance(node, ast.BinOp):
        return _has_letters(node.left) or _has_letters(node.right)
    if isinstance(node, ast.IfExp):
        return _has_letters(node.body) or _has_letters(node.orelse)
    return None


def _sink(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in SINK_CLASSES:
        return func.id
    if isinstance(func, ast.Attribute):
        if func.attr in SINK_METHODS:
            return func.attr
        owner = func.value
        if (isinstance(owner, ast.Name) and owner.id == "QMessageBox"
                and func.attr in MESSAGE_BOX_CALLS):
            return f"QMessageBox.{func.attr}"
    return None


def untranslated(path: Path) -> list[str]:
    """``file:line: sink(text)`` for each literal with letters handed straight to a sink."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        sink = _sink(node)
        if sink is None:
            continue
        args = node.args[:1] if sink in FIRST_ARG_ONLY else node.args
        for arg in [*args, *(k.value for k in node.keywords)]:
            text = _has_letters(arg)
            if text is not None and (path.name, text) not in ALLOWED:
                found.append(f"{path.name}:{node.lineno}: {sink}({text!r})")
    return found


def test_ui_strings_go_through_tr() -> None:
    files = [p for p in sorted(UI_DIR.glob("*.py")) if p.name not in NOT_OURS]
    assert len(files) > 40
    problems = [line for path in files for line in untranslated(path)]
    assert problems == [], "wrap these in tr():\n" + "\n".join(problems)


def test_the_guard_finds_literals(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('label = QLabel("Hello")\n'
                      'button.setToolTip(f"Send {name} now")\n'
                      'status.showMessage("Failed: " + reason)\n'
                      'box.setText(tr("Fine"))\n'
                      'edit.setText(f"{a}, {b}")\n'
                      'line = QLabel(f"<b>{name}</b>: {reason}")\n'
                      'combo.addItem(tr("Secure"), "ssl")\n'
                      'QMessageBox.warning(self, "Oops", tr("Fine"))\n', encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in untranslated(sample)] == [
        "QLabel('Hello')", "setToolTip('Send  now')", "showMessage('Failed: ')",
        "QMessageBox.warning('Oops')"]


def test_allowed_literals_are_still_there() -> None:
    """An exception no longer needed is removed from the list."""
    for name, text in ALLOWED:
        source = (UI_DIR / name).read_text(encoding="utf-8")
        assert text in source, (name, text)
