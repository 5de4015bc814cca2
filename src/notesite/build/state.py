"""One build of the site, phase by phase: what notesite works out and keeps while MkDocs builds.

Each MkDocs phase has its method here, which the plugin calls from the event of that phase:

1. :meth:`SiteBuild.read` (``on_files``): the vault read into notes and their link graph
   (:mod:`notesite.build.reading`), the site's files made from them;
2. the generated pages and data files (:mod:`notesite.build.pages`), made in :meth:`read`
   and again by the live preview;
3. :meth:`SiteBuild.page_markdown` and :meth:`SiteBuild.page_content` (``on_page_markdown``,
   ``on_page_content``): a page's note handed to the Markdown extensions, their problems counted;
4. :meth:`SiteBuild.page_context` (``on_page_context``): backlinks, breadcrumbs and graph of a
   page's template (:mod:`notesite.build.context`);
5. :meth:`SiteBuild.summarize` and :meth:`SiteBuild.release` (``on_post_build``).

Where work made elsewhere can take the place of a phase's work (worker processes, or a cache of
an earlier build) is :mod:`notesite.build.phases`: :attr:`SiteBuild.reader`,
:attr:`SiteBuild.memo`, :attr:`SiteBuild.converted` and :attr:`SiteBuild.rendered_pages` (the
build cache, :mod:`notesite.build.cache`, fills the last two in :meth:`SiteBuild.read`). The
live preview (:mod:`notesite.build.live`) starts from the state a build leaves here.
"""

from __future__ import annotations

import datetime
import posixpath
import time
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from notesite.build.cache import FOLDER as CACHE_FOLDER
from notesite.build.cache import BuildCache, cache_enabled
from notesite.build.cachekeys import page_keys
from notesite.build.context import SiteMap, page_extras
from notesite.build.converter import PageConverter, link_url
from notesite.build.farm import material_search, unsafe_plugins
from notesite.build.memo import Memo
from notesite.build.pages import GeneratedPages
from notesite.build.phases import ConvertedPages, RenderedPages, VaultReader
from notesite.build.reading import find_vault, read_vault, vault_files
from notesite.build.search import SearchReader
from notesite.build.sitekey import site_key
from notesite.build.stamps import tree_stamps, watched_files
from notesite.build.tally import Tally, count, group_problems
from notesite.build.workers import Workers
from notesite.config import NotesiteConfig
from notesite.graph import LinkGraph
from notesite.heap import collector_paused
from notesite.loader import Note
from notesite.markdown.citations import site_citations
from notesite.markdown.context import RenderContext
from notesite.markdown.embedded import EmbedFiller, has_slots
from notesite.markdown.quotes import QuoteRenderer
from notesite.paths import VaultPath
from notesite.problems import Problem
from notesite.site.feed import git_dates, note_dates
from notesite.site.filepages import file_pages, is_page_file
from notesite.site.graph_data import GRAPH_JSON, GRAPH_PAGE, graph_page
from notesite.syntax.blocks import strip_title_heading
from notesite.vault import Stamp, VaultFiles, matches_any

log = get_plugin_logger(__name__)
PROGRESS_EVERY = 1000
#: The backlinks a page lists (its panel says how many there are in all).
MAX_BACKLINKS = 100


