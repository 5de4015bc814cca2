"""The MkDocs plugin: glue between MkDocs' build events and notesite's core. Kept thin.

The vault is read and its link graph built once, in ``on_files``, before any page is rendered
(MkDocs runs ``on_files`` and ``on_nav`` before rendering). Each page is then rendered by the
notesite Markdown extensions, which read the graph from the shared render context.
"""

from __future__ import annotations

import datetime
import gc
import logging
import os
import posixpath
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from pymdownx.slugs import slugify as unicode_slugify
from pymdownx.superfences import fence_code_format
from watchdog.observers.api import BaseObserver

from notesite.config import NotesiteConfig
from notesite.farm import AUTO_FROM, PageFarm, TemplateFarm, material_search, unsafe_plugins
from notesite.graph import LinkGraph
from notesite.heap import collector_paused
from notesite.live import (
    Built,
    LiveSite,
    group_problems,
    serve_builder,
    tree_stamps,
    unsupported,
    watch_at_once,
    watched_files,
)
from notesite.loader import Note
from notesite.markdown.blockids import BlockIdExtension
from notesite.markdown.callouts import CalloutExtension
from notesite.markdown.canvas import CanvasExtension
from notesite.markdown.comments import CommentExtension
from notesite.markdown.context import RenderContext
from notesite.markdown.embeds import EmbedExtension
from notesite.markdown.fields import FieldExtension
from notesite.markdown.lists import ListSpacingExtension
from notesite.markdown.mdlinks import MarkdownLinkExtension
from notesite.markdown.sanitize import SanitizeExtension
from notesite.markdown.tags import TagExtension, tag_page
from notesite.markdown.wikilinks import WikilinkExtension
from notesite.markdown.youtube import YoutubeExtension
from notesite.page_files import page_file
from notesite.paths import VaultPath
from notesite.problems import Level, Problem
from notesite.site.explorer import EXPLORER_JSON, breadcrumbs, explorer_json, folder_pages
from notesite.site.feed import FEED, atom_feed, git_dates, note_dates
from notesite.site.ghosts import ghost_pages
from notesite.site.graph_data import GRAPH_JSON, GRAPH_PAGE, graph_json, graph_page
from notesite.site.home import HOME, home_markdown
from notesite.site.tags import TAGS_INDEX, tag_pages
from notesite.syntax.blocks import strip_title_heading
from notesite.theme import templates_dir
from notesite.vault import (
    Stamp,
    VaultFiles,
    apply_publish_rules,
    can_fork,
    load_vault,
    walk_vault,
)

log = get_plugin_logger(__name__)
T = TypeVar("T")
PROGRESS_EVERY = 1000
#: The backlinks a page lists (its panel says how many there are in all).
MAX_BACKLINKS = 100

#: Python-Markdown extensions an Obsidian vault needs, added when mkdocs.yml does not list them.
REQUIRED_EXTENSIONS = (
    "toc",
    "tables",
    "attr_list",
    "md_in_html",
    "footnotes",
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.saneheaders",
    "pymdownx.mark",
    "pymdownx.arithmatex",
)


