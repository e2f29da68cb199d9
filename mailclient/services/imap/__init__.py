"""IMAP on aioimaplib: iterative response handling, STARTTLS, streamed FETCH, plain errors."""

from mailclient.services.imap.connection import ImapConnection
from mailclient.services.imap.models import (
    FetchedMessage,
    FolderInfo,
    QresyncState,
    SelectedFolder,
)

__all__ = ["FetchedMessage", "FolderInfo", "ImapConnection", "QresyncState", "SelectedFolder"]
