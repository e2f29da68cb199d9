"""Threading: reply chains, dummies, loops, subject fallback, copies across folders, scale."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from mailclient.core.conversations import (
    Conversation,
    ThreadInput,
    ThreadNode,
    normalize_subject,
    parse_message_ids,
    thread_messages,
)


def msg(key: str, mid: str | None = None, *, irt: str = "", refs: str = "",
        subject: str = "Hello", date: float | None = 0.0) -> ThreadInput:
    """A message whose Message-ID is ``<key>`` unless given."""
    return ThreadInput(key, f"<{key}>" if mid is None else mid, irt, refs, subject, date)


def shape(node: ThreadNode | Conversation) -> object:
    """The tree as nested (key, [children]) tuples (recursive: for small trees only)."""
    if isinstance(node, Conversation):
        node = node.root
    return (node.key, [shape(child) for child in node.children])


def all_keys(conversations: list[Conversation]) -> Counter[str]:
    return Counter(key for c in conversations for key in c.keys)


def test_simple_reply_chain() -> None:
    messages = [msg("c", refs="<a> <b>", subject="Re: Hello", date=3),
                msg("a", date=1), msg("b", irt="<a>", refs="<a>", subject="Re: Hello", date=2)]
    [conversation] = thread_messages(messages)
    assert conversation.root_key == "a"
    assert conversation.keys == ["a", "b", "c"]
    assert shape(conversation) == ("a", [("b", [("c", [])])])
    assert conversation.subject == "Hello"
    assert conversation.latest == 3


def test_empty_input() -> None:
    assert thread_messages([]) == []


def test_missing_parent_becomes_dummy_root() -> None:
    messages = [msg("c", irt="<gone>", date=3), msg("b", irt="<gone>", subject="Re: Hi", date=2)]
    [conversation] = thread_messages(messages)
    assert conversation.root_key is None
    assert shape(conversation) == (None, [("b", []), ("c", [])])
    assert conversation.subject == "Hi"  # from the earliest reply


def test_missing_parent_with_one_reply_is_pruned() -> None:
    [conversation] = thread_messages([msg("b", irt="<gone>")])
    assert conversation.root_key == "b"
    assert conversation.children == []


def test_missing_middle_message_is_skipped() -> None:
    messages = [msg("a", date=1), msg("c", refs="<a> <b>", date=3)]
    [conversation] = thread_messages(messages)
    assert shape(conversation) == ("a", [("c", [])])


@pytest.mark.parametrize("order", [[0, 1], [1, 0]])
def test_references_loop_two_messages(order: list[int]) -> None:
    pair = [msg("a", refs="<b>", date=1), msg("b", refs="<a>", date=2)]
    conversations = thread_messages([pair[i] for i in order])
    assert len(conversations) == 1
    assert sorted(conversations[0].keys) == ["a", "b"]


def test_references_loop_three_messages_and_self_reference() -> None:
    messages = [msg("a", refs="<c> <b>"), msg("b", refs="<a> <c>"), msg("c", refs="<b> <a>"),
                msg("d", irt="<d>", refs="<d> <d>", subject="Other")]
    for _ in range(5):
        random.Random(_).shuffle(messages)
        conversations = thread_messages(messages)
        assert all_keys(conversations) == Counter("abcd")
        assert sorted(len(c.keys) for c in conversations) == [1, 3]


def test_in_reply_to_only_with_phrase_around_the_id() -> None:
    messages = [msg("a", date=1),
                msg("b", irt='Your message of "Mon, 1 Jan" <a> (John)', date=2)]
    [conversation] = thread_messages(messages, subject_fallback=False)
    assert shape(conversation) == ("a", [("b", [])])


def test_in_reply_to_is_the_last_reference() -> None:
    # A client that only keeps the root in References: In-Reply-To names the real parent.
    messages = [msg("a", date=1), msg("b", irt="<a>", date=2), msg("c", refs="<a>", irt="<b>")]
    [conversation] = thread_messages(messages)
    assert shape(conversation) == ("a", [("b", [("c", [])])])


def test_subject_fallback_joins_reply_to_original() -> None:
    messages = [msg("a", subject="Lunch?", date=1),
                msg("b", subject="[team] RE: AW: lunch?", date=2)]
    [conversation] = thread_messages(messages)
    assert shape(conversation) == ("a", [("b", [])])
    assert len(thread_messages(messages, subject_fallback=False)) == 2


def test_subject_fallback_never_joins_two_originals() -> None:
    messages = [msg("a", subject="Invoice", date=1), msg("b", subject="Invoice", date=2)]
    assert [c.keys for c in thread_messages(messages)] == [["b"], ["a"]]


def test_subject_fallback_gathers_replies_under_a_dummy() -> None:
    messages = [msg("a", subject="Re: Party", date=1), msg("b", subject="Fwd: party", date=2)]
    [conversation] = thread_messages(messages)
    assert shape(conversation) == (None, [("a", []), ("b", [])])


def test_subject_fallback_merges_dummies_and_adopts_the_original() -> None:
    messages = [msg("x1", irt="<gone1>", subject="Re: Plan", date=5),
                msg("x2", irt="<gone1>", subject="Re: Plan", date=6),
                msg("y1", irt="<gone2>", subject="Re: Plan", date=7),
                msg("y2", irt="<gone2>", subject="Re: Plan", date=8),
                msg("o", subject="Plan", date=1)]
    [conversation] = thread_messages(messages)
    assert shape(conversation) == (None, [("o", []), ("x1", []), ("x2", []), ("y1", []),
                                          ("y2", [])])
    assert len(thread_messages(messages, subject_fallback=False)) == 3


def test_subject_fallback_dummy_with_unprefixed_replies_counts_as_a_reply() -> None:
    messages = [msg("x1", irt="<gone>", subject="Plan", date=5),
                msg("x2", irt="<gone>", subject="Plan", date=6), msg("o", subject="Plan", date=1)]
    [conversation] = thread_messages(messages)
    assert shape(conversation) == (None, [("o", []), ("x1", []), ("x2", [])])


def test_reply_by_subject_goes_to_the_latest_earlier_original() -> None:
    messages = [msg("w1", subject="Weekly", date=10), msg("w2", subject="Weekly", date=20),
                msg("r0", subject="Re: Weekly", date=5), msg("r1", subject="Re: Weekly", date=15),
                msg("r2", subject="Re: Weekly", date=25), msg("rn", subject="Re: Weekly",
                                                              date=None)]
    conversations = thread_messages(messages)
    assert [shape(c) for c in conversations] == [
        ("w2", [("r2", [])]),
        ("w1", [("r0", []), ("r1", []), ("rn", [])]),
    ]


def test_empty_subjects_are_never_grouped() -> None:
    messages = [msg("a", subject=""), msg("b", subject="Re:"), msg("c", subject="Re: ")]
    assert len(thread_messages(messages)) == 3


def test_copies_across_folders_appear_once_each() -> None:
    messages = [msg("inbox-a", "<a@x>", date=1), msg("archive-a", "<a@x>", date=1),
                msg("sent-b", "<b@x>", irt="<a@x>", refs="<a@x>", date=2),
                msg("allmail-b", "<b@x>", irt="<a@x>", date=2),
                msg("inbox-c", "<c@x>", refs="<a@x> <b@x>", date=3)]
    [conversation] = thread_messages(messages, subject_fallback=False)
    assert conversation.keys == ["inbox-a", "archive-a", "sent-b", "allmail-b", "inbox-c"]
    assert conversation.root_key == "inbox-a"
    assert conversation.root_copies == ["archive-a"]
    [reply] = conversation.children
    assert (reply.key, reply.copies) == ("sent-b", ["allmail-b"])
    assert [child.key for child in reply.children] == ["inbox-c"]


def test_copy_does_not_move_a_placed_message() -> None:
    messages = [msg("a", date=1), msg("b1", "<b>", irt="<a>", date=2),
                msg("b2", "<b>", irt="<elsewhere>", date=2)]
    conversations = thread_messages(messages, subject_fallback=False)
    assert [shape(c) for c in conversations] == [("a", [("b1", [])])]
    assert conversations[0].children[0].copies == ["b2"]


def test_messages_without_message_id_still_appear() -> None:
    messages = [msg("a", date=1), msg("n1", "", irt="<a>", date=2), msg("n2", "", date=3),
                msg("n3", "   ", date=4, subject="Other")]
    conversations = thread_messages(messages, subject_fallback=False)
    assert all_keys(conversations) == Counter(["a", "n1", "n2", "n3"])
    assert shape(conversations[-1]) == ("a", [("n1", [])])


def test_a_repeated_key_is_threaded_once() -> None:
    conversations = thread_messages([msg("a"), msg("a", irt="<z>"), msg("b", irt="<a>")])
    assert all_keys(conversations) == Counter(["a", "b"])


def test_siblings_by_date_and_conversations_by_latest_first() -> None:
    messages = [msg("a", date=100, subject="A"), msg("a3", irt="<a>", date=None, subject="A"),
                msg("a2", irt="<a>", date=300, subject="A"),
                msg("a1", irt="<a>", date=200, subject="A"),
                msg("b", date=250, subject="B"), msg("u", date=None, subject="U"),
                msg("c", date=50, subject="C")]
    conversations = thread_messages(messages)
    assert [c.root_key for c in conversations] == ["a", "b", "c", "u"]
    assert conversations[0].keys == ["a", "a1", "a2", "a3"]
    assert [c.latest for c in conversations] == [300, 250, 50, None]


def test_walk_gives_depths_without_recursion() -> None:
    messages = [msg("a", date=1), msg("b", irt="<a>", date=2), msg("c", irt="<b>", date=3),
                msg("d", irt="<a>", date=4)]
    [conversation] = thread_messages(messages)
    assert [(depth, node.key) for depth, node in conversation.walk()] == [
        (0, "a"), (1, "b"), (2, "c"), (1, "d")]
    assert "children=2" in repr(conversation.root)


@pytest.mark.parametrize("order", ["forward", "reverse", "shuffled"])
@pytest.mark.parametrize("with_references", [False, True])
def test_three_thousand_deep_chain(order: str, with_references: bool) -> None:
    depth = 3000
    messages = []
    for i in range(depth):
        refs = " ".join(f"<m{j}>" for j in [0, *range(max(i - 10, 1), i)]) if i else ""
        messages.append(msg(f"m{i}", irt=f"<m{i - 1}>" if i else "",
                            refs=refs if with_references else "", date=float(i)))
    if order == "reverse":
        messages.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(messages)
    [conversation] = thread_messages(messages)
    assert conversation.keys == [f"m{i}" for i in range(depth)]
    assert max(d for d, _ in conversation.walk()) == depth - 1


@pytest.mark.parametrize("seed", range(20))
def test_random_graphs_keep_every_key_once_in_tree_order(seed: int) -> None:
    rng = random.Random(seed)
    ids = [f"<i{i}>" for i in range(60)]  # more ids than messages: some parents are missing
    messages = [msg(f"k{i}", rng.choice([*ids, "", "garbage"]),
                    irt=rng.choice([*ids, "", "x y"]),
                    refs=" ".join(rng.sample(ids, rng.randrange(0, 6))),
                    subject=rng.choice(["A", "Re: A", "B", "Fwd: b", ""]),
                    date=rng.choice([None, *range(10)])) for i in range(50)]
    for fallback in (True, False):
        conversations = thread_messages(messages, subject_fallback=fallback)
        assert all_keys(conversations) == Counter(m.key for m in messages)
        for conversation in conversations:
            walked = [k for _, node in conversation.walk()
                      for k in ([node.key] if node.key else []) + node.copies]
            assert walked == conversation.keys
            assert conversation.keys


@pytest.mark.parametrize(("value", "expected"), [
    ("<a@x> <b@y>", ["<a@x>", "<b@y>"]),
    ("<a@x>,<b@y>;garbage (comment) <c@z>", ["<a@x>", "<b@y>", "<c@z>"]),
    ("  <a@x>\r\n\t<b@y>  ", ["<a@x>", "<b@y>"]),
    ("<a@\r\n x>", ["<a@x>"]),
    ("<a@x> <a@x> <b@y> <a@x>", ["<a@x>", "<b@y>"]),
    ("a@x b@y", ["<a@x>", "<b@y>"]),
    ("<a@x", ["<a@x>"]),
    ("no ids here", []),
    ("", []),
    ("<> < > @ @@", []),
    ("<<a@x>>", ["<a@x>"]),
])
def test_parse_message_ids(value: str, expected: list[str]) -> None:
    assert parse_message_ids(value) == expected


def test_parse_message_ids_huge_values_are_linear() -> None:
    ids = " ".join(f"<id{i}@x>" for i in range(100_000))
    assert len(parse_message_ids(ids)) == 100_000
    assert parse_message_ids("a" * 1_000_000) == []
    assert parse_message_ids("<" + "a" * 1_000_000) == []
    assert parse_message_ids("<a@x>" * 200_000) == ["<a@x>"]


def test_hostile_headers_do_not_break_threading() -> None:
    huge = " ".join(f"<junk{i}@x>" for i in range(50_000)) + " <a>"
    messages = [msg("a", date=1), msg("b", refs=huge, irt="x" * 100_000, date=2),
                msg("c", "   <c>  (comment)", irt="\x00<b>\x00", date=3),
                msg("d", "no-brackets@x", refs="<<<<", irt=">>>>", date=4, subject="Other")]
    conversations = thread_messages(messages, subject_fallback=False)
    assert all_keys(conversations) == Counter("abcd")
    assert shape(conversations[-1]) == ("a", [("b", [("c", [])])])


@pytest.mark.parametrize(("subject", "expected"), [
    ("Re: Hello", "Hello"),
    ("RE: Fwd: AW: SV: Antw: hello", "hello"),
    ("[dev] Re: [dev] Re:  the  plan", "the plan"),
    ("Re[2]: x", "x"),
    ("Re : x", "x"),
    ("WG: VS: x", "x"),
    ("[PATCH]", "[PATCH]"),
    ("Hello (fwd)", "Hello"),
    ("[Fwd: Hello]", "Hello"),
    ("Regarding: x", "Regarding: x"),
    ("Re:", ""),
    ("re: " * 10_000 + "x", "x"),
])
def test_normalize_subject(subject: str, expected: str) -> None:
    assert normalize_subject(subject) == expected


def test_fifty_thousand_messages() -> None:
    rng = random.Random(50)
    messages: list[ThreadInput] = []
    chains, chain_length = 8, 5000
    for c in range(chains):
        for i in range(chain_length):
            refs = " ".join(f"<c{c}-{j}>" for j in [0, *range(max(i - 5, 1), i)]) if i else ""
            messages.append(msg(f"c{c}-{i}", irt=f"<c{c}-{i - 1}>" if i else "", refs=refs,
                                subject=f"{'Re: ' if i else ''}Chain {c}", date=c * 1e5 + i))
    messages.append(msg("flat-root", subject="Announcement", date=0))
    for i in range(5000):  # one large flat set of replies to one message
        messages.append(msg(f"flat-{i}", irt="<flat-root>", subject="Re: Announcement",
                            date=rng.random() * 1e6))
    for i in range(4999):  # unrelated messages, some sharing subjects, some undated
        messages.append(msg(f"single-{i}", subject=f"Note {i % 1000}",
                            date=None if i % 7 == 0 else rng.random() * 1e6))
    rng.shuffle(messages)
    assert len(messages) == 50_000
    started = time.perf_counter()
    conversations = thread_messages(messages)
    print(f"\nthreaded {len(messages)} messages in {time.perf_counter() - started:.2f}s")
    assert all_keys(conversations) == Counter(m.key for m in messages)
    assert len(conversations) == chains + 1 + 4999
    by_root = {c.root_key: c for c in conversations}
    for c in range(chains):
        assert by_root[f"c{c}-0"].keys == [f"c{c}-{i}" for i in range(chain_length)]
    flat = by_root["flat-root"]
    assert len(flat.children) == 5000
    dates = {m.key: m.date for m in messages}
    assert flat.keys[1:] == sorted(flat.keys[1:], key=lambda k: dates[k] or 0.0)
    latest = [c.latest for c in conversations]
    dated = [d for d in latest if d is not None]
    assert dated == sorted(dated, reverse=True) and latest[: len(dated)] == dated
