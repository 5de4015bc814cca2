"""JSON Canvas: the parser alone, then real builds of vaults holding canvases.

Each canvas is a page at its vault path: its nodes are HTML boxes placed by CSS, its edges an
SVG; its links count in the graph and backlinks; ``![[Map.canvas]]`` embeds it in a note.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from notesite.canvas.layout import edge_shape, facing_sides
from notesite.canvas.load import load_canvas
from notesite.canvas.model import Edge, Node
from notesite.canvas.parse import parse_canvas
from notesite.paths import VaultPath
from tests.conftest import BuildSite, Site

PATH = VaultPath("Map.canvas")


def _node(node_id: str, kind: str = "text", x: int = 0, y: int = 0, **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "type": kind, "x": x, "y": y, "width": 200, "height": 100, **extra}


def _canvas(nodes: list[dict[str, Any]], edges: list[dict[str, Any]] | None = None) -> str:
    # One node or edge a line, as Obsidian writes a canvas.
    lines = ['{\n\t"nodes":[']
    lines.append(",\n".join("\t\t" + json.dumps(n) for n in nodes))
    lines.append('\t],\n\t"edges":[')
    lines.append(",\n".join("\t\t" + json.dumps(e) for e in edges or []))
    lines.append("\t]\n}\n")
    return "\n".join(lines)


# -- the parser ----------------------------------------------------------------------------------


def test_a_canvas_is_read_into_typed_nodes_and_edges() -> None:
    text = _canvas(
        [
            _node("t", text="Hello", color="1"),
            _node("f", "file", 300, file="/Notes/A.md", subpath="#Part"),
            _node("l", "link", url="https://example.com"),
            _node("g", "group", label="Box", background="bg.png", backgroundStyle="ratio"),
        ],
        [{"id": "e", "fromNode": "t", "toNode": "f", "fromSide": "right", "color": "#ff0000"}],
    )
    canvas, problems = parse_canvas(PATH, text)
    assert problems == []
    assert [(n.id, n.type, n.line) for n in canvas.nodes] == [
        ("t", "text", 3),
        ("f", "file", 4),
        ("l", "link", 5),
        ("g", "group", 6),
    ]
    text_node, file_node, link_node, group = canvas.nodes
    assert (text_node.text, text_node.color) == ("Hello", "1")
    assert (file_node.file, file_node.subpath) == ("Notes/A.md", "#Part")
    assert link_node.url == "https://example.com"
    assert (group.label, group.background, group.background_style) == ("Box", "bg.png", "ratio")
    # JSON Canvas's defaults: no arrow at the start, an arrow at the end, sides left to draw.
    assert canvas.edges == (Edge("e", "t", "f", 9, from_side="right", color="#ff0000"),)
    assert canvas.edges[0].from_end == "none" and canvas.edges[0].to_end == "arrow"


BROKEN_JSON = '{"nodes": [\n  {"id": "a",\n  }\n]}'


@pytest.mark.parametrize(
    ("text", "expected", "kept"),
    [
        (
            BROKEN_JSON,
            [
                "Map.canvas:3: is not valid JSON (Expecting property name enclosed in double "
                "quotes); the canvas is shown empty"
            ],
            [],
        ),
        (
            "[1, 2]",
            [
                "Map.canvas:1: is not a JSON Canvas (its JSON is not an object); "
                "the canvas is shown empty"
            ],
            [],
        ),
        (
            _canvas([_node("a"), _node("b", "sticker"), {"id": "c", "type": "text", "x": 1}]),
            [
                "Map.canvas:4: has a node 'b' of type 'sticker', which is not a JSON Canvas "
                "type; it is left out",
                "Map.canvas:5: has a node 'c' without a position and size; it is left out",
            ],
            ["a"],
        ),
        (
            _canvas(
                [_node("a"), _node("a", x=5), _node("f", "file")],
                [{"id": "e1", "fromNode": "a", "toNode": "gone"}],
            ),
            [
                "Map.canvas:4: has a second node with id 'a'; it is left out",
                "Map.canvas:5: has a file node 'f' that names no file; it is left out",
                "Map.canvas:8: has an edge 'e1' to 'gone', which is not a node of the canvas; "
                "it is left out",
            ],
            ["a"],
        ),
        ("", [], []),
    ],
)
def test_what_cannot_be_used_is_reported_and_the_rest_kept(
    text: str, expected: list[str], kept: list[str]
) -> None:
    canvas, problems = parse_canvas(PATH, text)
    assert [str(p) for p in problems] == expected
    assert [n.id for n in canvas.nodes] == kept


def test_a_canvas_links_to_its_files_and_the_wikilinks_of_its_text() -> None:
    text = _canvas(
        [
            _node("t", text="See [[Alpha]] and [b](Beta.md), #idea\n\n`[[not a link]]`"),
            _node("f", "file", file="Gamma.md", subpath="#Part"),
        ]
    )
    note = load_canvas(PATH, text.encode()).note
    assert note is not None
    assert note.title == "Map"
    assert [(str(r.link), r.line) for r in note.links] == [
        ("[[Alpha]]", 3),
        ("[[Beta.md|b]]", 3),
        ("![[Gamma.md#Part]]", 4),
    ]
    assert note.links[0].context.startswith("See Alpha and")
    assert note.tags == ("idea",)


def test_edges_leave_by_the_sides_that_face_each_other() -> None:
    left = Node("a", "text", 0, 0, 100, 100, 1)
    right = Node("b", "text", 300, 20, 100, 100, 1)
    below = Node("c", "text", 0, 400, 100, 100, 1)
    assert facing_sides(left, right) == ("right", "left")
    assert facing_sides(right, left) == ("left", "right")
    assert facing_sides(left, below) == ("bottom", "top")
    shape = edge_shape(Edge("e", "a", "b", 1, from_end="arrow"), left, right)
    assert shape.path.startswith("M100 50C")
    assert shape.path.endswith("300 70")
    assert len(shape.arrows) == 2
    assert shape.arrows[1].startswith("M300 70")


# -- real builds ---------------------------------------------------------------------------------

MAP = _canvas(
    [
        _node("g1", "group", -20, -60, label="Core ideas", color="4"),
        _node(
            "t1",
            text="# Big idea\n\nSee [[Alpha]] and #idea\n\n> [!note] Callout\n> with $x^2$",
            color="1",
        ),
        _node("f1", "file", 300, 0, file="Alpha.md", subpath="#Details", color="#ff8800"),
        _node("f2", "file", 300, 200, file="Secret.md"),
        _node("f3", "file", 0, 400, file="img/pic.png"),
        _node("f4", "file", 200, 400, file="Nowhere.md"),
        _node("l1", "link", 400, 400, url="https://example.com/page"),
        _node("f5", "file", 600, 0, file="Beta.md"),
        _node("g2", "group", 600, 200, background="pic.png", backgroundStyle="ratio"),
    ],
    [
        {
            "id": "e1",
            "fromNode": "t1",
            "fromSide": "right",
            "toNode": "f1",
            "toSide": "left",
            "label": "explains",
            "color": "2",
        },
        {
            "id": "e2",
            "fromNode": "f1",
            "toNode": "f5",
            "fromEnd": "arrow",
            "toEnd": "none",
            "color": "#00ff00",
        },
    ],
)

VAULT: dict[str, str | bytes] = {
    "Alpha.md": "# Alpha\n\nThe opening of Alpha.\n\n## Details\n\nDetail paragraph.\n",
    "Beta.md": "Beta's opening with [[Alpha]].\n\nA second paragraph.\n",
    "Secret.md": "---\npublish: false\ntitle: Hidden title\n---\nHidden text.\n",
    "img/pic.png": b"\x89PNG\r\n\x1a\n",
    "Maps/Map.canvas": MAP,
    "Host.md": "A map of it all: [[Map.canvas|the map]]; [[Map]] is another note.\n\n![[Map.canvas]]\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    import yaml

    from tests.conftest import run_mkdocs, write_vault

    root = tmp_path_factory.mktemp("canvas")
    write_vault(root / "vault", VAULT)
    settings = {
        "site_name": "Canvas",
        "docs_dir": str(root / "vault"),
        "site_dir": str(root / "site"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "notesite"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    result = run_mkdocs(root / "mkdocs.yml")
    return Site(
        root / "vault", root / "site", result.stdout + result.stderr, result.returncode, True
    )


def _node_el(site: Site, node_id: str) -> Any:
    el = site.article("Maps/Map.canvas").css_first(f'.ns-canvas [data-node="{node_id}"]')
    assert el is not None, node_id
    return el


def test_a_canvas_is_a_page_at_its_vault_path(site: Site) -> None:
    assert site.returncode == 0, site.log
    assert site.output_path("Maps/Map.canvas") == site.site / "Maps/Map.canvas/index.html"
    page = site.page("Maps/Map.canvas")
    assert page.css_first("title").text().startswith("Map")
    assert page.css_first("article h1").text() == "Map"
    board = site.article("Maps/Map.canvas").css_first(".ns-canvas > .ns-canvas__board")
    # The box around every node, 40 units of room around it.
    assert board.attributes["style"] == "--ns-w:900px;--ns-h:640px"
    # Each node is placed by CSS, relative to the board's corner (-60, -100).
    assert _node_el(site, "t1").attributes["style"] == (
        "--ns-x:60px;--ns-y:100px;--ns-w:200px;--ns-h:100px"
    )


def test_text_nodes_are_rendered_with_every_notesite_syntax(site: Site) -> None:
    text = _node_el(site, "t1")
    assert "ns-canvas-color-1" in text.attributes["class"]
    link = text.css_first("a.ns-wikilink")
    assert link.text() == "Alpha"
    assert site.resolve_href("Maps/Map.canvas", link.attributes["href"]) == site.output_path(
        "Alpha.md"
    )
    assert text.css_first("a.ns-tag").text() == "#idea"
    assert text.css_first(".admonition.callout .admonition-title").text() == "Callout"
    assert text.css_first(".arithmatex") is not None
    # A text node's heading is the canvas's, not the page's outline.
    assert text.css_first("h1") is None
    assert text.css_first("p.ns-embed__heading").text() == "Big idea"


def test_file_nodes_show_a_card_an_image_or_a_neutral_card(site: Site) -> None:
    card = _node_el(site, "f1")
    assert card.attributes["style"].endswith(";--ns-color:#ff8800")
    title = card.css_first("a.ns-canvas__file-title")
    assert title.text() == "Alpha › Details"
    href = title.attributes["href"]
    assert href.endswith("#details")
    assert site.resolve_href("Maps/Map.canvas", href) == site.output_path("Alpha.md")
    assert card.css_first(".ns-canvas__opening").text().strip() == "Detail paragraph."
    beta = _node_el(site, "f5")
    assert beta.css_first(".ns-canvas__opening").text().split() == (
        ["Beta's", "opening", "with", "Alpha.", "A", "second", "paragraph."]
    )
    image = _node_el(site, "f3").css_first("img")
    assert site.resolve_href("Maps/Map.canvas", image.attributes["src"]).is_file()
    private = _node_el(site, "f2")
    assert private.text().strip() == "This note is not published."
    assert private.css_first("a") is None
    missing = _node_el(site, "f4")
    assert missing.text().strip() == "Nowhere.md is not in the vault"


def test_link_nodes_and_groups(site: Site) -> None:
    link = _node_el(site, "l1")
    anchor = link.css_first("a.ns-canvas__url")
    assert (anchor.attributes["href"], anchor.text()) == (
        "https://example.com/page",
        "example.com/page",
    )
    # Nothing is fetched from the linked site: no frame, no image, no icon.
    assert link.css("iframe, img, object, embed") == []
    group = _node_el(site, "g1")
    assert "ns-canvas__group" in group.attributes["class"]
    assert "ns-canvas-color-4" in group.attributes["class"]
    assert group.css_first(".ns-canvas__label").text() == "Core ideas"
    # A background image, found as ![[pic.png]] would find it, is published with the canvas.
    background = _node_el(site, "g2").css_first("img.ns-canvas__background--ratio")
    assert site.resolve_href("Maps/Map.canvas", background.attributes["src"]).is_file()


def test_edges_are_curves_with_arrow_heads_colors_and_labels(site: Site) -> None:
    svg = site.article("Maps/Map.canvas").css_first(".ns-canvas__edges svg")
    assert svg.attributes["viewBox"] == "-60 -100 900 640"
    e1 = svg.css_first('g[data-edge="e1"]')
    assert "ns-canvas-color-2" in e1.attributes["class"]
    # From t1's right side (200, 50) to f1's left side (300, 50), one arrow at the end.
    assert e1.css_first("path.ns-canvas__line").attributes["d"] == "M200 50C250 50 250 50 300 50"
    assert [p.attributes["d"] for p in e1.css("path.ns-canvas__arrow")] == [
        "M300 50L286 45L286 55Z"
    ]
    e2 = svg.css_first('g[data-edge="e2"]')
    assert e2.attributes["style"] == "--ns-color:#00ff00"
    assert len(e2.css("path.ns-canvas__arrow")) == 1  # at the start only
    label = site.article("Maps/Map.canvas").css_first('.ns-canvas__edge-label[data-edge="e1"]')
    assert label.text() == "explains"


def test_problems_of_a_canvas_are_warnings_with_file_and_line(site: Site) -> None:
    assert site.warnings() == [
        "WARNING -  notesite: Maps/Map.canvas:8: has a file node 'f4' showing 'Nowhere.md', "
        "which is not in the vault"
    ]


def test_canvas_links_count_in_backlinks_the_graph_explorer_and_search(site: Site) -> None:
    backlinks = [
        a.text() for a in site.article("Alpha.md").css("section.backlinks a.backlinks__link")
    ]
    assert backlinks == ["Beta", "Map"]
    link = site.article("Alpha.md").css("section.backlinks a.backlinks__link")[1].attributes["href"]
    assert site.resolve_href("Alpha.md", link) == site.output_path("Maps/Map.canvas")
    graph = json.loads((site.site / "assets/notesite/graph.json").read_text(encoding="utf-8"))
    names = [n[0] for n in graph["nodes"]]
    canvas = names.index("Map")
    assert graph["nodes"][canvas][1] == "Maps/Map.canvas/"
    assert [names.index("Alpha"), canvas] in graph["links"] or [
        canvas,
        names.index("Alpha"),
    ] in graph["links"]
    explorer = (site.site / "assets/notesite/explorer.json").read_text(encoding="utf-8")
    assert '["Map","Maps/Map.canvas/"]' in explorer
    index = json.loads((site.site / "search/search_index.json").read_text(encoding="utf-8"))
    texts = [d["text"] for d in index["docs"] if d["location"].startswith("Maps/Map.canvas/")]
    assert any("Detail paragraph" in t for t in texts)
    assert any("See Alpha" in t for t in texts)
    # Embedded, the canvas is found on its own page, not again on the page that shows it.
    host = [d["text"] for d in index["docs"] if d["location"].startswith("Host/")]
    assert any("A map of it all" in t for t in host)
    assert not any("Detail paragraph" in t for t in host)


def test_links_name_a_canvas_with_its_ending_and_embed_it(site: Site) -> None:
    host = site.article("Host.md")
    link = host.css_first("p a.ns-wikilink")
    assert link.text() == "the map"
    assert site.resolve_href("Host.md", link.attributes["href"]) == site.output_path(
        "Maps/Map.canvas"
    )
    # [[Map]] names a note, which does not exist: the canvas is not it.
    assert host.css_first("p .ns-unresolved").text() == "Map"
    embed = host.css_first(".ns-embed.ns-embed--canvas")
    source = embed.css_first("a.ns-embed__source")
    assert site.resolve_href("Host.md", source.attributes["href"]) == site.output_path(
        "Maps/Map.canvas"
    )
    viewport = embed.css_first(".ns-canvas.ns-canvas--embed")
    # The embedded text links where the canvas's does, from the embedding page.
    alpha = viewport.css_first('[data-node="t1"] a.ns-wikilink')
    assert site.resolve_href("Host.md", alpha.attributes["href"]) == site.output_path("Alpha.md")
    assert viewport.css_first('[data-node="f2"]').text().strip() == "This note is not published."
    # The embedded headings are not the note's.
    assert [h.text() for h in embed.css("h1, h2, h3")] == []
    page = site.page("Host.md")
    assert page.css_first('script[src$="canvas.js"]') is not None
    assert site.page("Alpha.md").css_first('script[src$="canvas.js"]') is None


def test_broken_canvases_warn_and_the_site_builds(build_site: BuildSite) -> None:
    site = build_site(
        {
            "Broken.canvas": '{"nodes": [\n{"id": "a",,}\n]}',
            "Odd.canvas": _canvas([_node("a", text="kept"), _node("b", "sticker")]),
            "Empty.canvas": "",
            "Home.md": "[[Broken.canvas]] [[Odd.canvas]] [[Empty.canvas]]",
        },
        config={"site_url": "https://example.org/"},
    )
    assert site.returncode == 0, site.log
    assert site.warnings() == [
        "WARNING -  notesite: Broken.canvas:2: is not valid JSON (Expecting property name "
        "enclosed in double quotes); the canvas is shown empty",
        "WARNING -  notesite: Odd.canvas:4: has a node 'b' of type 'sticker', which is not a "
        "JSON Canvas type; it is left out",
    ]
    assert site.article("Broken.canvas").css_first(".ns-canvas__board") is not None
    assert site.article("Odd.canvas").css_first('[data-node="a"]').text().strip() == "kept"
    assert site.article("Empty.canvas").css(".ns-canvas__node") == []
    # In the feed, a canvas has a title and no summary (its text is JSON, not prose).
    feed = (site.site / "feed.xml").read_text(encoding="utf-8")
    entry = feed[feed.index("<title>Odd</title>") :].split("</entry>")[0]
    assert "<summary>" not in entry
