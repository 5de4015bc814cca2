"""Hover previews of linked notes (previews.js), in a real headless Chromium.

A small vault is built with a real ``mkdocs build``, served on loopback and driven with
Playwright through Debian's Chromium, as in ``test_browser.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, Request

from tests.browsing import build_and_serve, watched_page
from tests.conftest import write_vault

pytestmark = pytest.mark.browser

# Longer than the 300 ms the pointer must rest on a link, plus a local fetch.
NO_PREVIEW_WAIT_MS = 1200

VAULT = {
    "Alpha.md": (
        "# Alpha\n\n"
        "Alpha opens by linking to [[Beta]], to [[Beta#Part two]] and to [[Beta#^blk]].\n\n"
        "> [!note] A callout\n> Inside the callout: [[Gamma]].\n\n"
        "| What | Link |\n| --- | --- |\n| gamma | [[Gamma\\|the gamma note]] |\n\n"
        "An [outside page](https://example.com/page) and a [place here](#more).\n\n"
        "![[Gamma]]\n\n"
        "## More\n\nThe end of Alpha, and a [[Long]] note.\n"
    ),
    "Beta.md": (
        "# Beta\n\n"
        "related:: [[Gamma]]\n\n"
        "Beta begins with its own first paragraph.\n\n"
        "## Part one\n\nText of part one.\n\n"
        "The anchored block sentence. ^blk\n\n"
        "## Part two\n\nText of part two.\n\n"
        "### Deeper\n\nDeeper text under part two.\n\n"
        "## Part three\n\nText of part three.\n"
    ),
    "Gamma.md": (
        "# Gamma\n\nGamma has a first paragraph that points at [[Beta]].\n\n"
        "Gamma also names [[Alpha]].\n"
    ),
    # Quoted in Gamma's backlinks panel: a link to another note, and math.
    "Delta.md": "# Delta\n\nDelta weighs [[Gamma]] against [[Beta]], with $x^2$.\n",
    # One folder down: relative links written for Gamma's page would go astray here.
    "deep/Epsilon.md": "# Epsilon\n\nEpsilon, one folder down, links to [[Gamma]].\n",
    "Long.md": "# Long\n\n" + "A long first paragraph that goes on and on. " * 80 + "\n",
    "refs.bib": "@book{delta2020,\n  title = {Deltas},\n  author = {Delta, Dee},\n  year = {2020},\n}\n",
    "Cited.md": "---\nbibliography: refs.bib\n---\n# Cited\n\nAs shown [@delta2020, p. 2].\n",
    "Omega.md": "---\ncitekey: delta2020\n---\n# Omega\n\nThe literature note of Deltas.\n",
    "Video.md": (
        "---\nvideoId: cQ48rP_Rs4g\n---\n# Video\n\nAt [00:01:02] the talk turns to [[Beta]].\n"
    ),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the vault above and serve it on loopback; yields the base URL."""
    root = tmp_path_factory.mktemp("previews")
    write_vault(root / "vault", VAULT)
    config = {
        "site_name": "Previews",
        "docs_dir": str(root / "vault"),
        # The palette loads material's colour schemes, so the dark one can be tried.
        "theme": {"name": "material", "font": False, "palette": {"scheme": "default"}},
        "plugins": ["search", "notesite"],
        # Headings get permalinks (a.headerlink), which must not open previews.
        "markdown_extensions": [{"toc": {"permalink": True}}],
    }
    with build_and_serve(root, config) as url:
        yield url


@pytest.fixture
def fetched() -> list[str]:
    """The site's pages (not assets) the browser asked for, in order."""
    return []


@pytest.fixture
def page(browser: Browser, served: str, outside: list[str], fetched: list[str]) -> Iterator[Page]:
    def record(request: Request) -> None:
        page_request = request.resource_type in ("document", "fetch") and not request.url.endswith(
            ".json"
        )
        if request.url.startswith(served) and page_request:
            fetched.append(request.url[len(served) :])

    with watched_page(browser, served, outside, on_request=record) as opened:
        yield opened


def popover(page: Page) -> Locator:
    return page.locator("#ns-preview")


def hover_preview(page: Page, link: Locator) -> Locator:
    """Rest the mouse on `link` until its preview shows; the preview's locator."""
    link.hover()
    shown = popover(page)
    shown.wait_for(state="visible")
    return shown


def assert_no_preview(page: Page) -> None:
    page.wait_for_timeout(NO_PREVIEW_WAIT_MS)
    assert not popover(page).is_visible()


