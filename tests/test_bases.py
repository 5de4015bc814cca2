"""Obsidian Bases on real builds: .base pages, their views, embeds, base blocks, errors."""

from __future__ import annotations

from typing import Any

from tests.conftest import BuildSite, Site

PAPERS = {
    "Papers/Attention.md": (
        "---\nstatus: reading\nyear: 2017\npages: 15\ntags: [paper]\ncover: cover.png\n---\n"
        "Transformers. See [[Ideas]].\n"
    ),
    "Papers/Perceptron.md": "---\nstatus: done\nyear: 1958\ntags: [paper]\n---\nOld.\n",
    "Papers/Secret.md": (
        "---\nstatus: reading\nyear: 2024\npages: 99\ntags: [paper]\npublish: false\n---\nHidden.\n"
    ),
    "Ideas.md": "---\nstatus: draft\n---\nIdeas, and ![[cover.png]]\n",
    "cover.png": b"\x89PNG\r\n\x1a\n",
}

READING = """\
filters:
  and:
    - file.hasTag("paper")
formulas:
  age: "2025 - year"
properties:
  note.status:
    displayName: Status
  formula.age:
    displayName: Age
views:
  - type: table
    name: Table
    order: [file.name, status, formula.age, pages, colour]
    sort:
      - property: year
        direction: DESC
    summaries:
      pages: Sum
      formula.age: Average
  - type: cards
    name: Cards
    order: [file.name, status]
    image: cover
  - type: list
    name: By status
    order: [file.name, year]
    groupBy:
      property: status
      direction: ASC
"""


def texts(nodes: Any) -> list[str]:
    return [n.text(separator=" ", strip=True) for n in nodes]


def table_rows(view: Any) -> list[list[str]]:
    return [texts(tr.css("td")) for tr in view.css("tbody tr")]


def build_papers(build_site: BuildSite, **files: str) -> Site:
    return build_site({**PAPERS, "Reading list.base": READING, **files}, strict=True)


def test_a_base_file_is_a_page_with_a_tab_per_view(build_site: BuildSite) -> None:
    site = build_papers(build_site)
    assert site.returncode == 0, site.log
    article = site.article("Reading list.md")
    assert article.css_first("h1").text(strip=True) == "Reading list"
    labels = texts(article.css(".tabbed-set .tabbed-labels label"))
    assert labels == ["Table", "Cards", "By status"]
    assert [i.attributes.get("type") for i in article.css(".tabbed-set > input")] == ["radio"] * 3
    blocks = article.css(".tabbed-content > .tabbed-block")
    assert len(blocks) == 3
    table = blocks[0]
    assert texts(table.css("thead th")) == ["file name", "Status", "Age", "pages", "colour"]
    # Sorted by year, newest first; the private note is not there; missing values are empty.
    assert table_rows(table) == [
        ["Attention", "reading", "8", "15", ""],
        ["Perceptron", "done", "67", "", ""],
    ]
    link = table.css_first("tbody td a")
    assert site.resolve_href("Reading list.md", link.attributes["href"]) == site.output_path(
        "Papers/Attention.md"
    )
    # Summaries over the shown rows only (the private note's 99 pages count nowhere).
    assert texts(table.css("tfoot td")) == ["", "", "Average 37.5", "Sum 15", ""]


def test_cards_show_the_image_property(build_site: BuildSite) -> None:
    site = build_papers(build_site)
    cards = site.article("Reading list.md").css(".ns-base-cards .ns-base-card")
    assert [c.css_first(".ns-base-card__title").text(strip=True) for c in cards] == [
        "Attention",
        "Perceptron",
    ]
    img = cards[0].css_first("img")
    assert site.resolve_href("Reading list.md", img.attributes["src"]) == site.site / "cover.png"
    assert cards[1].css_first("img") is None


def test_list_view_grouped(build_site: BuildSite) -> None:
    site = build_papers(build_site)
    view = site.article("Reading list.md").css(".tabbed-block")[2]
    assert texts(view.css(".ns-base-group strong")) == ["done", "reading"]
    assert texts(view.css("ul.ns-base-list li")) == ["Perceptron · 1958", "Attention · 2017"]


