"""aioimaplib's protocol with iterative, linear response handling, STARTTLS and failing fast.

aioimaplib 2.0.3 handles each response line with one recursive call and copies the rest of
the buffer per line (upstream issue #118): a large FETCH answer raises ``RecursionError``
and hangs the command. ``ImapProtocol`` replaces only the byte handling; it feeds the same
``Command`` objects through aioimaplib's ``_handle_line`` (``* `` lines straight to
``_untagged_response``), so tags, continuations and IDLE keep working. Literals are read
here and handed over whole with ``append_to_resp``, not through Command's literal methods.

Shape of ``Command.response.lines``: untagged responses as aioimaplib gives them (``bytes``
without ``* ``), each literal as one ``bytearray`` item that is *always* followed by one
``bytes`` item with the rest of the line (possibly empty), and the tagged text last.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import ssl
from collections.abc import Callable

from aioimaplib import (
    AUTH,
    CONNECTED,
    LOGOUT,
    SELECTED,
    Abort,
    Command,
    IMAP4ClientProtocol,
    Response,
    change_state,
    message_data_re,
)

from mailclient.services.imap.models import QresyncState
from mailclient.services.imap.parse import literal_size
from mailclient.services.imap.utf7 import quote

log = logging.getLogger(__name__)


class ConnectionLost(Abort):
    """The connection closed while commands were waiting for their answer."""


def fail_command(command: Command, exc: Exception) -> None:
    """Finish a waiting command with ``exc`` (what aioimaplib does for its own timeouts)."""
    if command._event.is_set():
        return
    command._exception = exc
    command.close(str(exc).encode(), "KO")


class ImapProtocol(IMAP4ClientProtocol):
    """``IMAP4ClientProtocol`` whose ``data_received`` is a loop over a buffer, not a recursion.

    ``literal_ahead``: while a text line is handed to a command, the size of the literal the
    line announces (None if none), so that ``append_to_resp`` can tell if the response ends.
    """

    # Attributes set by aioimaplib's untyped base class.
    transport: asyncio.Transport | None
    pending_sync_command: Command | None

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop | None,
        conn_lost_cb: Callable[[Exception | None], None] | None = None,
    ) -> None:
        super().__init__(loop, conn_lost_cb)
        self._buffer = bytearray()
        self._scan_from = 0  # where the search for the next CRLF resumes in _buffer
        self._literal = bytearray()  # the literal being read, for _literal_cmd
        self._literal_cmd: Command | None = None
        self._literal_left = 0
        self._continued: Command | None = None  # the response goes on after a literal
        self.literal_ahead: int | None = None
        self._tls_tag: bytes | None = None
        self._drop_input = False
        self.closed = False
        self.greeted = asyncio.Event()
        self.greeting_error: Exception | None = None

    # -- bytes to lines -------------------------------------------------------------------

    def data_received(self, d: bytes) -> None:
        if self._drop_input or self.closed:
            return
        try:
            self._feed(d)
        except Exception as exc:  # the stream cannot be resynchronised: give up the connection
            log.warning("IMAP response handling failed: %r", exc)
            error = exc if isinstance(exc, Abort) else Abort(f"unreadable server answer: {exc}")
            self._drop_input = True
            self.fail_pending(error)
            if self.transport is not None:
                self.transport.abort()

    def _feed(self, data: bytes) -> None:
        buf = self._buffer
        buf += data
        pos = 0
        scan = self._scan_from  # where to look for the next CRLF: never before pos
        size = len(buf)
        while pos < size and not self._drop_input:
            if self._literal_cmd is not None:
                take = min(self._literal_left, size - pos)
                if self._literal:
                    self._literal += buf[pos : pos + take]
                else:
                    self._literal = buf[pos : pos + take]
                pos = scan = pos + take
                self._literal_left -= take
                if self._literal_left:
                    self._literal_cmd._reset_timer()  # a long literal is data coming in
                    break
                self._end_literal()
                continue
            end = buf.find(b"\r\n", scan)
            if end < 0:
                scan = max(pos, size - 1)
                break
            line = bytes(buf[pos:end])
            pos = scan = end + 2
            self._line(line)
        if self._drop_input:
            buf.clear()
            self._scan_from = 0
        else:
            del buf[:pos]
            self._scan_from = max(0, scan - pos)
        if self.pending_sync_command is not None:
            self.pending_sync_command.flush()

    def _line(self, line: bytes) -> None:
        size = self.literal_ahead = literal_size(line) if line.endswith(b"}") else None
        command = self._continued
        if command is not None:
            self._continued = None
            command.append_to_resp(line)
        elif line[:2] == b"* " and self.state != CONNECTED:  # what _handle_line would do
            command = self._untagged_response(line)
        else:
            command = self._handle_line(line, None)
            if self._tls_tag is not None and line.startswith(self._tls_tag):
                if line[len(self._tls_tag) :].startswith(b"OK"):
                    self._stop_plaintext()
                return
            if not line.startswith(b"* "):
                return
        if size is None:
            return
        if command is None:  # nobody waits for this response: read and drop it
            command = Command("NIL", "unused", loop=self.loop)
        self._literal_cmd = command
        self._literal_left = size
        if not size:
            self._end_literal()

    def _end_literal(self) -> None:
        # One copy out of the buffer; the way through aioimaplib's append_literal_data made
        # two or three more and re-armed the command's timer for every piece.
        command, literal = self._literal_cmd, self._literal
        assert command is not None
        self._literal_cmd, self._literal = None, bytearray()
        command.append_to_resp(literal)
        self._continued = command

    def _untagged_response(self, line: bytes) -> Command | None:
        # aioimaplib removes every "* " in the line, also inside folder names and subjects
        if line.startswith(b"* "):
            line = line[2:]
        if self.pending_sync_command is not None:
            self.pending_sync_command.append_to_resp(line)
            return self.pending_sync_command
        match = message_data_re.match(line)
        if match:
            name, text = match.group(1), line
        else:
            name, _, text = line.partition(b" ")
        command = self.pending_async_commands.get(name.decode("ascii", "replace").upper())
        if command is not None:
            command.append_to_resp(text)
            return command
        command = self.pending_async_commands.get("NOOP")
        if command is not None:
            command.append_to_resp(line)
            return command
        log.debug("ignored untagged response: %r", line[:200])
        return None

    # -- flow control and failures --------------------------------------------------------

    def pause_input(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.pause_reading()

    def resume_input(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.resume_reading()

    def fail_pending(self, exc: Exception) -> None:
        """Finish every waiting command with ``exc``."""
        commands = list(self.pending_async_commands.values())
        if self.pending_sync_command is not None:
            commands.append(self.pending_sync_command)
        self.pending_async_commands.clear()
        self.pending_sync_command = None
        for command in commands:
            fail_command(command, exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.state = LOGOUT
        reason = f"the connection was lost ({exc})" if exc else "the server closed the connection"
        self.fail_pending(ConnectionLost(reason))
        if not self.greeted.is_set():
            self.greeting_error = ConnectionLost(reason)
            self.greeted.set()
        super().connection_lost(exc)

    async def welcome(self, command: bytes) -> None:
        try:
            await super().welcome(command)
        except Exception as exc:
            self.greeting_error = exc
        finally:
            self.greeted.set()

    # -- commands aioimaplib lacks or gets wrong ------------------------------------------

    def _stop_plaintext(self) -> None:
        # Nothing the server sent after its STARTTLS OK may be read as plain text (injection).
        self._drop_input = True
        self._tls_tag = None
        self.pause_input()

    async def starttls(self, context: ssl.SSLContext, server_hostname: str) -> Response:
        """Send STARTTLS and, if the server agrees, encrypt the transport and re-read CAPABILITY.

        Returns the STARTTLS response; on a refusal nothing changed.
        """
        command = Command("STARTTLS", self.new_tag(), loop=self.loop)
        self._tls_tag = command.tag.encode() + b" "
        try:
            response = await self.execute(command)
        finally:
            self._tls_tag = None
        if response.result != "OK":
            return response
        self._buffer.clear()
        self._scan_from = 0
        self._drop_input = False
        self.transport = await self.loop.start_tls(
            self.transport, self, context, server_hostname=server_hostname
        )
        await self.capability()
        return response

    @change_state
    async def login(self, user: str, password: str) -> Response:
        """LOGIN with both arguments quoted (aioimaplib sends the user name unquoted)."""
        secret = quote(password)
        command = Command("LOGIN", self.new_tag(), quote(user), secret, loop=self.loop)
        response = await self.execute(command, scrub=secret)
        if response.result == "OK":
            self.state = AUTH
        return response

    @change_state
    async def authenticate_plain(self, user: str, password: str) -> Response:
        """AUTHENTICATE PLAIN with an initial response (SASL-IR); UTF-8 safe."""
        token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
        command = Command("AUTHENTICATE", self.new_tag(), "PLAIN", token, loop=self.loop)
        response = await self.execute(command, scrub=token)
        if response.result == "OK":
            self.state = AUTH
        return response

    @change_state
    async def select_mailbox(
        self, mailbox: str, *, readonly: bool, condstore: bool, qresync: QresyncState | None = None
    ) -> Response:
        """SELECT or EXAMINE an already quoted folder name; the state follows the answer.

        With ``qresync`` (QRESYNC enabled): ``(QRESYNC (uidvalidity modseq [known-uids]))``,
        else ``(CONDSTORE)`` if ``condstore``.
        """
        args = [mailbox, "(CONDSTORE)"] if condstore else [mailbox]
        if qresync is not None:
            known = f" {qresync.known_uids}" if qresync.known_uids else ""
            args = [mailbox, f"(QRESYNC ({qresync.uidvalidity} {qresync.highestmodseq}{known}))"]
        name = "EXAMINE" if readonly else "SELECT"
        response = await self.execute(Command(name, self.new_tag(), *args, loop=self.loop))
        self.state = SELECTED if response.result == "OK" else AUTH
        return response
