"""Citations in real builds: each form, the References, literature notes, warnings."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import BuildSite, Site
from tests.test_cite import BIB

PAPER = """\
# Paper

One [@wang2021china, p. 12]. Two [@wang2021china; @hofstadter1979].
Three [see @hofstadter1979, ch. 3] and @hofstadter1979 says so; [-@wang2021china].
Unknown [@nope]. Mail ann@example.org, code `[@code]`, math $a@b$.

Footnote[^1].

[^1]: A footnote.
"""

VAULT: dict[str, str | bytes] = {
    "refs.bib": BIB,
    "Paper.md": PAPER,
    "wang2021china China’s Sputnik Moment.md": "My notes on the article.\n",
    "Reading.md": "---\ncitekey: hofstadter1979\n---\nA long book.\n",
    "Plain.md": "Follow @someone, no bibliography here.\n",
}
SITE = {"bibliography": "vault/refs.bib"}


def _citations(site: Site, path: str) -> list[tuple[str, str, list[str]]]:
    """Each citation of a page: its keys, its text and its links."""
    return [
        (
            span.attributes["data-cites"] or "",
            span.text(),
            [a.attributes["href"] or "" for a in span.css("a")],
        )
        for span in site.article(path).css("span.citation")
    ]


def test_every_form_and_the_references(build_site: BuildSite) -> None:
    site = build_site(VAULT, plugin=SITE)
    assert site.returncode == 0, site.log
    wang = "../wang2021china%20China%E2%80%99s%20Sputnik%20Moment/"
    assert _citations(site, "Paper.md") == [
        ("wang2021china", "(Wang 2021, 12)", [wang]),
        ("wang2021china hofstadter1979", "(Wang 2021; Hofstadter 1979)", [wang, "../Reading/"]),
        ("hofstadter1979", "(see Hofstadter 1979, 3)", ["../Reading/"]),
        ("hofstadter1979", "Hofstadter (1979)", ["../Reading/"]),
        ("wang2021china", "(2021)", [wang]),
        ("nope", "(@nope)", []),
    ]
    article = site.article("Paper.md")
    unknown = article.css_first("span.ns-cite-unknown")
    assert unknown is not None and unknown.text() == "@nope"
    assert article.css_first("code").text() == "[@code]"
    assert "ann@example.org" in article.text()
    # The references close the page, before the footnotes, as pandoc places them.
    refs = article.css_first("div#refs.references.csl-bib-body")
    assert refs is not None
    entries = [(e.attributes["id"], e.text()) for e in refs.css("div.csl-entry")]
    assert entries == [
        ("ref-hofstadter1979", "Hofstadter, Douglas R. 1979. Gödel, Escher, Bach. Basic Books."),
        (
            "ref-wang2021china",
            "Wang, Dan. 2021. “China’s Sputnik Moment”. Foreign Affairs 100 (4): 34–40.",
        ),
    ]
    assert refs.css_first("i").text() == "Gödel, Escher, Bach"
    heading = refs.prev
    while heading is not None and heading.tag != "h2":
        heading = heading.prev
    assert heading is not None and heading.text() == "References"
    assert heading.attributes["id"] == "references"
    assert refs.next is not None and "footnote" in (refs.next.attributes["class"] or "")
    toc = [a.text(strip=True) for a in site.page("Paper.md").css("nav.md-nav--secondary a")]
    assert "References" in toc
    # A page without a citation gets no References; the site's bibliography applies to every
    # note, so an '@name' anywhere is a citation (of an unknown key here).
    assert site.article("Plain.md").css_first("#refs") is None
    assert [w for w in site.warnings() if "cite" in w or "bibliography" in w] == [
        "WARNING -  notesite: vault/refs.bib:11: bibliography entry 'broken' is broken; "
        "it was left out",
        "WARNING -  notesite: Paper.md:5: cites '@nope', but no bibliography of the note holds "
        "that key",
        "WARNING -  notesite: Plain.md:1: cites '@someone', but no bibliography of the note "
        "holds that key",
    ]
    assert build_site(VAULT, plugin=SITE, strict=True).returncode == 1


def test_literature_notes(build_site: BuildSite) -> None:
    site = build_site(VAULT, plugin=SITE)
    assert site.returncode == 0, site.log
    for path, reference in [
        ("wang2021china China’s Sputnik Moment.md", "Wang, Dan. 2021."),
        ("Reading.md", "Hofstadter, Douglas R. 1979."),
    ]:
        article = site.article(path)
        first = article.css_first("h1").next
        while first is not None and first.tag == "-text":
            first = first.next
        assert first is not None and "ns-reference" in (first.attributes["class"] or "")
        assert first.css_first("div.csl-entry").text().startswith(reference)
        backlinks = [a.text() for a in site.page(path).css("section.backlinks a")]
        assert backlinks == ["Paper"]
    # A citation of a key with a literature note is a link of the graph.
    graph: dict[str, Any] = json.loads(
        (site.site / "assets" / "notesite" / "graph.json").read_text()
    )
    titles = [node[0] for node in graph["nodes"]]
    edges = {tuple(sorted((titles[a], titles[b]))) for a, b in graph["links"]}
    assert ("Paper", "Reading") in edges
    assert ("Paper", "wang2021china China’s Sputnik Moment") in edges


def test_a_notes_own_bibliography_and_style(build_site: BuildSite) -> None:
    csl = json.dumps(
        [
            {
                "id": "Smith2020",
                "type": "book",
                "title": "Gardens",
                "author": [{"family": "Smith", "given": "Ann"}],
                "issued": {"date-parts": [[2020]]},
                "publisher": "Press",
                "URL": "https://example.org/gardens",
            }
        ]
    )
    files: dict[str, str | bytes] = {
        "lib/works.json": csl,
        "Own.md": "---\nbibliography: lib/works.json\ncsl: apa\n---\nSee [@Smith2020, p. 4].\n",
        "Other.md": "No bibliography: @Smith2020 is text, [@Smith2020] too.\n",
        "Missing.md": "---\nbibliography: nowhere.bib\n---\nText.\n",
        "Smith2020 Gardens.md": "A literature note that names no bibliography.\n",
    }
    site = build_site(files)
    assert _citations(site, "Own.md") == [
        ("Smith2020", "(Smith, 2020, p. 4)", ["../Smith2020%20Gardens/"])
    ]
    # Its reference comes from the bibliography of the note that cites it.
    reference = site.article("Smith2020 Gardens.md").css_first(".ns-reference .csl-entry")
    assert reference.text() == "Smith, Ann. 2020. Gardens. Press. https://example.org/gardens."
    # A URL of a reference is a link, as pandoc makes it.
    assert [a.attributes["href"] for a in reference.css("a")] == ["https://example.org/gardens"]
    assert site.article("Own.md").css_first("#ref-Smith2020") is not None
    assert site.article("Other.md").css_first("span.citation") is None
    assert "@Smith2020 is text, [@Smith2020] too." in site.article("Other.md").text()
    assert site.warnings() == [
        "WARNING -  notesite: Missing.md: bibliography 'nowhere.bib' is not a file of the vault"
    ]
    assert not (site.site / "lib" / "works.json").exists()


def test_a_numeric_style_numbers_works_in_the_order_of_the_page(build_site: BuildSite) -> None:
    files: dict[str, str | bytes] = {
        "refs.bib": BIB,
        "Numbered.md": (
            "---\nbibliography: refs.bib\ncsl: ieee\n---\n"
            "First @hofstadter1979 says, then [@wang2021china] and [@hofstadter1979].\n"
        ),
    }
    site = build_site(files)
    assert [text for _, text, _ in _citations(site, "Numbered.md")] == [
        "Hofstadter [1]",
        "[2]",
        "[1]",
    ]
    entries = site.article("Numbered.md").css("#refs .csl-entry")
    assert [e.attributes["id"] for e in entries] == ["ref-hofstadter1979", "ref-wang2021china"]


def test_a_base_page_beside_a_bibliography(build_site: BuildSite) -> None:
    """A ``.base`` file's page is no literature note (it has no note to find a key in)."""
    base = "views:\n  - type: table\n    name: All\n"
    site = build_site({**VAULT, "Reading list.base": base}, plugin=SITE)
    assert site.returncode == 0, site.log
    rows = site.article("Reading list.md").css("table tbody tr")
    assert len(rows) == len([p for p in VAULT if p.endswith(".md")])
    assert site.article("Reading list.md").css("div.ns-reference") == []
