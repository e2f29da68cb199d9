"""Conversation threading across folders: JWZ's algorithm (RFC 5256 REFERENCES), iterative."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from mailclient.core.subjects import normalize_subject as normalize_subject
from mailclient.core.subjects import split_subject

MAX_REFERENCES = 100  # ids of one message used for linking: the first and the last 99
_BRACKETED = re.compile(r"<([^<>]*)>")
_SEPARATORS = re.compile(r"[\s<>,;()\"\[\]]+")
_SortKey = tuple[bool, float, int]


@dataclass(frozen=True)
class ThreadInput:
    """One message as the store knows it."""

    key: str  # the store's message id (opaque)
    message_id: str  # Message-ID header value, e.g. "<abc@x>" ('' if missing)
    in_reply_to: str  # raw In-Reply-To header ('' if missing)
    references: str  # raw References header ('' if missing)
    subject: str  # decoded subject
    date: float | None  # epoch seconds


@dataclass(eq=False, repr=False)
class ThreadNode:
    """One message of a conversation tree, with the replies to it sorted by date.

    ``key`` is None for a message that is referenced but not in the store (a dummy).
    ``copies`` are further keys of the same message (same Message-ID, e.g. in Inbox and in
    Archive); ``key`` is the first of them in input order. Nodes compare by identity.
    """

    key: str | None
    children: list[ThreadNode] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # shallow: trees can be thousands of levels deep
        return f"ThreadNode(key={self.key!r}, children={len(self.children)}, copies={self.copies})"


@dataclass(eq=False)
class Conversation:
    """One thread: the root message (``root_key``, None for a dummy) and the replies under it."""

    root_key: str | None
    keys: list[str]  # every key, in thread order (depth-first, siblings by date, copies adjacent)
    subject: str  # normalised subject
    latest: float | None  # newest date in it
    children: list[ThreadNode]  # the replies to the root
    root_copies: list[str] = field(default_factory=list)  # further keys of the root message

    @property
    def root(self) -> ThreadNode:  # the whole tree as one node
        return ThreadNode(self.root_key, self.children, self.root_copies)

    def walk(self) -> Iterator[tuple[int, ThreadNode]]:
        """Yield (depth, node) depth-first from the root (depth 0), without recursion."""
        stack = [(0, self.root)]
        while stack:
            depth, node = stack.pop()
            yield depth, node
            stack.extend((depth + 1, child) for child in reversed(node.children))


def parse_message_ids(value: str) -> list[str]:
    """Return the message ids in a Message-ID, References or In-Reply-To value, as "<id>".

    Bracketed ids are taken wherever they are, garbage between them skipped and whitespace in
    them removed (folded headers); without a complete "<...>", bare words with "@" are taken.
    Duplicates are dropped (the first kept). Linear in the length of the value.
    """
    ids: dict[str, None] = {}
    for inner in _BRACKETED.findall(value):
        ident = "".join(inner.split())
        if ident:
            ids[f"<{ident}>"] = None
    if not ids:
        for word in _SEPARATORS.split(value):
            if "@" in word.strip("@"):
                ids[f"<{word}>"] = None
    return list(ids)


class _Container:
    """A node of the id table: the messages with one Message-ID (none for a dummy)."""

    __slots__ = ("messages", "parent", "children")

    def __init__(self) -> None:
        self.messages: list[int] = []  # input indices; the first is the primary copy
        self.parent: _Container | None = None
        self.children: dict[_Container, None] = {}  # ordered set, O(1) unlinking

    def link_under(self, parent: _Container) -> None:
        if self.parent is not None:
            del self.parent.children[self]
        self.parent = parent
        parent.children[self] = None


def thread_messages(
    messages: Iterable[ThreadInput], *, subject_fallback: bool = True
) -> list[Conversation]:
    """Group messages into conversations, newest ``latest`` first (undated ones last).

    Every distinct key appears exactly once (a repeated key is ignored after its first input).
    With ``subject_fallback``, root messages are also joined by normalised subject when one is
    a reply ("Re: x" under "x", several "Re: x" under a dummy) or stands for a missing parent.
    """
    unique: dict[str, ThreadInput] = {}
    for message in messages:
        unique.setdefault(message.key, message)
    inputs = list(unique.values())
    roots = _prune(_link_references(inputs))
    if subject_fallback:
        _group_by_subject(roots, inputs)
    threads = sorted((_conversation(root, inputs) for root in roots), key=lambda t: t[0])
    return [conversation for _, conversation in threads]


def _own_id(value: str) -> str | None:
    """The first id of a Message-ID value, or its one bare word (any id is fine for itself)."""
    words = value.strip("<> \t\r\n").split()
    return next(iter(parse_message_ids(value)), f"<{words[0]}>" if len(words) == 1 else None)


def _reference_ids(message: ThreadInput, own_id: str | None) -> list[str]:
    """References, then the In-Reply-To id if it is not among them, without the own id."""
    refs = parse_message_ids(message.references)
    reply_to = parse_message_ids(message.in_reply_to)
    if reply_to and reply_to[0] not in refs:
        refs.append(reply_to[0])
    if own_id is not None and own_id in refs:
        refs.remove(own_id)
    if len(refs) > MAX_REFERENCES:
        refs = refs[:1] + refs[1 - MAX_REFERENCES :]
    return refs


def _would_loop(parent: _Container, child: _Container) -> bool:
    """Whether putting ``child`` under ``parent`` would close a cycle."""
    if not child.children:  # without descendants, child cannot be an ancestor of parent
        return parent is child
    node: _Container | None = parent
    while node is not None and node is not child:
        node = node.parent
    return node is child


def _link_references(inputs: list[ThreadInput]) -> list[_Container]:
    """JWZ step 1: the id table, each References chain linked parent to child; all containers."""
    table: dict[str, _Container] = {}
    containers: list[_Container] = []
    def lookup(ident: str | None) -> _Container:
        container = table.get(ident) if ident is not None else None
        if container is None:
            container = _Container()
            containers.append(container)
            if ident is not None:
                table[ident] = container
        return container

    for index, message in enumerate(inputs):
        own_id = _own_id(message.message_id)
        container = lookup(own_id)
        container.messages.append(index)
        chain = [lookup(ref) for ref in _reference_ids(message, own_id)]
        for parent, child in pairwise(chain):  # keep links already made
            if child.parent is None and not _would_loop(parent, child):
                child.link_under(parent)
        # The message's own header is more definite than a parent presumed from others',
        # except for a second copy of an already placed message.
        if chain and (len(container.messages) == 1 or container.parent is None):
            parent = chain[-1]
            if container.parent is not parent and not _would_loop(parent, container):
                container.link_under(parent)
    return containers


def _prune(containers: list[_Container]) -> dict[_Container, None]:
    """JWZ steps 2 and 4: the root set without empty dummies, children promoted."""
    roots = {c: None for c in containers if c.parent is None}
    order: list[_Container] = []
    stack = list(roots)
    while stack:
        container = stack.pop()
        order.append(container)
        stack.extend(container.children)
    for container in reversed(order):  # descendants before ancestors
        if container.messages:
            continue
        parent = container.parent
        if parent is not None:
            del parent.children[container]
            for child in list(container.children):
                child.link_under(parent)
        elif len(container.children) <= 1:
            del roots[container]
            for child in container.children:  # the dummy itself is dropped
                child.parent = None
                roots[child] = None
    return roots


def _sort_key(container: _Container, inputs: list[ThreadInput]) -> _SortKey:
    """(undated, date, input index) of a message, or of a dummy's earliest child (dummies only
    have real children: pruning promotes nested ones, subject grouping never nests them)."""
    if container.messages:
        index = container.messages[0]
        date = inputs[index].date
        return (date is None, date or 0.0, index)
    real = (_sort_key(c, inputs) for c in container.children if c.messages)
    return min(real, default=(True, 0.0, sys.maxsize))


def _group_by_subject(roots: dict[_Container, None], inputs: list[ThreadInput]) -> None:
    """JWZ step 5: join roots by subject when one is a reply or a dummy (never two originals).

    A dummy stands for a missing message its children replied to, so it counts as a reply.
    Dummies of one subject merge; a reply goes under the latest original not newer than it
    (else the earliest); with no original, the replies gather under a (new) dummy.
    """
    groups: dict[str, list[tuple[_SortKey, bool, _Container]]] = {}
    for root in roots:
        key = _sort_key(root, inputs)
        subject = inputs[key[2]].subject if key[2] < len(inputs) else ""
        base, replied = split_subject(subject)
        if base:
            groups.setdefault(base.casefold(), []).append((key, replied, root))
    for members in groups.values():
        dummies = [root for _, _, root in members if not root.messages]
        replies = [(key, root) for key, replied, root in members if replied and root.messages]
        originals = sorted((key, root) for key, replied, root in members
                           if not replied and root.messages)
        if len(members) < 2 or not (dummies or replies):
            continue
        for other in dummies[1:]:
            for child in list(other.children):
                child.link_under(dummies[0])
            del roots[other]
        if not originals:
            host = dummies[0] if dummies else _Container()
            roots[host] = None
            for _, reply in replies:
                del roots[reply]
                reply.link_under(host)
            continue
        dates = [float("inf") if key[0] else key[1] for key, _ in originals]
        for key, reply in replies:
            del roots[reply]
            reply.link_under(_pick(originals, dates, key))
        if dummies:
            target = _pick(originals, dates, _sort_key(dummies[0], inputs))
            del roots[target]
            target.link_under(dummies[0])


def _pick(originals: list[tuple[_SortKey, _Container]], dates: list[float],
          key: _SortKey) -> _Container:
    """The latest original dated no later than ``key``, else the earliest one."""
    position = 0 if key[0] else max(bisect_right(dates, key[1]) - 1, 0)
    return originals[position][1]


def _conversation(root: _Container, inputs: list[ThreadInput]) -> tuple[_SortKey, Conversation]:
    """JWZ steps 6 and 7: the tree as nodes, siblings by date; with the conversation's order."""
    root_node = _node(root, inputs)
    thread_keys: list[str] = []
    dates: list[float] = []
    pending = [(root, root_node)]
    while pending:
        container, node = pending.pop()
        for index in container.messages:
            thread_keys.append(inputs[index].key)
            date = inputs[index].date
            if date is not None:
                dates.append(date)
        children = sorted(container.children, key=lambda c: _sort_key(c, inputs))
        node.children = [_node(child, inputs) for child in children]
        pending.extend(reversed(list(zip(children, node.children, strict=True))))
    latest = max(dates, default=None)
    earliest = _sort_key(root, inputs)[2]  # the root's input index, or its earliest child's
    subject = normalize_subject(inputs[earliest].subject) if earliest < len(inputs) else ""
    conversation = Conversation(root_node.key, thread_keys, subject, latest,
                                root_node.children, root_node.copies)
    return (latest is None, -(latest or 0.0), earliest), conversation


def _node(container: _Container, inputs: list[ThreadInput]) -> ThreadNode:
    keys = [inputs[index].key for index in container.messages]
    return ThreadNode(keys[0] if keys else None, [], keys[1:])  # children are added later
