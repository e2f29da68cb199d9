"""Reading and choosing rows of the main window's message list in GUI tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel

from mailclient.ui.message_list import SUBJECT

ADA = "ada@example.org"
# The subjects of the GUI conftest's ``mailbox`` fixture, newest first; the middle one is read.
UNICODE_SUBJECT = "Grüße aus Köln – déjà vu ✓"
ATTACHMENT_SUBJECT = "Quarterly report"
HTML_SUBJECT = "Spring newsletter"
LONG = 60_000  # a mark-read delay that never ends within a test


def subjects(window: Any) -> list[str]:
    """The subject column of the list, top to bottom."""
    model = window.model
    return [model.index(row, SUBJECT).data() for row in range(model.rowCount())]


def select(window: Any, *chosen: str) -> None:
    """Make the first subject current, and select the others too (as Ctrl+click does)."""
    rows = [subjects(window).index(subject) for subject in chosen]
    window.messages.setCurrentIndex(window.model.index(rows[0], SUBJECT))
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows[1:]:
        window.messages.selectionModel().select(window.model.index(row, SUBJECT), flags)
