"""The hash each page of a build is kept under in the build cache: equal hashes, equal pages.

A note's page is hashed from what :class:`~notesite.build.affected.PageInputs` says it is made
of; any other page (tags, folders, home, notes not written yet, the graph) from its text, as the
live preview compares them. Every page's hash also holds the site's navigation as the theme
shows it on every page, and its own path.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from mkdocs.structure.files import Files

from notesite.build.affected import PageInputs
from notesite.graph import LinkGraph
from notesite.loader import Note
from notesite.paths import VaultPath
from notesite.site.graph_data import GRAPH_PAGE
from notesite.site.home import HOME
from notesite.site.tags import TAGS_INDEX


def _hash(*parts: str) -> str:
    return hashlib.blake2b(
        "\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()


def page_keys(
    graph: LinkGraph,
    notes: Mapping[str, Note],
    files: Files,
    pages: list[str],
    *,
    ghosts: Mapping[str, VaultPath],
    taken: set[str],
    shown: int,
    whole_nav: bool,
    also: Iterable[str] = (),
) -> tuple[dict[str, str], str]:
    """The hash of each page (by vault path), and a hash of the whole vault.

    ``pages``: the site's pages; ``whole_nav``: whether the theme's navigation lists every page
    (else it lists the home, graph and tags pages only); ``also``: what else a page showing the
    whole vault is made from (the day queries take as today, the bibliographies, the bases'
    text), in the vault's hash.
    """
    inputs = PageInputs(graph, shown=shown, ghosts=ghosts, taken=taken)
    own: dict[str, str] = {}
    for path in pages:
        if path in notes:
            own[path] = _hash("note", path, inputs.page(VaultPath(path)))
        else:
            file = files.get_file_from_path(path)
            text = file.content_string if file is not None else ""
            own[path] = _hash("text", path, text, repr(inputs.crumbs(path)))

    def entry(path: str) -> str:
        """What the navigation shows of a page: its path and title (a note's, or the lines of
        a generated page's text that its title comes from)."""
        note = notes.get(path)
        if note is not None:
            return _hash(path, note.title)
        file = files.get_file_from_path(path)
        return _hash(path, *_title_lines(file.content_string if file is not None else ""))

    listed = sorted(pages) if whole_nav else [HOME, GRAPH_PAGE, TAGS_INDEX]
    nav = _hash(*(entry(p) for p in listed if p in own))
    keys = {path: _hash(nav, key) for path, key in own.items()}
    vault = _hash(
        *(inputs.digest(p) for p in sorted(graph.notes)),
        *sorted(graph.attachments),
        *also,
    )
    return keys, vault


def _title_lines(text: str) -> list[str]:
    """The lines a page's title comes from: its front matter when that names a title, else
    everything up to its first top heading (all of it when it has none)."""
    lines = text.split("\n")
    if lines[0] == "---" and "---" in lines[1:]:
        end = lines.index("---", 1)
        if any(line.startswith("title:") for line in lines[1:end]):
            return lines[: end + 1]
    heading = next((i for i, line in enumerate(lines) if line.startswith("# ")), len(lines))
    return lines[: heading + 1]
