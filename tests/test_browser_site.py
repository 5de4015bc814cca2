"""This repository's own vault, built for real and read in headless Chromium: the graph,
the explorer, search, and no console error or failed request anywhere we go."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, Page

from notesite.vault import load_vault, walk_vault
from tests.browsing import build_and_serve, watched_page
from tests.conftest import REPO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("notes-site")
    config = yaml.safe_load(
        (REPO / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("!!python/object/apply:pymdownx.slugs.slugify", "")
    )
    config.pop("markdown_extensions", None)  # the plugin's defaults are the same slugify
    config.update(docs_dir=str(REPO / "notes"))
    config["theme"]["custom_dir"] = str(REPO / "templates")
    with build_and_serve(root, config, "--strict") as url:
        yield url


@pytest.fixture
def page(browser: Browser, served: str, outside: list[str]) -> Iterator[Page]:
    with watched_page(browser, served, outside, viewport={"width": 1400, "height": 900}) as opened:
        yield opened


def public_note_count() -> int:
    notes, _ = load_vault(walk_vault(REPO / "notes"))
    return sum(1 for note in notes if note.published)


def test_global_graph_draws_every_public_note_and_opens_one_on_click(
    page: Page, served: str
) -> None:
    page.goto(served + "graph/")
    graph = page.locator(".ns-graph--global")
    page.wait_for_function(
        "document.querySelector('.ns-graph--global').dataset.nsGraphReady !== undefined"
    )
    assert int(graph.get_attribute("data-ns-graph-nodes") or 0) == public_note_count()
    page.wait_for_function(
        "document.querySelector('.ns-graph--global').dataset.nsGraphSettled !== undefined",
        timeout=30000,
    )
    point = page.evaluate(
        "window.notesiteGraph.nodeAt(document.querySelector('.ns-graph--global'), 'Wikilinks')"
    )
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(served + "Syntax/Wikilinks/")


def test_local_graph_shows_a_notes_neighbourhood(page: Page, served: str) -> None:
    page.goto(served + "Design/Architecture/")
    local = page.locator(".ns-graph--local")
    local.scroll_into_view_if_needed()
    page.wait_for_function(
        "document.querySelector('.ns-graph--local').dataset.nsGraphReady !== undefined"
    )
    nodes = int(local.get_attribute("data-ns-graph-nodes") or 0)
    assert 1 < nodes < public_note_count()


def test_explorer_opens_a_folder(page: Page, served: str) -> None:
    page.goto(served)
    explorer = page.locator(".ns-explorer")
    page.wait_for_function("document.querySelector('.ns-explorer')?.dataset.ready === 'true'")
    folder = explorer.locator("summary", has_text="Design").first
    # (exactly: Design holds the canvas "Architecture map" too)
    architecture = re.compile(r"^Architecture$")
    notes_before = explorer.locator("a.ns-explorer__note", has_text=architecture).count()
    assert notes_before == 0  # a closed folder has not rendered its notes
    folder.click()
    link = explorer.locator("a.ns-explorer__note", has_text=architecture)
    link.click()
    page.wait_for_url(served + "Design/Architecture/")
    page.wait_for_function("document.querySelector('.ns-explorer')?.dataset.ready === 'true'")
    assert page.locator(".ns-explorer a[aria-current=page]").inner_text() == "Architecture"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Callouts", "Callouts"),  # a title
        ("Quickstart", "Getting started"),  # an alias
        ("privacy", "Private notes"),  # a tag
        ("youtube-nocookie", "How video notes work"),  # content
    ],
)
def test_search_finds_notes_by_title_alias_tag_and_content(
    page: Page, served: str, query: str, expected: str
) -> None:
    page.goto(served)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(query, delay=40)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20000)
    titles = [t.strip() for t in page.locator(".md-search-result__article h1").all_inner_texts()]
    assert expected in titles[:5], titles


def test_search_knows_nothing_of_private_notes(page: Page, served: str) -> None:
    index = (page.request.get(served + "search/search_index.json")).text()
    private = (REPO / "notes/Drafts/Unpublished idea.md").read_text(encoding="utf-8")
    assert "An idea to try later" in private
    assert "Unpublished idea" not in index and "An idea to try later" not in index
    assert "Quickstart" in index  # the index is the real one


def test_comments_are_in_no_file_of_the_site(page: Page, served: str) -> None:
    source = (REPO / "notes/Syntax/Highlights, comments and math.md").read_text(encoding="utf-8")
    comments = [
        "A reminder to myself, which you cannot see here.",
        "This whole paragraph is in the source",
    ]
    assert all(c in source for c in comments)
    for url in (
        "search/search_index.json",
        "Syntax/Highlights%2C%20comments%20and%20math/",
        "assets/notesite/graph.json",
    ):
        text = page.request.get(served + url).text()
        assert not any(c in text for c in comments), url