def test_embeds_and_base_blocks(build_site: BuildSite) -> None:
    note = (
        "# Home\n\n![[Reading list.base#By status]]\n\nAll of it:\n\n![[Reading list.base]]\n\n"
        "```base\nfilters: 'file.hasLink(this.file)'\nviews:\n  - type: list\n```\n\n"
        "```base\nfilters: 'status == \"nothing\"'\n```\n"
    )
    site = build_papers(build_site, **{"Home.md": note, "Ideas.md": "[[Home]]"})
    assert site.returncode == 0, site.log
    bases = site.article("Home.md").css("div.ns-base")
    assert len(bases) == 4
    assert bases[0].css_first(".tabbed-set") is None  # one view: no tabs
    assert texts(bases[0].css(".ns-base-group strong")) == ["done", "reading"]
    assert len(bases[1].css(".tabbed-labels label")) == 3
    # `this` is the note showing the base: the notes linking to Home.
    assert texts(bases[2].css("li")) == ["Ideas"]
    assert texts(bases[3].css(".ns-query-empty")) == ["No results"]

    # A base's results are not links of the graph: no note listed gets a backlink from Home.
    def backlinks(path: str) -> list[str]:
        return texts(site.article(path).css("section.backlinks a.backlinks__link"))

    assert backlinks("Home.md") == ["Ideas"]
    assert backlinks("Papers/Attention.md") == []


def test_links_to_a_base_lead_to_its_page(build_site: BuildSite) -> None:
    site = build_papers(build_site, **{"Index.md": "See [[Reading list.base|the list]].\n"})
    link = site.article("Index.md").css_first("a.ns-wikilink")
    assert site.resolve_href("Index.md", link.attributes["href"]) == site.output_path(
        "Reading list.md"
    )
    assert not (site.site / "Reading list.base").exists()


def test_a_base_beside_a_note_of_the_same_name(build_site: BuildSite) -> None:
    site = build_papers(build_site, **{"Reading list.md": "The note.\n", "index.base": READING})
    assert "The note." in site.article("Reading list.md").text()
    assert len(site.article("Reading list.base.md").css("div.ns-base")) == 1
    # A base named like a home page is not the home page.
    assert site.article("index.md").css_first("div.ns-base") is None
    assert len(site.article("index.base.md").css("div.ns-base")) == 1


def test_a_bad_base_shows_an_error_and_fails_strict(build_site: BuildSite) -> None:
    bad = "filters:\n  and:\n    - 'status =='\n"
    block = (
        "Before.\n\n```base\nviews:\n  - type: table\n    order: [formula.x]\n"
        "formulas:\n  x: 'foo(1)'\n```\n\nAfter.\n"
    )
    site = build_site({**PAPERS, "Broken.base": bad, "Note.md": block}, strict=True)
    assert site.returncode == 1
    # (pages may be rendered in any order)
    assert sorted(site.warnings()) == [
        "WARNING -  notesite: Broken.base:3: base filter: 'status ==' ends too early",
        "WARNING -  notesite: Note.md:8: base formula 'x': 'foo(1)' calls foo(), which Bases lacks",
    ]
    box = site.article("Broken.md").css_first("div.admonition.failure")
    assert box.css_first(".admonition-title").text(strip=True) == "Base error"
    assert "Broken.base (line 3): filter: 'status ==' ends too early" in box.text()
    article = site.article("Note.md")
    assert texts(article.css("p"))[0] == "Before."
    assert "After." in texts(article.css("p"))
    assert article.css_first("div.admonition.failure") is not None


def test_an_evaluation_error_is_shown_above_the_results(build_site: BuildSite) -> None:
    base = "formulas:\n  odd: 'status.frobnicate()'\nviews:\n  - order: [file.name, formula.odd]\n"
    site = build_site({**PAPERS, "Odd.base": base})
    assert site.warnings() == [
        "WARNING -  notesite: Odd.base:2: base view 'View 1': formula.odd: "
        "a string has no method frobnicate()"
    ]
    view = site.article("Odd.md").css_first(".ns-base-view")
    box = view.css_first("div.admonition.failure")
    assert "Odd.base (line 2): formula.odd: a string has no method frobnicate()" in box.text()
    assert table_rows(view) == [["Attention", ""], ["Ideas", ""], ["Perceptron", ""]]


def test_a_private_base_is_not_published(build_site: BuildSite) -> None:
    site = build_site(
        {**PAPERS, "Drafts/List.base": READING, "Note.md": "![[List.base]]\n"},
        plugin={"private": ["Drafts"]},
    )
    assert not site.output_path("Drafts/List.md").exists()
    assert "This part is not published." in site.article("Note.md").text()
