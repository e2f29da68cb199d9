"""HTML mail as plain text: blocks on their own lines, scripts gone, link targets shown."""

from mailclient.core.html_text import html_to_text


def test_blocks_links_and_scripts() -> None:
    html = ("<html><head><style>p{}</style></head><body><h1>News</h1><p>Hello&nbsp;<b>Ada</b>"
            "</p><script>alert(1)</script><ul><li>one</li><li>two</li></ul>"
            '<p><a href="https://example.org/x">read more</a></p></body></html>')
    assert html_to_text(html) == ("News\n\nHello Ada\n\n• one\n\n• two\n\n"
                                  "read more <https://example.org/x>\n")


def test_broken_html_never_raises() -> None:
    assert "text" in html_to_text("<p><b>text<div></span></<<")
