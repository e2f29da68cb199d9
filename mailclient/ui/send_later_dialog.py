"""Send Later: choose when the message goes (quick choices or a date and time)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mailclient.ui.i18n import tr

MORNING_HOUR = 8


def quick_choices(now: datetime) -> list[tuple[str, datetime]]:
    """The usual choices, in local time: in an hour, this afternoon or tomorrow morning,
    and Monday morning (when tomorrow is not Monday)."""
    now = now.replace(second=0, microsecond=0)
    choices = [(tr("In one hour"), now + timedelta(hours=1))]
    if now.hour < 13:
        choices.append((tr("This afternoon"), now.replace(hour=13, minute=0)))
    tomorrow = (now + timedelta(days=1)).replace(hour=MORNING_HOUR, minute=0)
    choices.append((tr("Tomorrow morning"), tomorrow))
    monday = tomorrow + timedelta(days=(7 - tomorrow.weekday()) % 7)
    if monday.date() != tomorrow.date():
        choices.append((tr("Monday morning"), monday))
    return choices


class SendLaterDialog(QDialog):
    """Asks for the time to send at; ``chosen`` (a local ``datetime``) once accepted."""

    def __init__(self, parent: QWidget | None = None, *, now: datetime | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Send Later"))
        self.chosen: datetime | None = None
        self.now = (now or datetime.now()).astimezone()
        layout = QVBoxLayout(self)
        intro = QLabel(tr("The message waits in the outbox and is sent at this time "
                          "(by this app, or by “mailclient sync”)."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for text, when in quick_choices(self.now):
            button = QPushButton(tr("{choice} — {time}").format(
                choice=text, time=when.strftime("%a %d %b, %H:%M")))
            button.setAccessibleName(text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, at=when: self._choose(at))
            layout.addWidget(button)
        form = QFormLayout()
        start = int(self.now.timestamp())
        self.when_edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(start + 3600))
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setMinimumDateTime(QDateTime.fromSecsSinceEpoch(start))
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        form.addRow(tr("&Date and time:"), self.when_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = buttons.addButton(tr("&Schedule"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setDefault(True)
        buttons.accepted.connect(self._choose_edited)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.when_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choose_edited(self) -> None:
        epoch = self.when_edit.dateTime().toSecsSinceEpoch()
        self._choose(datetime.fromtimestamp(epoch).astimezone())

    def _choose(self, when: datetime) -> None:
        self.chosen = when
        self.accept()
