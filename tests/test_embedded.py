"""A whole note embedded (``![[Note]]``) shows its page's HTML, made to fit the embedding page."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from notesite.markdown.embedded import EmbedFiller, fitted, slot
from notesite.paths import VaultPath
from tests.conftest import BuildSite, Site

# -- the HTML made to fit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "page", "href", "expected"),
    [
        ("B/T/", "A/P/", "../../A/Q/", "../Q/"),
        ("B/T/", "A/P/", "./", "../../B/T/"),
        ("B/T/", "A/P/", "../img.png", "../../B/img.png"),
        ("B/T/", "A/P/", "../../A/P/#part", "./#part"),
        ("B/T/", "", "../../", "./"),
        ("", "A/P/", "B/T/", "../../B/T/"),
        ("B/T.html", "A/P.html", "../C/U.html?x=1#y", "../C/U.html?x=1#y"),
        ("B/T.html", "P.html", "U.html", "B/U.html"),
        ("B/T/", "A/P/", "https://example.org/a", "https://example.org/a"),
        ("B/T/", "A/P/", "/absolute/", "/absolute/"),
        ("B/T/", "A/P/", "mailto:x@example.org", "mailto:x@example.org"),
        ("B/T/", "A/P/", "#sec-one", "../../B/T/#sec-one"),
        ("", "A/P/", "#top", "../../#top"),
    ],
)
def test_relative_links_lead_where_they_led_from_the_notes_page(
    source: str, page: str, href: str, expected: str
) -> None:
    assert fitted(f'<p><a href="{href}">x</a></p>', source, page, "ns-e1-") == (
        f'<p><a href="{expected}">x</a></p>'
    )


def test_sources_and_posters_are_re_pointed_too() -> None:
    html = '<img alt="a > b" src="../pic.png"><video poster="../p.jpg" src="clip.mp4"></video>'
    assert fitted(html, "B/T/", "A/P/", "ns-e1-") == (
        '<img alt="a > b" src="../../B/pic.png">'
        '<video poster="../../B/p.jpg" src="../../B/T/clip.mp4"></video>'
    )


def test_headings_become_paragraphs_without_ids_or_permalinks() -> None:
    html = '<h2 id="sec">Sec <em>one</em><a class="headerlink" href="#sec" title="x">¶</a></h2>'
    assert fitted(html, "T/", "P/", "ns-e1-") == (
        '<p class="ns-embed__heading ns-embed__h2">Sec <em>one</em></p>'
    )


def test_ids_get_the_embeds_prefix_and_so_do_the_links_to_them() -> None:
    html = (
        '<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup>'
        '<li id="fn:a"><a href="#fnref:a">back</a></li>'
        '<li id="^blk">item</li><a href="#%5Eblk">to the block</a>'
        '<input id="__tabbed_1_1" name="__tabbed_1" type="radio"><label for="__tabbed_1_1">'
        '<a href="#elsewhere">gone</a><p>id="not a tag" href="#fn:a"</p>'
    )
    assert fitted(html, "T/", "P/", "ns-e2-") == (
        '<sup id="ns-e2-fnref:a"><a class="footnote-ref" href="#ns-e2-fn:a">1</a></sup>'
        '<li id="ns-e2-fn:a"><a href="#ns-e2-fnref:a">back</a></li>'
        '<li id="ns-e2-^blk">item</li><a href="#ns-e2-%5Eblk">to the block</a>'
        '<input id="ns-e2-__tabbed_1_1" name="ns-e2-__tabbed_1" type="radio">'
        '<label for="ns-e2-__tabbed_1_1"><a href="../T/#elsewhere">gone</a>'
        '<p>id="not a tag" href="#fn:a"</p>'
    )


def _box(path: str, href: str) -> str:
    return (
        '<div class="ns-embed" data-search-exclude="">\n'
        f'<p><a class="ns-embed__source" href="{href}">{path}</a></p>\n'
        f"<p>{slot(VaultPath(path + '.md'))}</p>\n</div>"
    )


def test_nested_embeds_are_filled_first_and_a_cycle_is_cut_where_it_closes() -> None:
    pages = {
        "A.md": "<p>a</p>\n" + _box("B", "../B/"),
        "B.md": '<p id="b">b <a href="#b">here</a></p>\n' + _box("A", "../A/"),
    }
    urls = {"A.md": "A/", "B.md": "B/"}
    filler = EmbedFiller(lambda path: pages.get(path), urls)
    html, problems, shown = filler.fill(VaultPath("A.md"), pages["A.md"])
    assert shown == {"B.md"}
    assert [p.message for p in problems] == [
        "the embed chain A.md -> B.md -> A.md is a cycle; the last one is shown as a link"
    ]
    assert html == (
        "<p>a</p>\n"
        '<div class="ns-embed" data-search-exclude="">\n'
        '<p><a class="ns-embed__source" href="../B/">B</a></p>\n'
        '<p id="ns-e1-b">b <a href="#ns-e1-b">here</a></p>\n'
        '<p><a class="ns-wikilink" href="./">A</a></p>\n'
        "</div>"
    )


def test_embeds_nest_four_deep() -> None:
    names = ["N0", "N1", "N2", "N3", "N4", "N5", "N6"]
    pages = {f"{a}.md": f"<p>{a}</p>\n" + _box(b, f"../{b}/") for a, b in pairwise(names)}
    pages["N6.md"] = "<p>N6</p>"
    urls = {f"{n}.md": f"{n}/" for n in names}
    html, problems, shown = EmbedFiller(pages.get, urls).fill(VaultPath("N0.md"), pages["N0.md"])
    assert shown == {"N1.md", "N2.md", "N3.md", "N4.md"}
    assert [p.message for p in problems] == [
        "the embed chain N0.md -> N1.md -> N2.md -> N3.md -> N4.md -> N5.md nests more than"
        " 4 embeds; the last one is shown as a link"
    ]
    assert "<p>N4</p>" in html and "<p>N5</p>" not in html
    assert '<a class="ns-wikilink" href="../N5/">N5</a>' in html


# -- in a site ----------------------------------------------------------------------------------

VAULT = {
    "A/Hub.md": "# Hub\n\nMy own words.[^1]\n\n![[Talk]]\n\n[^1]: The hub's footnote.\n",
    "B/Talk.md": (
        "---\nvideoId: dQw4w9WgXcQ\ntopic:: x\n---\n# Talk\n\nSee [[Hub]], [[#Second part]] and"
        ' ![[pic.png]].\n\n## First part\n\nAt <a class="yt-timestamp" data-t="00:01:02">'
        "[00:01:02]</a> a claim.[^a]\n\n- an item ^blk\n\n## Second part\n\nMore.\n\n"
        "[^a]: The talk's footnote.\n"
    ),
    "B/pic.png": b"\x89PNG\r\n\x1a\n",
    "Twice.md": "![[Talk]]\n\n![[Talk]]\n",
}


@pytest.fixture
def site(build_site: BuildSite) -> Site:
    built = build_site(VAULT, strict=True)
    assert built.returncode == 0, built.log
    return built


def test_a_whole_note_embed_shows_what_the_notes_page_shows(site: Site) -> None:
    own = site.article("B/Talk.md").css_first("h1 ~ .ns-video")
    embed = site.article("A/Hub.md").css_first("div.ns-embed")
    assert own is not None and embed is not None
    assert embed.css_first(".ns-video").html == own.html  # its player
    stamp = embed.css_first("a.ns-timestamp")
    assert stamp.attributes["data-t-seconds"] == "62"  # its timestamps, for that player
    assert embed.css_first("a.ns-embed__source").attributes["href"] == "../../B/Talk/"
    headings = [p.text() for p in embed.css("p.ns-embed__heading")]
    assert headings == ["First part", "Second part"]  # its title is the source link's
    assert site.article("A/Hub.md").css("h2:not(.backlinks__title)") == []


def test_an_embeds_links_lead_where_they_lead_on_the_notes_page(site: Site) -> None:
    embed = site.article("A/Hub.md").css_first("div.ns-embed")
    links = {a.text(): a.attributes["href"] for a in embed.css("p a.ns-wikilink")}
    assert links == {"Hub": "./", "Second part": "../../B/Talk/#second-part"}
    for link in embed.css("a[href]"):
        href = link.attributes["href"]
        if not href.startswith(("#", "https:")):
            assert site.resolve_href("A/Hub.md", href).is_file(), href
    assert site.resolve_href("A/Hub.md", embed.css_first("img").attributes["src"]).is_file()


def test_an_embeds_footnotes_are_its_own_and_no_id_is_on_a_page_twice(site: Site) -> None:
    for page in ("A/Hub.md", "Twice.md"):
        article = site.article(page)
        ids = Counter(el.attributes["id"] for el in article.css("[id]"))
        assert [i for i, n in ids.items() if n > 1] == [], page
        for ref in article.css("a.footnote-ref, a.footnote-backref"):
            target = ref.attributes["href"]
            assert target.startswith("#") and ids[target[1:]] == 1, (page, target)
    hub = site.article("A/Hub.md")
    # The hub's own footnote is its first: the embed's is numbered as on the note's page.
    assert [a.text() for a in hub.css("a.footnote-ref")] == ["1", "1"]
    embed = hub.css_first("div.ns-embed")
    assert "The talk's footnote." in embed.css_first("div.footnote").text()


def test_a_page_embedding_itself_through_another_is_cut_and_fails_strict(
    build_site: BuildSite,
) -> None:
    vault = {"A.md": "a\n\n![[B]]\n", "B.md": "b\n\n![[C]]\n", "C.md": "c\n\n![[A]]\n"}
    built = build_site(vault, strict=True)
    assert built.returncode == 1
    for chain in ("A.md -> B.md -> C.md -> A.md", "B.md -> C.md -> A.md -> B.md"):
        assert f"the embed chain {chain} is a cycle" in built.log
    boxes = built.article("A.md").css("div.ns-embed")
    assert [box.css_first("a.ns-embed__source").text() for box in boxes] == ["B", "C"]
    assert "b" in boxes[0].text().split() and "c" in boxes[1].text().split()
    assert boxes[1].css_first("a.ns-wikilink").text() == "A"  # shown as a link where it closes
