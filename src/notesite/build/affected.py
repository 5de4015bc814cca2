"""What depends on what: the pages a change to some notes alters.

One definition of it serves every build that starts from an earlier one: the live preview
re-renders exactly these pages after a save, and a build that reuses what an earlier build made
reuses every page outside them.
"""

from __future__ import annotations

from collections.abc import Iterable

from notesite.graph import Backlink, LinkGraph
from notesite.paths import VaultPath
from notesite.query.index import holds_query


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
    hit |= _quoting(after, relinked, shown) & public
    # A note that embeds a changed page shows it: and so on up the chain of embeds.
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
    for target in before.backlinks.keys() | after.backlinks.keys():
        old_panel, new_panel = before.backlinks.get(target, []), after.backlinks.get(target, [])
        if old_panel is new_panel or target not in public:
            continue
        if _panel(before, old_panel, shown) != _panel(after, new_panel, shown):
            hit.add(target)
    return hit
