"""The renderer in real builds: fields panel, tags and tag pages, embeds, comments, highlights,
and no raw Obsidian syntax left on any page."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import SEEDS, BuildSite, Site, seed_files

VAULT = {
    "Topic.md": (
        "---\ntags: [research, on/china]\n---\n"
        "up:: [[Hub]]\nstatus:: #draft\nempty:: \n\n"
        "## Part one\n\nFirst part with ==a highlight== and #Inline/Tag. %%a hidden remark%%\n\n"
        "## Part two\n\nQuotable line. ^q1\n\n"
        "%%\nmulti-line\ncomment\n%%\n"
        "> [!warning]- Careful with [[Hub]]\n> Body with a list:\n> - one\n> - two\n\n"
        "`inline ==code== [[Hub]] %%kept%%`\n"
    ),
    "Hub.md": "# Hub\n\n![[Topic#Part one]]\n\n![[Topic#^q1]]\n\nSee [[Topic]] #research\n",
    "Loop A.md": "![[Loop B]]\n",
    "Loop B.md": "![[Loop A]]\n",
    "Self.md": "text\n\n![[Self]]\n",
}


@pytest.fixture
def site(build_site: BuildSite) -> Site:
    built = build_site(VAULT)
    assert built.returncode == 0, built.log
    return built


def test_fields_panel_at_the_top_with_working_links_and_tags(site: Site) -> None:
    panel = site.article("Topic.md").css_first("dl.ns-fields")
    rows = [(dt.text(), dd.html) for dt, dd in zip(panel.css("dt"), panel.css("dd"), strict=True)]
    assert [key for key, _ in rows] == ["tags", "up", "status"]
    assert '<a class="ns-wikilink" href="../Hub/">Hub</a>' in rows[1][1]
    assert '<a class="ns-tag" href="../tags/draft/">#draft</a>' in rows[2][1]
    assert "::" not in site.article("Topic.md").text()


def test_tags_link_to_tag_pages_that_list_their_notes(site: Site) -> None:
    tag = site.article("Topic.md").css_first("p a.ns-tag")
    assert (tag.text(), tag.attributes["href"]) == ("#Inline/Tag", "../tags/inline/tag/")
    research = site.article("tags/research.md")
    assert sorted(a.text() for a in research.css("article > ul > li > a")) == ["Hub", "Topic"]
    parent = site.article("tags/on.md")
    assert [h.text() for h in parent.css("h2")] == ["#on/china"]
    index = site.article("tags/index.md")
    assert "#research (2)" in index.text()
    for page in ("tags/index.md", "tags/on/china.md", "tags/inline.md"):
        for link in site.article(page).css("a[href]"):
            assert site.resolve_href(page, link.attributes["href"]).is_file(), (
                page,
                link.attributes["href"],
            )


def test_embeds_show_the_section_or_block_with_a_link_to_it(site: Site) -> None:
    embeds = site.article("Hub.md").css("div.ns-embed")
    assert len(embeds) == 2
    section, block = embeds
    heading = section.css_first("p.ns-embed__heading")
    assert (heading.text(), heading.attributes.get("id")) == ("Part one", None)
    assert (
        site.article("Hub.md").css("h2:not(.backlinks__title)") == []
    )  # the embedded heading is not in the page's outline
    assert "highlight" in section.css_first("mark").text()
    assert "Part two" not in section.text()
    assert section.css_first("a.ns-embed__source").attributes["href"] == "../Topic/#part-one"
    assert block.css_first("p#\\^q1").text() == "Quotable line."


def test_embedded_words_are_found_on_their_own_notes_page_not_again(
    build_site: BuildSite,
) -> None:
    vault = {
        **VAULT,
        # (a callout's div inside the embed's: the search plugin's own parser took its end for
        # the box's and indexed what followed)
        "Topic.md": VAULT["Topic.md"].replace(
            "## Part two", "> [!note] Inner\n> callout words\n\nAfter the callout.\n\n## Part two"
        ),
    }
    built = build_site(vault, config={"plugins": ["search", "notesite"]})
    assert built.returncode == 0, built.log
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        texts[page] = texts.get(page, "") + " " + doc["title"] + " " + doc["text"]
    assert "First part with" in texts["Topic/"] and "After the callout." in texts["Topic/"]
    assert "Quotable line." in texts["Topic/"]
    assert "See" in texts["Hub/"] and "Topic" in texts["Hub/"]
    for words in ("First part with", "callout words", "After the callout.", "Quotable line."):
        assert words not in texts["Hub/"], words
    assert built.article("Hub.md").css("div.ns-embed[data-search-exclude]")


def test_embed_cycles_are_cut_and_reported(site: Site) -> None:
    assert "WARNING -  notesite: Self.md: the embed chain Self.md -> Self.md is a cycle" in site.log
    assert "the embed chain Loop A.md -> Loop B.md -> Loop A.md is a cycle" in site.log
    assert site.article("Self.md").css_first("a.ns-wikilink").text() == "Self"


def test_callout_holds_its_list_and_folds(site: Site) -> None:
    details = site.article("Topic.md").css_first("details.warning")
    assert details.attributes.get("open") is None
    assert details.css_first("summary").text() == "Careful with Hub"
    assert [li.text() for li in details.css("li")] == ["one", "two"]


def test_comments_are_gone_and_code_is_untouched(site: Site) -> None:
    html = site.output_path("Topic.md").read_text(encoding="utf-8")
    assert "hidden remark" not in html and "multi-line" not in html
    assert "<code>inline ==code== [[Hub]] %%kept%%</code>" in html


RAW_SYNTAX = [
    ("wikilink", re.compile(r"\[\[|\]\]")),
    ("callout", re.compile(r"\[![a-z]+\]", re.IGNORECASE)),
    ("comment", re.compile(r"%%")),
    ("highlight", re.compile(r"==[^=\s][^=]*==")),
    ("inline field", re.compile(r"^\s*[\w ]+::", re.MULTILINE)),
]


def raw_syntax_left(site: Site) -> list[str]:
    """Every place outside <code>/<pre> where Obsidian syntax reached a page unrendered."""
    found = []
    for path in site.html_pages():
        page = site.page(str(path.relative_to(site.site)))  # type: ignore[arg-type]
        article = page.css_first("article")
        if article is None:
            continue
        for node in article.css("pre, code, script"):
            node.decompose()
        text = article.text()
        found += [
            f"{path.relative_to(site.site)}: {name}" for name, rx in RAW_SYNTAX if rx.search(text)
        ]
    return found


def test_no_raw_syntax_on_any_page(site: Site) -> None:
    assert len(site.html_pages()) >= 10
    assert raw_syntax_left(site) == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout")
def test_no_raw_syntax_in_the_seeds(build_site: BuildSite) -> None:
    site = build_site(seed_files())
    assert site.returncode == 0, site.log
    assert raw_syntax_left(site) == []
    policy = site.article("001_ba8902ac82c605ac.md")
    assert [m.text() for m in policy.css("mark")] == [
        "been driven in spite of state interference as they have because of it"
    ]
    assert [a.text() for a in policy.css("a.ns-tag")][-1] == "#literature"
    video = site.article("000_ffa97317a3ed214f.md")
    assert video.css_first("div.admonition.info .admonition-title").text() == "Learning from China"
    assert len(video.css("div.admonition.info li")) == 3
    assert video.css_first("div.ns-video").attributes["data-video-id"] == "cQ48rP_Rs4g"
    first = video.css_first("a.ns-timestamp")
    assert first.attributes["href"] == "https://www.youtube.com/watch?v=cQ48rP_Rs4g&t=2161s"


MEDIA = {
    "attachments/diagram.png": b"\x89PNG\r\n\x1a\nfake",
    "attachments/unused.png": b"\x89PNG\r\n\x1a\nnot linked",
    "docs/paper.pdf": b"%PDF-1.4 fake",
    "audio/talk.mp3": b"ID3fake",
    "clip.mp4": b"fake",
    "Other note.md": "## Part\n\ntext",
    "Hidden.md": "---\npublish: false\n---\n",
    "folder/Media.md": (
        "![a diagram](diagram.png)\n\n[the paper](paper.pdf) and [other](Other%20note.md#Part)\n\n"
        "![[talk.mp3]]\n\n![[clip.mp4|320]]\n\n![[paper.pdf#page=2]]\n\n"
        "[hidden](Hidden.md) and [gone](Gone.md) and [web](https://example.org/x.md)\n"
    ),
    "Broken.md": "![[missing.png]]\n",
}


def test_markdown_links_and_media_resolve_like_wikilinks(build_site: BuildSite) -> None:
    site = build_site(MEDIA)
    assert site.returncode == 0, site.log
    page = "folder/Media.md"
    article = site.article(page)
    img = article.css_first("img")
    assert (img.attributes["src"], img.attributes["alt"]) == (
        "../../attachments/diagram.png",
        "a diagram",
    )
    links = {a.text(): a.attributes["href"] for a in article.css("p > a")}
    assert links["the paper"] == "../../docs/paper.pdf"
    assert links["other"] == "../../Other%20note/#part"
    assert links["web"] == "https://example.org/x.md"
    assert article.css_first("audio").attributes["src"] == "../../audio/talk.mp3"
    video = article.css_first("video")
    assert (video.attributes["src"], video.attributes["width"]) == ("../../clip.mp4", "320")
    assert article.css_first("iframe.ns-pdf").attributes["src"] == "../../docs/paper.pdf#page=2"
    assert [s.text() for s in article.css("span.ns-private")] == ["hidden"]
    assert [s.text() for s in article.css("span.ns-unresolved")] == ["gone"]
    for element, key in (("img", "src"), ("audio", "src"), ("video", "src")):
        assert site.resolve_href(page, article.css_first(element).attributes[key]).is_file()
    backlinks = site.article("Other note.md").css_first("section.backlinks")
    assert backlinks is not None and backlinks.css_first("a").text() == "Media"


def test_only_used_attachments_are_copied_and_missing_ones_warn(build_site: BuildSite) -> None:
    site = build_site(MEDIA)
    copied = sorted(
        p.relative_to(site.site).as_posix()
        for p in site.site.rglob("*")
        if p.suffix in {".png", ".pdf", ".mp3", ".mp4"}
        and not p.is_relative_to(site.site / "assets")
    )
    assert copied == ["attachments/diagram.png", "audio/talk.mp3", "clip.mp4", "docs/paper.pdf"]
    assert (
        "WARNING -  notesite: Broken.md:1: links to '![[missing.png]]', but there is no file 'missing.png' in the vault"
        in site.log
    )
    assert build_site(MEDIA, strict=True).returncode == 1


def test_embeds_inside_callouts(build_site: BuildSite) -> None:
    site = build_site(
        {
            "A.md": "> [!note] Embedded\n> ![[B#Two]]\n",
            "B.md": "## One\n\nx\n\n## Two\n\nTwo text with [[A]].\n\n### Sub\n\nsub\n",
        }
    )
    assert site.returncode == 0, site.log
    callout = site.article("A.md").css_first("div.admonition.note")
    assert callout.css_first("a.ns-embed__source").attributes["href"] == "../B/#two"
    assert [b.text() for b in callout.css("strong")] == ["Two", "Sub"]
    assert "Two text with A." in callout.text() and "x" not in callout.text().split()
    assert site.article("A.md").css("h2:not(.backlinks__title), h3") == []
