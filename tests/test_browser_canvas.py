"""Canvases in a real headless Chromium: pan, zoom, fit, links and previews, and no request
leaving the site (a link node fetches nothing before a click). Built with a real
``mkdocs build`` and served on loopback, as in ``test_browser.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browsing import build_and_serve, watched_page
from tests.conftest import write_vault

pytestmark = pytest.mark.browser


def _node(node_id: str, kind: str, x: int, y: int, **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "type": kind, "x": x, "y": y, "width": 260, "height": 140, **extra}


MAP = {
    "nodes": [
        _node("g", "group", -40, -80, label="Everything", width=1500, height=1000, color="5"),
        _node("t", "text", 0, 0, text="Start at [[Beta]]: its preview shows on hover."),
        _node("f", "file", 600, 0, file="Alpha.md", subpath="#Second"),
        _node("l", "link", 0, 600, url="https://example.com/page"),
        _node("far", "text", 1200, 800, text="The far corner."),
    ],
    "edges": [{"id": "e", "fromNode": "t", "toNode": "f", "label": "leads to"}],
}

VAULT = {
    "Alpha.md": "# Alpha\n\nAlpha's opening.\n\n## Second\n\nThe second part of Alpha.\n",
    "Beta.md": "# Beta\n\nBeta's own first paragraph.\n",
    "Map.canvas": json.dumps(MAP, indent="\t"),
    "Host.md": "# Host\n\nSee [[Map.canvas|the map]].\n\nThe map, embedded:\n\n![[Map.canvas]]\n\n"
    + "After the map.\n\n" * 60,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("canvas-browser")
    write_vault(root / "vault", VAULT)
    config = {
        "site_name": "Canvas",
        "docs_dir": str(root / "vault"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "notesite"],
    }
    with build_and_serve(root, config, "--strict") as url:
        yield url


@pytest.fixture
def page(browser: Browser, served: str) -> Iterator[Page]:
    outside: list[str] = []
    with watched_page(browser, served, outside, viewport={"width": 1280, "height": 900}) as opened:
        yield opened
    assert outside == []


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def zoom(page: Page) -> float:
    return float(page.locator(".ns-canvas").first.get_attribute("data-zoom") or "nan")


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def open_canvas(page: Page, url: str) -> None:
    page.goto(url)
    page.locator(".ns-canvas.ns-canvas--js").first.wait_for()


def test_the_canvas_opens_fitted_and_pans_zooms_and_fits_again(page: Page, served: str) -> None:
    open_canvas(page, served + "Map.canvas/")
    viewport = box(page, ".ns-canvas")
    # Fitted: the whole board, the far corner too, is in view, scaled down.
    assert inside(box(page, ".ns-canvas__board"), viewport)
    assert inside(box(page, '[data-node="far"]'), viewport)
    fitted = zoom(page)
    assert 0.1 <= fitted < 1

    # A drag pans: every node moves by the drag.
    before = box(page, '[data-node="t"]')
    x, y = viewport["x"] + 20, viewport["y"] + viewport["height"] - 20
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y - 30, steps=5)
    page.mouse.move(x + 120, y - 60, steps=5)
    page.mouse.up()
    after = box(page, '[data-node="t"]')
    assert (round(after["x"] - before["x"]), round(after["y"] - before["y"])) == (120, -60)
    assert zoom(page) == fitted

    # The wheel with Ctrl (a trackpad's pinch) zooms in at the pointer, which stays put.
    at = box(page, '[data-node="f"]')
    px, py = at["x"] + 10, at["y"] + 10
    page.mouse.move(px, py)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    page.wait_for_function(f"document.querySelector('.ns-canvas').dataset.zoom > {fitted}")
    zoomed = zoom(page)
    grown = box(page, '[data-node="f"]')
    assert grown["width"] > at["width"]
    assert abs((px - grown["x"]) - (px - at["x"]) * zoomed / fitted) < 1.5

    # The wheel alone pans on a canvas's page.
    before = box(page, '[data-node="f"]')
    page.mouse.wheel(0, 80)
    page.wait_for_function(
        f"document.querySelector('[data-node=\"f\"]').getBoundingClientRect().y < {before['y'] - 40}"
    )

    # The buttons: zoom in and out by a step, and fit.
    page.get_by_role("button", name="Zoom in").click()
    assert zoom(page) == pytest.approx(min(4, zoomed * 1.2), abs=0.002)
    page.get_by_role("button", name="Zoom out").click()
    assert zoom(page) == pytest.approx(zoomed, abs=0.002)
    page.get_by_role("button", name="Fit the canvas").click()
    assert zoom(page) == pytest.approx(fitted, abs=0.002)
    assert inside(box(page, ".ns-canvas__board"), viewport)


def test_a_file_node_leads_to_its_note_and_a_text_link_previews(page: Page, served: str) -> None:
    open_canvas(page, served + "Map.canvas/")
    link = page.locator('[data-node="t"] a.ns-wikilink')
    link.hover()
    preview = page.locator("#ns-preview")
    preview.wait_for(state="visible")
    assert "Beta's own first paragraph." in preview.inner_text()
    page.mouse.move(0, 0)

    title = page.locator('[data-node="f"] a.ns-canvas__file-title')
    assert title.inner_text() == "Alpha › Second"
    title.click()
    page.wait_for_url(served + "Alpha/#second")
    assert page.locator("article h1").first.inner_text() == "Alpha"


def test_a_link_to_a_canvas_previews_its_text_cards(page: Page, served: str) -> None:
    page.goto(served + "Host/")
    page.locator("article p a.ns-wikilink", has_text="the map").hover()
    preview = page.locator("#ns-preview")
    preview.wait_for(state="visible")
    assert preview.locator(".ns-preview__title").inner_text() == "Map"
    assert "Start at Beta: its preview shows on hover." in preview.inner_text()
    assert preview.locator(".ns-canvas, .ns-canvas__node, svg").count() == 0


def test_a_drag_that_ends_on_a_link_does_not_follow_it(page: Page, served: str) -> None:
    open_canvas(page, served + "Map.canvas/")
    title = box(page, '[data-node="f"] a.ns-canvas__file-title')
    x, y = title["x"] + 5, title["y"] + title["height"] / 2
    page.mouse.move(x - 80, y)
    page.mouse.down()
    page.mouse.move(x, y, steps=8)
    page.mouse.up()
    page.wait_for_timeout(200)
    assert page.url == served + "Map.canvas/"


def test_an_embedded_canvas_pans_and_lets_the_page_scroll(page: Page, served: str) -> None:
    open_canvas(page, served + "Host/")
    embed = page.locator(".ns-embed--canvas .ns-canvas--embed")
    assert embed.locator('[data-node="t"]').inner_text().startswith("Start at Beta")
    assert inside(box(page, ".ns-canvas--embed .ns-canvas__board"), box(page, ".ns-canvas--embed"))
    at = box(page, ".ns-canvas--embed")
    page.mouse.move(at["x"] + at["width"] / 2, at["y"] + at["height"] / 2)
    page.mouse.wheel(0, 200)
    page.wait_for_function("window.scrollY > 0")


def test_a_canvas_reads_without_javascript(browser: Browser, served: str) -> None:
    outside: list[str] = []
    with watched_page(browser, served, outside, java_script_enabled=False) as opened:
        opened.goto(served + "Map.canvas/")
        text = box(opened, '[data-node="t"]')
        card = box(opened, '[data-node="f"]')
        # Placed by CSS alone, at the canvas's own scale: 600 units apart, 260 wide.
        assert round(card["x"] - text["x"]) == 600
        assert round(text["width"]) == 260
        assert "leads to" in opened.locator(".ns-canvas").inner_text()
        assert opened.locator(".ns-canvas__controls").count() == 0
    assert outside == []


def test_one_finger_pans_and_two_fingers_pinch(browser: Browser, served: str) -> None:
    outside: list[str] = []
    options = {"has_touch": True, "viewport": {"width": 800, "height": 900}}
    with watched_page(browser, served, outside, **options) as opened:
        open_canvas(opened, served + "Map.canvas/")
        touch = opened.context.new_cdp_session(opened)

        def send(kind: str, *points: tuple[float, float]) -> None:
            touch_points = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
            touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

        at = box(opened, ".ns-canvas")
        cx, cy = at["x"] + at["width"] / 2, at["y"] + at["height"] / 2
        before, fitted = box(opened, '[data-node="t"]'), zoom(opened)
        send("touchStart", (cx, cy))
        for step in range(1, 6):
            send("touchMove", (cx + 10 * step, cy + 8 * step))
        send("touchEnd")
        after = box(opened, '[data-node="t"]')
        assert (round(after["x"] - before["x"]), round(after["y"] - before["y"])) == (50, 40)

        send("touchStart", (cx - 20, cy), (cx + 20, cy))
        for step in range(1, 6):
            send("touchMove", (cx - 20 - 16 * step, cy), (cx + 20 + 16 * step, cy))
        send("touchEnd")
        assert zoom(opened) == pytest.approx(min(4, fitted * 200 / 40), rel=0.01)
    assert outside == []
