"""One GUI per profile: a local socket that later launches use to raise the first window."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
RAISE_REQUEST = b"raise\n"
CONNECT_TIMEOUT_MS = 1000


class SingleInstance(QObject):
    """Owns the profile's instance socket, or tells the owner to show itself.

    Signals:
        activated(): another launch asked this instance to raise its window.
    """

    activated = Signal()

    def __init__(self, socket_path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.socket_path = socket_path
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Become the profile's instance; False if another one is running (it was asked to
        raise its window). A socket left behind by a crashed instance is removed."""
        if self._notify_running():
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

    def _notify_running(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.socket_path)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(RAISE_REQUEST)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return True

    def _new_connection(self) -> None:
        assert self.server is not None
        while (connection := self.server.nextPendingConnection()) is not None:
            # The request is a few bytes sent at once: read it here, without callbacks.
            if not connection.bytesAvailable():
                connection.waitForReadyRead(CONNECT_TIMEOUT_MS)
            request = bytes(connection.readAll().data())
            connection.abort()
            if request.startswith(RAISE_REQUEST.strip()):
                self.activated.emit()