def open_page(page: Page, url: str, fetched: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    fetched.clear()  # from here on: what the previews asked for


def test_hover_shows_the_title_and_start_of_the_linked_note(
    page: Page, served: str, fetched: list[str]
) -> None:
    open_page(page, served + "Alpha/", fetched)
    link = page.locator('article p a[href="../Beta/"]').first
    shown = hover_preview(page, link)
    assert shown.locator(".ns-preview__title").inner_text() == "Beta"
    text = shown.inner_text()
    assert "Beta begins with its own first paragraph." in text
    assert "Text of part three." not in text  # the start of the note, not all of it
    assert "Linked from" not in text  # no backlinks panel
    assert "¶" not in text  # no permalinks
    assert shown.get_attribute("role") == "tooltip"
    assert "md-typeset" in (shown.get_attribute("class") or "").split()
    assert link.get_attribute("aria-describedby") == "ns-preview"
    assert shown.locator("script, iframe, [id]").count() == 0
    assert fetched == ["Beta/"]

    # Beside the link, inside the viewport, at most about 32rem wide.
    box, near = shown.bounding_box(), link.bounding_box()
    assert box and near
    viewport = page.viewport_size
    assert viewport
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    assert box["y"] >= near["y"] + near["height"] or box["y"] + box["height"] <= near["y"]
    root_px = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert box["width"] <= 32 * root_px + 1

    # Moving into the popover keeps it open; leaving both closes it.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(600)
    assert shown.is_visible()
    page.mouse.move(2, viewport["height"] - 2, steps=5)
    shown.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None

    # Again, and the other links to Beta: one request for the page, kept.
    hover_preview(page, link)
    page.mouse.move(2, viewport["height"] - 2)
    shown.wait_for(state="hidden")
    hover_preview(page, page.locator('article a[href="../Beta/#part-two"]'))
    assert fetched == ["Beta/"]


def test_a_citation_previews_its_literature_note(
    page: Page, served: str, fetched: list[str]
) -> None:
    open_page(page, served + "Cited/", fetched)
    link = page.locator("article span.citation a")
    assert link.inner_text() == "Delta 2020, 2"
    shown = hover_preview(page, link)
    assert shown.locator(".ns-preview__title").inner_text() == "Omega"
    assert "The literature note of Deltas." in shown.inner_text()
    assert fetched == ["Omega/"]


def test_long_content_is_capped_and_fades_out(page: Page, served: str, fetched: list[str]) -> None:
    open_page(page, served + "Alpha/", fetched)
    shown = hover_preview(page, page.locator('article a[href="../Long/"]'))
    assert "ns-preview--clipped" in (shown.get_attribute("class") or "").split()
    body = shown.locator(".ns-preview__body")
    assert body.evaluate("b => b.scrollHeight > b.clientHeight")
    fade = body.evaluate("b => getComputedStyle(b, '::after').backgroundImage")
    assert fade.startswith("linear-gradient")
    box = shown.bounding_box()
    viewport = page.viewport_size
    assert box and viewport
    assert box["y"] + box["height"] <= viewport["height"]


def test_colours_follow_the_light_and_dark_schemes(
    page: Page, served: str, fetched: list[str]
) -> None:
    open_page(page, served + "Alpha/", fetched)
    shown = hover_preview(page, page.locator('article p a[href="../Beta/"]').first)
    colours = (
        "e => [getComputedStyle(e).backgroundColor,"
        " getComputedStyle(document.body).backgroundColor]"
    )
    light, page_light = shown.evaluate(colours)
    assert light == page_light
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark, page_dark = shown.evaluate(colours)
    assert dark == page_dark
    assert dark != light


def test_heading_link_shows_that_section_only(page: Page, served: str, fetched: list[str]) -> None:
    open_page(page, served + "Alpha/", fetched)
    text = hover_preview(page, page.locator('article a[href="../Beta/#part-two"]')).inner_text()
    assert "Text of part two." in text
    assert "Deeper text under part two." in text  # its subsections belong to it
    for elsewhere in ("Beta begins", "Text of part one.", "anchored block", "Text of part three."):
        assert elsewhere not in text


def test_block_link_shows_that_block(page: Page, served: str, fetched: list[str]) -> None:
    open_page(page, served + "Alpha/", fetched)
    shown = hover_preview(page, page.locator('article a[href="../Beta/#^blk"]'))
    assert shown.locator(".ns-preview__title").inner_text() == "Beta"
    body = shown.locator(".ns-preview__body").inner_text().strip()
    assert body == "The anchored block sentence."


@pytest.mark.parametrize(
    ("note", "selector", "title", "text"),
    [
        ("Alpha/", "div.admonition a", "Gamma", "Gamma has a first paragraph"),
        ("Alpha/", "table a", "Gamma", "Gamma has a first paragraph"),
        ("Alpha/", ".ns-embed a.ns-embed__source", "Gamma", "Gamma has a first paragraph"),
        ("Beta/", "section.backlinks a[href='../Alpha/']", "Alpha", "Alpha opens by linking"),
        ("Beta/", "dl.ns-fields a", "Gamma", "Gamma has a first paragraph"),
        ("Gamma/", ".backlinks__context a[href='../Beta/']", "Beta", "Beta begins with"),
    ],
    ids=["callout", "table", "embed", "backlinks", "metadata", "backlink-quote"],
)
def test_links_in_every_part_of_the_page_preview(
    page: Page, served: str, fetched: list[str], note: str, selector: str, title: str, text: str
) -> None:
    open_page(page, served + note, fetched)
    link = page.locator("article " + selector)
    assert link.count() == 1, f"the test vault has no single {selector!r} on {note}"
    shown = hover_preview(page, link)
    assert shown.locator(".ns-preview__title").inner_text() == title
    assert text in shown.inner_text()


def test_math_in_a_backlink_quote_is_typeset(page: Page, served: str, fetched: list[str]) -> None:
    open_page(page, served + "Gamma/", fetched)
    quote = page.locator("section.backlinks .backlinks__context", has_text="Delta weighs")
    quote.locator(".arithmatex .katex").wait_for()
    assert quote.locator(".arithmatex").get_attribute("data-tex") == "x^2"


def test_links_in_the_preview_lead_where_they_led_on_their_own_page(
    page: Page, served: str, fetched: list[str]
) -> None:
    # Gamma's link to Beta is written for /Gamma/; shown from /deep/Epsilon/ it must still
    # reach /Beta/, not /deep/Beta/.
    open_page(page, served + "deep/Epsilon/", fetched)
    shown = hover_preview(page, page.locator('article a.ns-wikilink[href$="Gamma/"]'))
    inner = shown.locator("a", has_text="Beta")
    assert inner.evaluate("a => a.href") == served + "Beta/"
    box = shown.bounding_box()
    assert box
    page.mouse.move(box["x"] + 4, box["y"] + 4, steps=4)  # into the popover, keeping it open
    inner.click()
    page.wait_for_url(served + "Beta/")
    assert page.locator("article h1").inner_text().startswith("Beta")
    assert not popover(page).is_visible()


def test_keyboard_focus_shows_the_preview_and_escape_hides_it(
    page: Page, served: str, fetched: list[str]
) -> None:
    open_page(page, served + "Alpha/", fetched)
    page.locator('article p a[href="../Beta/"]').first.focus()
    page.keyboard.press("Tab")  # on to the link to Beta's second part
    link = page.locator('article a[href="../Beta/#part-two"]')
    assert link.evaluate("a => a === document.activeElement")
    shown = popover(page)
    shown.wait_for(state="visible")
    assert "Text of part two." in shown.inner_text()
    assert link.get_attribute("aria-describedby") == "ns-preview"
    page.keyboard.press("Escape")
    shown.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None
    assert link.evaluate("a => a === document.activeElement")  # focus stays on the link
    # Tabbing on moves the preview to the next link; leaving it hides the preview.
    page.keyboard.press("Tab")
    shown.wait_for(state="visible")
    assert "The anchored block sentence." in shown.inner_text()
    page.keyboard.press("Shift+Tab")
    page.wait_for_function(
        "() => document.getElementById('ns-preview').innerText.includes('Text of part two.')"
    )


def test_clicking_a_link_follows_it_without_a_preview(
    page: Page, served: str, fetched: list[str]
) -> None:
    open_page(page, served + "Alpha/", fetched)
    page.locator('article p a[href="../Beta/"]').first.click()
    page.wait_for_url(served + "Beta/")
    page.wait_for_load_state("networkidle")
    assert not popover(page).is_visible()


@pytest.mark.parametrize(
    ("note", "selector"),
    [
        ("Alpha/", 'a[href="https://example.com/page"]'),
        ("Alpha/", 'a[href="#more"]'),  # a place on this very page
        ("Alpha/", "h2 a.headerlink"),
        ("Alpha/", '.ns-embed a[href="./"]'),  # the page itself, from the embedded note
        ("Video/", "a.ns-timestamp"),
        ("Video/", "a.ns-video__facade"),
    ],
    ids=["external", "fragment", "permalink", "self", "timestamp", "video"],
)
def test_links_that_are_not_notes_of_the_site_open_no_preview(
    page: Page, served: str, fetched: list[str], outside: list[str], note: str, selector: str
) -> None:
    open_page(page, served + note, fetched)
    link = page.locator("article " + selector).first
    link.hover()
    assert_no_preview(page)
    assert fetched == []
    assert outside == []


def test_touch_follows_the_link_without_a_preview(
    page: Page, served: str, fetched: list[str]
) -> None:
    open_page(page, served + "Alpha/", fetched)
    link = page.locator('article p a[href="../Beta/"]').first
    link.dispatch_event("pointerover", {"pointerType": "touch", "bubbles": True})
    assert_no_preview(page)
    assert fetched == []
    # The same event from a mouse does open one: the test above can fail.
    link.dispatch_event("pointerover", {"pointerType": "mouse", "bubbles": True})
    popover(page).wait_for(state="visible")
