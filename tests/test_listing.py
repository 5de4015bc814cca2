"""The lists of links on the pages notesite makes are written as HTML at once, exactly as
Python-Markdown and MkDocs would write them."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import _RelativePathTreeprocessor

from notesite.build.converter import link_url
from notesite.markdown.context import RenderContext
from notesite.markdown.escape import escape_markdown
from notesite.markdown.listing import LinkListExtension
from notesite.paths import VaultPath, relative_href
from tests.conftest import write_vault
from tests.test_farm import build, contents, vault_files

#: Titles as notes have them: punctuation, Markdown syntax, HTML, other scripts, a folder's `/`.
TITLES = [
    "Plain words",
    "C++ & <templates>",
    "[[Not a link]] and ==not marked==",
    "*stars* _under_ `code` $x$",
    "#not-a-tag: 100% done!",
    "Éléments d'analyse",
    "見出し 2024",
    "Ünïcode — dashes… “quotes”",
    "https://example.com/a?b=c",
    "trailing space ",
    "x",
]
PATHS = [
    "Plain words.md",
    "Deep/er/C++ & templates.md",
    "Ideas/[[brackets]].md",
    "日本/見出し.md",
    "Sub/Folder/index.md",
    "Percent 100%.md",
]


def converter(calls: list[str], url: object = "same") -> tuple[markdown.Markdown, RenderContext]:
    context = RenderContext()
    md = markdown.Markdown(
        extensions=["toc", "attr_list", "md_in_html", "nl2br", LinkListExtension(context=context)]
    )

    def link_url(href: str) -> str | None:
        calls.append(href)
        return href if url == "same" else None

    context.link_url = link_url
    return md, context


def page(lines: list[str]) -> str:
    return "## Notes\n\n" + "\n".join(lines) + "\n\n[All tags](../index.md)\n"


def link_lines(source: VaultPath) -> list[str]:
    return [
        f"- [{escape_markdown(title)}]({relative_href(source, VaultPath(path))})"
        for title in TITLES
        for path in PATHS
    ]


@pytest.mark.parametrize("source", ["tags/a/b.md", "index.md", "Deep/index.md"])
def test_a_list_of_links_is_the_html_markdown_makes(source: str) -> None:
    lines = link_lines(VaultPath(source))
    calls: list[str] = []
    md, context = converter(calls)
    fast = md.convert(page(lines))
    assert len(calls) == len(lines)  # every line was written here, none by Markdown
    context.link_url = None
    assert md.reset().convert(page(lines)) == fast
    assert "<ul>\n<li><a href=" in fast


def test_lists_between_blank_lines_and_a_list_markdown_joins_across_them() -> None:
    text = (
        "## Folders\n\n- [Sub&#47;/](Sub/index.md)\n- [Other/](Other/index.md)\n\n"
        "## Notes\n\n- [One](One.md)\n\n\n- [Two](Two.md)\n"
    )
    calls: list[str] = []
    md, context = converter(calls)
    fast = md.convert(text)
    # The last two make one (loose) list in Markdown: left to it.
    assert calls == ["Sub/index.md", "Other/index.md"]
    assert '<li>\n<p><a href="One.md">One</a></p>\n</li>' in fast
    context.link_url = None
    assert md.reset().convert(text) == fast


@pytest.mark.parametrize(
    "block",
    [
        "- [One](One.md)\n- [Two](Two.md) (2)",  # a count after a link
        "- [One](One.md)\n    - [Two](Two.md)",  # a nested list
        "Words first\n- [One](One.md)",  # a paragraph's line
        "- [One](One.md) — a passage",  # a passage after the link
        "- [Two](https://example.com)",  # not a relative link
        "- [](Empty.md)",  # no text
        "- [a_b](One.md)",  # text escape_markdown never writes
        "- [One](One.md#heading)",  # an anchor
        "* [One](One.md)",  # another list marker
    ],
)
def test_any_other_list_is_left_to_markdown(block: str) -> None:
    text = f"Before.\n\n{block}\n\nAfter.\n"
    md, context = converter([])
    fast = md.convert(text)
    assert md.htmlStash.html_counter == 0  # nothing was written at once
    context.link_url = None
    assert md.reset().convert(text) == fast


def test_a_link_the_host_leaves_as_written_leaves_the_list_to_markdown() -> None:
    text = page(["- [One](One.md)", "- [Missing](Missing.md)"])
    calls: list[str] = []
    md, _ = converter(calls, url=None)
    assert md.convert(text) == markdown.Markdown(extensions=["toc", "nl2br"]).convert(text)
    assert calls == ["One.md"]


def test_a_url_the_serializer_would_escape_leaves_the_list_to_markdown() -> None:
    text = page(["- [One](One.md)"])
    md, context = converter([])
    context.link_url = lambda href: "One.html?a=1&b=<2>"
    fast = md.convert(text)
    assert md.htmlStash.html_counter == 0
    assert '<a href="One.md">' in fast  # (the host in this test does not rewrite links)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_host_gives_the_url_mkdocs_gives(tmp_path: Path, directory_urls: bool) -> None:
    config = MkDocsConfig()
    config.load_dict(
        {"site_name": "Links", "docs_dir": str(tmp_path), "use_directory_urls": directory_urls}
    )
    assert config.validate() == ([], [])
    pages = [
        "tags/a/b.md",
        "tags/index.md",
        "Top.md",
        "Deep/er/C++ & t.md",
        "Sub/index.md",
        "日本/見出し.md",
        "Percent 100%.md",
    ]
    files = Files(
        [File(path, str(tmp_path), str(tmp_path / "site"), directory_urls) for path in pages]
    )
    for source in ("tags/a/b.md", "Sub/index.md", "Top.md"):
        here = files.get_file_from_path(source)
        assert here is not None
        mkdocs = _RelativePathTreeprocessor(here, files, config)
        for target in pages:
            href = relative_href(VaultPath(source), VaultPath(target))
            assert link_url(here, files, href) == mkdocs.path_to_url(href), (source, target)
        for href in ("/Top.md", "Missing.md", "../../../Top.md"):
            assert link_url(here, files, href) is None


def test_without_a_host_nothing_changes() -> None:
    md = markdown.Markdown(extensions=[LinkListExtension()])
    text = "- [One](One.md)\n"
    assert md.convert(text) == '<ul>\n<li><a href="One.md">One</a></li>\n</ul>'


#: In the build with it: counts the lists written at once, printed when the build ends.
COUNTED = """\
import atexit, sys
from notesite.markdown import listing

