"""IMAP IDLE (RFC 2177) on an ``ImapConnection``: wait until the server reports a change."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

from aioimaplib import SELECTED, Response

from mailclient.core.errors import ProtocolError, ServerTimeoutError
from mailclient.services.imap.errors import refused, where

if TYPE_CHECKING:
    from mailclient.services.imap.connection import ImapConnection

IDLE_SECONDS = 29 * 60 - 60  # RFC 2177: re-issue IDLE at least every 29 minutes
_CHANGE = re.compile(rb"(\d+ (EXISTS|EXPUNGE|FETCH)|VANISHED)\b", re.IGNORECASE)


def _retrieve(task: asyncio.Future[object]) -> None:
    if not task.cancelled():
        task.exception()  # kept for the awaiting side; avoids "never retrieved" noise


def _changes(lines: list[bytes]) -> list[str]:
    """The untagged lines (without ``* ``) that say the mailbox changed."""
    return [
        bytes(line).decode("utf-8", "replace")
        for line in lines
        if type(line) is bytes and _CHANGE.match(line)  # bytearray items are literals
    ]


async def idle_once(
    conn: ImapConnection,
    *,
    max_seconds: float = IDLE_SECONDS,
    started: asyncio.Event | None = None,
) -> list[str]:
    """IDLE on the selected folder until a change is pushed or ``max_seconds`` pass.

    Returns the untagged ``EXISTS`` / ``EXPUNGE`` / ``FETCH`` / ``VANISHED`` lines (``[]``
    after the time limit); IDLE is ended with DONE so the connection stays usable.
    ``started`` is set once the server has accepted IDLE. If cancelled, DONE is still sent
    (a following ``close()`` then logs out normally).

    Raises:
        ProtocolError: the server lacks IDLE, no folder is selected, or IDLE was refused.
        NetworkError: the connection broke (``ServerTimeoutError`` if the server went silent).
    """
    if "IDLE" not in conn.capabilities:
        raise ProtocolError(f"{where(conn._server)} does not support IDLE")
    await conn._settle()
    protocol = conn._protocol
    if protocol.state != SELECTED:
        raise ProtocolError("no folder is selected; select one before IDLE")
    queue: asyncio.Queue[list[bytes]] = protocol.idle_queue
    while not queue.empty():  # left over from an earlier IDLE
        queue.get_nowait()
    task: asyncio.Future[Response] = asyncio.ensure_future(protocol.idle())
    task.add_done_callback(_retrieve)
    done_sent = False
    try:
        await _until_idling(conn, task)
        if started is not None:
            started.set()
        changes = await _wait_for_changes(conn, task, queue, max_seconds)
        if not task.done():
            done_sent = True
            protocol.idle_done()
        try:
            response = await asyncio.wait_for(asyncio.shield(task), conn._timeout)
        except BaseException as exc:
            raise await conn._fail(exc, "ending IDLE") from exc
        if response.result != "OK":
            raise refused(conn._server, "IDLE", response)
        return changes + _changes(response.lines[:-1])
    except BaseException:
        if not task.done() and not done_sent and not conn.closed:
            protocol.idle_done()  # cancelled while idling: leave IDLE so LOGOUT can follow
        raise


async def _until_idling(conn: ImapConnection, task: asyncio.Future[Response]) -> None:
    """Wait for the server's ``+ idling`` (or its refusal)."""
    ack = asyncio.ensure_future(conn._protocol.wait_for_idle_response())
    try:
        await asyncio.wait({task, ack}, timeout=conn._timeout,
                           return_when=asyncio.FIRST_COMPLETED)
    finally:
        ack.cancel()
    if task.done():
        error = task.exception()
        if error is not None:
            raise await conn._fail(error, "starting IDLE") from error
        raise refused(conn._server, "IDLE", task.result())
    if not ack.done() or ack.cancelled():
        conn._abort()
        raise ServerTimeoutError(f"{where(conn._server)} did not answer in time to IDLE")


async def _wait_for_changes(
    conn: ImapConnection,
    task: asyncio.Future[Response],
    queue: asyncio.Queue[list[bytes]],
    max_seconds: float,
) -> list[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds
    changes: list[str] = []
    while not changes and not task.done():
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        getter = asyncio.ensure_future(queue.get())
        try:
            await asyncio.wait({getter, task}, timeout=remaining,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not getter.done():
                getter.cancel()
        if getter.done() and not getter.cancelled():
            changes += _changes(getter.result())
    error = task.exception() if task.done() and not task.cancelled() else None
    if error is not None:
        raise await conn._fail(error, "waiting for new mail") from error
    return changes
