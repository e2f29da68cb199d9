"""format=flowed reflowing (RFC 3676), quote depths and the signature block."""

from __future__ import annotations

from mailclient.core.flowed_text import TextLine, is_flowed, plain_lines, unflow
from mailclient.core.text_html import TextColours, text_to_html

COLOURS = TextColours(dim="#777777", bar="#999999")


def test_soft_breaks_join_and_hard_breaks_stay() -> None:
    text = "This is a \nflowed paragraph.\nHard line.\n\nNext \nparagraph."
    assert [line.text for line in unflow(text)] == [
        "This is a flowed paragraph.", "Hard line.", "", "Next paragraph."]


def test_delsp_removes_the_space_of_the_soft_break() -> None:
    assert unflow("Lang \nwort", delsp=True) == [TextLine(0, "Langwort")]
    assert unflow("Lang \nwort") == [TextLine(0, "Lang wort")]


def test_quote_depth_space_stuffing_and_depth_changes() -> None:
    text = ">> deep \n>> still\n> one \n>  stuffed\n From here"
    assert unflow(text) == [TextLine(2, "deep still"), TextLine(1, "one  stuffed"),
                            TextLine(0, "From here")]
    assert unflow("> quoted \nnot quoted") == [TextLine(1, "quoted "), TextLine(0, "not quoted")]


def test_signature_separator_never_flows_and_marks_the_rest() -> None:
    lines = unflow("Bye \nnow\n-- \nAda \nLovelace")
    assert lines == [TextLine(0, "Bye now"), TextLine(0, "-- ", True),
                     TextLine(0, "Ada Lovelace", True)]


def test_plain_lines_count_spaced_quote_marks() -> None:
    assert plain_lines("> > two\n>one\nzero\r\n-- \nsig") == [
        TextLine(2, "two"), TextLine(1, "one"), TextLine(0, "zero"), TextLine(0, "-- ", True),
        TextLine(0, "sig", True)]


def test_is_flowed_reads_the_parameters() -> None:
    assert is_flowed({"charset": "utf-8", "format": "Flowed", "DelSp": "Yes"}) == (True, True)
    assert is_flowed({"format": "fixed"}) == (False, False)


def test_html_dims_quotes_behind_bars_and_escapes() -> None:
    html = text_to_html(plain_lines("<b>hi</b> https://example.net/a.\n> q\n>> qq\nend"),
                        "Mono", COLOURS)
    assert "&lt;b&gt;hi&lt;/b&gt;" in html and "<b>" not in html
    assert '<a href="https://example.net/a">' in html
    assert html.count('bgcolor="#999999"') == 2  # one bar per quote level
    assert html.count("color:#777777") == 2  # both quoted levels dimmed, not the rest
    assert html.index(">q<") < html.index(">qq<") < html.index(">end<")
