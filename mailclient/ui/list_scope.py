"""What the message list shows: a folder, an account, or one role's folders of every account."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListScope:
    """The messages of ``account`` (None: every account) in ``folder`` (None: every folder),
    or only in folders of ``role``; ``ListScope(role="inbox")`` is the unified inbox.

    The fields are the filters of ``MessageStore.list_messages``.
    """

    account: str | None = None
    folder: str | None = None
    role: str | None = None

    @classmethod
    def unified_inbox(cls) -> ListScope:
        """Every account's inbox in one list."""
        return cls(role="inbox")

    @property
    def spans_accounts(self) -> bool:
        """Whether its messages may come from more than one account."""
        return self.account is None

    @property
    def spans_folders(self) -> bool:
        """Whether its messages may come from more than one folder (of one account)."""
        return self.folder is None and self.role is None

    def includes(self, account: str, folder: str, role: str | None) -> bool:
        """Whether a message of ``account`` in ``folder`` (whose role is ``role``) is listed."""
        return ((self.account is None or account == self.account)
                and (self.folder is None or folder == self.folder)
                and (self.role is None or role == self.role))
