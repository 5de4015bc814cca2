"""No raw Markdown or Obsidian syntax on any page: every page of real builds is walked.

Built: the project's own vault (notes/, with its mkdocs.yml), the vaults the other tests build,
and a vault of the user's real notes. On every page, the places that show a note's text away
from its own page are read as a reader sees them (code, math and diagrams left aside, where
such characters belong): the backlinks panel's quotes, embeds, canvases (any element with a
``canvas`` class), and what a hover preview shows of the page (its article, less what
previews.js drops). None may hold ``[[``, ``]]``, ``%%``, ``==`` or a backtick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import REPO, SEEDS, BuildSite, run_mkdocs, seed_files

#: What a reader must never see outside code and math.
RAW = ("[[", "]]", "%%", "==", "`")
#: Where such characters are the text itself.
VERBATIM = "code, pre, kbd, samp, script, style, textarea, .arithmatex, .mermaid"
#: What previews.js leaves out of the page it previews (its DROPPED list).
NOT_PREVIEWED = (
    "script, style, link, meta, noscript, template, iframe, object, embed, frame, form, "
    "section.backlinks, .ns-graph, .ns-video, a.headerlink, .md-content__button, .md-source-file"
)
#: Where a note's text is shown away from its own page, and how to find it.
PLACES = {
    "backlink quote": "section.backlinks .backlinks__context",
    "embed": ".ns-embed",
    "canvas": "[class*='canvas']",
}


def raw_syntax(html: str) -> list[str]:
    """The raw syntax a reader sees in a piece of HTML, with a little text around each."""
    tree = LexborHTMLParser(html)
    for node in tree.css(VERBATIM):
        node.decompose()
    text = " ".join((tree.body.text() if tree.body else "").split())
    found = []
    for mark in RAW:
        at = text.find(mark)
        if at >= 0:
            found.append(f"{mark!r} in {text[max(0, at - 40) : at + 40]!r}")
    return found


def problems_of(site: Path) -> list[str]:
    """Every raw syntax found on the site's pages: ``page: place: what``."""
    found: list[str] = []
    for page in sorted(site.rglob("*.html")):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        name = page.relative_to(site).as_posix()
        for place, selector in PLACES.items():
            for node in tree.css(selector):
                found += [f"{name}: {place}: {p}" for p in raw_syntax(node.html or "")]
        article = tree.css_first("article.md-content__inner") or tree.css_first("article")
        if article is not None:
            previewed = LexborHTMLParser(article.html or "")
            for node in previewed.css(NOT_PREVIEWED):
                node.decompose()
            body = previewed.body
            found += [f"{name}: preview: {p}" for p in raw_syntax(body.html if body else "")]
    return found


def suite_vaults() -> Iterator[tuple[str, Mapping[str, str | bytes]]]:
    """The vaults the other tests build, by module and name."""
    from tests import (
        test_browser_graph,
        test_browser_previews,
        test_build,
        test_cli,
        test_feed,
        test_graph,
        test_graph_data,
        test_live,
        test_privacy,
        test_quotes,
        test_render_site,
    )

    modules: list[Any] = [
        test_browser_graph,
        test_browser_previews,
        test_build,
        test_cli,
        test_feed,
        test_graph,
        test_graph_data,
        test_live,
        test_privacy,
        test_quotes,
        test_render_site,
    ]
    for module in modules:
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, dict) and any(".md" in k for k in value):
                yield f"{module.__name__.rsplit('.', 1)[-1]}.{name}", value


VAULTS: dict[str, Callable[[], Mapping[str, str | bytes]]] = {
    name: (lambda files=files: files) for name, files in suite_vaults()
}


@pytest.mark.parametrize("name", sorted(VAULTS))
def test_no_raw_syntax_on_the_pages_of_the_test_vaults(build_site: BuildSite, name: str) -> None:
    site = build_site(VAULTS[name]())
    assert site.returncode == 0, site.log
    assert problems_of(site.site) == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout")
def test_no_raw_syntax_on_the_pages_of_the_real_notes(build_site: BuildSite) -> None:
    site = build_site(seed_files(), strict=True)
    assert site.returncode == 0, site.log
    assert problems_of(site.site) == []


def test_no_raw_syntax_on_the_pages_of_the_project_notes(tmp_path: Path) -> None:
    result = run_mkdocs(REPO / "mkdocs.yml", "--strict", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert problems_of(tmp_path / "site") == []


def test_the_walk_finds_raw_syntax_where_there_is_some() -> None:
    """The check itself: it sees what a reader would see, and not what code and math hold."""
    assert raw_syntax("<p>See [[Note]] or ==this== and `code` %%x%%</p>") == [
        "'[[' in 'See [[Note]] or ==this== and `code` %%x%%'",
        "']]' in 'See [[Note]] or ==this== and `code` %%x%%'",
        "'%%' in 'See [[Note]] or ==this== and `code` %%x%%'",
        "'==' in 'See [[Note]] or ==this== and `code` %%x%%'",
        "'`' in 'See [[Note]] or ==this== and `code` %%x%%'",
    ]
    assert raw_syntax('<p><code>[[x]] == `</code> <span class="arithmatex">a == b</span></p>') == []