made = []
_list = listing.LinkListPreprocessor._list

def counted(block, link_url):
    html = _list(block, link_url)
    if html is not None:
        made.append(len(block))
    return html

listing.LinkListPreprocessor._list = staticmethod(counted)
atexit.register(lambda: print(f"link lists: {len(made)} of {sum(made)} links", file=sys.stderr))
"""

#: In the build without it: every list is Markdown's.
LEFT_TO_MARKDOWN = """\
from notesite.markdown import listing

listing.LinkListPreprocessor.run = lambda self, lines: lines
"""


def test_a_site_is_the_one_markdown_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tricky = {
        f"Tricky/Sub {i}/{name}.md": f"---\ntags: [odd, odd/nested{i}]\n---\nText.\n"
        for i, name in enumerate(["C++ & co", "Éléments", "見出し", "100% [sure]", "a_b"])
    }
    write_vault(tmp_path / "vault", {**vault_files(), **tricky})
    custom = tmp_path / "custom"
    for name, text in (("counted", COUNTED), ("markdown", LEFT_TO_MARKDOWN)):
        (custom / name).mkdir(parents=True)
        (custom / name / "sitecustomize.py").write_text(text, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(custom / "counted"))
    fast_site, fast_log, code = build(tmp_path, "fast", 1)
    assert code == 0, fast_log
    monkeypatch.setenv("PYTHONPATH", str(custom / "markdown"))
    slow_site, slow_log, code = build(tmp_path, "slow", 1)
    assert code == 0, slow_log

    counted = [line.split() for line in fast_log.splitlines() if line.startswith("link lists: ")]
    assert len(counted) == 1, fast_log
    assert int(counted[0][2]) > 20 and int(counted[0][4]) > 100  # lists, links
    fast, slow = contents(fast_site), contents(slow_site)
    assert sorted(fast) == sorted(slow)
    assert [name for name in fast if fast[name] != slow[name]] == []
    odd = fast["tags/odd/index.html"].decode()
    assert odd.count('<li><a href="../../Tricky/Sub%20') == 10  # its notes, and its children's
    assert '<a href="../../Tricky/Sub%200/C%2B%2B%20%26%20co/">C++ &amp; co</a>' in odd
