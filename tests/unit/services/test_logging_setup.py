"""The log file: rotation, redaction, and --debug protocol traces with no password in them."""

from __future__ import annotations

import asyncio
import base64
import logging
import poplib
import socketserver
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailclient.services import logging_setup, smtp
from mailclient.services.logging_setup import configure_logging, redact
from tests.helpers.fake_smtp import FakeSmtp, start
from tests.helpers.served import served

PASSWORD = "s3cret-Pa55"
MESSAGE = b"From: a@example.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nHello.\r\n"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Each test configures the root logger; put it back as pytest had it."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    logging_setup.uninstall_protocol_traces()
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name in ("aioimaplib", "aiosmtplib", "asyncio", logging_setup.TRACE_LOGGER):
        logging.getLogger(name).setLevel(logging.NOTSET)


def secret_forms(user: str = "alice") -> list[str]:
    """The password as it may travel: plain, in AUTH PLAIN, in AUTH LOGIN."""
    return [PASSWORD, base64.b64encode(PASSWORD.encode()).decode(),
            base64.b64encode(f"\0{user}\0{PASSWORD}".encode()).decode()]


def assert_no_secret(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for form in secret_forms():
        assert form not in text
    return text


async def send_traced(tmp_path: Path, ehlo_auth: str) -> str:
    path = configure_logging(tmp_path, debug=True)
    fake = FakeSmtp(ehlo=("PIPELINING", ehlo_auth))
    await start(fake)
    try:
        await smtp.send_message(fake.config("none"), PASSWORD, sender="alice@example.test",
                                recipients=["bob@example.test"], message=MESSAGE, timeout=5)
    finally:
        assert fake.server is not None
        fake.server.close()
        await fake.server.wait_closed()
        await asyncio.gather(*fake.handlers)
    assert any(PASSWORD in c or secret_forms()[1] in c or secret_forms()[2] in c
               for c in fake.commands), "the password did go over the wire"
    return assert_no_secret(path)


async def test_smtp_auth_plain_is_traced_without_the_password(tmp_path: Path) -> None:
    text = await send_traced(tmp_path, "AUTH PLAIN")
    assert "SMTP C: b'AUTH PLAIN [redacted]" in text
    assert "SMTP C: b'MAIL FROM:<alice@example.test>" in text
    assert "SMTP S: b'250" in text


async def test_smtp_auth_login_hides_the_lines_of_the_login(tmp_path: Path) -> None:
    text = await send_traced(tmp_path, "AUTH LOGIN")
    assert "SMTP C: b'AUTH LOGIN [redacted]" in text
    assert "SMTP C: [redacted] (a line of the login)" in text
    assert "SMTP C: b'RCPT TO:<bob@example.test>" in text


class Pop3Handler(socketserver.StreamRequestHandler):
    """Enough of POP3 (RFC 1939) to log in and quit."""

    def handle(self) -> None:
        self.wfile.write(b"+OK ready\r\n")
        while line := self.rfile.readline():
            verb = line.split(b" ", 1)[0].strip().upper()
            self.wfile.write(b"+OK bye\r\n" if verb == b"QUIT" else b"+OK\r\n")
            if verb == b"QUIT":
                return


def test_pop3_pass_is_traced_without_the_password(tmp_path: Path) -> None:
    path = configure_logging(tmp_path, debug=True)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Pop3Handler)
    with served(server):
        client = poplib.POP3("127.0.0.1", server.server_address[1], timeout=5)
        client.user("alice")
        client.pass_(PASSWORD)
        client.quit()
    text = assert_no_secret(path)
    assert "POP3 C: 'USER alice'" in text
    assert "POP3 C: 'PASS [redacted]" in text
    assert "POP3 S: b'+OK bye'" in text


