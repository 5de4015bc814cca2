"""The graph view in a real headless Chromium, on a static site made from graph_json.

The pages are written here rather than built by MkDocs: graph.js needs only graph.json, its
own CSS and a container, and the note pages hold the real partial, rendered with Jinja.
"""

from __future__ import annotations

import html
import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from playwright.sync_api import Browser, Page, expect
from pymdownx.slugs import slugify

from notesite.graph import LinkGraph
from notesite.loader import Note, load_note
from notesite.paths import VaultPath
from notesite.site.graph_data import graph_json
from notesite.theme import templates_dir
from tests.browsing import serve, watched_page

pytestmark = pytest.mark.browser

VAULT = {
    "Home.md": "[[A]] [[B]]",
    "Ideas/A.md": "---\ntitle: Alpha\n---\n[[B]] [[C]] [[Nowhere]]",
    "Ideas/B.md": "---\ntitle: Beta\n---\n",
    "Ideas/C.md": "---\ntitle: Gamma\n---\n[[D]]",
    "Other/D.md": "---\ntitle: Delta\n---\n",
    "Lone.md": "",
    "Secret.md": "---\npublish: false\n---\n[[Home]] [[A]]",
}
URLS = {VaultPath(p): "" if p == "Home.md" else p[:-3] + "/" for p in VAULT}
PUBLISHED = 6

#: Two palettes, as mkdocs-material switches them on <body>.
STYLE = """
body { margin: 0; font-family: sans-serif; --md-default-bg-color: #ffffff;
  --md-default-fg-color: rgba(0, 0, 0, 0.87); --md-default-fg-color--light: rgb(0, 0, 255);
  --md-default-fg-color--lighter: rgba(0, 0, 0, 0.32); --md-accent-fg-color: #526cfe; }
body[data-md-color-scheme="slate"] { --md-default-bg-color: #1e2129;
  --md-default-fg-color: rgba(255, 255, 255, 0.82); --md-default-fg-color--light: rgb(255, 0, 0);
  --md-default-fg-color--lighter: rgba(255, 255, 255, 0.32); }
"""


def _page(title: str, body: str, depth: int) -> str:
    up = "../" * depth
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f"<title>{html.escape(title)}"
        f'</title><link rel="stylesheet" href="{up}assets/notesite/graph.css">'
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}"
        f'<script src="{up}assets/notesite/graph.js" defer></script></body></html>'
    )


