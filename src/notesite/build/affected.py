"""What depends on what: the pages a change to some notes alters.

One definition of it serves every build that starts from an earlier one: the live preview
re-renders exactly these pages after a save, and a build that reuses what an earlier build made
reuses every page outside them.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections.abc import Iterable, Mapping
from typing import Any

from notesite.cite.literature import declared_key
from notesite.graph import Backlink, LinkGraph
from notesite.loader import Note
from notesite.paths import VaultPath
from notesite.query.index import holds_query
from notesite.site.explorer import breadcrumbs


def _panel(graph: LinkGraph, backlinks: list[Backlink], shown: int) -> object:
    """What a backlinks panel shows: the linking notes, their titles and passages, and a count."""
    return len(backlinks), [
        (b.source, graph.notes[b.source].title, b.refs) for b in backlinks[:shown]
    ]


def _quoting(graph: LinkGraph, sources: set[VaultPath], shown: int) -> set[VaultPath]:
    """The notes whose backlinks panel quotes one of ``sources``: a quote renders its links, so
    it changes when a link of its note leads elsewhere."""
    return {
        target
        for source in sources
        for _, resolution in graph.outgoing.get(source, ())
        if (target := resolution.path) is not None
        and any(b.source == source for b in graph.backlinks.get(target, [])[:shown])
    }


def affected_pages(
    before: LinkGraph,
    after: LinkGraph,
    changed: Iterable[VaultPath],
    *,
    shown: int,
    also: Iterable[VaultPath] = (),
) -> set[VaultPath]:
    """The public notes whose page differs once ``changed`` notes were read again.

    ``shown``: how many backlinks a panel lists; ``also``: notes known to differ for another
    reason. Generated pages are compared by their text. Every note holding a query (a Dataview
    block or inline query, a base) is among them: any note's edit may change its results (a
    conservative rule; working out which notes each query reads would be a finer one).
    """
    public = {p for p, n in after.notes.items() if n.published}
    hit = {p for p in [*changed, *also] if p in public}
    hit |= {p for p in public if holds_query(after.notes[p])}
    relinked = set()
    for path, resolved in after.outgoing.items():
        old = before.outgoing.get(path)
        if resolved is not old and resolved != old:
            hit.add(path)
            relinked.add(path)
    # A note that embeds a changed note shows it: and so on up the chain of embeds.
    frontier, seen = set(hit), set(hit)
    while frontier:
        embedding = {
            b.source
            for path in frontier
            for b in after.backlinks.get(path, ())
            if b.source not in seen and any(r.link.embed for r in b.refs)
        }
        seen |= embedding
        frontier = embedding
    hit |= seen
    # The pages whose backlinks panel changed, after the chain of embeds: an embed shows the
    # note's text, never its panel.
    hit |= _quoting(after, relinked, shown) & public
    for target in before.backlinks.keys() | after.backlinks.keys():
        old_panel, new_panel = before.backlinks.get(target, []), after.backlinks.get(target, [])
        if old_panel is new_panel or target not in public:
            continue
        if _panel(before, old_panel, shown) != _panel(after, new_panel, shown):
            hit.add(target)
    return hit


def note_digest(note: Note) -> str:
    """A hash of everything read from a note's file (its text never leaves the hash)."""
    if note.source:  # (what the note was read from: hashed once, as it was read)
        return _hash((note.path, note.source, note.published))
    parts = (
        note.path,
        note.title,
        note.aliases,
        json.dumps(dict(note.meta), sort_keys=True, default=str),
        note.tags,
        repr(note.fields),
        note.body,
        note.body_line,
        note.published,
    )
    return _hash(parts)


