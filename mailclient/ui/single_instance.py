"""One GUI per profile: a local socket that later launches use to raise the first window or
hand it a mailto: link."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
RAISE_REQUEST = b"raise\n"
MAILTO_REQUEST = b"mailto "  # followed by the link (UTF-8) and a newline
CONNECT_TIMEOUT_MS = 1000
MAX_REQUEST_BYTES = 1024 * 1024  # a mailto: link with a body; more is not a request of ours


class SingleInstance(QObject):
    """Owns the profile's instance socket, or tells the owner to show itself.

    Signals:
        activated(): another launch asked this instance to raise its window.
        mailto_requested(str): another launch was given this mailto: link (after activated).
    """

    activated = Signal()
    mailto_requested = Signal(str)

    def __init__(self, socket_path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.socket_path = socket_path
        self.server: QLocalServer | None = None

    def acquire(self, mailto: str | None = None) -> bool:
        """Become the profile's instance; False if another one is running (it was asked to
        raise its window, and given ``mailto`` if any). A socket left behind by a crashed
        instance is removed."""
        request = RAISE_REQUEST
        if mailto is not None:
            request = MAILTO_REQUEST + mailto.replace("\n", "%0A").encode() + b"\n"
        if self._notify_running(request):
            return False
        QLocalServer.removeServer(self.socket_path)  # stale socket of a crashed instance
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.socket_path):
            log.warning("cannot listen on %s (%s): a second launch will open another window",
                        self.socket_path, server.errorString())
            return True
        server.newConnection.connect(self._new_connection)
        self.server = server
        return True

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _notify_running(self, request: bytes) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.socket_path)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(request)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return True

    def _new_connection(self) -> None:
        assert self.server is not None
        while (connection := self.server.nextPendingConnection()) is not None:
            request = _read_request(connection)
            connection.abort()
            if request.startswith(RAISE_REQUEST.strip()):
                self.activated.emit()
            elif request.startswith(MAILTO_REQUEST) and request.endswith(b"\n"):
                self.activated.emit()
                link = request[len(MAILTO_REQUEST):-1].decode("utf-8", errors="replace")
                self.mailto_requested.emit(link)
            elif request:
                log.warning("ignored an unknown request on the instance socket")


def _read_request(connection: QLocalSocket) -> bytes:
    """The request line, read here without callbacks (it is sent at once by a local process)."""
    received = b""
    while b"\n" not in received and len(received) <= MAX_REQUEST_BYTES:
        if not connection.bytesAvailable() and not connection.waitForReadyRead(
                CONNECT_TIMEOUT_MS):
            break
        received += bytes(connection.readAll().data())
    return received
