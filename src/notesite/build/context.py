"""Phase four of a build: what a page's template shows besides the page (backlinks panel,
breadcrumbs, local graph), worked out from the graph and the site's files."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from notesite.graph import LinkGraph
from notesite.markdown.quotes import QuoteRenderer
from notesite.paths import VaultPath
from notesite.site.explorer import breadcrumbs


@dataclass
class SiteMap:
    """The site a page's template links into."""

    graph: LinkGraph
    files: Files
    taken: set[str]
    """The casefolded vault paths of every page of the site."""
    notes: Container[str]
    """The vault paths of the public notes' pages."""
    graph_file: File | None
    """``graph.json``, when the graph view is on."""
    graph_depth: int
    backlinks_shown: int
    """How many backlinks a page's panel lists (it says how many there are in all)."""
    quotes: QuoteRenderer
    """What renders the passages the backlinks quote."""


def page_extras(page: Page, site: SiteMap) -> dict[str, Any]:
    """The template variables notesite adds to a page's context: ``notesite_backlinks``,
    ``notesite_backlink_count``, ``notesite_breadcrumbs``, ``notesite_quote_math`` (whether a
    quote of the panel holds math) and (on a note) ``notesite_graph``."""
    graph = site.graph
    # Vault paths are normalised already: looked up as they are, not through
    # ``Files.get_file_from_path``, which makes a ``PurePath`` of each (a tenth of this function).
    by_path = site.files.src_uris

    def link(path: str, title: str, **extra: object) -> dict[str, object] | None:
        target = by_path.get(path)
        if target is None:
            return None
        return {"title": title, "url": target.url_relative_to(page.file), **extra}

    backlinks = []
    math = False
    every = graph.backlinks.get(VaultPath(page.file.src_uri), [])
    # A hub note linked from thousands: the panel lists the first ones and counts all.
    for backlink in every[: site.backlinks_shown]:
        title = graph.notes[backlink.source].title
        quotes = [site.quotes.render(backlink.source, q, page.url) for q in backlink.quotes]
        math = math or any(q.math for q in quotes)
        found = link(backlink.source, title, contexts=[Markup(q.html) for q in quotes])
        if found is not None:
            backlinks.append(found)
    crumbs = [link(path, name) for name, path in breadcrumbs(page.file.src_uri, site.taken)]
    extras: dict[str, Any] = {}
    if site.graph_file is not None and page.file.src_uri in site.notes:
        extras["notesite_graph"] = {
            "url": site.graph_file.url_relative_to(page.file),
            "current": page.url,
            "depth": site.graph_depth,
        }
    extras["notesite_backlinks"] = backlinks
    extras["notesite_quote_math"] = math
    extras["notesite_backlink_count"] = len(every)
    extras["notesite_breadcrumbs"] = [c for c in crumbs if c]
    return extras
