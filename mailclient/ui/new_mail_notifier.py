"""One desktop notification when new unread mail reaches an inbox while the window is not active:
the freedesktop notification service over D-Bus where present, else the tray icon's balloon."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from mailclient.services.store.messages import MessageRow, MessageStore
from mailclient.ui.bridge import Bridge, Failure
from mailclient.ui.i18n import tr
from mailclient.ui.icons import icon

log = logging.getLogger(__name__)
SERVICE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
APP_NAME = "mailclient"
EXPIRE_MS = -1  # the server's default
WATCHED = 500  # the newest unread inbox messages compared between checks


def summarise(new: list[MessageRow]) -> tuple[str, str]:
    """The title and body of the notification: "From Ada" and the subject for one message,
    "3 new messages" and the first senders for several."""
    if len(new) == 1:
        return tr("From {sender}").format(sender=_sender(new[0])), new[0].subject
    senders = list(dict.fromkeys(_sender(m) for m in new))
    shown = ", ".join(senders[:3]) + ("…" if len(senders) > 3 else "")
    return tr("{n} new messages").format(n=len(new)), tr("From {senders}").format(senders=shown)


def _sender(row: MessageRow) -> str:
    name, _, address = row.sender.partition("<")
    return name.strip().strip('"') or address.rstrip(">").strip() or tr("(no sender)")


def desktop_service_present() -> bool:
    """True if the session bus has (or can start) the freedesktop notification service."""
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    interface = bus.interface()
    if interface.isServiceRegistered(SERVICE).value():
        return True
    activatable = interface.call("ListActivatableNames").arguments()
    return bool(activatable) and SERVICE in (activatable[0] or [])


async def notify_desktop(title: str, body: str) -> bool:
    """Send ``Notify`` to the freedesktop notification service; False if it is not there.

    The call goes through jeepney on the bridge's loop: QtDBus from Python cannot send the
    UINT32 that ``Notify`` takes.
    """
    try:
        from jeepney import (
            DBusAddress,
            MessageType,
            new_method_call,
        )
        from jeepney.io.asyncio import open_dbus_router
    except ImportError:
        return False
    address = DBusAddress(OBJECT_PATH, bus_name=SERVICE, interface=SERVICE)
    call = new_method_call(address, "Notify", "susssasa{sv}i",
                           (APP_NAME, 0, "mail-unread", title, body, [], {}, EXPIRE_MS))
    try:
        async with open_dbus_router(bus="SESSION") as router:
            reply = await asyncio.wait_for(router.send_and_get_reply(call), 5)
    except (OSError, KeyError, TimeoutError) as exc:
        log.info("no desktop notification: %s", exc)
        return False
    return reply.header.message_type is MessageType.method_return


class NewMailNotifier(QObject):
    """Compares the unread inbox messages with those of the last check (``check()`` after
    each sync) and tells the user about the new ones.

    Signals:
        notified(str, str): a notification was shown (title, body).
    """

    notified = Signal(str, str)

    def __init__(self, store: MessageStore, bridge: Bridge, window: QWidget) -> None:
        super().__init__(window)
        self.store = store
        self.bridge = bridge
        self.window = window
        self.service_present: Callable[[], bool] = desktop_service_present
        self.tray: QSystemTrayIcon | None = None
        self._known = {m.id for m in self._unread()}

    def _unread(self) -> list[MessageRow]:
        rows = self.store.list_messages(role="inbox", limit=WATCHED)
        return [m for m in rows if "seen" not in m.flags]

    def check(self) -> list[MessageRow]:
        """Notify about unread inbox messages not seen at the last check (none while the
        window is active); returns them."""
        unread = self._unread()
        new = [m for m in unread if m.id not in self._known]
        self._known = {m.id for m in unread}
        if not new or self.window.isActiveWindow():
            return []
        title, body = summarise(new)
        if self.service_present():
            self.bridge.run(lambda: notify_desktop(title, body),
                            lambda shown: self._sent(bool(shown), title, body),
                            lambda failure: self._desktop_failed(failure, title, body),
                            label=tr("showing a notification"))
        else:
            self._show_in_tray(title, body)
        return new

    def _sent(self, shown: bool, title: str, body: str) -> None:
        if shown:
            self.notified.emit(title, body)
        else:
            self._show_in_tray(title, body)

    def _desktop_failed(self, failure: Failure, title: str, body: str) -> None:
        log.info("desktop notification failed: %s", failure.message)
        self._show_in_tray(title, body)

    def _show_in_tray(self, title: str, body: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(icon("app"), self)
            self.tray.setToolTip(APP_NAME)
        self.tray.show()
        self.tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information)
        self.notified.emit(title, body)
