"""The search index reads pages' HTML without html.parser where it can, and makes the entries
mkdocs-material's search plugin makes, byte for byte."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from material.plugins.search.plugin import Parser, void

from notesite.build.search import _VOID, read, search_parser
from tests.conftest import write_vault
from tests.test_farm import build, contents, vault_files


class Recorder(HTMLParser):
    """Every call of a handler, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("start", (tag, attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.calls.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.calls.append(("data", data))

    def handle_comment(self, data: str) -> None:
        self.calls.append(("comment", data))


#: HTML of the kind notesite's pages hold: read without html.parser, to the same calls.
REGULAR = [
    "",
    "words alone, &amp; an entity, &lt;b&gt; and a lone & in text &",
    '<h1 id="title">Title<a class="headerlink" href="#title" title="Permanent link">&para;</a></h1>',
    '<p>One <a class="ns-wikilink" href="../A%20note/#a-heading">link</a>, <em>two</em>.</p>\n',
    '<h2 id="x">X</h2>\n<p>Text</p>\n<h3 id="y">Y</h3>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
    '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>Body</p>\n</div>',
    "<details open><summary>More</summary><p>In</p></details>",
    '<p>A<br />b<br>c<img alt="x &quot;y&quot;" src="a.png" /><img src="b.png"></p>',
    '<svg viewBox="0 0 10 10"><path d="M0 0L10 10"/><circle cx="5" cy="5" r="2"></circle></svg>',
    '<P CLASS="Upper">Case</P><Br/>',
    '<a title="a &gt; b, a > b and a < b" href="x?a=1&amp;b=2">odd attributes</a>',
    '<input type="checkbox" checked disabled/><label for="">empty value</label>',
    '<pre><code>  indented\n\n  <span class="k">def</span> f():\n\treturn 1\n</code></pre>',
    '<table>\n<thead>\n<tr>\n<th style="text-align: left">A</th>\n</tr>\n</thead></table>',
    '<div data-search-exclude><h2 id="gone">Gone</h2><p>hidden</p></div><p>kept</p>',
    '<table class="highlighttable"><tr><td class="linenos"><div class="linenodiv">'
    "<pre>1\n2</pre></div></td></tr></table>",
    '<p>No-break\xa0space, <sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>',
    "<p>Unicode: 日本語 “quotes” — and an emoji 🙂 &#x1F642; &#128578; &notanentity;</p>",
    '<h2 id="a">A</h2><section><h3 id="b">B</h3><p>in a section</p></section><p>after</p>',
    "<ul><li><p>loose</p>\n</li><li>tight</li></ul>\n\n\n",
    '<a href="x"\n   class="multi-line">tag</a><span\tdata-t="00:01:02">tab</span>',
]

#: HTML that html.parser reads itself: read() hands nothing over.
OTHER = [
    "<!-- a comment -->",
    "<!DOCTYPE html><p>x</p>",
    "<p>a</p><script>if (a < b) {}</script>",
    "<style>p > a { color: red }</style>",
    '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
    "<textarea><b>raw</b></textarea>",
    "<p>an unescaped < in text</p>",
    "<a href=unquoted>x</a>",
    "<a href='single'>x</a>",
    '<a href="x"class="y">no space</a>',
    "<o:p>word's own</o:p>",
    "<?xml version='1.0'?>",
    "<![CDATA[x]]>",
    "<p>trailing <",
    "</ p>",
    '<a href = "spaced">x</a>',
]


def through_html_parser(html: str) -> list[tuple[str, Any]]:
    recorder = Recorder()
    recorder.feed(html)
    recorder.close()
    return recorder.calls


@pytest.mark.parametrize("html", REGULAR)
def test_read_hands_over_what_html_parser_finds(html: str) -> None:
    recorder = Recorder()
    assert read(recorder, html)
    assert recorder.calls == through_html_parser(html)


@pytest.mark.parametrize("html", OTHER)
def test_other_html_is_left_to_html_parser(html: str) -> None:
    recorder = Recorder()
    assert not read(recorder, html)
    assert recorder.calls == []


def sections(parser: Parser) -> list[tuple[Any, ...]]:
    return [(s.el.tag, s.id, s.depth, s.title, s.text, s.is_excluded()) for s in parser.data]


def both_ways(make: Callable[[], Any], html: str) -> tuple[list[Any], list[Any]]:
    """The sections two parsers made by ``make`` find in ``html``: read() by one, fed the HTML
    itself by the other."""
    fast, slow = make(), make()
    assert read(fast, html)
    slow.feed(html)
    slow.close()
    return sections(fast), sections(slow)


def test_the_search_plugins_parser_makes_the_same_sections() -> None:
    fast, slow = both_ways(Parser, "\n".join(REGULAR))
    assert fast == slow
    assert len(fast) > 5


#: HTML with elements excluded from search (``data-search-exclude``, as on an embed's box):
#: read() leaves out what they hold, and the parser makes the sections it makes from all of it.
EXCLUDED = [
    # (a callout's div inside an embed's: the plugin's own parser indexed what followed it)
    '<div class="ns-embed" data-search-exclude=""><p>gone</p>'
    '<div class="admonition note"><p>in</p></div><p>still gone</p></div><p>kept</p>',
    '<div data-search-exclude=""><div data-search-exclude=""><p>a</p></div><p>b</p></div><p>c</p>',
    '<div data-search-exclude=""><img src="a.png"><br /><hr><p>x</p></div><p>kept</p>',
    '<div data-search-exclude=""><span/><p>x</p></div><p>kept</p>',
    '<div data-search-exclude=""><p>x</span></p></div><p>kept</p>',
    '<div data-search-exclude=""><span><p>x</p></div><p>inside the span still</p>',
    '<div data-search-exclude=""><object><p>x</p></object><p>y</p></div><p>kept</p>',
    '<div data-search-exclude=""><p class="ns-embed__heading ns-embed__h2">No id</p></div>',
    '<div data-search-exclude=""><h2 id="own">A heading with an id</h2><p>x</p></div><p>z</p>',
    '<h2 id="a" data-search-exclude="">A</h2><p>text</p><h3 id="b">B</h3><p>more</p>',
    '<img data-search-exclude="" src="x.png"><p>kept</p>',
    '<section><h2 id="s">S</h2><div data-search-exclude=""><p>x</p></div></section><p>after</p>',
    '<ul><li>one <div data-search-exclude="">two</div> three</li></ul>',
    '<div data-search-exclude=""><p>never closed</p>',
    '<div data-search-exclude="">text &amp; text</div>tail &lt; text',
]


def test_the_elements_read_takes_as_never_open_are_the_search_plugins() -> None:
    # read() keeps its own copy of the plugin's `void`, to skip what an excluded element holds
    # as the plugin's parser would.
    assert frozenset(void) == _VOID


@pytest.mark.parametrize("html", EXCLUDED)
def test_what_an_excluded_element_holds_is_left_out_to_the_same_sections(html: str) -> None:
    fast, slow = both_ways(search_parser, html)
    assert fast == slow


def test_read_does_not_hand_over_what_an_excluded_element_holds() -> None:
    html = EXCLUDED[0]
    recorder = Recorder()
    assert read(recorder, html)
    assert recorder.calls == [
        ("start", ("div", [("class", "ns-embed"), ("data-search-exclude", "")])),
        ("end", "div"),  # (the box's own end)
        ("start", ("p", [])),
        ("data", "kept"),
        ("end", "p"),
    ]


def test_an_excluded_element_is_left_out_up_to_its_own_end() -> None:
    html = EXCLUDED[0]
    ours, plugins = search_parser(), Parser()
    ours.feed(html)
    plugins.feed(html)
    text = " ".join(" ".join(section.text) for section in ours.data)
    assert "gone" not in text and "in" not in text.split() and "kept" in text
    # The plugin's own parser took the inner div's end for the box's: why notesite has its own.
    assert "still gone" in " ".join(" ".join(section.text) for section in plugins.data)


#: Forces html.parser on every page (a build with it is compared with one without).
EVERY_PAGE_PARSED = """\
import notesite.build.search as search

search.read = lambda parser, html: False
"""


def indexed(log: str) -> tuple[int, int]:
    found = re.search(r"search: (\d+) pages' HTML read by notesite, (\d+) by html.parser", log)
    assert found, log
    return int(found[1]), int(found[2])


def test_the_index_is_the_one_html_parser_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    player = (
        "# Player\n\nA video:\n\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>\n'
    )
    write_vault(tmp_path / "vault", {**vault_files(), "Player.md": player})
    read_site, read_log, code = build(tmp_path, "read", 1, "--verbose")
    assert code == 0, read_log
    (tmp_path / "custom").mkdir()
    (tmp_path / "custom" / "sitecustomize.py").write_text(EVERY_PAGE_PARSED, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "custom"))
    parsed_site, parsed_log, code = build(tmp_path, "parsed", 1, "--verbose")
    assert code == 0, parsed_log

    by_notesite, by_html_parser = indexed(read_log)
    assert by_notesite > 100 and by_html_parser >= 1  # (the player's page)
    assert indexed(parsed_log) == (0, by_notesite + by_html_parser)
    read_files, parsed_files = contents(read_site), contents(parsed_site)
    index = "search/search_index.json"
    assert read_files[index] == parsed_files[index]
    assert b"A video" in read_files[index]
    assert read_files == parsed_files
