"""GUI test fixtures: offscreen Qt, a tmp profile with an in-memory keyring, sample mail."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from collections.abc import Callable, Iterator  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from email.message import EmailMessage  # noqa: E402
from email.utils import format_datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from mailclient.core.account import Account, ServerConfig  # noqa: E402
from mailclient.services.mail_service import MailService  # noqa: E402
from mailclient.services.profile import Profile  # noqa: E402
from mailclient.services.secrets import SecretStore  # noqa: E402
from mailclient.ui.bridge import Bridge  # noqa: E402
from mailclient.ui.main_window import MainWindow  # noqa: E402
from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402

ACCOUNT = "ada@example.org"
SECOND_ACCOUNT = "grace@example.com"
UNICODE_SUBJECT = "Grüße aus Köln – déjà vu ✓"
HTML_SUBJECT = "Spring newsletter"
# The offscreen platform warns about window features it lacks (size hints, raising, the
# keyboard grab of a popup menu).
OFFSCREEN_NOISE = (r"This plugin does not support "
                   r"(propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)")
ATTACHMENT_SUBJECT = "Quarterly report"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def make_account(name: str = ACCOUNT, host: str = "example.org") -> Account:
    """A valid IMAP account whose servers are never contacted."""
    return Account(
        name=name, email=name, display_name="Ada Lovelace",
        smtp=ServerConfig(f"smtp.{host}", 465, "ssl", name), incoming_kind="imap",
        incoming=ServerConfig(f"imap.{host}", 993, "ssl", name),
    )


def make_raw(subject: str, *, sender: str = "Charles Babbage <charles@example.net>",
             when: datetime, text: str = "Hello", html: str | None = None,
             attachment: tuple[str, bytes] | None = None) -> bytes:
    """The bytes of a small message built with the standard library."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f"Ada Lovelace <{ACCOUNT}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<{when.timestamp():.0f}.{abs(hash(subject))}@example.net>"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message.as_bytes()


@pytest.fixture(autouse=True)
def application(qapp: object) -> object:
    """Every GUI test has the QApplication (icons and fonts need it even without widgets)."""
    return qapp


@pytest.fixture(name="make_raw")
def make_raw_fixture() -> Callable[..., bytes]:
    """``make_raw`` for tests (test modules do not import this conftest)."""
    return make_raw


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def service(tmp_path: os.PathLike[str], keyring_backend: MemoryKeyring) -> Iterator[MailService]:
    profile = Profile.locate(tmp_path)
    mail = MailService(profile, secrets=SecretStore(profile.key, backend=keyring_backend))
    yield mail
    mail.close()


@pytest.fixture
def account(service: MailService) -> Account:
    """One saved account (settings file only; no network, no password)."""
    created = make_account()
    service.accounts.settings.add_account(created)
    service.profile.save_settings(service.accounts.settings)
    return created


@pytest.fixture
def mailbox(service: MailService, account: Account) -> dict[str, str]:
    """Three INBOX messages (two unread) and an empty Sent folder; subject -> message id."""
    inbox = service.store.ensure_folder(account.name, "INBOX", "inbox")
    service.store.ensure_folder(account.name, "Sent", "sent")
    samples = [
        (UNICODE_SUBJECT, datetime(2024, 3, 3, 9, 30, tzinfo=UTC), [],
         {"text": "Liebe Ada,\n\nviele Grüße aus Köln!\n> quoted line\nhttps://example.net/x\n"}),
        (ATTACHMENT_SUBJECT, datetime(2024, 3, 2, 14, 0, tzinfo=UTC), ["seen"],
         {"text": "The report is attached.", "attachment": ("report.pdf", b"%PDF-1.4 " * 300)}),
        (HTML_SUBJECT, datetime(2024, 3, 1, 8, 0, tzinfo=UTC), [],
         {"text": "plain alternative",
          "html": "<p>Spring is <b>here</b>.</p><img src=\"http://tracker.example/pixel.gif\">"
                  "<script>document.write('SCRIPT RAN')</script>"
                  "<a href=\"https://example.net/news\">Read more</a>"}),
    ]
    ids = {}
    for uid, (subject, when, flags, body) in enumerate(samples, start=1):
        raw = make_raw(subject, when=when, **body)  # type: ignore[arg-type]
        ids[subject] = service.store.add_message(account=account.name, folder_id=inbox, raw=raw,
                                                 flags=flags, uidvalidity=1, uid=uid)
    return ids


@pytest.fixture
def second_account(service: MailService, account: Account) -> Account:
    """A second saved account, after ``account``."""
    created = make_account(SECOND_ACCOUNT, "example.com")
    service.accounts.settings.add_account(created)
    service.profile.save_settings(service.accounts.settings)
    return created


@pytest.fixture
def deliver(service: MailService) -> Callable[..., str]:
    """Store one message and return its id:
    ``deliver(account, folder, subject, when, seen=False, role=None, raw=None,
    **make_raw_options)``; ``raw``: these bytes instead of a message built from the rest."""
    uids = iter(range(1000, 100_000))

    def store(account: str, folder: str, subject: str, when: datetime, *, seen: bool = False,
              role: str | None = None, raw: bytes | None = None, **options: object) -> str:
        role = role or ("inbox" if folder == "INBOX" else None)
        folder_id = service.store.ensure_folder(account, folder, role)
        if raw is None:
            raw = make_raw(subject, when=when, **options)  # type: ignore[arg-type]
        return service.store.add_message(account=account, folder_id=folder_id, raw=raw,
                                         flags=["seen"] if seen else [], uidvalidity=1,
                                         uid=next(uids))

    return store


@pytest.fixture
def pushes(service: MailService, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stand-in for ``service.mailbox.push`` (there is no server): records the accounts."""
    pushed: list[str] = []

    async def push(name: str) -> int:
        pushed.append(name)
        return 1

    monkeypatch.setattr(service.mailbox, "push", push)
    return pushed


@pytest.fixture
def app_outlives_windows(qapp: QApplication) -> Iterator[None]:
    """For tests of run_gui: closing the last window must not end its loop (nor the next one
    pytest-qt starts); the tests quit it themselves. Windows left open are closed after."""
    qapp.setQuitOnLastWindowClosed(False)
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
    qapp.setQuitOnLastWindowClosed(True)


@pytest.fixture
def bridge(qapp: object) -> Iterator[Bridge]:
    running = Bridge()
    yield running
    running.shutdown()


@pytest.fixture
def make_window(qtbot: object, service: MailService,
                bridge: Bridge) -> Iterator[Callable[..., MainWindow]]:
    """Build the main window over the fixtures' service (after the test filled the store);
    keyword arguments go to ``MainWindow`` (``mark_read_ms=0``). As ``run_gui`` does, the
    service's kept IMAP connections are logged out when the bridge shuts down."""
    windows: list[MainWindow] = []
    bridge.at_exit(service.close_connections)

    def build(**options: object) -> MainWindow:
        window = MainWindow(service, bridge, **options)  # type: ignore[arg-type]
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.show()
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()
        window.shutdown()
