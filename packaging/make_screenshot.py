"""Make resources/screenshot.png: the main window over a throwaway profile of sample mail.

Run from the repository root: ``.venv/bin/python packaging/make_screenshot.py [out.png]``, or
``... --all DIR`` for a PNG of each main screen (main window, reader with an HTML message,
compose, account settings). It uses Qt's offscreen platform unless DISPLAY is set (e.g. under
``xvfb-run``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from keyring.backend import KeyringBackend  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from mailclient.core.account import Account, ServerConfig  # noqa: E402
from mailclient.services.mail_service import MailService  # noqa: E402
from mailclient.services.profile import Profile  # noqa: E402
from mailclient.services.secrets import SecretStore  # noqa: E402
from mailclient.ui.bridge import Bridge  # noqa: E402
from mailclient.ui.main import application  # noqa: E402
from mailclient.ui.main_window import MainWindow  # noqa: E402
from mailclient.ui.message_list import SUBJECT  # noqa: E402

ME = "Ada Lovelace <ada@example.org>"
SELECTED = "Re: Notes on the Analytical Engine"
NOTES = """Dear Ada,

Thank you for the corrected table; the figures for B7 now agree with mine.

> Could the engine be made to compose elaborate pieces of music, of any
> degree of complexity or extent?

I believe it could, provided the rules of harmony are expressed as operations
on numbers, as you describe in Note A. I have attached the drawings of the
mill and the store so that you can check the sequence of the cards.

The full draft is at https://example.net/notes/draft-3 if you prefer to read it
on screen.

With kind regards,
Charles
"""

NEWSLETTER = "This week in engineering"
NEWSLETTER_HTML = """<html><body style="font-family: sans-serif">
<h2 style="color:#1d4f91">This week in engineering</h2>
<img src="https://tracker.example.com/open.gif" width="1" height="1">
<p><img src="https://images.example.com/bridge.jpg" alt="The new bridge" width="480"></p>
<p><b>Bridges.</b> The suspension bridge at Clifton is <i>nearly</i> finished; the chains
were tested with twice the expected load.</p>
<table border="1" cellpadding="4" style="border-collapse: collapse">
<tr><th>Project</th><th>Status</th></tr>
<tr><td>Clifton bridge</td><td>chains tested</td></tr>
<tr><td>Jacquard loom</td><td>cards punched</td></tr></table>
<p>Read the <a href="https://example.com/issue/42">whole issue</a> or
<a href="https://evil.example.net/login">https://example.com/account</a>.</p>
</body></html>"""

# (sender, subject, age in hours, read?, body, attachment name or None)
SAMPLES: list[tuple[str, str, float, bool, str, str | None]] = [
    ("Charles Babbage <charles@example.net>", SELECTED, 0.6, False, NOTES, "mill-and-store.pdf"),
    ("Mary Somerville <mary@example.com>", "Dinner on Thursday?", 2.5, False,
     "Would Thursday at seven suit you? Bring the translation if it is ready.", None),
    ("GitHub <noreply@example.com>", "[mailclient] Build passed on main", 3.1, True,
     "All checks have passed.", None),
    ("Michael Faraday <faraday@example.ac.uk>", "Induction experiments — results", 5, False,
     "The galvanometer moved every time the magnet was pushed into the coil.", "results.csv"),
    ("Royal Society <office@example.org>", "Your membership renewal", 20, True,
     "Your membership renews on the first of next month.", None),
    ("Augustus De Morgan <augustus@example.edu>", "Logic lecture notes", 26, True,
     "Here are the notes from Tuesday's lecture.", "lecture-7.pdf"),
    ("Sophie Germain <sophie@example.fr>", "Grüße aus Köln – déjà vu ✓", 30, False,
     "Viele Grüße aus Köln!", None),
    ("Travel Desk <travel@example.com>", "Booking confirmation: London → Paris", 50, True,
     "Your train leaves at 09:31 from platform 4.", "ticket.pdf"),
    ("Charles Wheatstone <cw@example.net>", "Telegraph demonstration", 74, True,
     "The demonstration is set for Saturday.", None),
    ("John Herschel <john@example.org>", "Re: Star catalogue", 97, True,
     "The southern catalogue is nearly finished.", None),
    ("Newsletter <news@example.com>", NEWSLETTER, 120, True,
     "Bridges, boilers and a new loom.", None),
    ("Caroline Herschel <caroline@example.org>", "Comet sighting", 140, True,
     "I saw it again last night near Ursa Major.", None),
    ("Isambard Brunel <ikb@example.co.uk>", "Great Western timetable", 24 * 9, True,
     "The timetable for the new line is attached.", "timetable.xlsx"),
    ("Andrew Crosse <andrew@example.net>", "Visit to Fyne Court", 24 * 12, True,
     "You are most welcome to visit in June.", None),
    ("Mary Somerville <mary@example.com>", "The Mechanism of the Heavens", 24 * 15, True,
     "I have sent you a copy of the book.", None),
    ("William King <william@example.org>", "Household accounts", 24 * 20, True,
     "Please look over the accounts for March.", "accounts-march.pdf"),
    ("Library <library@example.ac.uk>", "Books due next week", 24 * 26, True,
     "Three books are due on Monday.", None),
    ("Charles Dickens <charles.d@example.co.uk>", "Reading at the Athenaeum", 24 * 33, True,
     "I should be delighted if you came.", None),
    ("Lord Byron <byron@example.it>", "Letter from Italy", 24 * 400, True,
     "The weather here is glorious.", None),
    ("Analytical Society <society@example.edu>", "Minutes of the last meeting", 24 * 420, True,
     "The minutes are attached.", "minutes.pdf"),
]


class NoKeyring(KeyringBackend):
    """Keeps nothing: the screenshot profile never needs a password."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        return None

    def delete_password(self, service: str, username: str) -> None:
        return None


