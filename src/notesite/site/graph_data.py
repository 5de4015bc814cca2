"""The vault's link graph as one small JSON document, for the graph view (``graph.js``).

The document is written once per build (``assets/notesite/graph.json``), and every page's
graph reads it: the global graph draws all of it, a note's local graph only the note's
neighbourhood. To stay small at 10,000 notes it holds arrays, not objects::

    {"root": "../../", "nodes": [[title, url, group, degree], ...], "links": [[i, j], ...]}

- ``root``: the site's root, relative to the document (node URLs are relative to it);
- ``title``: the note's title (``#tag`` for a tag node);
- ``url``: the page's URL relative to the site's root (``Ideas/Note/`` or ``Ideas/Note.html``);
  the browser resolves it against ``root``. ``""`` for the home page, and for
  a tag node whose tag has no page;
- ``group``: what the node is coloured by: the note's top-level folder (``""`` at the root), or
  ``"tag"`` for a tag node;
- ``degree``: how many other nodes it is linked to (its drawn size);
- ``links``: undirected pairs of indexes into ``nodes``, ``i < j``, each pair once, sorted; a
  note's links and backlinks are the same pairs.

Only what the site publishes is in it: published notes that have a page (private notes are no
nodes, their titles appear nowhere, links to or from them are dropped), no node for a link to a
note that does not exist, and tag nodes (one per tag, nested ones included as written, linked
to each note that has the tag) only when asked for. Notes are in vault path order and tags in tag order, so the same vault always gives
the same bytes. No layout is stored: ``graph.js`` seeds positions itself (a spiral in
breadth-first order, which costs it a millisecond) and refines them in the browser.

Pure Python: no MkDocs.
"""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Mapping

from notesite.graph import LinkGraph
from notesite.paths import VaultPath
from notesite.syntax.tags import normalize_tag

#: The group of tag nodes.
TAG_GROUP = "tag"


def _group(path: VaultPath) -> str:
    """A note's top-level folder: ``Ideas/Sub/Note.md`` -> ``Ideas``; ``Note.md`` -> ``""``."""
    head, sep, _ = path.partition("/")
    return head if sep else ""


def _tag_page(key: str, folder: str) -> VaultPath:
    # The same path notesite.markdown.tags.tag_page gives (kept here to stay Markdown-free).
    return VaultPath(posixpath.join(folder, f"{key}.md"))


def graph_json(
    graph: LinkGraph,
    urls: Mapping[VaultPath, str],
    *,
    tags: bool = False,
    tags_folder: str = "tags",
) -> str:
    """The graph document described in this module's docstring, as compact JSON text.

    ``urls`` maps the vault path of each page to its URL relative to the site's root; a published
    note missing from it has no page and is left out. With ``tags``, each tag of a published note
    is a node too, linked to the page ``tags_folder/<tag>.md`` when ``urls`` has one.
    """
    paths = sorted(p for p, note in graph.notes.items() if note.published and p in urls)
    index: dict[str, int] = {p: i for i, p in enumerate(paths)}
    nodes: list[tuple[str, str, str]] = [(graph.notes[p].title, urls[p], _group(p)) for p in paths]
    pairs: set[tuple[int, int]] = set()

    for source in paths:
        i = index[source]
        for target in graph.note_targets(source):
            j = index.get(target)
            if j is not None:
                pairs.add((i, j) if i < j else (j, i))

    if tags:
        shown: dict[str, str] = {}
        members: dict[str, list[int]] = {}
        for source in paths:
            for tag in graph.notes[source].tags:
                name = normalize_tag(tag)
                if not name:
                    continue
                key = name.casefold()
                shown.setdefault(key, name)
                members.setdefault(key, []).append(index[source])
        for key in sorted(shown):
            t = len(nodes)
            nodes.append(("#" + shown[key], urls.get(_tag_page(key, tags_folder), ""), TAG_GROUP))
            pairs.update((i, t) for i in members[key])

    links = sorted(pairs)
    degree = [0] * len(nodes)
    for i, j in links:
        degree[i] += 1
        degree[j] += 1
    document = {
        "root": posixpath.relpath(".", posixpath.dirname(GRAPH_JSON)) + "/",
        "nodes": [[*node, d] for node, d in zip(nodes, degree, strict=True)],
        "links": links,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


GRAPH_JSON = VaultPath("assets/notesite/graph.json")
GRAPH_PAGE = VaultPath("graph.md")


def graph_page(graph_url: str) -> str:
    """The Markdown of the page showing the whole vault's graph (``graph_url``: relative to it)."""
    return (
        "---\ntitle: Graph\nhide: [toc]\n---\n\n"
        f'<div class="ns-graph ns-graph--global" data-graph-url="{html.escape(graph_url)}"></div>\n'
    )
