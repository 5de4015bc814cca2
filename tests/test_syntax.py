"""The pure parsers: wikilink forms, masking, tags, headings, titles."""

from __future__ import annotations

import pytest

from notesite.syntax.blocks import find_headings, heading_key, strip_title_heading
from notesite.syntax.mask import mask, strip_comments
from notesite.syntax.tags import find_tags
from notesite.syntax.wikilinks import WikiLink, find_wikilinks
from tests.conftest import notesite_extensions


@pytest.mark.parametrize(
    ("written", "expected", "display"),
    [
        ("[[a]]", WikiLink("a"), "a"),
        ("[[a|shown]]", WikiLink("a", alias="shown"), "shown"),
        ("[[a#Heading]]", WikiLink("a", ("Heading",)), "a > Heading"),
        ("[[a#H1#H2]]", WikiLink("a", ("H1", "H2")), "a > H1 > H2"),
        ("[[a#^blockid]]", WikiLink("a", block="blockid"), "a > ^blockid"),
        ("[[#Heading]]", WikiLink("", ("Heading",)), "Heading"),
        ("![[img.png|300]]", WikiLink("img.png", alias="300", embed=True), "300"),
        ("[[a\\|b]]", WikiLink("a", alias="b"), "b"),
        ("[[folder/note.md#H|x|y]]", WikiLink("folder/note.md", ("H",), alias="x|y"), "x|y"),
        ("[[ spaced ]]", WikiLink("spaced"), "spaced"),
    ],
)
def test_wikilink_forms(written: str, expected: WikiLink, display: str) -> None:
    found = list(find_wikilinks(written))
    assert [f.link for f in found] == [expected]
    assert found[0].link.display == display
    assert str(found[0].link) == written.replace("\\|", "|").replace("[[ spaced ]]", "[[spaced]]")


def test_not_links() -> None:
    assert list(find_wikilinks("[[]] [[#]] [ [a] ] [[a\nb]] [[a[b]]")) == []


@pytest.mark.parametrize(
    "text",
    [
        "`[[a]]`",
        "``x `[[a]]` y``",
        "```\n[[a]]\n```",
        "~~~~md\n[[a]]\n~~~~",
        "> ```\n> [[a]]\n> ```",
        "```\nunclosed [[a]]",
        "$[[a]]$",
        "$$\n[[a]]\n$$",
        "%%[[a]]%%",
        "%%\nmulti [[a]]\nline\n%%",
    ],
)
def test_masked_regions_hide_links(text: str) -> None:
    masked = mask(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert list(find_wikilinks(masked)) == []


def test_mask_keeps_prices_and_plain_text() -> None:
    text = "costs $5 and $10 [[a]]"
    assert mask(text) == text


def test_strip_comments_keeps_lines_and_code() -> None:
    text = "a %%hidden%% b\n%%\nmulti\n%%\n`%%code%%`\n```\n%%fenced%%\n```"
    assert strip_comments(text) == "a  b\n\n\n\n`%%code%%`\n```\n%%fenced%%\n```"


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#tag #nested/tag #über #with-dash_und", ["tag", "nested/tag", "über", "with-dash_und"]),
        ("#123 #2024 a#b http://x.y/#frag ## heading", []),
        ("(#inparen) [[#heading]] [#x]", ["inparen"]),
        ("#y2024", ["y2024"]),
    ],
)
def test_tags(text: str, tags: list[str]) -> None:
    assert [t for t, _, _ in find_tags(text)] == tags


def test_headings() -> None:
    text = "# One\n\n## **Bold** and [[x|link]] #\n\n####### not\n#nospace\n### Custom {#cid}\n"
    assert [(h.level, h.text, h.custom_id) for h in find_headings(text)] == [
        (1, "One", None),
        (2, "Bold and link", None),
        (3, "Custom", "cid"),
    ]


def test_heading_key_folds_what_links_cannot_hold() -> None:
    assert heading_key("Step 1: Install | Setup") == heading_key("step 1  install   setup")


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        ("# Same\n\ntext", "same", "\n\ntext"),
        ("\n# Same  \ntext", "Same", "\n\ntext"),
        ("# Other\n\ntext", "Same", "# Other\n\ntext"),
        ("text\n# Same", "Same", "text\n# Same"),
    ],
)
def test_strip_title_heading(body: str, title: str, expected: str) -> None:
    assert strip_title_heading(body, title) == expected


def test_every_extension_runs_in_plain_python_markdown_by_its_entry_point_name() -> None:
    import markdown

    names = notesite_extensions()
    assert len(names) >= 11  # every syntax, the sanitizer included
    html = markdown.markdown(
        "up:: [[Hub]]\n\n> [!tip] T\n> x\n\nsee [[Other|o]] #tag %%gone%% ^b1\n", extensions=names
    )
    assert '<dd><a class="ns-wikilink" href="Hub.md">Hub</a></dd>' in html
    assert '<div class="admonition callout tip" data-callout="tip">' in html
    assert (
        '<p id="^b1">see <a class="ns-wikilink" href="Other.md">o</a> <a class="ns-tag" href="tags/tag.md">#tag</a></p>'
        in html
    )