def raw_message(sender: str, subject: str, when: datetime, body: str,
                attachment: str | None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ME
    if subject == SELECTED:
        message["Cc"] = "Augustus De Morgan <augustus@example.edu>"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message.set_content(body)
    if subject == NEWSLETTER:
        message.add_alternative(NEWSLETTER_HTML, subtype="html")
    if attachment:
        message.add_attachment(b"x" * (48_000 + 9_000 * len(attachment)),
                               maintype="application", subtype="octet-stream",
                               filename=attachment)
    return message.as_bytes()


def fill(service: MailService) -> None:
    for name, email in (("ada@example.org", "ada@example.org"),
                        ("Analytical Society", "ada@society.example.edu")):
        account = Account(
            name=name, email=email, display_name="Ada Lovelace",
            smtp=ServerConfig("smtp.example.org", 465, "ssl", email), incoming_kind="imap",
            incoming=ServerConfig("imap.example.org", 993, "ssl", email),
        )
        service.accounts.settings.add_account(account)
    service.profile.save_settings(service.accounts.settings)
    inbox = service.store.ensure_folder("ada@example.org", "INBOX", "inbox")
    for folder, role in (("Archive", "archive"), ("Drafts", "drafts"), ("Sent", "sent"),
                         ("Trash", "trash")):
        service.store.ensure_folder("ada@example.org", folder, role)
    other = service.store.ensure_folder("Analytical Society", "INBOX", "inbox")
    service.store.add_message(
        account="Analytical Society", folder_id=other, uidvalidity=1, uid=1, flags=[],
        raw=raw_message("Analytical Society <society@example.edu>", "Welcome", datetime.now()
                        .astimezone(), "Welcome to the society.", None))
    now = datetime.now().astimezone().replace(second=0, microsecond=0)
    for uid, (sender, subject, hours, seen, body, attachment) in enumerate(SAMPLES, start=1):
        when = now - timedelta(hours=hours)
        service.store.add_message(account="ada@example.org", folder_id=inbox, uidvalidity=1,
                                  uid=uid, flags=["seen"] if seen else [],
                                  raw=raw_message(sender, subject, when, body, attachment))


def select(window: MainWindow, subject: str) -> None:
    row = next(r for r in range(window.model.rowCount())
               if window.model.index(r, SUBJECT).data() == subject)
    window.messages.setCurrentIndex(window.model.index(row, SUBJECT))
    window.messages.setFocus(Qt.FocusReason.OtherFocusReason)


def settle(app: QApplication, rounds: int = 8) -> None:
    for _ in range(rounds):
        app.processEvents()


def save(widget: QWidget, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(out), "PNG"):
        raise OSError(f"could not write {out}")
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def screens(app: QApplication, window: MainWindow, out_dir: Path) -> None:
    """Each main screen as a PNG in ``out_dir``."""
    save(window, out_dir / "main.png")
    select(window, NEWSLETTER)
    settle(app)
    save(window, out_dir / "reader-html.png")
    select(window, SELECTED)
    settle(app)
    compose = window.compose.reply()
    if compose is not None:
        compose.resize(760, 560)
        settle(app)
        save(compose, out_dir / "compose.png")
        compose.drafts.discard()
        compose.close()
    dialog = settings_dialog(window)
    dialog.show()
    settle(app)
    save(dialog, out_dir / "settings.png")
    dialog.close()


def settings_dialog(window: MainWindow) -> QWidget:
    """The account settings (the add-account form where there is no settings dialog)."""
    try:
        from mailclient.ui.account_settings import open_account_settings
    except ImportError:
        return window.add_account()
    dialog: QWidget = open_account_settings(window, window.service, window.bridge)
    return dialog


def main(argv: list[str]) -> int:
    every = len(argv) > 2 and argv[1] == "--all"
    out = Path(argv[2] if every else argv[1] if len(argv) > 1 else "resources/screenshot.png")
    app = application(argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        profile = Profile.locate(tmp)
        service = MailService(profile, secrets=SecretStore(profile.key, backend=NoKeyring()))
        fill(service)
        bridge = Bridge()
        window = MainWindow(service, bridge)
        window.resize(1100, 700)
        window.show()
        select(window, SELECTED)
        window.statusBar().showMessage("3 new messages.")
        settle(app, 5)
        try:
            if every:
                screens(app, window, out)
            else:
                save(window, out)
        except OSError as exc:
            print(exc, file=sys.stderr)
            return 1
        finally:
            window.close()
            bridge.shutdown()
            window.shutdown()
            service.close()
            window.deleteLater()  # as run_gui does: Qt objects go before the interpreter
            bridge.deleteLater()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
