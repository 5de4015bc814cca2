"""Markdown taken from one note to be shown in another (an embed, a canvas card).

Its comments and inline fields are removed and its wikilinks written as the exact vault paths
they resolve to from the note they come from, so they lead to the same place wherever the
text is shown; its query fences say which note they come from, so they run as there.
"""

from __future__ import annotations

from notesite.graph import LinkGraph, Resolution
from notesite.loader import Note
from notesite.syntax.fields import find_fields
from notesite.syntax.mask import mask, strip_comments
from notesite.syntax.queries import mark_sources
from notesite.syntax.wikilinks import find_wikilinks


def portable(text: str, target: Note, graph: LinkGraph) -> str:
    """Comments and fields out; every wikilink written as the exact path it resolves to."""
    text = mark_sources(strip_comments(text), target.path)  # (its queries run as there)
    lines = text.split("\n")
    for field in find_fields(mask(text)):
        lines[field.line - 1] = ""
    text = "\n".join(lines)

    pieces: list[str] = []
    last = 0
    for found in find_wikilinks(mask(text)):
        link = found.link
        resolution: Resolution = graph.resolve(link, target.path)
        if not resolution.ok or resolution.path is None:
            continue
        path = resolution.path[:-3] if resolution.path.endswith(".md") else resolution.path
        fragment = (
            f"#^{link.block}" if link.block is not None else "".join(f"#{h}" for h in link.headings)
        )
        alias = link.alias if link.alias is not None else link.display
        # `\|`, as Obsidian writes it in a table, where a bare `|` would end the cell; the
        # wikilink processors read it as the alias's bar wherever it stands.
        pieces += [
            text[last : found.start],
            f"{'!' if link.embed else ''}[[/{path}{fragment}\\|{alias}]]",
        ]
        last = found.end
    pieces.append(text[last:])
    return "".join(pieces)
