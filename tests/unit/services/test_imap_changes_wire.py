"""ImapConnection's sync commands against an in-memory scripted server: what goes on the wire."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace

import pytest

from mailclient.core.account import ServerConfig
from mailclient.core.errors import NotFoundError, ProtocolError
from mailclient.services.imap import ImapConnection, QresyncState
from mailclient.services.imap import connection as connection_module
from mailclient.services.imap.protocol import ImapProtocol
from tests.helpers.fake_transport import FakeTransport

CAPS = b"IMAP4rev1 ENABLE CONDSTORE QRESYNC UIDPLUS MOVE LIST-EXTENDED SPECIAL-USE"
SELECT = (
    b"* FLAGS (\\Seen \\Deleted)\r\n* 3 EXISTS\r\n* OK [UIDVALIDITY 9] x\r\n"
    b"* OK [UIDNEXT 40] x\r\n* OK [HIGHESTMODSEQ 500] x\r\n"
)
Handler = Callable[[bytes, bytes], bytes]  # (tag, command without tag) -> the whole answer


class ScriptedServer(FakeTransport):
    """Answers each command line at once: a handler by command name, else a default."""

    def __init__(self, protocol: ImapProtocol, caps: bytes, handlers: dict[str, Handler]) -> None:
        super().__init__()
        self.protocol = protocol
        self.caps = caps
        self.handlers = handlers
        self.commands: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        super().write(data)
        tag, _, rest = bytes(data).rstrip(b"\r\n").partition(b" ")
        words = rest.split(b" ")
        name = (words[1] if words[0].upper() == b"UID" else words[0]).decode().upper()
        if name not in ("CAPABILITY", "LOGIN", "LOGOUT"):
            self.commands.append(rest)
        reply = self.handlers.get(name, self.default)(tag, rest)
        asyncio.get_running_loop().call_soon(self.protocol.data_received, reply)

    def default(self, tag: bytes, rest: bytes) -> bytes:
        untagged, tagged = {
            b"CAPABILITY": (b"* CAPABILITY " + self.caps + b"\r\n", b"OK done"),
            b"SELECT": (SELECT, b"OK [READ-WRITE] done"),
            b"EXAMINE": (SELECT, b"OK [READ-ONLY] done"),
        }.get(rest.split(b" ")[0].upper(), (b"", b"OK done"))
        return untagged + tag + b" " + tagged + b"\r\n"


Opened = tuple[ImapConnection, ScriptedServer]
Opener = Callable[..., Awaitable[Opened]]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Opener:
    """Opens an ``ImapConnection`` to a ``ScriptedServer`` (nothing to clean up: no sockets)."""

    async def open_fake(caps: bytes = CAPS, **handlers: Handler) -> Opened:
        protocol = ImapProtocol(asyncio.get_running_loop())
        server = ScriptedServer(protocol, caps, handlers)

        async def connect(*args: object, **kwargs: object) -> SimpleNamespace:
            protocol.connection_made(server)
            protocol.data_received(b"* OK ready\r\n")
            await asyncio.wait_for(protocol.greeted.wait(), 1)
            return SimpleNamespace(protocol=protocol, abort=server.abort)

        monkeypatch.setattr(connection_module, "connect", connect)
        conn = await ImapConnection.open(ServerConfig("imap.test", 143, "none", "al"), "pw",
                                         timeout=2)  # fmt: skip
        return conn, server

    return open_fake


def answer(untagged: bytes = b"", tagged: bytes = b"OK done") -> Handler:
    return lambda tag, rest: untagged + tag + b" " + tagged + b"\r\n"


async def test_enable_and_qresync_select(fake: Opener) -> None:
    def select(tag: bytes, rest: bytes) -> bytes:
        return (
            SELECT + b"* VANISHED (EARLIER) 3,5:7\r\n"
            b"* 2 FETCH (UID 8 FLAGS (\\Seen) MODSEQ (480))\r\n" + tag + b" OK [READ-WRITE] x\r\n"
        )

    conn, server = await fake(ENABLE=answer(b"* ENABLED QRESYNC\r\n"), SELECT=select)
    assert not conn.qresync_enabled
    assert await conn.enable("qresync") == {"QRESYNC"}
    assert conn.qresync_enabled
    state = QresyncState(9, 450, "1:10")
    folder = await conn.select("INBOX", readonly=False, qresync=state)
    assert server.commands == [b"ENABLE QRESYNC", b'SELECT "INBOX" (QRESYNC (9 450 1:10))']
    assert (folder.uidvalidity, folder.highestmodseq, folder.vanished) == (9, 500, (3, 5, 6, 7))
    assert [(m.uid, m.flags, m.modseq) for m in folder.changed] == [(8, {"\\Seen"}, 480)]
    with pytest.raises(ProtocolError, match="before a folder is selected"):
        await conn.enable("QRESYNC")
    with pytest.raises(ValueError, match="UID set"):
        await conn.select("INBOX", qresync=QresyncState(9, 450, "1:*"))


async def test_qresync_ignored_until_enabled(fake: Opener) -> None:
    conn, server = await fake(caps=b"IMAP4rev1 CONDSTORE QRESYNC")  # but no ENABLE
    assert await conn.enable("QRESYNC") == frozenset() and not conn.qresync_enabled
    with pytest.raises(ValueError):
        await conn.enable("QRESYNC x")
    folder = await conn.select("INBOX", qresync=QresyncState(9, 450))
    assert server.commands == [b'EXAMINE "INBOX" (CONDSTORE)']
    assert (folder.vanished, folder.changed) == ((), ())


async def test_fetch_asks_modseq_and_changedsince(fake: Opener) -> None:
    def fetch(tag: bytes, rest: bytes) -> bytes:
        return (
            b"* 1 FETCH (UID 4 FLAGS () MODSEQ (501) RFC822.SIZE 10 "
            b'INTERNALDATE "01-Jan-2024 00:00:00 +0000")\r\n'
            b"* 2 FETCH (UID 30 FLAGS (\\Flagged) MODSEQ (502))\r\n"  # pushed by the server
            b"* 3 EXPUNGE\r\n* VANISHED 31\r\n* 4 EXISTS\r\n"
            b"* 5 FETCH (UID 6 FLAGS (\\Seen) MODSEQ (503) RFC822.SIZE 11 "
            b'INTERNALDATE "01-Jan-2024 00:00:00 +0000")\r\n' + tag + b" OK done\r\n"
        )

    conn, server = await fake(FETCH=fetch)
    await conn.select("INBOX")
    messages = [m async for batch in conn.fetch("1:*", changed_since=450) for m in batch]
    items = b"(UID FLAGS RFC822.SIZE INTERNALDATE MODSEQ)"
    assert server.commands[-1] == b"UID FETCH 1:* " + items + b" (CHANGEDSINCE 450)"
    assert [(m.uid, m.modseq, m.size) for m in messages] == [(4, 501, 10), (6, 503, 11)]
    assert [m async for batch in conn.fetch("4") for m in batch][0].modseq == 501
    assert server.commands[-1] == b"UID FETCH 4 " + items


async def test_no_modseq_without_condstore_or_with_nomodseq(fake: Opener) -> None:
    conn, server = await fake(caps=b"IMAP4rev1")
    await conn.select("INBOX")
    assert [batch async for batch in conn.fetch("1:*")] == []
    assert server.commands[-1] == b"UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)"
    with pytest.raises(ProtocolError, match="no modification sequences"):
        [batch async for batch in conn.fetch("1:*", changed_since=4)]

    nomodseq = answer(b"* 0 EXISTS\r\n* OK [UIDVALIDITY 3] x\r\n* OK [NOMODSEQ] no\r\n")
    conn, server = await fake(EXAMINE=nomodseq)
    assert (await conn.select("Shared")).highestmodseq is None
    assert [batch async for batch in conn.fetch("1:*")] == []
    assert b"MODSEQ" not in server.commands[-1]


async def test_store_flags(fake: Opener) -> None:
    conn, server = await fake(STORE=answer(b"* 1 FETCH (UID 4 MODSEQ (600))\r\n"))
    with pytest.raises(ProtocolError, match="no folder is selected"):
        await conn.store_flags("4", add=["\\Seen"])
    await conn.select("INBOX")
    with pytest.raises(ProtocolError, match="read-only"):
        await conn.store_flags("4", add=["\\Seen"])
    await conn.select("INBOX", readonly=False)
    await conn.store_flags("4,6:7", add=["\\Seen", "$Forwarded"], remove=["\\Flagged"])
    await conn.store_flags("4")  # nothing to do, nothing sent
    assert server.commands[-2:] == [
        b"UID STORE 4,6:7 +FLAGS.SILENT (\\Seen $Forwarded)",
        b"UID STORE 4,6:7 -FLAGS.SILENT (\\Flagged)",
    ]
    sent = len(server.commands)
    for flags in (["\\Seen x"], ["(\\Seen)"], ["\\Seen\r\nA1 EXPUNGE"]):
        with pytest.raises(ValueError, match="not an IMAP flag"):
            await conn.store_flags("4", add=flags)
    with pytest.raises(ValueError, match="both"):
        await conn.store_flags("4", add=["\\Seen"], remove=["\\seen"])
    with pytest.raises(ValueError, match="UID set"):
        await conn.store_flags("4 +FLAGS (x)", add=["\\Seen"])
    assert len(server.commands) == sent


async def test_server_says_read_only_to_select(fake: Opener) -> None:
    conn, _ = await fake(SELECT=answer(SELECT, b"OK [READ-ONLY] no rights to change"))
    await conn.select("Shared", readonly=False)
    with pytest.raises(ProtocolError, match="Shared is open read-only"):
        await conn.expunge("1")


async def test_copy_maps_uids_from_the_tagged_copyuid(fake: Opener) -> None:
    def copy(tag: bytes, rest: bytes) -> bytes:
        if b'"Gone"' in rest:
            return tag + b" NO [TRYCREATE] Mailbox doesn't exist: Gone\r\n"
        if b'"Old"' in rest:
            return tag + b" OK Copy completed.\r\n"
        return tag + b" OK [COPYUID 77 4,6:7 20:22] Copy completed.\r\n"

    conn, server = await fake(COPY=copy)
    await conn.select("INBOX", readonly=False)
    assert await conn.copy("4,6:7", "Archiv/2024 ü") == {4: 20, 6: 21, 7: 22}
    assert server.commands[-1] == b'UID COPY 4,6:7 "Archiv/2024 &APw-"'
    assert await conn.copy("4", "Old") == {}
    with pytest.raises(NotFoundError, match="'Gone'"):
        await conn.copy("4", "Gone")


async def test_move_reads_the_untagged_copyuid(fake: Opener) -> None:
    def move(tag: bytes, rest: bytes) -> bytes:
        if b'"Nope"' in rest:
            return tag + b" NO [TRYCREATE] Mailbox doesn't exist\r\n"
        pushed = b"* OK [COPYUID 77 4:5 9:10] Moved\r\n* 1 EXPUNGE\r\n* VANISHED 5\r\n"
        return pushed + tag + b" OK Move completed.\r\n"

    conn, server = await fake(MOVE=move)
    await conn.select("INBOX", readonly=False)
    assert await conn.move("4:5", "Trash") == {4: 9, 5: 10}
    assert server.commands[-1] == b'UID MOVE 4:5 "Trash"'
    with pytest.raises(NotFoundError, match="'Nope'"):
        await conn.move("4", "Nope")


async def test_move_without_move_copies_marks_and_expunges_those(fake: Opener) -> None:
    copy = answer(tagged=b"OK [COPYUID 77 4:5,8 9:11] Done")
    search = answer(b"* SEARCH 4 5 8\r\n")
    conn, server = await fake(caps=CAPS.replace(b" MOVE", b""), COPY=copy, SEARCH=search)
    await conn.select("INBOX", readonly=False)
    assert await conn.move("4:*", "Trash") == {4: 9, 5: 10, 8: 11}
    assert server.commands[1:] == [  # the set pinned first: new mail is not deleted
        b"UID SEARCH UID 4:*", b'UID COPY 4:5,8 "Trash"',
        b"UID STORE 4:5,8 +FLAGS.SILENT (\\Deleted)", b"UID EXPUNGE 4:5,8",
    ]  # fmt: skip


async def test_move_without_move_or_uidplus_leaves_them_marked(fake: Opener) -> None:
    conn, server = await fake(caps=b"IMAP4rev1 CONDSTORE", COPY=answer(tagged=b"OK Done"))
    await conn.select("INBOX", readonly=False)
    assert await conn.move("4", "Trash") == {}
    assert server.commands[1:] == [b'UID COPY 4 "Trash"', b"UID STORE 4 +FLAGS.SILENT (\\Deleted)"]


@pytest.mark.parametrize(("caps", "last"), [(CAPS, b"UID EXPUNGE 4:6"), (b"IMAP4rev1", b"EXPUNGE")])
async def test_expunge(fake: Opener, caps: bytes, last: bytes) -> None:
    conn, server = await fake(caps=caps, EXPUNGE=answer(b"* 2 EXPUNGE\r\n* 2 EXPUNGE\r\n"))
    await conn.select("INBOX", readonly=False)
    await conn.expunge("4:6")
    assert server.commands[1:] == [b"UID STORE 4:6 +FLAGS.SILENT (\\Deleted)", last]


async def test_list_with_list_extended_reports_subscriptions(fake: Opener) -> None:
    listing = answer(
        b'* LIST (\\HasNoChildren \\Subscribed) "/" INBOX\r\n'
        b'* LIST (\\HasNoChildren \\Sent \\Subscribed) "/" Sent\r\n'
        b'* LIST (\\HasNoChildren) "/" "Old stuff"\r\n'
    )
    conn, server = await fake(LIST=listing)
    folders = await conn.list_folders()
    assert server.commands == [b'LIST "" "*" RETURN (SUBSCRIBED SPECIAL-USE)']
    assert [(f.name, f.role, f.subscribed) for f in folders] == [
        ("INBOX", "inbox", True), ("Sent", "sent", True), ("Old stuff", None, False),
    ]  # fmt: skip


async def test_list_without_list_extended_asks_lsub(fake: Opener) -> None:
    listing = answer(b'* LIST () "/" INBOX\r\n* LIST () "/" Sent\r\n* LIST () "/" Spam\r\n')
    lsub = answer(b'* LSUB () "/" inbox\r\n* LSUB () "/" Spam\r\n* LSUB () "/" Deleted\r\n')
    conn, server = await fake(caps=b"IMAP4rev1", LIST=listing, LSUB=lsub)
    folders = await conn.list_folders()
    assert server.commands == [b'LIST "" "*"', b'LSUB "" "*"']
    assert [(f.name, f.role, f.subscribed) for f in folders] == [
        ("INBOX", "inbox", True), ("Sent", "sent", False), ("Spam", "junk", True),
    ]  # fmt: skip


async def test_folder_administration(fake: Opener) -> None:
    delete = answer(tagged=b"NO [NONEXISTENT] Mailbox doesn't exist: Nope")
    create = answer(tagged=b"NO [ALREADYEXISTS] Mailbox already exists")
    conn, server = await fake(DELETE=delete, CREATE=create)
    await conn.subscribe("Entwürfe")
    await conn.unsubscribe("Entwürfe")
    with pytest.raises(NotFoundError, match="'Nope'"):
        await conn.delete_folder("Nope")
    with pytest.raises(ProtocolError, match="creating the folder A: NO .*already exists"):
        await conn.create_folder("A")
    assert server.commands == [b'SUBSCRIBE "Entw&APw-rfe"', b'UNSUBSCRIBE "Entw&APw-rfe"',
                               b'DELETE "Nope"', b'CREATE "A"']  # fmt: skip


async def test_deleting_the_selected_folder_closes_it_first(fake: Opener) -> None:
    conn, server = await fake(ENABLE=answer(b"* ENABLED QRESYNC\r\n"))
    await conn.select("Old", readonly=False)
    await conn.delete_folder("Old")  # left first without expunging: EXAMINE, then CLOSE
    assert server.commands[1:] == [b'EXAMINE "Old"', b"CLOSE", b'DELETE "Old"']
    with pytest.raises(ProtocolError, match="no folder is selected"):
        await conn.expunge("1")
    assert await conn.enable("QRESYNC") == {"QRESYNC"}  # allowed again: nothing selected


async def test_pushed_lines_during_other_commands_are_ignored(fake: Opener) -> None:
    noise = b"* 2 EXPUNGE\r\n* VANISHED 7:9\r\n* 3 FETCH (UID 5 FLAGS () MODSEQ (9))\r\n"
    listing = answer(noise + b'* LIST () "/" INBOX\r\n' + noise)
    search = answer(noise + b"* SEARCH 1 4\r\n" + noise)
    conn, _ = await fake(LIST=listing, SEARCH=search)
    assert [f.name for f in await conn.list_folders()] == ["INBOX"]
    await conn.select("INBOX")
    assert await conn.search_uids() == [1, 4]