class SiteBuild:
    """The state of one build (and, under ``mkdocs serve``, of the site it keeps serving)."""

    def __init__(self) -> None:
        self.options = NotesiteConfig()
        """The plugin's options (set by :meth:`configure`)."""
        self.command = "build"
        self.dirty = False
        """Whether MkDocs builds into the site's folder as it is (``--dirty``)."""
        self.context = RenderContext()
        """What the Markdown extensions render with: the graph, and the note being rendered."""
        self.vault_root: Path | None = None
        self.memo = Memo(keep=False)
        self.generator = GeneratedPages(self.options, self.memo)
        self.tally = Tally()
        self.workers = Workers()
        self.converter = PageConverter()
        """Converts the pages no worker or cache has made, with one Markdown instance."""
        self.search = SearchReader()
        """Reads the pages' HTML for the search plugin's index."""
        # The seams of each phase (see notesite.build.phases): what reads the vault, and what
        # besides the workers converts pages and renders their templates elsewhere.
        self.reader: VaultReader = read_vault
        self.converted: list[ConvertedPages] = []
        self.rendered_pages: list[RenderedPages] = []
        self.notes: dict[str, Note] = {}
        self.files: Files | None = None
        self.urls: dict[str, str] = {}
        """Vault path of every page -> its URL from the site root."""
        self.graph_file: File | None = None
        self.dates: dict[VaultPath, datetime.datetime] = {}
        """When each public note last changed (front matter, else git, else the file)."""
        self.git_dates: dict[VaultPath, datetime.datetime] = {}
        self.rendered = 0
        self.taken: set[str] = set()
        """The casefolded vault paths of every page of the site."""
        self.occupied: set[str] = set()
        """The casefolded paths of the site's files that notesite does not generate."""
        self.page_problems: dict[str, list[Problem]] = {}
        """What rendering each page found, by page path (kept for the live preview)."""
        self.found: VaultFiles | None = None
        self.others: dict[str, Stamp] = {}
        self.load_problems: dict[str, list[Problem]] = {}
        self.generated: dict[VaultPath, str] = {}
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.markdown: tuple[list[str], dict[str, Any]] = ([], {})
        """The site's Markdown extensions (by name) and their settings: quotes render with them."""
        self.quotes: tuple[Files, QuoteRenderer] | None = None
        """What renders the backlinks' quotes, and the files it was made for (it is made again
        for another graph or other files)."""
        self.file_pages: dict[str, Note] = {}
        """The page of each file of the vault shown as one (a ``.base`` file), by page path."""
        self.cache: BuildCache | None = None
        """The pages an earlier build kept, and this build's to keep (None: no cache)."""
        self.kept_search: dict[str, bytes] = {}
        """The search entries of the pages the build took from the build cache, as kept (JSON),
        by page URL: under ``mkdocs serve``, the live preview's index starts from them."""
        self.embed_targets: set[VaultPath] = set()
        """The notes embedded whole somewhere: their pages' HTML fills the embeds."""
        self.embedded: dict[str, str] = {}
        """The HTML of the page of each note embedded whole, as converted (its own embeds not
        yet filled), by vault path (see :mod:`notesite.markdown.embedded`)."""
        self.to_fill: list[Page] = []
        """The pages converted with embeds to fill, once every page is converted."""

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    @property
    def backlinks_shown(self) -> int:
        """How many backlinks a page's panel lists."""
        return MAX_BACKLINKS if self.options.backlinks else 0

    def configure(self, options: NotesiteConfig, config: MkDocsConfig, command: str) -> None:
        """The options and MkDocs' config of this build; a new render context."""
        self.options, self.command = options, command
        self.vault_root = Path(options.vault or config.docs_dir).resolve()
        self.context = RenderContext(directory_urls=config.use_directory_urls)
        # `mkdocs serve` remembers what it made from one edit to the next.
        self.memo = Memo(keep=self.serving)
        self.generator = GeneratedPages(options, self.memo)
        self.workers.asked = options.workers
        self.cache = cache_for(options, config, command, self.context)
        if self.cache is not None:
            self.cache.read_ahead()  # (from now until the build knows which pages it reuses)

    # -- phase 1: the vault and its graph; phase 2: the generated pages and data files -----------

    def read(self, files: Files, config: MkDocsConfig) -> Files:
        """The site's files: the vault's public notes and used attachments, the generated pages
        and data files, and the files of ``files`` not from docs_dir."""
        # Nearly all of what this makes lives until the build ends (the plugin's on_post_build
        # unfreezes it): out of the collector's way meanwhile, which otherwise walked it again
        # and again, 0.5 s of a warm build of 10,000 notes.
        self.search.install(config)  # (every plugin's on_config, which makes the index, ran)
        with collector_paused(then_freeze=True):
            return self._read(files, config)

    def _read(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.vault_root is not None
        self.markdown = (
            [e for e in config.markdown_extensions if isinstance(e, str)],
            dict(config.mdx_configs),
        )
        self.tally.clear()
        self.rendered = 0
        self.graph_file = None
        started = time.perf_counter()
        found = find_vault(self.vault_root, self.options, config)
        self.others = tree_stamps(watched_files(config)) if self.serving else {}
        self.found = found
        self.page_problems = {}
        remembered = self.cache.notes() if self.cache is not None else None
        reading = self.reader(
            found, self.options, config, workers=self.workers.count, remembered=remembered
        )
        graph = reading.graph
        if self.serving:
            self.load_problems = group_problems(reading.problems, found.notes)
        self.context.graph = graph
        self.report(reading.problems + graph.problems)
        self.report(
            site_citations(self.context, self.vault_root, self.options, config.config_file_path)
        )
        public = graph.public_notes()
        self.embed_targets = embed_targets(graph)
        if self.cache is not None and remembered is not None:
            self.cache.keep_notes(remembered, {note.path for note in public})
        log.info(
            "read %s with %d links in %.1f s",
            count(len(graph.notes), "note"),
            sum(len(n.links) for n in graph.notes.values()),
            time.perf_counter() - started,
        )
        kept = vault_files(config, files, reading, public)
        self.add_file_pages(config, found, kept)
        self.notes = {note.path: note for note in public}
        self.git_dates = git_dates(found.root)
        self.dates = note_dates(public, found.root, self.git_dates, found.stamps)
        self.context.dates, self.context.stamps = self.dates, found.stamps  # (for queries)
        self.occupied = {f.src_uri.casefold() for f in kept}
        if self.cache is not None:
            self.memo.recall(self.cache.made())
        for path, content in self.generated_pages(config, graph, public).items():
            kept.append(File.generated(config, path, content=content))
        self.urls = {f.src_uri: f.url for f in kept if f.is_documentation_page()}
        self.taken = {p.casefold() for p in self.urls}
        if self.options.graph and GRAPH_PAGE.casefold() not in self.taken:
            page = File.generated(config, GRAPH_PAGE, content="")
            url = posixpath.relpath(GRAPH_JSON, posixpath.dirname(page.dest_uri) or ".")
            page.content_string = graph_page(url)
            kept.append(page)
            self.urls[GRAPH_PAGE] = page.url
            self.taken.add(GRAPH_PAGE.casefold())
        for path, content in self.data_files(config, graph, public).items():
            kept.append(File.generated(config, path, content=content))
        if not config.site_url:
            log.info("no feed.xml: set site_url in mkdocs.yml to publish a feed of recent notes")
        self.graph_file = kept.get_file_from_path(GRAPH_JSON) if self.options.graph else None
        self.files = kept
        if self.cache is not None:
            if self.memo.lasting is not None:
                self.cache.keep_made(self.memo.lasting)
            self.plan_cache(config, graph)
        return kept

    def add_file_pages(self, config: MkDocsConfig, found: VaultFiles, kept: Files) -> None:
        """A page for each file of the vault shown as one (``.base``), in place of the file:
        see :mod:`notesite.site.filepages`. Files matching ``private`` globs are left out."""
        shown = [
            p
            for p in found.attachments
            if is_page_file(p) and not matches_any(p, self.options.private)
        ]
        pages, problems = file_pages(found.root, shown, {f.src_uri.casefold() for f in kept})
        self.report(problems)
        self.file_pages = {page.page: page.note for page in pages}
        self.context.file_pages = {page.source: page.page for page in pages}
        self.context.file_texts.clear()
        self.context.file_texts.update({p.source: p.text for p in pages})
        for page in pages:
            copied = kept.get_file_from_path(page.source)  # (a used attachment until now)
            if copied is not None:
                kept.remove(copied)
            kept.append(File.generated(config, page.page, content=page.note.body))

    def plan_cache(self, config: MkDocsConfig, graph: LinkGraph) -> None:
        """Which pages the build cache holds: those are neither converted nor rendered."""
        assert self.cache is not None and self.files is not None
        keys, vault, record = page_keys(
            graph,
            self.notes,
            self.files,
            list(self.urls),
            ghosts=self.context.ghosts,
            taken=self.taken,
            shown=self.backlinks_shown,
            whole_nav=bool(config.nav) or self.options.navigation != "explorer",
            also=self.whole_vault_inputs(),
            earlier=self.cache.key_record(),
        )
        self.cache.keep_key_record(record)
        self.cache.plan(keys, vault, self.embed_targets)
        self.cache.start(config)
        self.converted = [self.cache]
        self.rendered_pages = [self.cache]
        self.workers.skip = set(self.cache.kept)
        log.info(
            "build cache: %d of %d pages reused, %d to render",
            len(self.cache.kept),
            len(keys),
            len(self.urls) - len(self.cache.kept),
        )
        if not self.dirty:  # (MkDocs has emptied the site's folder: every page is written)
            self.cache.copy_ahead(self.files)

    def whole_vault_inputs(self) -> list[str]:
        """What a page showing the whole vault (query results, citations) is made from besides
        the notes: today's date (``date(today)``, ``now()``), the bibliographies and styles read,
        and the text of each base."""
        context = self.context
        found = [datetime.datetime.now(datetime.timezone.utc).date().isoformat()]
        if context.citations is not None:
            found.append(context.citations.digest())
        found += [f"{path}\0{text}" for path, text in sorted(context.file_texts.items())]
        return found

    def generated_pages(
        self, config: MkDocsConfig, graph: LinkGraph, public: list[Note]
    ) -> dict[VaultPath, str]:
        """The pages notesite writes (tags, folders, notes not written yet, home): path -> text.

        A file of the vault keeps its path (:attr:`occupied`). Sets :attr:`generated` and the
        render context's map of the pages of notes not written yet.
        """
        pages, self.context.ghosts = self.generator.pages(
            config, graph, public, self.occupied, self.dates
        )
        self.generated = pages
        return pages

    def data_files(
        self, config: MkDocsConfig, graph: LinkGraph, public: list[Note]
    ) -> dict[VaultPath, str]:
        """explorer.json, graph.json and feed.xml (each when on): path -> text."""
        return self.generator.data_files(config, graph, public, self.urls, self.dates)

    # -- phase 3: a page's Markdown and its conversion -------------------------------------------

    def page_source(self, page: Page) -> str | None:
        """What MkDocs takes as a page's file: nothing, for a note's page (its Markdown is the
        note's body and its meta the note's, both handed over by :meth:`page_markdown`), so
        that no note's file is read and its front matter parsed a second time; None (MkDocs
        reads the file) for any other page."""
        return "" if page.file.src_uri in self.notes else None

    def page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """What a page's Markdown is once notesite took it (its note's body, without the title
        heading), with the page's meta set from the note. A page notesite made gets its lists
        of links written as HTML at once (:mod:`notesite.markdown.listing`)."""
        if self.cache is not None:
            self.cache.converting(page)
        for source in [*self.workers.converted(), *self.converted]:
            if source.takes(page):
                source.hand_over(page)
                break
        else:
            self.converter.takes(page, config)
        note = self.notes.get(page.file.src_uri) or self.file_pages.get(page.file.src_uri)
        self.context.note = note
        if note is None:
            if page.file.src_uri in self.generated:
                self.context.link_url = partial(link_url, page.file, files)
            return markdown
        # The theme prints titles unescaped in places: hand it escaped text, marked safe so
        # that its own `| e` does not escape it twice.
        # Tags as a list (front matter, fields and text alike) for the search index to boost.
        page.meta = {**note.meta, "title": Markup.escape(note.title), "tags": list(note.tags)}
        return strip_title_heading(note.body, note.title)

    def page_converted(self, page: Page) -> None:
        """A page is converted: what rendering it found is reported, and progress every
        :data:`PROGRESS_EVERY` pages."""
        if self.cache is not None:
            self.cache.converted(page, self.context.problems, self.context.depends_on_vault)
        uri = page.file.src_uri
        kept = self.cache is not None and self.cache.takes(page)
        if not kept:
            content = page.content or ""
            if uri in self.embed_targets:
                self.embedded[uri] = content
            if has_slots(content):
                self.to_fill.append(page)
        self.context.depends_on_vault = False
        self.report(self.context.problems)
        if self.serving:
            self.page_problems[page.file.src_uri] = self.context.problems
        self.context.problems = []
        self.context.note = self.context.link_url = None
        self.rendered += 1
        total = len(self.urls)
        if total >= 2 * PROGRESS_EVERY and self.rendered % PROGRESS_EVERY == 0:
            # A line per thousand pages: progress on long builds without flooding CI logs.
            log.info("rendered %d of %d pages", self.rendered, total)

    # -- phase 4: a page's template --------------------------------------------------------------

    def page_context(self, page: Page) -> dict[str, object]:
        """The variables notesite adds to a page's template context (none without a graph);
        ``notesite_output`` alone when a worker rendered the page."""
        for source in [*self.workers.rendered(), *self.rendered_pages]:
            if source.takes(page):
                # Rendered elsewhere: that HTML is what the page's template renders here.
                return {"notesite_output": source.output(page)}
        graph, files = self.context.graph, self.files
        if graph is None or files is None:
            return {}
        site = SiteMap(
            graph=graph,
            files=files,
            taken=self.taken,
            notes=self.notes,
            graph_file=self.graph_file,
            graph_depth=self.options.graph_depth,
            backlinks_shown=self.backlinks_shown,
            quotes=self._quote_renderer(graph, files),
        )
        return page_extras(page, site)

    def _quote_renderer(self, graph: LinkGraph, files: Files) -> QuoteRenderer:
        if self.quotes is not None and self.quotes[0] is files and self.quotes[1].graph is graph:
            return self.quotes[1]

        by_path = files.src_uris  # (quotes ask with normalised vault paths)

        def url_of(path: VaultPath) -> str | None:
            found = by_path.get(path)
            return None if found is None else found.url

        names, configs = self.markdown
        renderer = QuoteRenderer(
            graph, url_of, extensions=names, configs=configs, ghosts=self.context.ghosts
        )
        self.quotes = (files, renderer)
        return renderer

    def templates(self, env: jinja2.Environment) -> None:
        """Every page is converted: the embeds of whole notes are filled, and the pages'
        templates are rendered next."""
        self.env = env
        if self.cache is not None and self.serving:
            # The live preview fills embeds after an edit from what this build kept.
            for path in self.embed_targets:
                if path not in self.embedded and (found := self.cache.embedded(path)) is not None:
                    self.embedded[path] = found
        self.fill_embeds()
        if self.cache is not None:
            self.cache.templates(env)

    def fill_embeds(self) -> None:
        """Fill the embeds of whole notes in the pages converted since the last time: each
        with the HTML of the note's page (see :mod:`notesite.markdown.embedded`)."""
        pages, self.to_fill = self.to_fill, []
        if not pages:
            return
        filler = EmbedFiller(self._embedded_content, self.urls)
        for page in pages:
            uri = page.file.src_uri
            page.content, problems, shown = filler.fill(VaultPath(uri), page.content or "")
            self.report(problems)
            if self.serving and problems:
                self.page_problems[uri] = [*self.page_problems.get(uri, []), *problems]
            if self.cache is not None:
                whole_vault = any(self.cache.shows_vault(path) for path in shown)
                self.cache.filled(uri, problems, whole_vault)

    def _embedded_content(self, path: VaultPath) -> str | None:
        found = self.embedded.get(path)
        if found is None and self.cache is not None:
            found = self.cache.embedded(path)
        return found

    def page_written(self, page: Page, html: str) -> str:
        """A page's final HTML, as MkDocs is to write it: what MkDocs writes (nothing for a page
        the build cache put in place)."""
        if self.cache is not None:
            return self.cache.written(page, html)
        return html

    # -- phase 5: the end of a build -------------------------------------------------------------

    def report(self, problems: list[Problem], *, say: bool = True) -> None:
        """Count the problems for the closing line, and log them (unless not ``say``)."""
        self.tally.report(problems, say=say)

    def summarize(self) -> None:
        """The closing line of a build: what was published and what was found."""
        graph = self.context.graph
        assert graph is not None
        if self.cache is not None:
            self.cache.wait_for_copies()  # (the build fails if a page could not be put in place)
            self.cache.write_index()
        self.tally.summarize(graph, len(self.notes))
        self.search.summarize()
        if self.cache is not None:
            self.cache.finish()
            if self.cache.stored:
                log.info("build cache: %s kept", count(self.cache.stored, "page"))
            # What serve re-renders after an edit is made here, not taken from the cache.
            self.kept_search = self.cache.kept_search
            self.cache = None
            self.converted, self.rendered_pages = [], []
            self.workers.skip = set()

    def release(self) -> None:
        """Let go of the vault: `mkdocs serve` keeps the plugin (and the extensions holding its
        render context) alive for as long as it serves, and a build must not carry the last
        one's notes, graph and pages along."""
        self.context.graph = self.context.note = None
        self.context.ghosts = {}
        self.notes, self.urls, self.dates, self.taken = {}, {}, {}, set()
        self.files = self.graph_file = self.nav = self.env = self.found = None
        self.generated, self.load_problems, self.page_problems = {}, {}, {}
        self.quotes = None
        self.kept_search = {}
        self.embed_targets, self.embedded, self.to_fill = set(), {}, []
        self.converter.release()
        if self.cache is not None:  # (a build that failed: it keeps nothing more)
            self.cache.close()
            self.cache = None
            self.converted, self.rendered_pages = [], []
            self.workers.skip = set()
        self.memo.clear()
        self.file_pages, self.context.file_pages = {}, {}
        self.context.file_texts.clear()
        self.generator = GeneratedPages(self.options, self.memo)


def embed_targets(graph: LinkGraph) -> set[VaultPath]:
    """The notes that some note embeds whole (``![[Note]]``)."""
    return {
        resolution.path
        for refs in graph.outgoing.values()
        for ref, resolution in refs
        if ref.link.embed
        and not ref.link.headings
        and ref.link.block is None
        and resolution.kind == "note"
        and resolution.path is not None
    }


def cache_for(
    options: NotesiteConfig, config: MkDocsConfig, command: str, context: RenderContext
) -> BuildCache | None:
    """The build cache of a build (None when it is off, or cannot be used with this site)."""
    if not cache_enabled(options.cache) or not config.config_file_path:
        return None
    if unsafe := unsafe_plugins(config):
        log.info("no build cache: plugin %s may keep state from page to page", ", ".join(unsafe))
        return None
    if material_search(config) is False:
        log.info("no build cache: the search plugin is not mkdocs-material's")
        return None
    root = Path(config.config_file_path).resolve().parent / CACHE_FOLDER
    return BuildCache(root, site_key(config, command), context)
