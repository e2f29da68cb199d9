"""The account's folders: listing them (roles, subscriptions), creating, renaming, deleting."""

from __future__ import annotations

from dataclasses import replace

from mailclient.services.imap.errors import missing_folder, refused
from mailclient.services.imap.models import FolderInfo
from mailclient.services.imap.parse import group_responses, guess_roles, parse_list
from mailclient.services.imap.session import ImapSession
from mailclient.services.imap.utf7 import quote_mailbox


def _key(name: str) -> str:
    return "INBOX" if name.upper() == "INBOX" else name  # INBOX is case-insensitive


class FolderAdmin(ImapSession):
    """Folder operations; they work with or without a selected folder.

    Each raises ``ProtocolError`` when the server refuses and ``NetworkError`` /
    ``ServerTimeoutError`` when the connection fails.
    """

    async def list_folders(self) -> list[FolderInfo]:
        """All folders (``LIST "" "*"``) with their SPECIAL-USE role and subscription.

        Subscriptions come from ``RETURN (SUBSCRIBED)`` (LIST-EXTENDED), else from ``LSUB``.
        """
        await self._settle()
        caps = self.capabilities
        extended = "LIST-EXTENDED" in caps
        options = ["SUBSCRIBED"] if extended else []
        options += ["SPECIAL-USE"] if extended and "SPECIAL-USE" in caps else []
        extra = ("RETURN", f"({' '.join(options)})") if options else ()
        folders = guess_roles(await self._list("LIST", "listing folders", *extra))
        if extended:
            marked = [f for f in folders if "\\subscribed" in {x.lower() for x in f.flags}]
            subscribed = {_key(folder.name) for folder in marked}
        else:
            lsub = await self._list("LSUB", "listing subscribed folders")
            subscribed = {_key(folder.name) for folder in lsub}
        return [replace(folder, subscribed=_key(folder.name) in subscribed) for folder in folders]

    async def _list(self, verb: str, doing: str, *extra: str) -> list[FolderInfo]:
        response = await self._execute(doing, self._command(verb, '""', '"*"', *extra))
        if response.result != "OK":
            raise refused(self._server, verb, response)
        folders = [parse_list(parts) for parts in group_responses(response.lines[:-1])]
        return [folder for folder in folders if folder is not None]

    async def create_folder(self, name: str) -> None:
        """Create the folder ``name`` (with its parents, as the server does)."""
        await self._folder_command("CREATE", name, f"creating the folder {name}")

    async def delete_folder(self, name: str) -> None:
        """Delete the folder ``name`` and the messages in it.

        Raises:
            NotFoundError: there is no such folder.
        """
        await self._settle()
        if self._selected is not None and _key(self._selected.name) == _key(name):
            await self._close_selected()  # Dovecot hangs up when the selected folder goes
        await self._folder_command("DELETE", name, f"deleting the folder {name}")

    async def rename_folder(self, name: str, new_name: str) -> None:
        """Rename the folder ``name`` (and the folders under it) to ``new_name``.

        Renaming INBOX moves its messages to a new folder (RFC 3501); callers refuse it.

        Raises:
            NotFoundError: there is no folder ``name``.
        """
        await self._settle()
        if self._selected is not None and _key(self._selected.name) == _key(name):
            await self._close_selected()  # the selected folder must not move under us
        doing = f"renaming the folder {name} to {new_name}"
        command = self._command("RENAME", quote_mailbox(name), quote_mailbox(new_name))
        response = await self._execute(doing, command)
        if response.result != "OK":
            raise missing_folder(self._server, name, response) or refused(
                self._server, doing, response
            )

    async def _close_selected(self) -> None:
        """Leave the selected folder without expunging anything: EXAMINE it, then CLOSE."""
        assert self._selected is not None
        name, writable = self._selected.name, self._writable
        self._selection_changed(None, writable=False)
        doing = f"closing {name}"
        if writable:
            step = self._protocol.select_mailbox(quote_mailbox(name), readonly=True,
                                                 condstore=False)  # fmt: skip
            if (await self._run(doing, step)).result != "OK":
                return  # nothing is selected now
        response = await self._run(doing, self._protocol.close())
        if response.result != "OK":
            raise refused(self._server, doing, response)

    async def subscribe(self, name: str) -> None:
        """Subscribe to the folder ``name`` (``SUBSCRIBE``)."""
        await self._folder_command("SUBSCRIBE", name, f"subscribing to {name}")

    async def unsubscribe(self, name: str) -> None:
        """Unsubscribe from the folder ``name`` (``UNSUBSCRIBE``)."""
        await self._folder_command("UNSUBSCRIBE", name, f"unsubscribing from {name}")

    async def _folder_command(self, verb: str, name: str, doing: str) -> None:
        await self._settle()
        response = await self._execute(doing, self._command(verb, quote_mailbox(name)))
        if response.result != "OK":
            raise missing_folder(self._server, name, response) or refused(
                self._server, doing, response
            )
