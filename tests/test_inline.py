"""The fast inline treeprocessor: what it reads from patterns, and the same HTML as the stock one."""

from __future__ import annotations

import re
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.treeprocessors import InlineProcessor

from notesite.markdown.context import RenderContext
from notesite.markdown.inline import FastInlineProcessor, Guard, guard
from notesite.markdown.tags import TagExtension
from notesite.markdown.wikilinks import WikilinkExtension
from notesite.markdown.youtube import YoutubeExtension

# The bench's extensions plus standard and pymdownx ones with inline patterns of every kind.
EXTENSIONS = [
    *("toc", "tables", "attr_list", "md_in_html", "footnotes", "admonition", "nl2br", "abbr"),
    *("def_list", "smarty", "pymdownx.details", "pymdownx.superfences", "pymdownx.saneheaders"),
    *("pymdownx.mark", "pymdownx.arithmatex", "pymdownx.magiclink", "pymdownx.tilde"),
    *("pymdownx.caret", "pymdownx.smartsymbols", "pymdownx.keys", "pymdownx.critic"),
    *("pymdownx.inlinehilite", "pymdownx.betterem"),
]
FRAGMENTS = [
    *("word", "two words", " ", "  \n", "\n", "\n\n", "[", "]", "[[", "]]", "![[", "(", ")"),
    *("!", "#", "#tag", "`", "``", "$", "\\", "*", "**", "_", "__", "<", ">", "&", "&amp;"),
    *("&#35;", "=", "==", "~", "~~", "^", "^^", ":", "::", "[^1]", "[^1]: note\n", "(c)"),
    *("https://x.org", "<https://x.org>", "a@b.org", "<a@b.org>", "[36:01]", "[00:01:02]"),
    *('<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>', "{: .c}", "-->", "+/-"),
    *("++ctrl+a++", "{++a++}", "*[HTML]: Hyper\n", "HTML", "'", '"', "--", "...", "[x](y.md)"),
    *("![i](p.png)", "[r]", "[r]: /u\n", "\x02", "\x03", "klzzwxh:0000", "0", "1:", "- ", "> "),
    *("| a | b |\n|---|---|\n| c | d |\n", "# ", "[[Note|alias]]", "[[Note#Heading]]", "中文"),
]
markdownish = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)


class VideoContext(RenderContext):
    """A page about a video, so that the timestamp patterns make links."""

    @property
    def meta(self) -> Any:
        return {"videoId": "abcdefghijk"}


def converters(context: RenderContext) -> tuple[markdown.Markdown, markdown.Markdown]:
    """The same Markdown twice: with notesite's inline processor, and with the stock one."""

    def make() -> markdown.Markdown:
        notesite = [
            WikilinkExtension(context=context),
            TagExtension(context=context),
            YoutubeExtension(context=context),
        ]
        return markdown.Markdown(extensions=[*EXTENSIONS, *notesite])

    fast, stock = make(), make()
    assert type(fast.treeprocessors["inline"]) is FastInlineProcessor
    stock.treeprocessors.register(InlineProcessor(stock), "inline", 20)
    return fast, stock


PAGES = {"plain": converters(RenderContext()), "video": converters(VideoContext())}


@settings(max_examples=300, deadline=None)
@given(markdownish, st.sampled_from(sorted(PAGES)))
def test_same_html_as_the_stock_inline_processor(text: str, page: str) -> None:
    fast, stock = PAGES[page]
    assert fast.reset().convert(text) == stock.reset().convert(text)


def test_every_notesite_and_standard_pattern_has_a_guard() -> None:
    fast, _ = PAGES["plain"]
    unguarded = [
        name
        for name in fast.inlinePatterns._data
        if guard(fast.inlinePatterns[name].getCompiledRegExp()) is None
    ]
    # Only patterns whose match may start with a letter or so: magiclink's (and its autolink).
    assert not [name for name in unguarded if name.startswith("notesite")]
    assert "backtick" not in unguarded and "link" not in unguarded


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<!\!)\[", Guard(frozenset("["), ())),
        (r"(?P<embed>!?)\[\[(?P<inner>[^\[\]\n]+?)\]\]", Guard(frozenset("![["), ("[[", "]]"))),
        (r"  \n", Guard(frozenset(" "), ("  \n",))),
        (r"\*|_", Guard(frozenset("*_"), ())),
        (r"(?:a|b)c|d", Guard(frozenset("abd"), ())),
        (r"(?=x)[0-3]y", Guard(frozenset("0123"), ())),
        (r"(ab)c(d|e)fg", Guard(frozenset("a"), ("abc", "fg"))),
        (r"<[aA]x", Guard(frozenset("<"), ())),
    ],
)
def test_guard(pattern: str, expected: Guard) -> None:
    assert guard(re.compile(pattern)) == expected


@pytest.mark.parametrize(
    "pattern",
    [r"a?", r"x*", r".x", r"\wx", r"[^a]", r"(?i)ab", r"(?i:a)b", r"(a)?\1x", r"\d+", r"|a"],
)
def test_no_guard_where_a_match_may_start_anywhere(pattern: str) -> None:
    assert guard(re.compile(pattern)) is None


def test_no_guard_for_other_than_re_patterns() -> None:
    assert guard("[") is None
    assert guard(re.compile(rb"\[")) is None


def test_a_processor_put_there_by_another_extension_stays() -> None:
    class Other(InlineProcessor):
        pass

    md = markdown.Markdown()
    md.treeprocessors.register(Other(md), "inline", 20)
    WikilinkExtension().extendMarkdown(md)
    assert type(md.treeprocessors["inline"]) is Other
