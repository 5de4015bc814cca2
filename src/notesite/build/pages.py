"""Phase two of a build: the pages and data files notesite writes beside the vault's notes.

Pages: tags, folders, notes not written yet, home. Data files: ``explorer.json``, ``graph.json``
and ``feed.xml``. Each is made from the public notes and the graph through the build's
:class:`~notesite.build.memo.Memo`, keyed by what it shows, so a build that remembers makes again
only what changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

from notesite.build.memo import Memo
from notesite.config import NotesiteConfig
from notesite.graph import LinkGraph
from notesite.loader import Note
from notesite.markdown.tags import tag_page
from notesite.paths import VaultPath
from notesite.site.explorer import EXPLORER_JSON, explorer_json, folder_pages
from notesite.site.feed import FEED, atom_feed
from notesite.site.ghosts import ghost_pages
from notesite.site.graph_data import GRAPH_JSON, graph_json
from notesite.site.home import HOME, home_markdown
from notesite.site.tags import tag_pages

log = get_plugin_logger(__name__)

#: Each public note's path, title and tags: the input of most generated pages and data files.
Shown = tuple[tuple[VaultPath, str, tuple[str, ...]], ...]


def mentions(graph: LinkGraph) -> tuple[tuple[VaultPath, tuple[object, ...]], ...]:
    """What the pages of notes not written yet show of each unresolved link: its target, and
    the line it stands on (a mention's text is made from that line alone, not from the rest of
    its note, so an edit elsewhere in the note leaves those pages as they were)."""
    return tuple(
        (source, tuple((r.link.target, bool(r.text), r.source_line, r.offset) for r in refs))
        for source, refs in graph.unresolved.items()
    )


class GeneratedPages:
    """Makes the generated pages and data files of a build (see the module's docstring)."""

    def __init__(self, options: NotesiteConfig, memo: Memo) -> None:
        self.options = options
        self.memo = memo
        self._shown: tuple[list[Note], Shown] | None = None
        """What :meth:`shown` made last, with the list of notes it was made from."""

    def shown(self, public: list[Note]) -> Shown:
        """Each public note's path, title and tags: worked out once for a list of notes, which
        both kinds of output are made from."""
        if self._shown is None or self._shown[0] is not public:
            self._shown = (public, tuple((n.path, n.title, n.tags) for n in public))
        return self._shown[1]

    def pages(
        self,
        config: MkDocsConfig,
        graph: LinkGraph,
        public: list[Note],
        taken: set[str],
        dates: Mapping[VaultPath, datetime.datetime],
    ) -> tuple[dict[VaultPath, str], dict[str, VaultPath]]:
        """The generated pages (path -> text), and the link target (casefolded) -> page map of
        the notes not written yet. A file of the vault (``taken``: casefolded paths) keeps its
        path."""
        notes, memo = self.shown(public), self.memo
        generated = dict(memo.get("tags", notes, lambda: tag_pages(public)))
        taken_now = taken | {p.casefold() for p in generated}
        folders = memo.get(
            "folders", (notes, sorted(taken_now)), lambda: folder_pages(public, taken_now)
        )
        generated.update(folders)
        ghost_targets: dict[str, VaultPath] = {}
        if self.options.unresolved_pages:
            taken_now = taken | {p.casefold() for p in generated}
            ghosts, ghost_targets = memo.get(
                "ghosts",
                (notes, mentions(graph), sorted(taken_now)),
                lambda: ghost_pages(graph, taken_now),
            )
            generated.update(ghosts)
        if HOME.casefold() not in taken and "readme.md" not in taken:
            generated[HOME] = home_markdown(
                config.site_name,
                public,
                backlink_counts={path: len(found) for path, found in graph.backlinks.items()},
                dates=dates,
                tag_page={t.casefold(): tag_page(t) for t in {t for n in public for t in n.tags}},
                folder_page={
                    p[: -len("/index.md")]: p for p in generated if p.endswith("/index.md")
                },
                links=graph.resolved_links,
            )
        pages = {}
        for path, content in generated.items():
            if path.casefold() in taken:
                log.info("%s is a note of the vault: notesite does not generate it", path)
            else:
                pages[path] = content
        return pages, ghost_targets

    def data_files(
        self,
        config: MkDocsConfig,
        graph: LinkGraph,
        public: list[Note],
        urls: Mapping[str, str],
        dates: Mapping[VaultPath, datetime.datetime],
    ) -> dict[VaultPath, str]:
        """explorer.json, graph.json and feed.xml (each when on): path -> text. ``urls``: the
        URL of every page (by vault path) from the site's root."""
        notes, memo = self.shown(public), self.memo
        files = {
            EXPLORER_JSON: memo.get(
                "explorer.json",
                (notes, tuple(urls.items())),
                lambda: explorer_json(public, urls),
            )
        }
        if self.options.graph:
            by_path = {VaultPath(p): u for p, u in urls.items()}
            edges = tuple(graph.note_targets(n.path) for n in public)
            files[GRAPH_JSON] = memo.get(
                "graph.json",
                (notes, edges, by_path),
                lambda: graph_json(graph, by_path, tags=self.options.graph_tags),
            )
        if config.site_url:
            files[FEED] = atom_feed(config.site_name, config.site_url, public, dates, urls)
        return files