def test_imap_trace_lines_of_aioimaplib_are_redacted(tmp_path: Path) -> None:
    path = configure_logging(tmp_path, debug=True)
    imap = logging.getLogger("aioimaplib.aioimaplib")
    token = secret_forms()[2]
    # As aioimaplib logs them, scrubbed or not (a scrub with the wrong string leaks).
    for line in (f'A001 LOGIN "alice" "{PASSWORD}"', f"A002 LOGIN alice {PASSWORD}",
                 f"A003 AUTHENTICATE PLAIN {token}"):
        imap.debug("Sending : " + str(f"{line}\r\n".encode()))  # as aioimaplib does
    imap.debug("Received : " + str(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"))
    text = assert_no_secret(path)
    assert "A001 LOGIN \"alice\" [redacted]" in text
    assert "A003 AUTHENTICATE PLAIN [redacted]" in text
    assert "CAPABILITY IMAP4rev1 AUTH=PLAIN" in text


def test_without_debug_there_is_no_trace(tmp_path: Path) -> None:
    path = configure_logging(tmp_path, debug=False)
    logging.getLogger("aioimaplib.aioimaplib").debug("Sending : b'A001 NOOP'")
    logging.getLogger("mailclient.ui").debug("details")
    logging.getLogger("mailclient.ui").info("window shown")
    text = path.read_text(encoding="utf-8")
    assert "NOOP" not in text and "details" not in text
    assert "window shown" in text
    assert poplib.POP3._putcmd is logging_setup._originals.get(  # type: ignore[comparison-overlap]
        (poplib.POP3, "_putcmd"), poplib.POP3._putcmd)


def test_passwords_in_messages_and_tracebacks_are_redacted(tmp_path: Path) -> None:
    path = configure_logging(tmp_path)
    log = logging.getLogger("mailclient.test")
    log.warning("saving password=%s for %s", PASSWORD, "alice")
    try:
        raise ValueError(f"bad settings {{'password': '{PASSWORD}'}}")
    except ValueError:
        log.exception("failed")
    assert_no_secret(path)
    assert "password=[redacted] for alice" in path.read_text(encoding="utf-8")


def test_the_file_rotates_and_is_private(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2000)
    path = configure_logging(tmp_path)
    for n in range(200):
        logging.getLogger("mailclient.test").info("line %d %s", n, "x" * 50)
    assert (tmp_path / "mailclient.log.1").exists()
    assert not (tmp_path / f"mailclient.log.{logging_setup.BACKUPS + 1}").exists()
    assert path.stat().st_mode & 0o077 == 0
    assert "line 199" in path.read_text(encoding="utf-8")


def test_configuring_again_replaces_the_handler(tmp_path: Path) -> None:
    configure_logging(tmp_path / "a")
    path = configure_logging(tmp_path / "b")
    logging.getLogger("mailclient.test").info("once")
    assert path.read_text(encoding="utf-8").count("once") == 1
    assert "once" not in (tmp_path / "a" / "mailclient.log").read_text(encoding="utf-8")


@pytest.mark.parametrize(("line", "expected"), [
    ("b'AUTH PLAIN AGFsaWNlAHNlY3JldA==\\r\\n'", "b'AUTH PLAIN [redacted]\\r\\n'"),
    ("b'250-AUTH PLAIN LOGIN\\r\\n'", "b'250-AUTH PLAIN LOGIN\\r\\n'"),
    ("a user name at login is logged", "a user name at login is logged"),
    ("'APOP alice c4c9334bac560ecc979e58001b3e22fb'", "'APOP alice [redacted]"),
    ('{"token": "abc", "x": 1}', '{"token": [redacted], "x": 1}'),
])
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_the_program_logs_to_its_profile_with_debug(tmp_path: Path, capsys) -> None:
    from mailclient.app import main

    assert main(["--profile", str(tmp_path), "--debug", "account", "list", "--json"]) == 0
    text = (tmp_path / "logs" / "mailclient.log").read_text(encoding="utf-8")
    assert "with protocol traces" in text
    assert poplib.POP3._putcmd is not logging_setup._originals.get(  # type: ignore[comparison-overlap]
        (poplib.POP3, "_putcmd"))
