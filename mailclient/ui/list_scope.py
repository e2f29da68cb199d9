"""What the message list shows (a scope) and how it holds a scope's messages: keys, pages."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from mailclient.services.store.messages import NEWEST_FIRST, MessageRow, MessageStore

CACHED_PAGES = 32  # pages of rows kept read: 8,192 rows at 256, whatever the folder's size
MAX_BLOCKS = 64  # arrivals in more places than this: read the keys again


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


class ScopeRows:
    """A scope's messages as the list holds them: their row keys (``pk``) in list order and
    their dates, in arrays (1.6 MB for 100,000), and the rows read so far, a page at a time."""

    def __init__(self, store: MessageStore, page_size: int) -> None:
        self._store = store
        self._page_size = page_size
        self._scope: ListScope | None = None
        self._folder_ids: list[int] = []  # the scope's folders (as they were at ``load``)
        self.keys = array("q")
        self.dates = array("d")  # date_epoch of each key: arrivals find their rows here
        self._arrived: dict[int, float] = {}  # dates of the keys ``arrivals`` last found
        self._census = (0, 0)  # (count, sum) of keys
        self._top_key = 0  # the highest key: messages stored later have higher ones
        self._pages: dict[int, list[MessageRow | None]] = {}
        self.order = NEWEST_FIRST  # one of the store's LIST_ORDERS

    def load(self, scope: ListScope | None) -> None:
        """Read the keys of ``scope``'s messages in ``order`` (one query, sorted in SQL)."""
        self._scope = scope
        self._folder_ids = self._scope_folder_ids()
        self.keys, self.dates = self._store.list_keys(self._folder_ids, self.order)
        self._census = (len(self.keys), sum(self.keys))
        self._top_key = max(self.keys, default=0)
        self._pages.clear()

    def _scope_folder_ids(self) -> list[int]:
        scope = self._scope
        return [] if scope is None else self._store.scope_folder_ids(
            account=scope.account, folder=scope.folder, role=scope.role)

    def clear(self) -> None:
        self._scope, self._folder_ids, self._census, self._top_key = None, [], (0, 0), 0
        self.keys, self.dates = array("q"), array("d")
        self._pages.clear()

    def message(self, row: int) -> MessageRow | None:
        """The message of ``row`` (None: out of range, or no longer stored)."""
        if not 0 <= row < len(self.keys):
            return None
        number, offset = divmod(row, self._page_size)
        page = self._pages.get(number)
        if page is None:
            keys = self.keys[number * self._page_size:][:self._page_size].tolist()
            found = self._store.messages_by_key(keys)
            page = self._pages[number] = [found.get(key) for key in keys]
            while len(self._pages) > CACHED_PAGES:
                del self._pages[next(iter(self._pages))]
        return page[offset]

    def loaded(self) -> Iterator[tuple[int, MessageRow]]:
        """(row, message) of the rows read so far."""
        for number, page in self._pages.items():
            first = number * self._page_size
            yield from ((first + n, m) for n, m in enumerate(page) if m is not None)

    def replace(self, row: int, message: MessageRow) -> None:
        """Put a fresh copy of a loaded row's message in its place."""
        self._pages[row // self._page_size][row % self._page_size] = message

    def row_of(self, ident: str) -> int | None:
        """The row of the message with public id ``ident``, if the scope has it."""
        found = self._store.key_of(ident)
        try:
            return None if found is None else self.keys.index(found)
        except ValueError:
            return None

    def arrivals(self) -> list[tuple[int, list[int]]] | None:
        """The keys stored since ``load`` as blocks ``(row, keys)`` to insert, the lowest
        first (so each row counts the old rows only); None if anything else changed (a
        message or a folder went or came) or they fall in too many places: ``load`` again.

        A sync stores newest first, then older and older: one block or two. Each block's
        row is found by a binary search over the keys and their dates, here (two queries in
        all: a refresh during a sync must not wait for the GIL once per probe). Forgets the
        rows read (their flags may have changed); the caller adds the keys.
        """
        if self.order != NEWEST_FIRST or self._scope_folder_ids() != self._folder_ids:
            return None  # sorted by another column, or a folder came or went: read again
        arrived, now = self._store.keys_after(self._folder_ids, self._top_key)
        census = (self._census[0] + len(arrived), self._census[1] + sum(k for k, _ in arrived))
        if now != census:
            return None

        def row_for(date: float, key: int) -> int:
            low, high = 0, len(self.keys)
            while low < high:
                middle = (low + high) // 2
                if (self.dates[middle], self.keys[middle]) > (date, key):
                    low = middle + 1
                else:
                    high = middle
            return low

        blocks: list[tuple[int, list[int]]] = []

        def split(part: list[tuple[int, float]]) -> None:
            first, last = row_for(part[0][1], part[0][0]), row_for(part[-1][1], part[-1][0])
            if first == last or len(blocks) > MAX_BLOCKS:
                blocks.append((first, [key for key, _ in part]))
            else:
                half = len(part) // 2
                split(part[half:])
                split(part[:half])

        if arrived:
            split(arrived)
        if len(blocks) > MAX_BLOCKS:
            return None
        self._census = census
        self._arrived = dict(arrived)
        self._pages.clear()
        return blocks

    def insert(self, row: int, keys: list[int]) -> None:
        """Put ``keys`` in at ``row`` (those ``arrivals`` found)."""
        self.keys[row:row] = array("q", keys)
        self.dates[row:row] = array("d", (self._arrived.get(key, 0.0) for key in keys))
        self._top_key = max(self._top_key, *keys)
        self._pages.clear()  # read (by a view) while the rows went in: numbered before
