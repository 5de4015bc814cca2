"""Real ``mkdocs build`` runs on small vaults, asserting on the parsed HTML and the log."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS, BuildSite, seed_files

NESTED = {
    "index.md": "# Home\n\nStart at [[Ideas & Plans/Bob's idea]] or [[日本語のノート]].\n",
    "Ideas & Plans/Bob's idea.md": (
        "Links back [[index|home]], to [[日本語のノート#見出し]] and [[Deep note#Part two]].\n"
    ),
    "Ideas & Plans/sub folder/Deep note.md": "## Part one\n\n## Part two\n\nSee [[Bob's idea]].\n",
    "日本語のノート.md": "## 見出し\n\nText ^blk1\n\nSee [[Deep note#^nowhere]] and [[#見出し]].\n",
    "files/paper.pdf": b"%PDF-1.4 fake",
    "Refs.md": "[[paper.pdf]] and ![[pic.png|120]]\n",
    "pic.png": b"\x89PNG\r\n\x1a\nfake",
}


@pytest.mark.parametrize("use_directory_urls", [True, False], ids=["directory-urls", "file-urls"])
def test_every_wikilink_href_leads_to_a_built_file(
    build_site: BuildSite, use_directory_urls: bool
) -> None:
    site = build_site(NESTED, config={"use_directory_urls": use_directory_urls})
    assert site.returncode == 0, site.log
    checked = 0
    for vault_path in [p for p in NESTED if p.endswith(".md")]:
        for link in site.article(vault_path).css("a.ns-wikilink"):
            href = link.attributes["href"]
            assert href and site.resolve_href(vault_path, href).is_file(), (vault_path, href)
            checked += 1
    assert checked == 32  # 9 links in notes, 7 in backlinks panels, 16 in the panels' quotes


def test_link_text_anchors_and_attachments(build_site: BuildSite) -> None:
    site = build_site(NESTED)
    bob = site.article("Ideas & Plans/Bob's idea.md")
    text_links = bob.css("p:not(.backlinks__context) a.ns-wikilink")  # (not the panel's quotes)
    links = [(a.text(), a.attributes["href"]) for a in text_links]
    assert links == [
        ("home", "../../"),
        (
            "日本語のノート > 見出し",
            "../../%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%81%AE%E3%83%8E%E3%83%BC%E3%83%88/#見出し",
        ),
        ("Deep note > Part two", "../sub%20folder/Deep%20note/#part-two"),
    ]
    japanese = site.article("日本語のノート.md")
    assert japanese.css_first("h2").attributes["id"] == "見出し"
    assert japanese.css_first("p#\\^blk1").text() == "Text"
    refs = site.article("Refs.md")
    assert refs.css_first("a.ns-attachment").attributes["href"] == "../files/paper.pdf"
    img = refs.css_first("img")
    assert (img.attributes["src"], img.attributes["width"]) == ("../pic.png", "120")
    assert (site.site / "files/paper.pdf").is_file() and (site.site / "pic.png").is_file()


def test_missing_anchor_warns_and_fails_strict(build_site: BuildSite) -> None:
    site = build_site(NESTED, strict=True)
    assert site.returncode == 1
    assert (
        "WARNING -  notesite: 日本語のノート.md:5: links to '[[Deep note#^nowhere]]', "
        "but 'Ideas & Plans/sub folder/Deep note.md' has no block '^nowhere'"
    ) in site.log


def test_backlinks_panel_lists_linking_notes_with_context(build_site: BuildSite) -> None:
    site = build_site(NESTED)
    panel = site.article("Ideas & Plans/Bob's idea.md").css_first("section.backlinks")
    items = [
        (li.css_first("a").text(), li.css_first("a").attributes["href"], li.css_first("p").text())
        for li in panel.css("li")
    ]
    assert items == [
        ("Deep note", "../sub%20folder/Deep%20note/", "See Bob's idea."),
        ("Home", "../../", "Start at Ideas & Plans/Bob's idea or 日本語のノート."),
    ]
    assert site.article("Refs.md").css_first("section.backlinks") is None


def test_unresolved_links_are_distinct_and_lead_to_a_not_written_yet_page(
    build_site: BuildSite,
) -> None:
    site = build_site(
        {"A.md": "x\n\nSee [[China]] and [[Nowhere|there]].\n", "B.md": "Also [[china]]."},
        strict=True,
    )
    assert site.returncode == 0, site.log
    links = site.article("A.md").css("a.ns-unresolved")
    assert [(a.text(), a.attributes["href"]) for a in links] == [
        ("China", "../China/"),
        ("there", "../Nowhere/"),
    ]
    assert all(site.resolve_href("A.md", a.attributes["href"]).is_file() for a in links)
    ghost = site.article("China.md")
    assert ghost.css_first("h1").text() == "China"
    assert "Not written yet. Mentioned in 2 notes:" in ghost.text()
    assert sorted(a.text() for a in ghost.css(".ns-ghost li a")) == ["A", "B"]
    assert "See China and there." in ghost.text()
    assert (
        "INFO    -  notesite: A.md:3: links to '[[China]]', but no note or file in the vault is named 'China'"
        in site.log
    )


def test_without_not_written_yet_pages_unresolved_links_are_text(build_site: BuildSite) -> None:
    site = build_site({"A.md": "See [[China]]."}, strict=True, plugin={"unresolved_pages": False})
    assert site.returncode == 0, site.log
    assert [s.text() for s in site.article("A.md").css("span.ns-unresolved")] == ["China"]
    assert not site.output_path("China.md").exists()


def test_unresolved_links_can_be_made_warnings(build_site: BuildSite) -> None:
    site = build_site({"A.md": "See [[China]]"}, strict=True, plugin={"unresolved_links": "warn"})
    assert site.returncode == 1
    assert "WARNING -  notesite: A.md:1: links to '[[China]]'" in site.log


def test_broken_yaml_warns_and_everything_else_is_published(build_site: BuildSite) -> None:
    files = {"Good.md": "Links to [[Bad]].", "Bad.md": "---\ntitle: [oops\n---\nBody survives.\n"}
    site = build_site(files)
    assert site.returncode == 0
    assert site.article("Bad.md").css_first("p").text() == "Body survives."
    assert site.article("Good.md").css_first("a.ns-wikilink") is not None
    assert any(
        w.startswith("WARNING -  notesite: Bad.md:3: front matter is not valid YAML")
        for w in site.warnings()
    )
    assert build_site(files, strict=True).returncode == 1


def test_non_utf8_note_does_not_stop_the_build(build_site: BuildSite) -> None:
    files: dict[str, str | bytes] = {
        "Latin.md": "caf\xe9\n".encode("latin-1"),
        "Fine.md": "fine [[Latin]]",
    }
    site = build_site(files)
    assert site.returncode == 0, site.log
    assert "caf\N{REPLACEMENT CHARACTER}" in site.article("Latin.md").text()
    assert "notesite: Latin.md:1: is not valid UTF-8 (byte 0xE9)" in site.log
    assert build_site(files, strict=True).returncode == 1


def test_title_comes_from_front_matter_or_file_name_and_h1_is_not_repeated(
    build_site: BuildSite,
) -> None:
    site = build_site(
        {
            "Some idea 20220205175242.md": "# Some idea\n\ntext",
            "Named.md": "---\ntitle: A Title\n---\n# Different\n",
        }
    )
    zettel = site.article("Some idea 20220205175242.md")
    assert [h.text() for h in zettel.css("h1")] == ["Some idea"]
    assert (
        site.page("Some idea 20220205175242.md")
        .css_first("title")
        .text()
        .startswith("Some idea - ")
    )
    assert site.page("Named.md").css_first("title").text().startswith("A Title - ")


def test_vault_without_index_gets_a_home_page(build_site: BuildSite) -> None:
    site = build_site({"a/One.md": "one", "Two.md": "two"}, strict=True)
    assert site.returncode == 0, site.log
    home = site.article("index.md")
    hrefs = {a.attributes["href"] for a in home.css("a")}
    assert hrefs == {"Two/", "a/One/", "a/"}  # recent notes, the folder page, root notes
    assert [h.text() for h in home.css("h2")] == ["Recently changed", "Folders", "Notes"]
    assert all(site.resolve_href("index.md", h).is_file() for h in hrefs)


def test_dot_folders_and_ignored_globs_are_not_published(build_site: BuildSite) -> None:
    site = build_site(
        {
            "Note.md": "x",
            ".obsidian/app.json": "{}",
            ".trash/Old.md": "old",
            "templates/Daily.md": "{{date}}",
        },
        plugin={"ignore": ["templates"]},
    )
    assert site.returncode == 0, site.log
    built = {p.relative_to(site.site).as_posix() for p in site.site.rglob("*")}
    assert "Note/index.html" in built
    assert not any(p.startswith((".obsidian", ".trash", "Old", "templates")) for p in built)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout")
def test_seeds_publish_with_their_links(build_site: BuildSite) -> None:
    files = seed_files()
    site = build_site(files, strict=True)
    assert site.returncode == 0, site.log
    for name in files:
        assert site.output_path(name).is_file(), name
    video = site.article("000_ffa97317a3ed214f.md")
    assert (
        video.css_first("h1").text()
        == "Role of governments in supporting technology infrastructure and innovation"
    )
    policy = site.article("001_ba8902ac82c605ac.md")
    unresolved = policy.css(".ns-unresolved")
    assert all(
        site.resolve_href("001_ba8902ac82c605ac.md", a.attributes["href"]).is_file()
        for a in unresolved
    )
    assert [s.text() for s in unresolved] == [
        "wang2021china China’s Sputnik Moment",  # the source:: field, in the panel at the top
        "China",
        "United States",
        "China propaganda culture focuses on state-aligned goals that have industrial prowess, "
        "like making semiconductors 20220205175242",
        "Chinese Internet",
    ]
    assert "[[" not in policy.text() and "]]" not in policy.text()
    # Seven lines with single newlines between them: Obsidian shows six line breaks.
    assert len(site.article("002_7cc84e104f871c44.md").css("p br")) == 6


def test_titles_are_escaped_wherever_the_theme_prints_them(build_site: BuildSite) -> None:
    site = build_site(
        {
            "Q&A.md": "x",
            "Evil.md": '---\ntitle: "<img src=x onerror=alert(1)> & \\" quote"\n---\ntext',
        }
    )
    assert site.returncode == 0, site.log
    html = site.output_path("Evil.md").read_text(encoding="utf-8")
    assert "<img src=x" not in html
    assert (
        site.article("Evil.md").css_first("h1").text() == '<img src=x onerror=alert(1)> & " quote'
    )
    assert "<title>Q&amp;A - Test vault</title>" in site.output_path("Q&A.md").read_text(
        encoding="utf-8"
    )


def test_navigation_and_page_size_do_not_grow_with_the_vault(build_site: BuildSite) -> None:
    def sizes(n: int) -> tuple[int, int]:
        files: dict[str, str | bytes] = {
            f"Folder {i % 5}/Note {i}.md": f"Note {i} links [[Note {i + 1}]]." for i in range(n)
        }
        site = build_site(files)
        assert site.returncode == 0, site.log
        page = site.output_path("Folder 1/Note 1.md").read_text(encoding="utf-8")
        return len(page), page.count('class="md-nav__link')

    small, large = sizes(20), sizes(200)
    assert large[1] == small[1]  # the same navigation entries on a page of either vault
    assert abs(large[0] - small[0]) < 200  # and the same page, give or take a title's length


def test_the_themes_path_above_a_page_shows_its_folders_when_asked(
    build_site: BuildSite,
) -> None:
    files: dict[str, str | bytes] = {"A/B/Deep.md": "deep", "A/Top.md": "top"}
    material = {"name": "material", "font": False}
    plain = build_site(files)
    assert plain.returncode == 0, plain.log
    assert plain.page("A/B/Deep.md").css(".md-path") == []
    assert "not included in the" not in plain.log
    entries = [a.text(strip=True) for a in plain.page("A/B/Deep.md").css(".md-nav__link")]
    assert len(entries) == 3 and "Deep" not in entries, entries
    # mkdocs-material's navigation.path shows the folders above the page (from MkDocs' nesting
    # of the pages into sections).
    path = build_site(files, config={"theme": {**material, "features": ["navigation.path"]}})
    assert path.returncode == 0, path.log
    shown = [a.text(strip=True) for a in path.page("A/B/Deep.md").css(".md-path__link")]
    assert shown[-2:] == ["A", "B"], shown


def test_folders_get_index_pages_and_notes_get_breadcrumbs(build_site: BuildSite) -> None:
    site = build_site({"A/B/Deep.md": "deep", "A/Top.md": "top", "A/B.md": "folder note of A/B"})
    assert site.returncode == 0, site.log
    crumbs = [
        (a.text(), a.attributes["href"])
        for a in site.article("A/B/Deep.md").css(".ns-breadcrumbs a")
    ]
    assert crumbs == [("A", "../../"), ("B", "../")]  # B's page is its folder note, A/B.md
    folder = site.article("A/index.md")
    assert sorted(a.text() for a in folder.css("article > ul > li > a")) == ["B", "B/", "Top"]
    explorer = site.site / "assets/notesite/explorer.json"
    assert explorer.is_file() and "Deep" in explorer.read_text(encoding="utf-8")


def test_build_ends_with_a_summary(build_site: BuildSite) -> None:
    site = build_site(
        {
            "A.md": "[[B]] [[Nowhere]] ![[pic.png]]",
            "B.md": "---\npublish: false\n---\n",
            "pic.png": b"png",
            "C.md": "[[A#Nope]]",
        }
    )
    assert site.returncode == 0, site.log
    assert "notesite: read 3 notes with 4 links in " in site.log
    assert (
        "notesite: published 2 notes and 1 attachment; 1 private note left out; "
        "warnings: 1 anchor; 1 notice"
    ) in site.log


def test_a_hub_notes_backlinks_panel_is_bounded(build_site: BuildSite) -> None:
    files: dict[str, str | bytes] = {f"n{i:03}.md": "Links to [[Hub]]." for i in range(105)}
    site = build_site({**files, "Hub.md": "the hub"})
    assert site.returncode == 0, site.log
    panel = site.article("Hub.md").css_first("section.backlinks")
    assert panel.css_first("h2").text() == "Linked from 105 notes"
    assert len(panel.css("li")) == 100
    assert panel.css_first(".backlinks__more").text() == "and 5 more, not listed here"
