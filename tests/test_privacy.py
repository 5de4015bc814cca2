"""Private notes leave no trace, and comments appear in no output file.

Every private note carries unique canary strings in its body, file name, front matter and
comments; public notes link to and embed it. After a real build, every file of the output
(HTML, JSON, XML, JS, copied files) is scanned for every canary, and so is every page the build
cache kept (``.cache/notesite/`` beside ``mkdocs.yml``), unpacked.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from jinja2.bccache import bc_magic

from notesite.build.cache import (
    KEYS,
    KEYS_MAGIC,
    MADE,
    MADE_MAGIC,
    MAGIC,
    NOTES,
    NOTES_MAGIC,
    TEMPLATES,
)
from tests.conftest import BuildSite, Site

CANARIES = [
    "cnry-file",
    "cnry-body",
    "cnry-title",
    "cnry-alias",
    "cnry-fmtag",
    "cnry-bodytag",
    "cnry-fmfield",
    "cnry-context",
    "cnry-glob",
    "cnry-draft",
    "cnry-image",
    "cnry-comment-private",
    "cnry-comment-public",
    "cnry-comment-multi",
    "cnry-optin",
    "cnry-canvasfile",
    "cnry-canvastext",
    "cnry-canvasgroup",
    "cnry-ignored",
    "cnry-task",
]

VAULT: dict[str, str | bytes] = {
    "Public.md": (
        "Public text links [[Secret cnry-file|a private note]] and [x](Secret%20cnry-file.md).\n\n"
        "![[Secret cnry-file]]\n\nAlias link [[cnry-alias|by alias]].\n\n"
        "A %%cnry-comment-public%% remark.\n\n%%\ncnry-comment-multi\n%%\n\nSee [[Other]] and [[Journal/day|day]].\n"
        "\nA canvas: [[Journal/cnry-canvasfile.canvas|a canvas]].\n\n"
        "![[Journal/cnry-canvasfile.canvas]]\n\n"
        # Quoted in Other's backlinks panel: its links to private notes are text there too.
        "Compare [[Other]] with [y](Secret%20cnry-file.md) and [[cnry-alias|z]].\n"
    ),
    # A private canvas (by the 'Journal' glob) linking to a public note, and a public one
    # showing the private note in a file node.
    "Journal/cnry-canvasfile.canvas": (
        '{"nodes": [{"id": "t", "type": "text", "text": "cnry-canvastext [[Other]]", "x": 0, '
        '"y": 0, "width": 100, "height": 100}, {"id": "o", "type": "file", "file": "Other.md", '
        '"x": 200, "y": 0, "width": 100, "height": 100}, {"id": "g", "type": "group", '
        '"label": "cnry-canvasgroup", "x": 0, "y": 0, "width": 400, "height": 200}]}'
    ),
    "Board.canvas": (
        '{"nodes": [{"id": "s", "type": "file", "file": "Secret cnry-file.md", "subpath": '
        '"#cnry-context", "x": 0, "y": 0, "width": 100, "height": 100}]}'
    ),
    "Other.md": "Another public note.\n",
    "Secret cnry-file.md": (
        "---\npublish: false\ntitle: cnry-title\naliases: [cnry-alias]\ntags: [cnry-fmtag]\n"
        "owner: cnry-fmfield\n---\ncnry-body with #cnry-bodytag and ![[cnry-image.png]]\n\n"
        "It links to [[Other]] in cnry-context. %%cnry-comment-private%%\n\n- [ ] cnry-task\n"
    ),
    "Queries.md": (
        "Links into Other: `= length([[Other]].file.inlinks)`; notes: `= length(this.nothing)`.\n\n"
        "```dataview\nTABLE owner, file.tags, file.outlinks, file.inlinks, file.aliases\n```\n\n"
        '```dataview\nLIST file.name FROM "" OR #cnry-fmtag OR "Journal"\n```\n\n'
        "```dataview\nTASK\n```\n\n```dataview\nCALENDAR file.mtime\n```\n\n"
        "```dataview\nTABLE length(rows) AS Count FROM [[Other]] GROUP BY true\n```\n"
    ),
    "Journal/day.md": "cnry-glob links [[Other]] too.\n",
    "Drafted.md": "---\ndraft: true\n---\ncnry-draft [[Other]]\n",
    "cnry-image.png": b"\x89PNG\r\n\x1a\n-cnry-image-",
    "Templates/cnry-ignored.md": "---\nowner: cnry-ignored\n---\n[[Other]]\n",
    # A base of every note, its properties, links and counts: only public notes are in it.
    "Everything.base": (
        "formulas:\n  names: 'file.backlinks.map(value.asFile().basename).join(\", \")'\n"
        "views:\n  - type: table\n    name: All\n"
        "    order: [file.name, owner, file.tags, file.links, file.backlinks, formula.names]\n"
        "    summaries:\n      owner: Unique\n      file.name: Filled\n"
        "  - type: cards\n    name: Cards\n    image: owner\n"
        "  - type: list\n    name: Grouped\n    groupBy:\n      property: owner\n"
    ),
}


def cache_texts(folder: Path) -> dict[Path, bytes]:
    """Every file of the build cache: a page's (its head in marshal's format, its search
    entries and HTML), the notes memo and the generated pages (pickles), the templates'
    compiled code: all of them keep their strings as written."""
    found = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name in (NOTES, MADE, KEYS):
            magic = {NOTES: NOTES_MAGIC, MADE: MADE_MAGIC, KEYS: KEYS_MAGIC}[path.name]
            assert data.startswith(magic), path
            found[path] = data
            continue
        if path.parent.name == TEMPLATES:  # (the theme's templates, compiled by jinja)
            assert data.startswith(bc_magic), path
            found[path] = data
            continue
        assert data.startswith(MAGIC), path
        found[path] = data
    names = {p.name for p in found}
    assert {NOTES, MADE, KEYS} <= names, f"the build kept {sorted(names & {NOTES, MADE, KEYS})}"
    assert len(names) > 3, "the build kept no page in its cache"
    return found


def memo_sources(site: Site, memo: Path) -> bytes:
    """The vault files whose notes the cache's notes memo holds, as written: each has a page on
    the site (no private note is among them)."""
    kept = pickle.loads(memo.read_bytes()[len(NOTES_MAGIC) + 4 :])  # (after its CRC-32)
    assert kept, "the notes memo holds no note"
    for path in kept:
        assert site.output_path(path).is_file(), f"the notes memo holds {path}, not published"
    return b"\n".join((site.vault / path).read_bytes() for path in kept).lower()


def leaks(site: Site, canaries: list[str]) -> list[str]:
    found = []
    for path in site.site.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="ignore").casefold()
            found += [f"{path.relative_to(site.site)}: {c}" for c in canaries if c in text]
    cache = site.vault.parent / ".cache" / "notesite"
    for path, data in cache_texts(cache).items():
        text = data.decode("utf-8", errors="ignore").casefold()
        looked_for = canaries
        if path.name == NOTES:
            # The memo keeps each public note as its file says, for the next build to skip
            # parsing it: its comments and the names it links by are there, as in the vault.
            # Nothing else is: no private note's text, nothing a public note does not say.
            sources = memo_sources(site, path)
            looked_for = [c for c in canaries if c.encode() not in sources]
        found += [f"{path.relative_to(cache)}: {c}" for c in looked_for if c in text]
    return found


def test_private_notes_and_comments_leave_no_trace(build_site: BuildSite) -> None:
    settings = {"private": ["Journal"], "ignore": ["Templates"]}
    site = build_site(
        VAULT, plugin=settings, config={"plugins": ["search", {"notesite": settings}]}
    )
    assert site.returncode == 0, site.log
    assert leaks(site, CANARIES) == []
    base = site.article("Everything.md")
    names = [td.text(strip=True) for td in base.css(".tabbed-block")[0].css("tbody td:first-child")]
    assert names == ["Board.canvas", "Other", "Public", "Queries"]  # (a canvas is in bases too)
    assert [td.text(strip=True) for td in base.css("tfoot td")][:2] == ["Filled4", "Unique0"]
    public = site.article("Public.md")
    assert [s.text() for s in public.css("span.ns-private")] == [
        "a private note",
        "x",
        "by alias",
        "day",
        "a canvas",
        "y",
        "z",
    ]
    assert len(public.css(".ns-embed--unpublished")) == 2
    card = site.article("Board.canvas").css_first('[data-node="s"]')
    assert card.text().strip() == "This note is not published."
    assert site.article("Other.md").css_first("section.backlinks a").text() == "Public"
    quotes = site.article("Other.md").css("section.backlinks p")
    assert [q.text() for q in quotes] == ["See Other and day.", "Compare Other with y and z."]
    assert [s.text() for s in quotes[1].css("span.ns-private")] == ["y", "z"]
    assert len(site.article("Other.md").css("section.backlinks li")) == 1
    assert (site.site / "search" / "search_index.json").is_file()
    queries = site.article("Queries.md")
    assert [s.text() for s in queries.css("span.ns-query-inline")] == ["1", "0"]
    listed = {a.text() for a in queries.css("table[data-ns-sortable] td:first-child a")}
    assert listed == {"Public", "Other", "Queries"}
    assert [a.text() for a in queries.css("ul.ns-query-list li > a")] == [
        "Other",
        "Public",
        "Queries",
    ]
    counted = queries.css("table[data-ns-sortable]")[-1]
    assert [td.text() for td in counted.css("tbody td")] == ["true", "1"]
    assert queries.css(".ns-query-tasks li") == []


def test_opt_in_publishes_only_notes_that_say_so(build_site: BuildSite) -> None:
    site = build_site(
        {"Yes.md": "---\npublish: true\n---\nLinks [[No|no]].", "No.md": "cnry-optin body"},
        plugin={"publish": "opt-in"},
    )
    assert site.returncode == 0, site.log
    assert site.output_path("Yes.md").is_file()
    assert not site.output_path("No.md").exists()
    assert leaks(site, ["cnry-optin"]) == []


def test_the_canary_scan_finds_what_it_looks_for(build_site: BuildSite) -> None:
    site = build_site({"Open.md": "cnry-body in a public note"})
    assert leaks(site, CANARIES) != []
    # The cache's pages are read unpacked: the public note's text is there.
    assert any(
        b"cnry-body" in data
        for data in cache_texts(site.vault.parent / ".cache" / "notesite").values()
    )


def test_a_private_literature_note_leaves_no_trace(build_site: BuildSite) -> None:
    bib = (
        "@book{secret2020,\n  title = {Open Title},\n  author = {Author, Ann},\n"
        "  year = {2020},\n  publisher = {Press},\n}\n"
        "@book{open2021,\n  title = {Other},\n  author = {Writer, Will},\n  year = {2021},\n}\n"
    )
    files: dict[str, str | bytes] = {
        "refs.bib": bib,
        "Public.md": "Cited [@secret2020] and [@open2021].\n",
        "secret2020 cnry-lit-file.md": "---\npublish: false\n---\ncnry-lit-body\n",
        "Lit.md": "---\ncitekey: open2021\n---\nAn open literature note.\n",
        "Journal/day.md": "cnry-glob cites [@open2021] too.\n",
    }
    site = build_site(files, plugin={"bibliography": "vault/refs.bib", "private": ["Journal"]})
    assert site.returncode == 0, site.log
    assert leaks(site, ["cnry-lit-file", "cnry-lit-body", "cnry-glob"]) == []
    citation = site.article("Public.md").css_first("span.citation")
    assert citation.text() == "(Author 2020)"
    assert [a.attributes["href"] for a in citation.css("a")] == ["#ref-secret2020"]
    assert [a.text() for a in site.page("Lit.md").css("section.backlinks a")] == ["Public"]