def _hash(value: Any) -> str:
    """A hash of plain data (tuples, lists, strings, numbers, None and booleans), written in
    marshal's format 2, which writes equal values alike whatever objects hold them (and is ten
    times quicker than their ``repr``); of anything else, its ``repr``."""
    try:
        data = marshal.dumps(value, 2)
    except ValueError:  # (not plain data)
        data = repr(value).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class PageInputs:
    """What a note's page is made from, as one hash per page: equal hashes, equal pages.

    The same dependencies :func:`affected_pages` follows from one graph to the next, written
    down for a build that has only the hashes of an earlier one (the build cache): the note
    itself; where each of its links leads (the target's path, anchor and title); the notes it
    embeds, and theirs, to the end of the chain; its backlinks panel (the linking notes, the
    lines it quotes, and where their links lead, as a quote renders them); the pages of notes
    not written yet that its unresolved links lead to; its breadcrumbs.
    """

    def __init__(
        self,
        graph: LinkGraph,
        *,
        shown: int,
        ghosts: Mapping[str, VaultPath],
        taken: set[str],
    ) -> None:
        self.graph, self.shown, self.ghosts, self.taken = graph, shown, ghosts, taken
        self._notes: dict[VaultPath, str] = {}
        self._shows: dict[VaultPath, str] = {}
        self._links: dict[VaultPath, str] = {}

    def digest(self, path: VaultPath) -> str:
        """The hash of a note's own text."""
        found = self._notes.get(path)
        if found is None:
            found = self._notes[path] = note_digest(self.graph.notes[path])
        return found

    def shown_text(self, path: VaultPath, seen: frozenset[VaultPath] = frozenset()) -> str:
        """The hash of what a note shows wherever it is converted (its page, or an embed of
        it): its text, its links' targets and the notes it embeds, to the end of the chain."""
        known = self._shows.get(path)
        if known is not None:
            return known
        graph = self.graph
        embedded = []
        for ref, resolution in graph.outgoing.get(path, ()):
            target = resolution.path
            if ref.link.embed and target in graph.notes and target not in seen:
                embedded.append(self.shown_text(target, seen | {path}))
        value = _hash((self.digest(path), self.links(path), embedded))
        if not seen:  # (a hash made inside a cycle of embeds depends on where it started)
            self._shows[path] = value
        return value

    def links(self, path: VaultPath) -> str:
        """The hash of where a note's links lead: each target's path, anchor and title, and the
        pages of notes not written yet that its unresolved links lead to."""
        known = self._links.get(path)
        if known is not None:
            return known
        graph = self.graph
        links = []
        for ref, resolution in graph.outgoing.get(path, ()):
            target = graph.notes.get(resolution.path) if resolution.path is not None else None
            links.append(
                (
                    tuple(ref.link),
                    resolution.status,
                    resolution.path,
                    resolution.kind,
                    resolution.anchor,
                    target.title if target is not None else None,
                )
            )
        ghosts = sorted(
            (key, str(self.ghosts.get(key)))
            for ref in graph.unresolved.get(path, ())
            for key in [ref.link.target.strip().casefold()]
        )
        found = self._links[path] = _hash((links, ghosts))
        return found

    def face(self, path: VaultPath) -> str:
        """The hash of what other notes' pages see of a note, besides its text: its title and
        publish state, what links to it resolve by (its aliases, the cite key it declares, its
        headings and block ids), and where its own links lead. While a note's face stays, an
        edit of it alters only its page, the pages that embed it (up the chain) and the panels
        that quote it: see :func:`~notesite.build.cachekeys.page_keys`."""
        note = self.graph.notes[path]
        return _hash(
            (
                note.title,
                note.aliases,
                note.published,
                declared_key(note.meta),
                [(h.level, h.text, h.custom_id) for h in note.headings],
                sorted(note.block_ids),
                self.links(path),
            )
        )

    def page(self, path: VaultPath) -> str:
        """The hash of everything a note's page is made from."""
        # A passage a backlink quotes is made from the link's line (not worked out here), and
        # shows that note's links where they lead. Which links of the linking note lead here,
        # and what each is, is in its links' hash: each is named by where it stands.
        notes = self.graph.notes
        backlinks = self.graph.backlinks.get(path, [])
        panel = [
            (
                b.source,
                notes[b.source].title,
                [(r.line, r.origin, r.source_line, r.offset) for r in b.refs],
                self.links(b.source),
            )
            for b in backlinks[: self.shown]
        ]
        return _hash((self.shown_text(path), len(backlinks), panel, self.crumbs(path)))

    def crumbs(self, path: str) -> list[tuple[str, VaultPath]]:
        """The folders above a page, each with its page."""
        return breadcrumbs(path, self.taken)
