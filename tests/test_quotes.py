"""Backlink quotes that read like the note, and embedded tables as the note shows them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notesite.graph import LinkGraph
from notesite.loader import load_note
from notesite.markdown.quotes import QuoteRenderer
from notesite.paths import VaultPath
from notesite.syntax.quote import quote
from tests import test_browser_previews, test_build
from tests.conftest import Site, run_mkdocs, write_vault
from tests.test_raw_syntax import raw_syntax

LONG_WORDS = " ".join(["filler"] * 120)
VAULT = {
    "Target.md": "# Target\n\n## Part\n\nThe target.\n",
    "x/Other.md": "Another note (a shorter path than deep/Other.md).\n",
    "deep/Other.md": "Another note, one folder down.\n",
    "deep/Source.md": (
        "Some `code [[x]] ==y==` and **bold [[Target]] words**, ==marked== text, $a^2$ math, "
        "a #topic tag, [[Other|the other]], [[Target#Part]], [[Nowhere]] and [[Hidden|h]].\n\n"
        "- [ ] a task: [md link](../Target.md) and <b>html</b>[^1] with ![[pic.png]] [[Target]] "
        "[bad](javascript:alert(1)) [good](https://example.com/)\n\n"
        "[^1]: A footnote.\n"
    ),
    "Hidden.md": "---\npublish: false\n---\nNot published.\n",
    "Cuts.md": (
        # A sentence that ends inside tokens, in a line long enough to be cut near the link.
        f"{LONG_WORDS} [[Other|Dr. Who]] and `a. b` and $x. y$ said [[Target]] once "
        f"**bold text that runs on {LONG_WORDS} and [[Target|again]] {LONG_WORDS} on** end\n"
    ),
    "Table note.md": (
        "# Table note\n\n| Who | Link |\n| --- | --- |\n"
        "| one | [[Target\\|the target]] |\n| two | [[Target#Part\\|its part]] and [[Other]] |\n"
    ),
    "Host.md": "# Host\n\nThe table note, embedded:\n\n![[Table note]]\n",
    "pic.png": b"\x89PNG\r\n\x1a\nfake",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("quotes")
    write_vault(root / "vault", VAULT)
    (root / "mkdocs.yml").write_text(
        "site_name: Quotes\ndocs_dir: vault\nsite_dir: site\n"
        "theme: {name: material, font: false}\nplugins: [notesite]\n",
        encoding="utf-8",
    )
    result = run_mkdocs(root / "mkdocs.yml")
    built = Site(
        root / "vault", root / "site", result.stdout + result.stderr, result.returncode, True
    )
    assert built.returncode == 0, built.log
    return built


def quotes_of(site: Site, page: str, source: str) -> list[object]:
    panel = site.article(page).css_first("section.backlinks")
    for item in panel.css("li"):
        if item.css_first("a").text() == source:
            return list(item.css("p.backlinks__context"))
    raise AssertionError(f"{source} is not in the backlinks of {page}")


def test_a_quote_renders_the_inline_markdown_of_its_note(site: Site) -> None:
    first, task = quotes_of(site, "Target.md", "Source")
    assert [c.text() for c in first.css("code")] == ["code [[x]] ==y=="]
    assert [s.text() for s in first.css("strong")] == ["bold Target words"]
    assert [m.text() for m in first.css("mark")] == ["marked"]
    assert [m.text() for m in first.css(".arithmatex")] == ["\\(a^2\\)"]
    assert [a.text() for a in first.css("a.ns-tag")] == ["#topic"]
    assert [s.text() for s in first.css("span.ns-private")] == ["h"]
    assert first.css_first("span.ns-private").attributes == {"class": "ns-wikilink ns-private"}
    assert [a.text() for a in first.css(".ns-unresolved")] == ["Nowhere"]
    # Every link leads from Target's page to the page the note's own link leads to.
    links = {a.text(): site.resolve_href("Target.md", a.attributes["href"]) for a in first.css("a")}
    assert links == {
        "Target": site.output_path("Target.md"),
        "#topic": site.output_path("tags/topic.md"),
        "the other": site.output_path("deep/Other.md"),  # resolved from deep/Source.md's folder
        "Target > Part": site.output_path("Target.md"),
        "Nowhere": site.output_path("Nowhere.md"),  # its "not written yet" page
    }
    assert first.css_first("a[href$='#part']") is not None
    assert task.text() == "a task: md link and html with pic.png Target bad good"
    assert [a.attributes["href"] for a in task.css("a")][-1] == "https://example.com/"
    assert "javascript" not in (task.html or "")
    assert site.resolve_href("Target.md", task.css_first("a").attributes["href"]) == (
        site.output_path("Target.md")
    )
    assert task.css("img, sup") == []
    # The page loads KaTeX for the math its panel quotes.
    assert "assets/notesite/math.js" in (site.page("Target.md").html or "")


def test_a_quote_is_cut_between_tokens(site: Site) -> None:
    said, again = quotes_of(site, "Target.md", "Cuts")
    assert said.text().startswith("…") and said.text().endswith("…")
    assert "Dr. Who and a. b and" in said.text()
    assert [c.text() for c in said.css("code")] == ["a. b"]
    assert [m.text() for m in said.css(".arithmatex")] == ["\\(x. y\\)"]
    # Cut inside the bold passage: the quote is bold from its start to the cut.
    assert again.text().startswith("…") and again.text().endswith("…")
    assert [a.text() for a in again.css("strong a")] == ["again"]
    assert again.css_first("strong").text() == again.text().strip("…")


def test_an_embedded_table_is_the_table_of_the_note(site: Site) -> None:
    own = site.article("Table note.md").css_first("table")
    embedded = site.article("Host.md").css_first(".ns-embed table")

    def rows(page: str, table: object) -> list[list[tuple[str, list[tuple[str, object]]]]]:
        return [
            [
                (
                    cell.text(),
                    [
                        (a.text(), site.resolve_href(page, a.attributes["href"]))
                        for a in cell.css("a")
                    ],
                )
                for cell in row.css("th, td")
            ]
            for row in table.css("tr")  # type: ignore[attr-defined]
        ]

    assert rows("Host.md", embedded) == rows("Table note.md", own)
    assert [len(r) for r in rows("Host.md", embedded)] == [2, 2, 2]
    assert rows("Host.md", embedded)[1][1][1] == [("the target", site.output_path("Target.md"))]


@pytest.mark.parametrize(
    ("line", "passage"),
    [
        ("- [ ] a task with [[X]]", "a task with [[X]]"),
        ("> [!tip]- About [[X|x]]", "About [[X|x]]"),
        ("source:: [[X]]", "source: [[X]]"),
        ("| [[X\\|x]] | is a **cell** |", "[[X\\|x]] · is a **cell**"),
        ("Ends with a block id [[X]] ^abc-1", "Ends with a block id [[X]]"),
        ("[^note]: A footnote on [[X]]", "A footnote on [[X]]"),
        ("## A heading with [[X]] ##", "A heading with [[X]]"),
        ("1. `a. b` then [[X]]. Next.", "`a. b` then [[X]]. Next."),
        # A sentence ends where a word ends in a full stop and the next one starts in capitals.
        (
            f"{'Words. ' * 30}The U.S. trade and [[X]] e.g. this. Not this.",
            "The U.S. trade and [[X]] e.g. this.",
        ),
    ],
)
def test_a_passage_loses_its_block_marks(line: str, passage: str) -> None:
    assert quote(line, line.index("[[")) == passage


def test_a_long_sentence_is_cut_around_the_link_with_its_emphasis_kept() -> None:
    words = " ".join(f"w{i}" for i in range(100))
    line = f"Start **{words} [[X|the x]] {words}** end."
    passage = quote(line, line.index("[[X"), limit=40)
    assert passage.startswith("…**") and passage.endswith("**…")
    assert "[[X|the x]]" in passage
    assert len(passage) <= 50
    # A link that is longer than the limit is quoted whole.
    line = f"{words}. See [[{'Long ' * 20}note]] here. {words}."
    assert quote(line, line.index("[["), limit=40) == f"…[[{'Long ' * 20}note]]…"


def test_quotes_of_words_and_wikilinks_take_a_shortcut_to_the_same_html() -> None:
    # Passages that only the wikilink pattern can match in are made without the inline stage;
    # every passage of the vaults above comes out the same either way.
    texts = {**VAULT, **test_build.NESTED, **test_browser_previews.VAULT}
    notes = [
        load_note(VaultPath(path), text.encode()).note
        for path, text in texts.items()
        if isinstance(text, str)
    ]
    graph = LinkGraph([n for n in notes if n is not None])
    names = ["pymdownx.mark", "pymdownx.arithmatex", "footnotes", "attr_list", "nl2br"]
    fast = QuoteRenderer(graph, lambda path: path[:-3] + "/", extensions=names)
    slow = QuoteRenderer(graph, lambda path: path[:-3] + "/", extensions=names)
    slow.others = None
    passages = [
        (b.source, q) for backlinks in graph.backlinks.values() for b in backlinks for q in b.quotes
    ]
    passages += [(VaultPath("Cuts.md"), "Plain words & <not a tag> with [[Target|a > b]].")]
    shortcuts = [p for p in passages if fast._only_wikilinks(p[1], etree.Element("span"))]
    assert 10 < len(shortcuts) < len(passages)
    for source, text in passages:
        assert fast.render(source, text, "a/") == slow.render(source, text, "a/"), text


_WORDS = st.sampled_from(["word", "Next", "e.g.", "end.", "U.S.", "long-word", "and", "(x)"])
_TOKENS = st.sampled_from(
    [
        "[[Some note]]",
        "[[Some note|an alias. With a stop]]",
        "[[Target#Part|the part]]",
        "`code. with [[x]] and ==y==`",
        "$a. b = c$",
        "[a link](Target.md)",
        "#topic",
    ]
)
_WRAPS = st.sampled_from([("", ""), ("**", "**"), ("==", "=="), ("*", "*"), ("~~", "~~")])


@st.composite
def _lines(draw: st.DrawFn) -> tuple[str, int]:
    """A line of words, tokens and emphasis around them, and where a link in it starts."""
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        inner = " ".join(draw(st.lists(st.one_of(_WORDS, _TOKENS), min_size=1, max_size=12)))
        left, right = draw(_WRAPS)
        pieces.append(f"{left}{inner}{right}")
    at = draw(st.integers(0, len(pieces)))
    pieces.insert(at, "[[Target]]")
    line = " ".join(pieces)
    return line, len(" ".join(pieces[:at])) + (1 if at else 0)


@given(_lines(), st.integers(20, 200))
@settings(max_examples=300, deadline=None)
def test_a_passage_holds_its_link_and_whole_tokens_and_renders_without_raw_syntax(
    case: tuple[str, int], limit: int
) -> None:
    line, offset = case
    assert line[offset:].startswith("[[Target]]")
    passage = quote(line, offset, limit)
    assert "[[Target]]" in passage
    for token in re.findall(r"\[\[.*?\]\]|`[^`]*`|\$[^$]*\$", passage):
        assert token in line
    assert passage.count("[[") == passage.count("]]")
    assert passage.count("`") % 2 == 0 and passage.count("$") % 2 == 0
    html = _RENDERER.render(VaultPath("Source.md"), passage, "").html
    assert raw_syntax(f"<p>{html}</p>") == [], (line, passage, html)


_RENDERER = QuoteRenderer(
    LinkGraph([n for n in (load_note(VaultPath(p), b"x").note for p in ("Target.md",)) if n]),
    lambda path: path[:-3] + "/",
    extensions=["pymdownx.mark", "pymdownx.arithmatex", "pymdownx.tilde"],
    configs={"pymdownx.arithmatex": {"generic": True}},
)
