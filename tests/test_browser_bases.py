"""A base's views in headless Chromium: one shown at a time, switched by their tabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browsing import build_and_serve, watched_page
from tests.conftest import write_vault
from tests.test_bases import PAPERS, READING

pytestmark = pytest.mark.browser


def test_switching_the_views_of_a_base(
    browser: Browser, tmp_path: Path, outside: list[str]
) -> None:
    vault = tmp_path / "vault"
    write_vault(vault, {**PAPERS, "Reading list.base": READING})
    config = {
        "site_name": "Bases",
        "docs_dir": str(vault),
        "theme": {"name": "material", "font": False},
        "plugins": ["notesite"],
    }
    with (
        build_and_serve(tmp_path, config, "--strict") as served,
        watched_page(browser, served, outside) as page,
    ):
        page.goto(served + "Reading%20list/")
        blocks = page.locator(".ns-base .tabbed-block")
        table, cards, grouped = blocks.nth(0), blocks.nth(1), blocks.nth(2)
        assert table.is_visible() and not cards.is_visible() and not grouped.is_visible()
        assert table.locator("tbody tr").count() == 2
        page.get_by_text("Cards", exact=True).click()
        assert cards.is_visible() and not table.is_visible()
        assert cards.locator(".ns-base-card").count() == 2
        page.get_by_text("By status", exact=True).click()
        assert grouped.is_visible() and not cards.is_visible()
        assert grouped.locator(".ns-base-group strong").all_inner_texts() == [
            "done",
            "reading",
        ]
        page.get_by_text("Table", exact=True).click()
        assert table.is_visible() and not grouped.is_visible()
