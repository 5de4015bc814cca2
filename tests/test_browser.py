"""Behaviour in a real headless Chromium (Debian's package, driven by Playwright)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import SEEDS, run_mkdocs, seed_files, site_failure, write_vault

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout"),
]
CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


EXTRA = {
    "Math.md": (
        "Inline $e^{i\\pi} + 1 = 0$ costs $5.\n\n$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$\n\n"
        "```mermaid\ngraph LR\n  Loader --> Graph\n```\n"
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
        "site_dir": str(root / "site"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "notesite"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = run_mkdocs(root / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM, "Debian's chromium is not installed: run `make browser`"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def outside() -> list[str]:
    """The requests a page made to other hosts (refused, and recorded here)."""
    return []


@pytest.fixture
def page(browser: Browser, served: str, outside: list[str]) -> Iterator[Page]:
    context = browser.new_context()
    context.route(
        lambda url: not url.startswith(served) and not url.startswith("data:"),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    opened = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.on("requestfailed", lambda r: failed.append(r.url) if site_failure(r, served) else None)
    yield opened
    context.close()
    assert failed == [], f"requests to the site failed: {failed}"
    assert [e for e in errors if "youtube" not in e.casefold()] == []
    # The only other host a page may ever reach: the video player, after the reader asks for it.
    assert [u for u in outside if not u.startswith("https://www.youtube-nocookie.com/embed/")] == []


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
