"""What the Markdown extensions share while a page is rendered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from notesite.graph import LinkGraph, Resolution
from notesite.loader import Note
from notesite.paths import VaultPath, relative_href
from notesite.problems import Level, Problem
from notesite.query.index import QueryIndex
from notesite.syntax.wikilinks import WikiLink

if TYPE_CHECKING:
    from notesite.cite.bibliographies import Bibliographies

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class RenderContext:
    """The vault's link graph and the note now being rendered.

    The host (the MkDocs plugin) sets :attr:`note` before it renders each page and collects
    :attr:`problems` and :attr:`depends_on_vault` after; without a host (plain Python-Markdown)
    there is no graph and every wikilink resolves to a page named like its target, next to the
    current one.

    An extension whose output depends on more than the note, the notes it links to and embeds,
    and the notes linking to it (a query listing every note that matches, say) sets
    :attr:`depends_on_vault` while it converts a page: the build cache then renders that page
    again whenever any note of the vault changed.
    """

    def __init__(self, graph: LinkGraph | None = None, *, directory_urls: bool = False) -> None:
        self.graph = graph
        self.directory_urls = directory_urls
        """Whether a note's page lives one folder down (``Note/index.html``), as MkDocs'
        ``use_directory_urls`` makes it."""
        self.note: Note | None = None
        self.problems: list[Problem] = []
        self.depends_on_vault = False
        """Set by an extension when the page being converted shows what it found in the whole
        vault (the host resets it after each page, and the build cache records it)."""
        self.ghosts: dict[str, VaultPath] = {}
        """Link target (casefolded) -> the page of a note not written yet, when the host makes
        such pages."""
        self.file_pages: dict[VaultPath, VaultPath] = {}
        """A file of the vault shown as a page (a ``.base`` file) -> that page's path: links to
        the file lead to the page."""
        self.file_texts: dict[VaultPath, str] = {}
        """The text of each such file, by its vault path (what a base embedded in a note shows).
        Filled in place by the host, as extensions keep a reference to it."""
        self.dates: Mapping[VaultPath, dt.datetime] = {}
        """When each note last changed (front matter, else git, else the file), for queries."""
        self.stamps: Mapping[str, tuple[int, int]] = {}
        """Each file's ``(mtime_ns, size)`` when the vault was walked, for ``file.size``."""
        self.citations: Bibliographies | None = None
        """The site's bibliographies and citation style, when it has any."""
        self.link_url: Callable[[str], str | None] | None = None
        """Set by the host while it converts a page it made itself (a tag or folder page): the
        URL it gives a relative link of that page (``../Topic.md``), None for a link it would
        leave as written. notesite then writes that page's lists of links as HTML at once
        (:mod:`notesite.markdown.listing`)."""
        self._index: QueryIndex | None = None

    @property
    def query_index(self) -> QueryIndex | None:
        """The index of the public notes that queries run over (None without a graph).

        Made on first use and kept while the graph is the same one: once per build (and per
        edit under ``mkdocs serve``, which gives the context a new graph).
        """
        if self.graph is None:
            return None
        self.depends_on_vault = True  # (a page showing query results shows the whole vault)
        if self._index is None or self._index.graph is not self.graph:
            self._index = QueryIndex(self.graph, self.dates, self.stamps)
        return self._index

    @property
    def path(self) -> VaultPath:
        return self.note.path if self.note is not None else VaultPath("index.md")

    @property
    def meta(self) -> Mapping[str, Any]:
        """The current note's front matter."""
        return self.note.meta if self.note is not None else _EMPTY

    def report(
        self, message: str, kind: str, line: int | None = None, level: Level = Level.WARNING
    ) -> None:
        """Record a problem found while rendering the current note."""
        self.problems.append(Problem(self.path, line, message, kind, level))

    def resolve(self, link: WikiLink) -> Resolution:
        if self.graph is None:
            target = link.target or self.path
            path = target if "." in target.rsplit("/", 1)[-1] else target + ".md"
            kind: Literal["note", "attachment"] = "note" if path.endswith(".md") else "attachment"
            return Resolution("ok", VaultPath(path), kind, None)
        return self.graph.resolve(link, self.path)

    def href(self, resolution: Resolution) -> str:
        """The relative link from the current note to a resolved target (and its anchor)."""
        assert resolution.path is not None
        if resolution.path == self.path and resolution.anchor:
            return "#" + relative_href(self.path, self.path, resolution.anchor).split("#", 1)[1]
        target = self.file_pages.get(resolution.path, resolution.path)
        return relative_href(self.path, target, resolution.anchor)

    def file_href(self, resolution: Resolution) -> str:
        """A link to a file, relative to the *page*, for elements the host does not rewrite.

        Hosts turn the ``href`` of ``<a>`` and the ``src`` of ``<img>`` from file-relative into
        page-relative links; ``<audio>``, ``<video>`` and ``<iframe>`` need it done here.
        """
        href = self.href(resolution)
        name = self.path.rsplit("/", 1)[-1].casefold()
        if self.directory_urls and name not in ("index.md", "readme.md"):
            return "../" + href
        return href

    def ghost_href(self, link: WikiLink) -> str | None:
        """The link to the "not written yet" page of an unresolved target, if there is one."""
        page = self.ghosts.get(link.target.strip().casefold())
        return None if page is None else relative_href(self.path, page)
