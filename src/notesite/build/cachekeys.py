"""The hash each page of a build is kept under in the build cache: equal hashes, equal pages.

A note's page is hashed from what :class:`~notesite.build.affected.PageInputs` says it is made
of; any other page (tags, folders, home, notes not written yet, the graph) from its text, as the
live preview compares them. Every page's hash also holds the site's navigation as the theme
shows it on every page, and its own path.

Working out every note page's hash takes a vault of 10,000 notes over half a second; a build
that has what the last one worked out (a :class:`KeyRecord`, kept by the build cache) works out
again only the hashes an edit can have changed. While the notes, pages and attachments are the
same ones, the private notes are as they were, and every edited note keeps its face
(:meth:`~notesite.build.affected.PageInputs.face`: its title, what links to it resolve by,
where its own links lead), every link of the vault leads where it led: the edit alters only the
edited notes' pages, the pages that embed them (up the chain of embeds) and the pages whose
backlinks panel quotes them. Any other edit works out every hash again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

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


class KeyRecord(NamedTuple):
    """What :func:`page_keys` worked out, for the next build to start from."""

    context: str
    """A hash of what every note page's hash was worked out with besides the notes' own
    inputs: the vault's notes and attachments (private notes as a whole), the site's pages, the
    pages of notes not written yet, the backlinks a panel lists."""
    notes: dict[VaultPath, tuple[str, str, str]]
    """Each public note's digest, face and page hash (empty when it had no page)."""


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
    earlier: KeyRecord | None = None,
) -> tuple[dict[str, str], str, KeyRecord]:
    """The hash of each page (by vault path), a hash of the whole vault, and what the next
    build starts from.

    ``pages``: the site's pages; ``whole_nav``: whether the theme's navigation lists every page
    (else it lists the home, graph and tags pages only); ``also``: what else a page showing the
    whole vault is made from (the day queries take as today, the bibliographies, the bases'
    text), in the vault's hash; ``earlier``: what the last build worked out (see the module's
    docstring), or None.
    """
    inputs = PageInputs(graph, shown=shown, ghosts=ghosts, taken=taken)
    digests = {path: inputs.digest(path) for path in graph.notes}
    context = _context(graph, digests, inputs, pages, ghosts, shown)
    redo = _to_redo(inputs, digests, context, earlier)
    known = earlier.notes if earlier is not None and redo is not None else {}
    kept = {} if redo is None else {p: v[2] for p, v in known.items() if p not in redo}
    own: dict[str, str] = {}
    for path in pages:
        if path in notes:
            found = kept.get(VaultPath(path))
            own[path] = found or _hash("note", path, inputs.page(VaultPath(path)))
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
        *(digests[p] for p in sorted(graph.notes)),
        *sorted(graph.attachments),
        *also,
    )
    record = {}
    for path, note in graph.notes.items():
        if note.published:
            before = known.get(path)
            if before is None or before[0] != digests[path]:
                before = ("", inputs.face(path), "")
            record[path] = (digests[path], before[1], own.get(path, ""))
    return keys, vault, KeyRecord(context, record)


def _context(
    graph: LinkGraph,
    digests: Mapping[VaultPath, str],
    inputs: PageInputs,
    pages: list[str],
    ghosts: Mapping[str, VaultPath],
    shown: int,
) -> str:
    """The hash of a :attr:`KeyRecord.context`. A private note is in it whole (its digest and
    face): an edit of one works out every hash again, and nothing of it is kept by name."""
    private = [
        f"{digests[path]}{inputs.face(path)}" for path, n in graph.notes.items() if not n.published
    ]
    return _hash(
        str(shown),
        *graph.notes,  # (in the vault's order, which orders backlinks of equal titles)
        "",
        *sorted(graph.attachments),
        "",
        *pages,
        "",
        *(f"{key}\0{path}" for key, path in sorted(ghosts.items())),
        "",
        *private,
    )


def _to_redo(
    inputs: PageInputs,
    digests: Mapping[VaultPath, str],
    context: str,
    earlier: KeyRecord | None,
) -> set[VaultPath] | None:
    """The notes whose page hash an edit since ``earlier`` can have changed (None: all)."""
    if earlier is None or earlier.context != context:
        return None
    graph, kept = inputs.graph, earlier.notes
    public = [p for p, note in graph.notes.items() if note.published]
    if any(p not in kept for p in public):
        return None
    changed = [p for p in public if kept[p][0] != digests[p]]
    if any(inputs.face(path) != kept[path][1] for path in changed):
        return None
    redo = set(changed)
    for path in changed:  # (the panels that quote it)
        redo.update(r.path for _, r in graph.outgoing.get(path, ()) if r.path is not None)
    if changed:  # (the notes that embed it, and so on up the chain)
        embedders: dict[VaultPath, set[VaultPath]] = defaultdict(set)
        for source, resolved in graph.outgoing.items():
            for ref, resolution in resolved:
                if ref.link.embed and resolution.path is not None:
                    embedders[resolution.path].add(source)
        frontier, chain = set(changed), set(changed)
        while frontier:
            frontier = {e for p in frontier for e in embedders.get(p, ())} - chain
            chain |= frontier
        redo |= chain
    return redo


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
