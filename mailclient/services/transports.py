"""One place that picks the protocol module for an account's servers."""

from __future__ import annotations

from mailclient.core.account import Account
from mailclient.core.credentials import Credential


async def check_outgoing(account: Account, password: Credential) -> None:
    """Log in to the account's SMTP server and log out."""
    from mailclient.services import smtp

    await smtp.check_login(account.smtp, password, ca_file=account.ca_file)


async def check_incoming(account: Account, password: Credential) -> None:
    """Log in to the account's IMAP or POP3 server and log out."""
    if account.incoming_kind == "pop3":
        from mailclient.services import pop3

        await pop3.check_login(account.incoming, password, ca_file=account.ca_file)
        return
    from mailclient.services.imap.connection import ImapConnection

    async with await ImapConnection.open(account.incoming, password, ca_file=account.ca_file):
        pass
