"""graph.json: the vault's link graph as the graph view reads it, without MkDocs."""

from __future__ import annotations

import json
from typing import Any

import jinja2
from pymdownx.slugs import slugify
from selectolax.lexbor import LexborHTMLParser

from notesite.graph import LinkGraph
from notesite.loader import Note, load_note
from notesite.paths import VaultPath
from notesite.site.graph_data import graph_json
from notesite.theme import templates_dir

VAULT: dict[str, str] = {
    "Home.md": "# Home\n\nSee [[Ideas/Alpha]], [[Beta|the beta]], [[Missing note]] and [[Secret]].\n",
    "Ideas/Alpha.md": (
        "---\ntags: [idea]\n---\n[[Beta]] and [[Beta#Part]], myself [[Alpha]], back [[Home]].\n"
        "A file: [[paper.pdf]].\n"
    ),
    "Ideas/Sub/Beta.md": "---\ntags: [Idea, Project/x]\n---\n## Part\n\n[[Home]] [[home]]\n",
    "Lonely.md": "No links here.\n",
    "Secret.md": (
        "---\ntitle: Top secret plan\npublish: false\ntags: [hidden]\n---\n"
        "[[Home]] [[Lonely]] [[Ghost of secret]]\n"
    ),
    "Draft.md": "---\ndraft: true\n---\n[[Alpha]]\n",
    "Unbuilt.md": "[[Home]]\n",
}
URLS: dict[VaultPath, str] = {
    VaultPath("Home.md"): "",
    VaultPath("Ideas/Alpha.md"): "Ideas/Alpha/",
    VaultPath("Ideas/Sub/Beta.md"): "Ideas/Sub/Beta/",
    VaultPath("Lonely.md"): "Lonely/",
    # The plugin would never give private notes a URL; graph_json must drop them anyway.
    VaultPath("Secret.md"): "Secret/",
    VaultPath("Draft.md"): "Draft/",
    VaultPath("tags/idea.md"): "tags/idea/",
    VaultPath("tags/hidden.md"): "tags/hidden/",
}


def make_graph(vault: dict[str, str] = VAULT, order: list[str] | None = None) -> LinkGraph:
    notes: list[Note] = []
    for path in order or list(vault):
        note = load_note(VaultPath(path), vault[path].encode()).note
        assert note is not None
        notes.append(note)
    return LinkGraph(notes, [VaultPath("paper.pdf")], slugify=slugify(case="lower"))


def document(**kwargs: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(graph_json(make_graph(), URLS, **kwargs))
    return data


def test_nodes_are_the_published_notes_with_a_page_in_path_order() -> None:
    assert document()["nodes"] == [
        ["Home", "", "", 2],
        ["Alpha", "Ideas/Alpha/", "Ideas", 2],
        ["Beta", "Ideas/Sub/Beta/", "Ideas", 2],
        ["Lonely", "Lonely/", "", 0],
    ]


def test_links_are_undirected_deduplicated_pairs_without_self_loops() -> None:
    # Home-Alpha is written both ways, Beta links to Home twice, Alpha to itself.
    assert document()["links"] == [[0, 1], [0, 2], [1, 2]]


def test_private_notes_leave_no_trace() -> None:
    text = graph_json(make_graph(), URLS)
    for secret in ("Top secret plan", "Secret", "secret", "Draft", "hidden"):
        assert secret not in text
    with_tags = graph_json(make_graph(), URLS, tags=True)
    for secret in ("Top secret plan", "Secret", "Draft", "hidden"):
        assert secret not in with_tags


def test_unresolved_targets_and_attachments_are_no_nodes() -> None:
    text = graph_json(make_graph(), URLS, tags=True)
    assert "Missing note" not in text
    assert "paper.pdf" not in text
    assert "Unbuilt" not in text  # published, but the plugin gave it no page


def test_tag_nodes_only_when_asked_for() -> None:
    assert all(group != "tag" for _, _, group, _ in document()["nodes"])
    data = document(tags=True)
    assert data["nodes"] == [
        ["Home", "", "", 2],
        ["Alpha", "Ideas/Alpha/", "Ideas", 3],
        ["Beta", "Ideas/Sub/Beta/", "Ideas", 4],
        ["Lonely", "Lonely/", "", 0],
        # Tags are case-insensitive: shown as first written, linked to their page if it exists.
        ["#idea", "tags/idea/", "tag", 2],
        ["#Project/x", "", "tag", 1],
    ]
    assert data["links"] == [[0, 1], [0, 2], [1, 2], [1, 4], [2, 4], [2, 5]]


def test_compact_and_deterministic() -> None:
    text = graph_json(make_graph(), URLS, tags=True)
    assert " " not in text  # no padding between tokens (and no title here has a space)
    shuffled = make_graph(order=sorted(VAULT, reverse=True))
    assert graph_json(shuffled, dict(reversed(URLS.items())), tags=True) == text


def test_an_empty_vault_is_an_empty_graph() -> None:
    assert graph_json(make_graph({}), {}) == '{"root":"../../","nodes":[],"links":[]}'


def test_titles_keep_their_letters() -> None:
    vault = {"日本語.md": "[[Ünïcode]]", "Ünïcode.md": '---\ntitle: "Quote \\" and \\\\"\n---\n'}
    urls = {VaultPath(p): p[:-3] + "/" for p in vault}
    text = graph_json(make_graph(vault), urls)
    assert "日本語" in text  # UTF-8, not \\u escapes: smaller
    assert json.loads(text) == {
        "root": "../../",
        "nodes": [['Quote " and \\', "Ünïcode/", "", 1], ["日本語", "日本語/", "", 1]],
        "links": [[0, 1]],
    }


PARTIAL = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(templates_dir())), autoescape=True
).get_template("partials/notesite-graph.html")


def test_the_partial_renders_nothing_on_pages_that_are_not_notes() -> None:
    assert PARTIAL.render().strip() == ""
    assert PARTIAL.render(notesite_graph=None).strip() == ""


def test_the_partial_holds_the_local_graph_container() -> None:
    graph = {"url": "../../graph.json", "current": 'Ideas/"Quotes" & <more>/', "depth": 2}
    html = LexborHTMLParser(PARTIAL.render(notesite_graph=graph))
    box = html.css_first("div.ns-graph.ns-graph--local")
    assert box is not None
    assert box.attributes == {
        "class": "ns-graph ns-graph--local",
        "data-graph-url": "../../graph.json",
        "data-current": 'Ideas/"Quotes" & <more>/',
        "data-depth": "2",
    }
