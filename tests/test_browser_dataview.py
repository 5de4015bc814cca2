"""Dataview query results in a real browser: sortable tables, hover previews of result links,
and a live-preview edit of a property reaching the table on another page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.browsing import build_and_serve, watched_page
from tests.conftest import write_vault
from tests.test_live import Server, free_port

VAULT = {
    "Alpha.md": "---\ntags: [paper]\n---\nAlpha begins here.\n\nstatus:: reading\nrating:: 4\n",
    "Beta.md": "---\ntags: [paper]\n---\nBeta begins here.\n\nstatus:: done\nrating:: 10\n",
    "Gamma.md": "---\ntags: [paper]\n---\nGamma begins here.\n\nstatus:: reading\n",
    "Reading.md": (
        "# Reading\n\n```dataview\nTABLE status, rating FROM #paper SORT file.name\n```\n\n"
        "Open: `= length(filter([[Alpha]].file.inlinks, (l) => true))` links.\n"
    ),
}
CONFIG = {"site_name": "Queries", "theme": {"name": "material", "font": False}}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("dataview")
    write_vault(root / "vault", VAULT)
    config = {**CONFIG, "docs_dir": str(root / "vault"), "plugins": ["search", "notesite"]}
    with build_and_serve(root, config) as url:
        yield url


@pytest.fixture
def page(browser: Browser, served: str, outside: list[str]) -> Iterator[Page]:
    with watched_page(browser, served, outside) as opened:
        yield opened


def column(page: Page, n: int) -> list[str]:
    cells = page.locator(f"table[data-ns-sortable] tbody tr td:nth-child({n})")
    return [text.strip() for text in cells.all_inner_texts()]


def test_a_click_on_a_header_sorts_the_rows(page: Page, served: str) -> None:
    page.goto(served + "Reading/")
    assert column(page, 1) == ["Alpha", "Beta", "Gamma"]
    header = page.locator("table[data-ns-sortable] th", has_text="rating")
    header.click()
    assert column(page, 3) == ["4", "10", ""]  # numbers as numbers; empty cells last
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert column(page, 3) == ["", "10", "4"]
    assert header.get_attribute("aria-sort") == "descending"
    page.locator("table[data-ns-sortable] th", has_text="status").press("Enter")
    assert column(page, 2) == ["done", "reading", "reading"]


def test_a_result_link_has_the_hover_preview(page: Page, served: str) -> None:
    page.goto(served + "Reading/")
    page.locator("table[data-ns-sortable] a", has_text="Beta").hover()
    preview = page.locator("#ns-preview")
    preview.wait_for(state="visible")
    assert "Beta begins here." in preview.inner_text()


def test_a_property_edit_updates_the_table_in_the_live_preview(
    browser: Browser, tmp_path: Path, outside: list[str]
) -> None:
    vault = tmp_path / "vault"
    write_vault(vault, VAULT)
    port = free_port()
    settings = {
        **CONFIG,
        "docs_dir": str(vault),
        "site_dir": str(tmp_path / "unused"),
        "plugins": ["search", {"notesite": {"workers": 1}}],
    }
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    server = Server(config, port, tmp_path / "serve")
    try:
        server.wait_for("Serving on", 1)
        url = f"http://127.0.0.1:{port}/"
        with watched_page(browser, url, outside) as page:
            page.goto(url + "Reading/")
            status = page.locator("table[data-ns-sortable] tbody tr").nth(1).locator("td").nth(1)
            expect(status).to_have_text("done")
            write_vault(
                vault, {"Beta.md": VAULT["Beta.md"].replace("status:: done", "status:: abandoned")}
            )
            server.wait_for("Reloading browsers", 1)
            expect(status).to_have_text("abandoned", timeout=30_000)  # the page reloaded itself
    finally:
        server.stop()
