"""Behaviour in a real headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browsing import build_and_serve, watched_page
from tests.conftest import SEEDS, seed_files, write_vault

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout"),
]


EXTRA = {
    "Math.md": (
        "Inline $e^{i\\pi} + 1 = 0$ costs $5.\n\n$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$\n\n"
        "```mermaid\ngraph LR\n  Loader --> Graph\n```\n"
    ),
    # A video note of its own, embedding the seeds' video note whole.
    "Watching.md": (
        "---\nvideoId: dQw4w9WgXcQ\n---\nMine at "
        '<a class="yt-timestamp" data-t="00:00:10">[00:00:10]</a>.\n\n![[000_ffa97317a3ed214f]]\n'
    ),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the seeds' vault and serve it on loopback; yields the base URL."""
    root = tmp_path_factory.mktemp("browser")
    write_vault(root / "vault", {**seed_files(), **EXTRA})
    config = {
        "site_name": "Seeds",
        "docs_dir": str(root / "vault"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "notesite"],
    }
    with build_and_serve(root, config) as url:
        yield url


@pytest.fixture
def page(browser: Browser, served: str, outside: list[str]) -> Iterator[Page]:
    # The only other host a page may ever reach: the video player, after the reader asks for it.
    with watched_page(
        browser,
        served,
        outside,
        allowed_outside=lambda url: url.startswith("https://www.youtube-nocookie.com/embed/"),
        ignored_error=lambda text: "youtube" in text.casefold(),
    ) as opened:
        yield opened


def test_video_note_timestamp_starts_the_player_at_that_second(
    page: Page, served: str, outside: list[str]
) -> None:
    page.goto(served + "000_ffa97317a3ed214f/")
    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0
    assert outside == []  # nothing is asked of YouTube before a click
    facade = page.locator(".ns-video__facade")
    assert facade.get_attribute("href") == "https://www.youtube.com/watch?v=cQ48rP_Rs4g"
    page.locator("a.ns-timestamp", has_text="[00:36:01]").click()
    iframe = page.locator(".ns-video iframe")
    iframe.wait_for()
    src = iframe.get_attribute("src") or ""
    assert src.startswith("https://www.youtube-nocookie.com/embed/cQ48rP_Rs4g?")
    assert "start=2161" in src
    assert page.url == served + "000_ffa97317a3ed214f/"  # the click did not leave the page
    page.locator("a.ns-timestamp", has_text="[00:31:00]").click()
    page.wait_for_function("document.querySelector('.ns-video iframe').src.includes('start=1860')")


def test_a_timestamp_of_an_embedded_video_note_plays_that_notes_player(
    page: Page, served: str
) -> None:
    page.goto(served + "Watching/")
    own, embedded = page.locator(".ns-video"), page.locator(".ns-embed .ns-video")
    assert own.count() == 2 and embedded.count() == 1
    page.locator(".ns-embed a.ns-timestamp", has_text="[00:36:01]").click()
    embedded.locator("iframe").wait_for()
    src = embedded.locator("iframe").get_attribute("src") or ""
    assert src.startswith("https://www.youtube-nocookie.com/embed/cQ48rP_Rs4g?")
    assert "start=2161" in src
    assert own.first.locator("iframe").count() == 0  # the page's own player was not touched
    page.locator("a.ns-timestamp", has_text="[00:00:10]").click()
    own.first.locator("iframe").wait_for()
    assert "/embed/dQw4w9WgXcQ?" in (own.first.locator("iframe").get_attribute("src") or "")
    assert page.url == served + "Watching/"


def test_seed_pages_load_without_errors_and_link_to_each_other(page: Page, served: str) -> None:
    page.goto(served + "001_ba8902ac82c605ac/")
    assert page.locator("dl.ns-fields dt").all_inner_texts() == ["tags", "dates", "source"]
    page.locator("a.ns-tag", has_text="#literature").click()
    page.wait_for_url(served + "tags/literature/")
    assert page.locator("article > ul > li > a").all_inner_texts() == ["001_ba8902ac82c605ac"]


def test_math_and_diagrams_render_from_the_site_itself(page: Page, served: str) -> None:
    page.goto(served + "Math/")
    page.locator(".arithmatex .katex").first.wait_for()
    assert page.locator("span.arithmatex .katex").count() == 1
    assert page.locator("div.arithmatex .katex-display").count() == 1
    assert "costs $5." in page.locator("article").inner_text()
    # mkdocs-material draws the diagram into a closed shadow root in place of the <pre>: the
    # source block is gone and the drawing takes room on the page.
    page.wait_for_function(
        "() => !document.querySelector('pre.mermaid')"
        " && document.querySelector('div.mermaid')?.getBoundingClientRect().height > 40",
        timeout=15000,
    )
