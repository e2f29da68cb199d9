"""Changing messages by UID in the selected folder: flags (STORE), COPY, MOVE and EXPUNGE."""

from __future__ import annotations

import re
from collections.abc import Iterable

from mailclient.services.imap.errors import missing_folder, refused
from mailclient.services.imap.parse import parse_search
from mailclient.services.imap.session import ImapSession
from mailclient.services.imap.uids import check_uid_set, compress_uids, parse_copyuid
from mailclient.services.imap.utf7 import quote_mailbox

# A system flag (\Seen) or a keyword ($Forwarded): an atom, none of ( ) { % * " \ ] or controls.
_FLAG = re.compile(r"\\?[!#$&'+,\-./0-9:;<=>?@A-Z\[^_`a-z|}~]+")
_DELETED = ("\\Deleted",)


def check_flags(flags: Iterable[str]) -> list[str]:
    """Return ``flags`` as a list if each is one IMAP flag, else raise ``ValueError``."""
    if isinstance(flags, str):
        raise ValueError(f"give flags as a list, not one string: {flags!r}")
    checked = list(flags)
    for flag in checked:
        if not isinstance(flag, str) or not _FLAG.fullmatch(flag):
            raise ValueError(f"not an IMAP flag: {flag!r}")
    return checked


class MessageChanges(ImapSession):
    """Operations that change messages; each needs a folder selected with ``readonly=False``.

    Each takes a UID set like ``fetch()`` (``"4"``, ``"1:3,7"``, ``"10:*"``) and raises
    ``ValueError`` for a malformed one, ``ProtocolError`` when no folder is open read-write
    or the server refuses, ``NetworkError`` / ``ServerTimeoutError`` when the connection fails.
    """

    async def store_flags(
        self, uids: str, *, add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> None:
        """Add and remove flags (``\\Seen``, ``$Forwarded``) with ``UID STORE ... .SILENT``.

        Raises:
            ValueError: a flag is not one IMAP flag (space, parenthesis, CR/LF...) or is both
                added and removed.
        """
        check_uid_set(uids)
        adding, removing = check_flags(add), check_flags(remove)
        both = {flag.lower() for flag in adding} & {flag.lower() for flag in removing}
        if both:
            raise ValueError(f"flags both added and removed: {', '.join(sorted(both))}")
        await self._settle()
        self._check_selected("changing flags", writable=True)
        for sign, flags in (("+", adding), ("-", removing)):
            if flags:
                await self._store(uids, sign, flags)

    async def _store(self, uids: str, sign: str, flags: list[str]) -> None:
        listed = " ".join(flags)
        command = self._command("STORE", uids, f"{sign}FLAGS.SILENT", f"({listed})", prefix="UID")
        doing = f"{'adding' if sign == '+' else 'removing'} {listed} on messages {uids}"
        response = await self._execute(doing, command)
        if response.result != "OK":
            raise refused(self._server, doing, response)

    async def copy(self, uids: str, target: str) -> dict[int, int]:
        """``UID COPY`` messages to the folder ``target``.

        Returns:
            Old UID -> UID in ``target``, from the server's ``COPYUID`` (UIDPLUS); ``{}`` if
            it gives none.

        Raises:
            NotFoundError: ``target`` does not exist.
        """
        check_uid_set(uids)
        await self._settle()
        self._check_selected("copying messages", writable=True)
        return await self._transfer("COPY", uids, target)

    async def move(self, uids: str, target: str) -> dict[int, int]:
        """Move messages to the folder ``target``: ``UID MOVE`` (RFC 6851) if offered.

        Otherwise COPY, mark the originals ``\\Deleted`` and, with UIDPLUS, ``UID EXPUNGE``
        exactly those; without UIDPLUS they stay marked (a plain EXPUNGE would also remove
        other messages marked deleted). If a step after COPY fails, the messages are in both
        folders.

        Returns:
            Old UID -> UID in ``target`` (``COPYUID``), ``{}`` if the server gives none.

        Raises:
            NotFoundError: ``target`` does not exist.
        """
        check_uid_set(uids)
        await self._settle()
        self._check_selected("moving messages", writable=True)
        if "MOVE" in self.capabilities:
            return await self._transfer("MOVE", uids, target)
        if "*" in uids:  # pin the set: a message arriving meanwhile must not be deleted
            uids = compress_uids(await self._search_uids(uids))
            if not uids:
                return {}
        mapping = await self._transfer("COPY", uids, target)
        await self._store(uids, "+", list(_DELETED))
        if "UIDPLUS" in self.capabilities:
            await self._expunge(uids)
        return mapping

    async def expunge(self, uids: str) -> None:
        """Mark messages ``\\Deleted`` and remove them for good.

        With UIDPLUS only these (``UID EXPUNGE``); without it a plain ``EXPUNGE`` also removes
        every other message of the folder already marked ``\\Deleted``.
        """
        check_uid_set(uids)
        await self._settle()
        self._check_selected("deleting messages", writable=True)
        await self._store(uids, "+", list(_DELETED))
        await self._expunge(uids if "UIDPLUS" in self.capabilities else None)

    async def _transfer(self, verb: str, uids: str, target: str) -> dict[int, int]:
        command = self._command(verb, uids, quote_mailbox(target), prefix="UID")
        doing = f"{'copying' if verb == 'COPY' else 'moving'} messages {uids} to {target}"
        response = await self._execute(doing, command)
        if response.result != "OK":
            raise missing_folder(self._server, target, response) or refused(
                self._server, doing, response
            )
        return parse_copyuid(response.lines)

    async def _expunge(self, uids: str | None) -> None:
        if uids is None:
            command, doing = self._command("EXPUNGE"), "removing deleted messages"
        else:
            command = self._command("EXPUNGE", uids, prefix="UID")
            doing = f"removing messages {uids}"
        response = await self._execute(doing, command)
        if response.result != "OK":
            raise refused(self._server, doing, response)

    async def _search_uids(self, uids: str) -> list[int]:
        command = self._command("SEARCH", "UID", uids, prefix="UID")
        doing = f"looking up messages {uids}"
        response = await self._execute(doing, command)
        if response.result != "OK":
            raise refused(self._server, doing, response)
        return parse_search(response.lines[:-1])