def write_site(root: Path) -> None:
    notes: list[Note] = []
    for path, text in VAULT.items():
        note = load_note(VaultPath(path), text.encode()).note
        assert note is not None
        notes.append(note)
    graph = LinkGraph(notes, slugify=slugify(case="lower"))
    (root / "graph.json").write_text(graph_json(graph, URLS), encoding="utf-8")
    shutil.copytree(templates_dir() / "assets" / "notesite", root / "assets" / "notesite")
    partial = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())), autoescape=True
    ).get_template("partials/notesite-graph.html")
    for path, url in URLS.items():
        if not graph.notes[path].published:
            continue
        depth = url.count("/")
        local = partial.render(
            notesite_graph={"url": "../" * depth + "graph.json", "current": url, "depth": 1}
        )
        page = root / url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(graph.notes[path].title, local, depth), encoding="utf-8")
    # The graph page: the global graph, and far below it a local one, loaded only when seen.
    body = (
        '<div class="ns-graph ns-graph--global" data-graph-url="../graph.json"></div>'
        '<div style="height: 3000px"></div>'
        '<div id="far" class="ns-graph ns-graph--local" data-graph-url="../graph.json"'
        ' data-current="Ideas/A/" data-depth="1"></div>'
    )
    (root / "graph").mkdir()
    (root / "graph" / "index.html").write_text(_page("Graph", body, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Write the static site and serve it on loopback; yields the base URL."""
    root = tmp_path_factory.mktemp("graph-site")
    write_site(root)
    with serve(root) as url:
        yield url


@pytest.fixture
def requested() -> list[str]:
    """Every URL the page asked for."""
    return []


@pytest.fixture
def page(browser: Browser, served: str, outside: list[str], requested: list[str]) -> Iterator[Page]:
    with watched_page(
        browser, served, outside, on_request=lambda r: requested.append(r.url)
    ) as opened:
        yield opened


GLOBAL = ".ns-graph--global"


def ready(page: Page, selector: str) -> dict[str, str]:
    """Wait for a graph's first frame and for its layout to settle; its data attributes."""
    page.locator(f"{selector}[data-ns-graph-ready][data-ns-graph-settled]").wait_for()
    data: dict[str, str] = page.locator(selector).evaluate("e => ({...e.dataset})")
    return data


def node_at(page: Page, selector: str, title: str) -> dict[str, float]:
    point: dict[str, float] | None = page.evaluate(
        "([s, t]) => window.notesiteGraph.nodeAt(document.querySelector(s), t)", [selector, title]
    )
    assert point is not None, f"no node {title!r} in {selector}"
    return point


def pixel(page: Page, selector: str, point: dict[str, float]) -> list[int]:
    """The canvas's colour at a client point."""
    colour: list[int] = page.evaluate(
        """([s, p]) => {
          const canvas = document.querySelector(s + ' canvas');
          const rect = canvas.getBoundingClientRect();
          const scale = canvas.width / rect.width;
          const x = Math.round((p.x - rect.left) * scale), y = Math.round((p.y - rect.top) * scale);
          return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
        }""",
        [selector, point],
    )
    return colour


def test_global_graph_draws_every_published_note(page: Page, served: str) -> None:
    page.goto(served + "graph/")
    data = ready(page, GLOBAL)
    assert data["nsGraphNodes"] == str(PUBLISHED)
    assert float(data["nsGraphReady"]) < 2000
    label = page.locator(f"{GLOBAL} canvas").get_attribute("aria-label") or ""
    assert "6 nodes, 5 links" in label
    titles = page.locator(f"{GLOBAL} .ns-graph__list a").all_inner_texts()
    assert sorted(titles) == ["Alpha", "Beta", "Delta", "Gamma", "Home", "Lone"]
    hrefs = page.locator(f"{GLOBAL} .ns-graph__list a").evaluate_all("as => as.map(a => a.href)")
    assert served + "Ideas/C/" in hrefs and served in hrefs  # resolved against the site root
    for title in titles:
        assert pixel(page, GLOBAL, node_at(page, GLOBAL, title))[3] == 255, title


def test_hovering_a_node_names_it(page: Page, served: str) -> None:
    page.goto(served + "graph/")
    ready(page, GLOBAL)
    tooltip = page.locator(f"{GLOBAL} .ns-graph__tooltip")
    assert tooltip.is_hidden()
    point = node_at(page, GLOBAL, "Gamma")
    page.mouse.move(point["x"], point["y"])
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text() == "Gamma"
    page.mouse.move(5, 5)
    tooltip.wait_for(state="hidden")


def test_clicking_a_node_opens_its_note(page: Page, served: str) -> None:
    page.goto(served + "graph/")
    ready(page, GLOBAL)
    point = node_at(page, GLOBAL, "Delta")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(served + "Other/D/")
    # The note's page shows its own neighbourhood: Delta and Gamma.
    data = ready(page, ".ns-graph--local")
    assert data["nsGraphNodes"] == "2"
    assert data["current"] == "Other/D/"


def test_dragging_the_background_pans_and_the_wheel_zooms(page: Page, served: str) -> None:
    page.goto(served + "graph/")
    ready(page, GLOBAL)
    before = node_at(page, GLOBAL, "Lone")
    box = page.locator(f"{GLOBAL} canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 65, box["y"] + 45, steps=5)
    page.mouse.up()
    after = node_at(page, GLOBAL, "Lone")
    assert (round(after["x"] - before["x"]), round(after["y"] - before["y"])) == (60, 40)
    assert page.url == served + "graph/"
    home = node_at(page, GLOBAL, "Home")
    page.mouse.move(after["x"], after["y"])
    page.mouse.wheel(0, -300)
    page.wait_for_function(
        "([s, x]) => window.notesiteGraph.nodeAt(document.querySelector(s), 'Home').x !== x",
        arg=[GLOBAL, home["x"]],
    )
    lone = node_at(page, GLOBAL, "Lone")  # the point under the cursor stays put
    assert abs(lone["x"] - after["x"]) < 0.5 and abs(lone["y"] - after["y"]) < 0.5
    zoomed = node_at(page, GLOBAL, "Home")
    ratio = math.dist(zoomed.values(), lone.values()) / math.dist(home.values(), after.values())
    assert 1.5 < ratio < 2.2  # zoomed in around the cursor


def test_local_graph_loads_when_seen_and_shows_the_neighbourhood(
    page: Page, served: str, requested: list[str]
) -> None:
    page.goto(served + "graph/")
    ready(page, GLOBAL)
    far = page.locator("#far")
    assert far.get_attribute("data-ns-graph-ready") is None  # not drawn while out of sight
    far.scroll_into_view_if_needed()
    data = ready(page, "#far")
    # Alpha, what it links to (Beta, Gamma) and what links to it (Home); not the private note.
    assert data["nsGraphNodes"] == "4"
    titles = page.locator("#far .ns-graph__list a").all_inner_texts()
    assert titles == ["Alpha", "Beta", "Gamma", "Home"]  # the note first, then by title
    assert page.locator("#far .ns-graph__list a[aria-current=page]").inner_text() == "Alpha"
    assert [u for u in requested if u.endswith("graph.json")] == [served + "graph.json"]


def test_the_keyboard_walks_the_nodes_and_opens_one(page: Page, served: str) -> None:
    page.goto(served + "Ideas/A/")
    ready(page, ".ns-graph--local")
    canvas = page.locator(".ns-graph--local canvas")
    assert "4 nodes, 4 links" in (canvas.get_attribute("aria-label") or "")
    canvas.focus()
    status = page.locator(".ns-graph--local [role=status]")
    page.keyboard.press("ArrowRight")
    expect(status).to_have_text("Alpha, 3 links")
    page.keyboard.press("ArrowRight")
    expect(status).to_have_text("Beta, 2 links")
    expect(page.locator(".ns-graph--local .ns-graph__tooltip")).to_have_text("Beta")
    page.keyboard.press("Escape")
    expect(status).to_have_text("")
    page.keyboard.press("ArrowLeft")  # from nothing, backwards: the last one
    expect(status).to_have_text("Home, 2 links")
    page.keyboard.press("ArrowRight")  # and round to the first
    expect(status).to_have_text("Alpha, 3 links")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url(served + "Ideas/B/")


def test_colours_follow_the_palette(page: Page, served: str) -> None:
    page.goto(served + "graph/")
    ready(page, GLOBAL)
    lone = node_at(page, GLOBAL, "Lone")  # a note at the vault's root: the --light colour
    assert pixel(page, GLOBAL, lone)[:3] == [0, 0, 255]
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_function(
        "([s, p]) => { const c = document.querySelector(s + ' canvas');"
        " const r = c.getBoundingClientRect(), k = c.width / r.width;"
        " const d = c.getContext('2d').getImageData(Math.round((p.x - r.left) * k),"
        " Math.round((p.y - r.top) * k), 1, 1).data; return d[0] === 255 && d[2] === 0; }",
        arg=[GLOBAL, lone],
    )


def test_a_page_outside_the_graph_draws_nothing(page: Page, served: str) -> None:
    page.goto(served + "graph/")
    ready(page, GLOBAL)
    page.evaluate(
        """() => {
          const box = document.createElement('div');
          box.className = 'ns-graph ns-graph--local';
          box.dataset.graphUrl = '../graph.json';
          box.dataset.current = 'Secret/';
          document.body.prepend(box);
          window.notesiteGraph.init(document);
        }"""
    )
    box = page.locator(".ns-graph--local").first
    page.wait_for_function("() => document.querySelector('.ns-graph--local').dataset.nsGraphReady")
    assert box.get_attribute("data-ns-graph-nodes") == "0"
    assert box.is_hidden()
    assert "Secret" not in json.dumps(
        page.evaluate("() => fetch('../graph.json').then(r => r.json())")
    )


def test_dragging_a_node_moves_it_without_opening_it(page: Page, served: str) -> None:
    page.goto(served + "graph/")
    ready(page, GLOBAL)
    start = node_at(page, GLOBAL, "Lone")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 30, start["y"] + 20, steps=4)
    moved = node_at(page, GLOBAL, "Lone")  # held under the pointer
    assert abs(moved["x"] - start["x"] - 30) < 1 and abs(moved["y"] - start["y"] - 20) < 1
    page.mouse.up()
    page.locator(f"{GLOBAL}[data-ns-graph-settled]").wait_for()
    assert page.url == served + "graph/"