class NotesitePlugin(BasePlugin[NotesiteConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.context = RenderContext()
        self.notes: dict[str, Note] = {}
        self.files: Files | None = None
        self.vault_root: Path | None = None
        self.urls: dict[str, str] = {}
        """Vault path of every page -> its URL from the site root."""
        self.graph_file: File | None = None
        self.dates: dict[VaultPath, datetime.datetime] = {}
        """When each public note last changed (front matter, else git, else the file)."""
        self.counts: Counter[tuple[str, Level]] = Counter()
        """Problems reported in this build, by kind and level, for the closing summary."""
        self.rendered = 0
        self.taken: set[str] = set()
        """The casefolded vault paths of every page of the site."""
        self.occupied: set[str] = set()
        """The casefolded paths of the site's files that notesite does not generate."""
        self.git_dates: dict[VaultPath, datetime.datetime] = {}
        self.forks = False
        """Whether work may go to forked processes (see :meth:`on_startup`)."""
        self.farm: PageFarm | None = None
        """The processes converting pages alongside MkDocs, in a large build."""
        self.templates: TemplateFarm | None = None
        """The processes rendering page templates alongside MkDocs, once pages are converted."""
        self.command = "build"
        self.page_problems: dict[str, list[Problem]] = {}
        """What rendering each page found, by page path (kept for the live preview)."""
        self.found: VaultFiles | None = None
        self.others: dict[str, Stamp] = {}
        self.load_problems: dict[str, list[Problem]] = {}
        self.generated: dict[VaultPath, str] = {}
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.memo: dict[str, tuple[object, Any]] = {}
        self.shown: tuple[list[Note], tuple[tuple[VaultPath, str, tuple[str, ...]], ...]] | None = (
            None
        )
        """What :meth:`_memo` made last, with what it was made from."""
        self.live: LiveSite | None = None
        """What ``mkdocs serve`` re-renders an edit with (see :mod:`notesite.live`)."""
        self.observer: BaseObserver | None = None
        """What tells ``mkdocs serve`` of a save as it happens (see :func:`watch_at_once`)."""

    # -- configuration -------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs build` and `gh-deploy` run in one thread, so work may go to forked processes;
        # so does the first build of `mkdocs serve`, made before its server starts any thread.
        # After that (see on_serve), forking could copy a lock another thread holds: rebuilds
        # (and any in-process use) work in this process.
        self.forks = command in ("build", "gh-deploy", "serve")
        self.command = command

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.forks:
            # `mkdocs serve` keeps what its first build made alive for as long as it serves.
            # Out of the garbage collector's sight during a rebuild, it is not walked again and
            # again; reference counting still frees it, and it is back in sight after the build.
            self._release()
            gc.unfreeze()  # (the last build's, now let go of: see on_post_build)
            gc.collect()
            gc.freeze()

    @property
    def backlinks_shown(self) -> int:
        """How many backlinks a page's panel lists."""
        return MAX_BACKLINKS if self.config.backlinks else 0

    @property
    def workers(self) -> int:
        """How many processes read the vault and convert pages."""
        if not self.forks or not can_fork() or threading.active_count() > 1:
            return 1
        return self.config.workers or os.cpu_count() or 1

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.vault_root = Path(self.config.vault or config.docs_dir).resolve()
        names = [e for e in config.markdown_extensions if isinstance(e, str)]
        for name in REQUIRED_EXTENSIONS:
            if name not in names:
                config.markdown_extensions.append(name)
        if not self.config.strict_line_breaks and "nl2br" not in names:
            config.markdown_extensions.append("nl2br")
        # $math$ and $$math$$ kept as TeX for KaTeX; ```mermaid fences as material's diagrams.
        config.mdx_configs.setdefault("pymdownx.arithmatex", {}).setdefault("generic", True)
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {})
        custom = fences.setdefault("custom_fences", [])
        if not any(f.get("name") == "mermaid" for f in custom):
            custom.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})
        toc = config.mdx_configs.setdefault("toc", {})
        # Headings keep their letters in anchors (Obsidian links to '#見出し'); Python-Markdown's
        # default slugify would drop every non-ASCII character.
        toc.setdefault("slugify", unicode_slugify(case="lower"))
        self.context = RenderContext(directory_urls=config.use_directory_urls)
        extensions: list[Any] = config.markdown_extensions
        extensions.extend(
            [
                CommentExtension(),
                CanvasExtension(context=self.context),
                EmbedExtension(context=self.context),
                FieldExtension(context=self.context),
                ListSpacingExtension(),
                CalloutExtension(),
                WikilinkExtension(context=self.context),
                TagExtension(context=self.context),
                BlockIdExtension(),
                YoutubeExtension(context=self.context),
                MarkdownLinkExtension(context=self.context),
            ]
        )
        if self.config.sanitize:
            extensions.append(SanitizeExtension())
        templates = str(templates_dir())
        if templates not in config.theme.dirs:
            # After the user's own custom_dir (which may override ours), before the theme's.
            at = 1 if config.theme.custom_dir else 0
            config.theme.dirs.insert(at, templates)
        return config

    # -- reading the vault ---------------------------------------------------------------------

    # Priority 50: before other plugins' on_files (default 0), so that they see the vault's
    # notes as the site's pages rather than what MkDocs found in docs_dir.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.vault_root is not None
        self.counts.clear()
        self.rendered = 0
        self.graph_file = None
        started = time.perf_counter()
        site_dir = Path(config.site_dir)
        found = walk_vault(
            self.vault_root,
            note_extensions=self.config.note_extensions,
            ignore=self.config.ignore,
            exclude_dirs=[site_dir],
        )
        self.others = tree_stamps(watched_files(config)) if self.command == "serve" else {}
        self.found = found
        self.page_problems = {}
        toc_config = config.mdx_configs.get("toc", {})
        level = Level.WARNING if self.config.unresolved_links == "warn" else Level.INFO
        # The vault and its graph live until the build ends (on_post_build unfreezes them).
        with collector_paused(then_freeze=True):
            notes, problems = load_vault(found, workers=self.workers)
            notes = apply_publish_rules(
                notes, private=self.config.private, opt_in=self.config.publish == "opt-in"
            )
            graph = LinkGraph(
                notes,
                found.attachments,
                slugify=toc_config["slugify"],
                separator=toc_config.get("separator", "-"),
                unresolved_level=level,
            )
        if self.command == "serve":
            self.load_problems = group_problems(problems, found.notes)
        self.context.graph = graph
        self.report(problems + graph.problems)
        log.info(
            "read %s with %d links in %.1f s",
            _count(len(notes), "note"),
            sum(len(n.links) for n in notes),
            time.perf_counter() - started,
        )

        docs_dir = str(Path(config.docs_dir).resolve())
        kept = Files(
            [f for f in files if f.src_dir is None or str(Path(f.src_dir).resolve()) != docs_dir]
        )
        public = graph.public_notes()
        self.notes = {note.path: note for note in public}
        for note in public:
            kept.append(page_file(config, note.path, note.body))
        # Only the attachments a public note uses: nothing else of the vault reaches the site.
        for path in sorted(graph.used_attachments):
            kept.append(File.generated(config, path, abs_src_path=str(found.root / path)))
        self.git_dates = git_dates(found.root)
        self.dates = note_dates(public, found.root, self.git_dates)
        self.occupied = {f.src_uri.casefold() for f in kept}
        self.generated = self.generated_pages(config, graph, public)
        for path, content in self.generated.items():
            kept.append(File.generated(config, path, content=content))
        self.urls = {f.src_uri: f.url for f in kept if f.is_documentation_page()}
        self.taken = {p.casefold() for p in self.urls}
        if self.config.graph and GRAPH_PAGE.casefold() not in self.taken:
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
        self.graph_file = kept.get_file_from_path(GRAPH_JSON) if self.config.graph else None
        self.files = kept
        return kept

    def generated_pages(
        self, config: MkDocsConfig, graph: LinkGraph, public: list[Note]
    ) -> dict[VaultPath, str]:
        """The pages notesite writes (tags, folders, notes not written yet, home): path -> text.

        A file of the vault keeps its path (:attr:`occupied`). Sets the render context's map of
        the pages of notes not written yet.
        """
        taken = self.occupied
        notes = self._shown(public)
        generated = dict(self._memo("tags", notes, lambda: tag_pages(public)))
        taken_now = taken | {p.casefold() for p in generated}
        folders = self._memo("folders", (notes, taken_now), lambda: folder_pages(public, taken_now))
        generated.update(folders)
        self.context.ghosts = {}
        if self.config.unresolved_pages:
            taken_now = taken | {p.casefold() for p in generated}
            ghosts, self.context.ghosts = self._memo(
                "ghosts",
                (notes, graph.unresolved, taken_now),
                lambda: ghost_pages(graph, taken_now),
            )
            generated.update(ghosts)
        if HOME.casefold() not in taken and "readme.md" not in taken:
            generated[HOME] = self._home(config, graph, public, generated)
        pages = {}
        for path, content in generated.items():
            if path.casefold() in taken:
                log.info("%s is a note of the vault: notesite does not generate it", path)
            else:
                pages[path] = content
        return pages

    def data_files(
        self, config: MkDocsConfig, graph: LinkGraph, public: list[Note]
    ) -> dict[VaultPath, str]:
        """explorer.json, graph.json and feed.xml (each when on): path -> text."""
        notes = self._shown(public)
        files = {
            EXPLORER_JSON: self._memo(
                "explorer.json",
                (notes, tuple(self.urls.items())),
                lambda: explorer_json(public, self.urls),
            )
        }
        if self.config.graph:
            urls = {VaultPath(p): u for p, u in self.urls.items()}
            edges = tuple(graph.note_targets(n.path) for n in public)
            files[GRAPH_JSON] = self._memo(
                "graph.json",
                (notes, edges, urls),
                lambda: graph_json(graph, urls, tags=self.config.graph_tags),
            )
        if config.site_url:
            files[FEED] = atom_feed(
                config.site_name, config.site_url, public, self.dates, self.urls
            )
        return files

    def _shown(self, public: list[Note]) -> tuple[tuple[VaultPath, str, tuple[str, ...]], ...]:
        """Each public note's path, title and tags, the input of most generated pages and data
        files: worked out once for a list of notes, which both kinds of output are made from."""
        if self.shown is None or self.shown[0] is not public:
            self.shown = (public, tuple((n.path, n.title, n.tags) for n in public))
        return self.shown[1]

    def _memo(self, name: str, key: object, make: Callable[[], T]) -> T:
        """``make()``; under ``mkdocs serve``, what it gave last time when ``key`` (everything
        it depends on) is equal: an edit does not make again what it left as it was."""
        if self.command != "serve":
            return make()
        kept = self.memo.get(name)
        if kept is not None and kept[0] == key:
            return cast(T, kept[1])
        value = make()
        self.memo[name] = (key, value)
        return value

    def _home(
        self,
        config: MkDocsConfig,
        graph: LinkGraph,
        public: list[Note],
        generated: dict[VaultPath, str],
    ) -> str:
        return home_markdown(
            config.site_name,
            public,
            backlink_counts={path: len(found) for path, found in graph.backlinks.items()},
            dates=self.dates,
            tag_page={t.casefold(): tag_page(t) for t in {t for n in public for t in n.tags}},
            folder_page={p[: -len("/index.md")]: p for p in generated if p.endswith("/index.md")},
            links=graph.resolved_links,
        )

    # -- navigation ----------------------------------------------------------------------------

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """A navigation of a few entries: the theme renders it into every page, so it must not
        grow with the vault. The folder tree comes from explorer.json, loaded on demand.

        Every page exists from here on: in a large build, workers start converting them."""
        self._start_farm(config, files)
        if not config.nav and self.config.navigation == "explorer":
            # A vault is a web of notes, not a book: no page has a "next" one (which would be
            # the next file by name, and would change whenever a note is added beside it).
            for page in nav.pages:
                page.previous_page = page.next_page = None
            items = [
                file.page
                for file in map(files.get_file_from_path, (HOME, GRAPH_PAGE, TAGS_INDEX))
                if file is not None and file.page is not None
            ]
            nav = Navigation(items, nav.pages)
        self.nav = nav
        return nav

    def _start_farm(self, config: MkDocsConfig, files: Files) -> None:
        if self.workers < 2:
            return
        if unsafe := unsafe_plugins(config):
            level = logging.INFO if self.config.workers > 1 else logging.DEBUG
            log.log(
                level,
                "pages converted in one process: plugin %s may keep state from page to page",
                ", ".join(unsafe),
            )
            return
        farm = PageFarm(config, files, self.context, self.workers)
        if self.config.workers or len(farm.pages) >= AUTO_FROM:
            log.info("converting %d pages in %d processes", len(farm.pages), self.workers)
            farm.start()
            self.farm = farm

    def _stop_farm(self) -> None:
        if self.farm is not None:
            self.farm.close()
            self.farm = None

    def _start_templates(self, config: MkDocsConfig, files: Files, env: jinja2.Environment) -> None:
        """Once the pages converted in workers are in, render their templates in workers too."""
        search = material_search(config)
        if search is False or self.nav is None:
            log.debug("templates rendered in one process: the search plugin's index stays here")
            return
        entries = search.search_index.entries if search else None
        serving = self.command == "serve"  # (which builds drafts too)
        inclusion = InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
        self.templates = TemplateFarm(
            config, files, self.nav, env, self.workers, entries, inclusion
        )
        self.templates.start()

    def _stop_templates(self) -> None:
        if self.templates is not None:
            self.templates.close()
            self.templates = None

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        converted_in_workers = self.farm is not None
        self._stop_farm()  # every page is converted by now
        if converted_in_workers:
            self._start_templates(config, files, env)
        self.env = env
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_farm()
        self._stop_templates()
        self._release()
        gc.unfreeze()

    # -- rendering pages -----------------------------------------------------------------------

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self.farm is not None and self.farm.takes(page):
            self.farm.hand_over(page)
        note = self.notes.get(page.file.src_uri)
        self.context.note = note
        if note is None:
            return markdown
        # The theme prints titles unescaped in places: hand it escaped text, marked safe so
        # that its own `| e` does not escape it twice.
        # Tags as a list (front matter, fields and text alike) for the search index to boost.
        page.meta = {**note.meta, "title": Markup.escape(note.title), "tags": list(note.tags)}
        return strip_title_heading(note.body, note.title)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.report(self.context.problems)
        if self.command == "serve":
            self.page_problems[page.file.src_uri] = self.context.problems
        self.context.problems = []
        self.context.note = None
        self.rendered += 1
        total = len(self.urls)
        if total >= 2 * PROGRESS_EVERY and self.rendered % PROGRESS_EVERY == 0:
            # A line per thousand pages: progress on long builds without flooding CI logs.
            log.info("rendered %d of %d pages", self.rendered, total)
        return html

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.templates is not None and self.templates.takes(page):
            # A worker rendered this page: its HTML is what the page's template renders here.
            context["notesite_output"] = self.templates.output(page)  # type: ignore[typeddict-unknown-key]
            return context
        graph, files = self.context.graph, self.files
        if graph is None or files is None:
            return context

        def link(path: str, title: str, **extra: object) -> dict[str, object] | None:
            target = files.get_file_from_path(path)
            if target is None:
                return None
            return {"title": title, "url": target.url_relative_to(page.file), **extra}

        backlinks = []
        every = graph.backlinks.get(VaultPath(page.file.src_uri), [])
        # A hub note linked from thousands: the panel lists the first ones and counts all.
        for backlink in every[: self.backlinks_shown]:
            title = graph.notes[backlink.source].title
            found = link(backlink.source, title, contexts=backlink.contexts)
            if found is not None:
                backlinks.append(found)
        crumbs = [link(path, name) for name, path in breadcrumbs(page.file.src_uri, self.taken)]
        if self.graph_file is not None and page.file.src_uri in self.notes:
            context["notesite_graph"] = {  # type: ignore[typeddict-unknown-key]
                "url": self.graph_file.url_relative_to(page.file),
                "current": page.url,
                "depth": self.config.graph_depth,
            }
        context["notesite_backlinks"] = backlinks  # type: ignore[typeddict-unknown-key]
        context["notesite_backlink_count"] = len(every)  # type: ignore[typeddict-unknown-key]
        context["notesite_breadcrumbs"] = [c for c in crumbs if c]  # type: ignore[typeddict-unknown-key]
        return context

    # -- serving -------------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        folders = [config.docs_dir]
        if self.vault_root is not None and self.vault_root != Path(config.docs_dir).resolve():
            server.watch(str(self.vault_root))
            folders.append(str(self.vault_root))
        self.observer = watch_at_once(server, folders)
        # `mkdocs serve --clean` tells plugins it runs `build`; its rebuilds still run beside
        # the server's threads, where nothing may be forked.
        self.forks = False
        # An edit re-renders the pages it changed; anything else gets MkDocs' full build.
        server.builder = serve_builder(server.builder, lambda: self.live)
        return server

    def on_shutdown(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join()
            self.observer = None

    # -- problems ------------------------------------------------------------------------------

    def report(self, problems: list[Problem], *, say: bool = True) -> None:
        """Count the problems for the closing line, and log them (unless not ``say``)."""
        for problem in problems:
            self.counts[problem.kind, problem.level] += 1
            if say:
                level = logging.WARNING if problem.level >= Level.WARNING else logging.INFO
                log.log(level, str(problem))

    # -- progress and summary ------------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_templates()  # every page is written by now
        if self.command != "serve" or self.context.graph is None:
            gc.unfreeze()  # (see on_pre_build)
        if self.context.graph is None:
            return
        self.summarize()
        if self.command != "serve":
            self._release()
            return
        # What this build made stays alive while the server runs (an edit builds on it): out of
        # the collector's sight too, or the first collection after the build, in whichever
        # thread it falls (one serving a page, often), would walk all of it.
        gc.freeze()
        why = unsupported(config)
        if why is not None or None in (self.files, self.nav, self.env, self.found):
            log.info("every change rebuilds the whole site: %s", why)
            return
        assert self.files is not None and self.nav is not None and self.env is not None
        assert self.found is not None
        built = Built(
            config=config,
            files=self.files,
            nav=self.nav,
            env=self.env,
            vault=self.found,
            others=self.others,
            load_problems=self.load_problems,
            generated=self.generated,
        )
        self.live = LiveSite(self, built)

    def summarize(self) -> None:
        """The closing line of a build: what was published and what was found."""
        graph = self.context.graph
        assert graph is not None
        public = len(self.notes)
        private = len(graph.notes) - public
        warnings = sorted(
            (kind, n) for (kind, level), n in self.counts.items() if level >= Level.WARNING
        )
        infos = sum(n for (_, level), n in self.counts.items() if level < Level.WARNING)
        said = ", ".join(f"{n} {kind}" for kind, n in warnings) or "none"
        log.info(
            "published %s and %s; %s left out; warnings: %s; %s",
            _count(public, "note"),
            _count(len(graph.used_attachments), "attachment"),
            _count(private, "private note"),
            said,
            _count(infos, "notice"),
        )

    def _release(self) -> None:
        """Let go of the vault: `mkdocs serve` keeps this plugin (and the extensions holding its
        render context) alive for as long as it serves, and a build must not carry the last
        one's notes, graph and pages along."""
        self.live = None
        self.context.graph = self.context.note = None
        self.context.ghosts = {}
        self.notes, self.urls, self.dates, self.taken = {}, {}, {}, set()
        self.files = self.graph_file = self.nav = self.env = self.found = None
        self.generated, self.load_problems, self.page_problems = {}, {}, {}
        self.memo, self.shown = {}, None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
