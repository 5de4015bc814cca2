"""Citations without MkDocs: the syntax, bibliographies, formatting, literature notes."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

import pytest

from notesite.cite.literature import literature_notes
from notesite.cite.markup import FORMATTER, append_marked, plain
from notesite.cite.parse import Cite, find_citations, split_locator
from notesite.cite.sources import Library, bibtex, csl_json, load
from notesite.cite.style import Style, StyleError
from notesite.loader import load_note
from notesite.paths import VaultPath

BIB = """\
@article{wang2021china,
  title = {China’s {Sputnik} Moment},
  author = {Wang, Dan},
  date = {2021-07},
  journaltitle = {Foreign Affairs},
  volume = {100},
  number = {4},
  pages = {34--40},
}

@book{broken,
  title = {No closing brace,
  author = {Nobody, A.}

@book{hofstadter1979,
  title = {G{\\"o}del, Escher, Bach},
  author = {Hofstadter, Douglas R.},
  year = {1979},
  publisher = {Basic Books},
}

@report{bank2020,
  title = {A Report},
  author = {{World Bank} and van der Berg, Jan},
  date = {2020},
  institution = {World Bank},
}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[@key]", [(False, [Cite("key")])]),
        ("[@key, p. 12]", [(False, [Cite("key", locator="12")])]),
        ("[@a; @b]", [(False, [Cite("a"), Cite("b")])]),
        (
            "[see @key, ch. 3]",
            [(False, [Cite("key", prefix="see", locator="3", label="chapter")])],
        ),
        ("@key says", [(True, [Cite("key")])]),
        ("@key [p. 33] says", [(True, [Cite("key", locator="33")])]),
        ("[-@key]", [(False, [Cite("key", suppress_author=True)])]),
        (
            "[@a, pp. 33-35, 38, emphasis added]",
            [(False, [Cite("a", locator="33-35, 38", suffix=", emphasis added")])],
        ),
        ("[@a, 12]", [(False, [Cite("a", locator="12")])]),
        ("[@{odd key}]", [(False, [Cite("odd key")])]),
        ("a plugin of [@a]: it", [(False, [Cite("a")])]),
        # Links, not bracketed citations; their text may cite, as in pandoc.
        ("[@a](https://example.org), [@b][ref]", [(True, [Cite("a")]), (True, [Cite("b")])]),
        ("ends @wang2021china.", [(True, [Cite("wang2021china")])]),
        ("mail ann@example.org", []),
        ("https://host.example/@user", []),
        ("see [[a@b]] and [x](mailto:a@b)", []),
        ("[text without a key]", []),
        ("[@a; no key here]", [(True, [Cite("a")])]),  # (pandoc: a narrative one inside)
    ],
)
def test_citation_syntax(text: str, expected: list[tuple[bool, list[Cite]]]) -> None:
    found = find_citations(text)
    assert [(c.narrative, list(c.cites)) for c in found] == expected


def test_locators() -> None:
    assert split_locator(", p. 12, emphasis added") == ("page", "12", ", emphasis added")
    assert split_locator(", sec. 4") == ("section", "4", "")
    assert split_locator(" and more") == ("page", "", " and more")


def test_code_math_and_comments_hold_no_citation() -> None:
    text = "A `[@code]` span, $x@y$, %%[@hidden]%% and [@real].\n\n```\n[@fenced]\n```\n"
    note = load_note(VaultPath("N.md"), text.encode()).note
    assert note is not None
    assert [(r.link.target, r.line, r.origin) for r in note.citations] == [("real", 1, "citation")]


def test_bibtex_entries_and_a_broken_one(tmp_path: Path) -> None:
    library = bibtex(BIB, "refs.bib")
    assert sorted(library.items) == ["bank2020", "hofstadter1979", "wang2021china"]
    assert [str(p) for p in library.problems] == [
        "refs.bib:11: bibliography entry 'broken' is broken; it was left out"
    ]
    wang = library.items["wang2021china"]
    assert wang["type"] == "article-journal"
    assert wang["container-title"] == "Foreign Affairs"
    assert wang["issued"] == {"date-parts": [[2021, 7]]}
    assert wang["page"] == "34–40"
    assert wang["title"] == "China’s Sputnik Moment"
    assert library.items["hofstadter1979"]["title"] == "Gödel, Escher, Bach"
    assert library.items["bank2020"]["author"] == [
        {"literal": "World Bank"},
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
    ]
    assert library.items["bank2020"]["publisher"] == "World Bank"


def test_csl_json_and_broken_files(tmp_path: Path) -> None:
    good = csl_json('[{"id": "Smith2020", "type": "book", "title": "T"}, {"title": "no id"}]', "a")
    assert list(good.items) == ["smith2020"] and good.get("SMITH2020") is not None
    assert [str(p) for p in good.problems] == [
        "a: bibliography item 2 has no 'id'; it was left out"
    ]
    broken = csl_json('[{"id": "x",\n oops}]', "b.json")
    assert broken.items == {}
    assert str(broken.problems[0]).startswith("b.json:2: bibliography is not valid JSON")
    missing = load(tmp_path / "none.bib", "none.bib")
    assert missing.items == {} and missing.problems[0].kind == "cite"


def _formatted(style: Style, library: Library, text: str) -> list[str]:
    citations = find_citations(text)
    page = style.page(library, citations)
    out = []
    for citation in citations:
        out.append(
            "".join(
                f"@{p.key}?" if p.text is None else plain(p.text) for p in page.citation(citation)
            )
        )
    return out


def test_chicago_author_date_formats_every_form() -> None:
    library = bibtex(BIB, "refs.bib")
    style = Style()
    text = (
        "[@wang2021china, p. 12] [@wang2021china; @hofstadter1979] [see @hofstadter1979, 3] "
        "@hofstadter1979 says [-@wang2021china] [@nope]"
    )
    assert _formatted(style, library, text) == [
        "(Wang 2021, 12)",
        "(Wang 2021; Hofstadter 1979)",
        "(see Hofstadter 1979, 3)",
        "Hofstadter (1979)",
        "(2021)",
        "(@nope?)",
    ]
    page = style.page(library, find_citations(text))
    references = [(key, plain(text)) for key, text in page.references()]
    assert references == [
        ("hofstadter1979", "Hofstadter, Douglas R. 1979. Gödel, Escher, Bach. Basic Books."),
        (
            "wang2021china",
            "Wang, Dan. 2021. “China’s Sputnik Moment”. Foreign Affairs 100 (4): 34–40.",
        ),
    ]


def test_other_styles_by_name_or_file(tmp_path: Path) -> None:
    library = bibtex(BIB, "refs.bib")
    assert _formatted(Style("apa"), library, "[@wang2021china, p. 12] @wang2021china says") == [
        "(Wang, 2021, p. 12)",
        "Wang (2021)",
    ]
    assert _formatted(Style("ieee"), library, "[@wang2021china] @hofstadter1979 says") == [
        "[1]",
        "Hofstadter [2]",
    ]
    with pytest.raises(StyleError):
        Style("no-such-style")
    with pytest.raises(StyleError):
        Style("missing.csl", tmp_path)


def test_formatted_text_stays_text() -> None:
    marked = "A <b>&amp; " + FORMATTER.Italic("x < y & " + FORMATTER.Bold("z")) + " end"
    parent = etree.Element("div")
    append_marked(parent, marked)
    assert etree.tostring(parent, encoding="unicode") == (
        "<div>A &lt;b&gt;&amp;amp; <i>x &lt; y &amp; <b>z</b></i> end</div>"
    )


def test_literature_notes_by_citekey_then_name() -> None:
    notes = [
        (VaultPath("Lit/wang2021china China’s Sputnik Moment.md"), {}),
        (VaultPath("Reading.md"), {"citekey": "@Hofstadter1979"}),
        (VaultPath("hofstadter1979.md"), {}),
        (VaultPath("Other note.md"), {}),
    ]
    index = literature_notes(notes)
    assert index["wang2021china"] == "Lit/wang2021china China’s Sputnik Moment.md"
    assert index["hofstadter1979"] == "Reading.md"
    assert "nope" not in index
