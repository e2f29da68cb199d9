"""The log file: rotating, in the profile's log dir, no secrets; --debug adds protocol traces."""

from __future__ import annotations

import logging
import os
import poplib
import re
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, Any

from aiosmtplib.protocol import SMTPProtocol

LOG_FILE = "mailclient.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 4
MAX_RECORD_CHARS = 4000  # a traced FETCH carries a whole message: keep its start only
REDACTED = "[redacted]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TRACE_LOGGER = "mailclient.trace"  # SMTP and POP3 (aiosmtplib and poplib do not log)
_PROTOCOL_LOGGERS = ("aioimaplib", TRACE_LOGGER)
_QUIET_LOGGERS = ("aioimaplib", "aiosmtplib", "asyncio")
_END = r"(?=\\r|\\n|[\r\n]|$)"  # end of a protocol line, also inside a bytes repr
_QUOTED_OR_ATOM = r'(?:"(?:[^"\\]|\\.)*"|\S+)'
_SECRETS = [
    # IMAP LOGIN user password (RFC 9051 6.2.3): everything after the user name.
    re.compile(rf"(\bLOGIN\s+{_QUOTED_OR_ATOM}\s+)\S.*?{_END}"),
    # IMAP AUTHENTICATE / SMTP AUTH / POP3 AUTH with an initial response; not a server's
    # "250-AUTH PLAIN LOGIN" capability line, also inside a bytes repr ("\\r\\n250-AUTH").
    re.compile(rf"((?<!\b\d\d\d[ -])(?<!\\n\d\d\d[ -])\bAUTH(?:ENTICATE)?\s+[A-Z0-9_-]+\s+)"
               rf"\S.*?{_END}"),
    # POP3 PASS and APOP (RFC 1939).
    re.compile(rf"(\bPASS\s+)\S.*?{_END}"),
    re.compile(rf"(\bAPOP\s+\S+\s+)\S.*?{_END}"),
    # password=..., "password": "...", token: ... in any message or traceback.
    re.compile(r"""(?i)(\b(?:password|passwd|secret|token)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;)}]+)"""),
]


def redact(text: str) -> str:
    """``text`` with passwords and authentication exchanges replaced by ``[redacted]``."""
    for pattern in _SECRETS:
        text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record (message, arguments, traceback) before a handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        if len(message) > MAX_RECORD_CHARS:
            message = f"{message[:MAX_RECORD_CHARS]}... ({len(message)} characters)"
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files (the first and each new one) only the user can read."""

    def _open(self) -> IO[str]:  # type: ignore[override]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def configure_logging(log_dir: Path, *, debug: bool = False) -> Path:
    """Log to ``log_dir``/mailclient.log (rotated at 2 MiB, 4 old files kept), secrets redacted.

    With ``debug``, everything from DEBUG up, and the IMAP, SMTP and POP3 conversations
    (commands and replies, logins redacted). Calling it again replaces the earlier setup.

    Returns:
        The path of the log file.
    """
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = log_dir / LOG_FILE
    handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                         encoding="utf-8")
    os.chmod(path, 0o600)  # a file from before, made with the umask
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    handler.set_name(__name__)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == __name__]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    if debug:
        for name in _PROTOCOL_LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        install_protocol_traces()
    else:
        uninstall_protocol_traces()
    logging.getLogger(__name__).info("logging to %s%s", path, " with protocol traces" if debug
                                     else "")
    return path


_trace = logging.getLogger(TRACE_LOGGER)
_originals: dict[tuple[type, str], Callable[..., Any]] = {}


def install_protocol_traces() -> None:
    """Log each SMTP and POP3 command and reply at DEBUG on ``mailclient.trace`` (aioimaplib
    logs its own). The lines a client sends inside an SMTP AUTH exchange are never logged."""
    if _originals:
        return
    _wrap(SMTPProtocol, "write", _traced_smtp_write)
    _wrap(SMTPProtocol, "data_received", _traced_smtp_reply)
    _wrap(poplib.POP3, "_putcmd", _traced_pop3_command)
    _wrap(poplib.POP3, "_getresp", _traced_pop3_reply)


def uninstall_protocol_traces() -> None:
    """Put the libraries' own methods back."""
    for (cls, name), original in _originals.items():
        setattr(cls, name, original)
    _originals.clear()


def _wrap(cls: type, name: str, replacement: Callable[..., Any]) -> None:
    _originals[(cls, name)] = getattr(cls, name)
    setattr(cls, name, replacement)


def _original(cls: type, name: str) -> Callable[..., Any]:
    return _originals.get((cls, name)) or getattr(cls, name)


def _traced_smtp_write(self: SMTPProtocol, data: bytes) -> None:
    in_auth = getattr(self, "_mailclient_in_auth", False)
    if data[:5].upper() == b"AUTH ":
        self._mailclient_in_auth = True  # type: ignore[attr-defined]
        _trace.debug("SMTP C: %r", data)
    elif in_auth:
        _trace.debug("SMTP C: %s (a line of the login)", REDACTED)
    else:
        _trace.debug("SMTP C: %r", data)
    _original(SMTPProtocol, "write")(self, data)


def _traced_smtp_reply(self: SMTPProtocol, data: bytes) -> None:
    _trace.debug("SMTP S: %r", data)
    if not data.startswith(b"334"):
        self._mailclient_in_auth = False  # type: ignore[attr-defined]
    _original(SMTPProtocol, "data_received")(self, data)


def _traced_pop3_command(self: poplib.POP3, line: str) -> None:
    _trace.debug("POP3 C: %r", line)
    _original(poplib.POP3, "_putcmd")(self, line)


def _traced_pop3_reply(self: poplib.POP3) -> bytes:
    reply: bytes = _original(poplib.POP3, "_getresp")(self)
    _trace.debug("POP3 S: %r", reply)
    return reply
