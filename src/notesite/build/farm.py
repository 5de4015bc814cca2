"""Convert and render a build's pages in forked processes while MkDocs does its own share.

MkDocs converts pages one after the other, in one process, and the Markdown conversion is most
of a build's time. For a build on a machine with several cores, notesite forks worker
processes once the navigation is made (``on_nav``). The pages are dealt out in runs of
:data:`CHUNK`, run *k* going to process ``k % n``, process 0 being MkDocs itself. A worker does
for its pages exactly what MkDocs would (each plugin's ``pre_page`` and ``page_markdown`` events,
then the conversion) and writes what the conversion made to a file per run, in a temporary
folder: the HTML, the table of contents, the title, the anchors, the log records and the
problems notesite found. (Files, not messages: a worker must never wait for the main process,
busy with its own pages, to read a pipe.)

When MkDocs reaches a worker's page it reads the page and runs the same events itself (all
cheap); only its conversion is replaced by the worker's result, whose log records are logged
then, in the order a one-process build logs them, so ``--strict`` counts them alike. The site
is the same, byte for byte (tested). Anything a worker cannot do, MkDocs does as usual: a page
whose conversion failed in a worker is converted again here, where its error is reported.

Then, once every page is converted (``on_env``), MkDocs renders each page's template, one page
after another, which takes about as long again. :class:`TemplateFarm` forks workers that render
their share of the templates (with the ``page_context`` and ``post_page`` events) from the
complete state of the build; MkDocs writes their HTML as it comes to each page, and the search
index gets the entries the workers' search plugin made, in the same order.

Workers are used only where that is safe: ``mkdocs build`` and the first build of ``mkdocs
serve``, while no other thread runs (a fork could copy a lock another thread holds), an
operating system that forks, and no plugin but ones known to keep nothing from page events
(:data:`SAFE_PLUGINS`).
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing as mp
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Container, MutableMapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from notesite.build.phases import render_with
from notesite.markdown.context import RenderContext
from notesite.problems import Problem
from notesite.vault import delivered

log = get_plugin_logger(__name__)

#: Plugins whose page events keep no state from one page to the next.
SAFE_PLUGINS = frozenset({"notesite", "search", "material/search", "offline", "material/offline"})
#: Pages per run handed to one process: long enough to keep messages few, short enough that
#: MkDocs and the workers take turns often.
CHUNK = 8
#: With ``workers`` left to notesite, smaller sites are rendered in one process.
AUTO_FROM = 200


def material_search(config: MkDocsConfig) -> Any:
    """mkdocs-material's search plugin (None when search is off; False when it is another).

    Its index keeps its entries in a list, and it leaves out a page whose ``search.exclude`` is
    set: what :class:`TemplateFarm` and the live preview rely on. MkDocs' own search does not.
    """
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is None:
            continue
        if not plugin.config.get("enabled", True):
            return None
        index = getattr(plugin, "search_index", None)
        if not isinstance(getattr(index, "entries", None), list):
            return False
        if not callable(getattr(index, "generate_search_index", None)):
            return False
        return plugin
    return None


def search_entry(entry: dict[str, Any]) -> bytes:
    """A search entry as mkdocs-material's search plugin writes it into its index."""
    return json.dumps(entry, separators=(",", ":"), default=str).encode()


def write_search_index(search: Any, site_dir: str, docs: Sequence[bytes]) -> None:
    """Write the search index as the search plugin (:func:`material_search`) writes it, its
    list of entries made of ``docs``: entries as :func:`search_entry` writes them (a page's
    several joined by commas), none of them decoded and encoded again."""
    # The index's frame (its settings, and where its list of entries goes) as the plugin
    # writes it.
    empty = type(search.search_index)(**search.search_index.config)
    head, tail = empty.generate_search_index(None).rsplit("[]", 1)
    path = os.path.join(site_dir, "search", "search_index.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    joined = [b","] * (2 * len(docs) - 1) if docs else []
    joined[::2] = docs  # (commas between them, written without a join)
    with open(path, "wb") as out:
        out.write((head + "[").encode())
        out.writelines(joined)
        out.write(("]" + tail).encode())


def unsafe_plugins(config: MkDocsConfig) -> list[str]:
    """The configured plugins that rule workers out."""
    return [name for name in config.plugins if name not in SAFE_PLUGINS]


@dataclass
class _Rendered:
    """What converting one page in a worker made (``content`` is None when it failed)."""

    content: str | None
    toc: TableOfContents | None = None
    title: str | None = None
    anchors: set[str] | None = None
    links_to_anchors: dict[str, dict[str, str]] | None = None
    """Like ``Page.links_to_anchors``, keyed by the linked file's ``src_uri``."""
    records: tuple[logging.LogRecord, ...] = ()
    problems: tuple[Problem, ...] = ()
    whole_vault: bool = False
    """Whether the conversion showed what it found in the whole vault (see
    :attr:`RenderContext.depends_on_vault`)."""


class _Farm:
    """Worker processes that each do one step of a build for their share of its pages.

    The pages are dealt out in runs of :data:`CHUNK`, run *k* going to process ``k % n``, process
    0 being MkDocs itself. A worker writes what it made to a file per run (:meth:`work_run`);
    this process reads a run's file when it reaches the first page of the run.
    """

    #: What the log says becomes of the pages of a worker that ended early.
    fallback = "its pages are converted in this one"

    def __init__(self, files: Files, processes: int, skip: Container[str] = frozenset()) -> None:
        self.files = files
        self.processes = processes
        self.pages: list[Page] = [
            f.page
            for f in files.documentation_pages()
            if f.page is not None and f.src_uri not in skip
        ]
        """The pages the farm deals out (all but those of ``skip``, which come from elsewhere)."""
        self._position = {page.file.src_uri: i for i, page in enumerate(self.pages)}
        self.in_worker = False
        self._workers: list[BaseProcess] = []
        self._folder: Path | None = None
        self._broken = False
        self._received: dict[int, list[Any]] = {}

    # -- the main process ----------------------------------------------------------------------

    def start(self) -> None:
        """Fork the workers; each does its runs of pages, one file of results per run."""
        global _FARM
        self._folder = Path(tempfile.mkdtemp(prefix="notesite-pages-"))
        _FARM = self  # what the forked workers find
        context = mp.get_context("fork")
        self._workers = [
            context.Process(target=_work, args=(worker,), name=f"notesite-pages-{worker}")
            for worker in range(1, self.processes)
        ]
        for process in self._workers:
            process.start()

    def takes(self, page: Page) -> bool:
        """Whether a worker does this page (asked in the main process)."""
        position = self._position.get(page.file.src_uri)
        return (
            not self.in_worker
            and position is not None
            and self.pages[position] is page
            and (position // CHUNK) % self.processes != 0
        )

    def _take(self, position: int) -> Any:
        """A worker's result for the page at ``position``; None if its worker failed."""
        run = position // CHUNK
        results = self._received.get(run)
        if results is None:
            results = self._received[run] = self._wait_for(run)
        if not results:
            return None
        done = results[position % CHUNK]
        if position % CHUNK == len(results) - 1:
            del self._received[run]
        return done

    def _wait_for(self, run: int) -> list[Any]:
        """The results of a run, once its worker has written them ([] if it never will)."""
        # Workers write files rather than send messages: a worker never waits for this process,
        # which is busy with its own pages, to read what it made.
        assert self._folder is not None
        path = self._folder / f"{run}.pickle"
        results: list[Any] | None = delivered(path, [self._workers[run % self.processes - 1]])
        if results is None:
            if not self._broken:
                # A worker was killed (out of memory, say): the rest is done here.
                log.info("a worker process ended early; %s", self.fallback)
                self._broken = True
            return []
        path.unlink()
        return results

    def close(self) -> None:
        """Wait for the workers (they are done once every page is); clean up."""
        for process in self._workers:
            process.join()
        self._workers = []
        self._received.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    # -- a worker process ----------------------------------------------------------------------

    def work_run(self, run: int) -> list[Any]:
        """In a worker: do the pages of one run."""
        raise NotImplementedError


class PageFarm(_Farm):
    """The worker processes of one build and the pages they convert."""

    def __init__(
        self,
        config: MkDocsConfig,
        files: Files,
        context: RenderContext,
        processes: int,
        skip: Container[str] = frozenset(),
    ) -> None:
        super().__init__(files, processes, skip)
        self.config = config
        self.context = context

    def hand_over(self, page: Page) -> None:
        """Make the page's conversion take the worker's result instead of converting again."""
        render_with(page, self._fill)

    def _fill(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        rendered: _Rendered | None = self._take(self._position[page.file.src_uri])
        if rendered is None or rendered.content is None:
            page.render(config, files)  # the worker failed: convert here, errors and all
            return
        for record in rendered.records:
            logging.getLogger(record.name).handle(record)
        page.content = rendered.content
        page.toc = rendered.toc if rendered.toc is not None else page.toc
        page._title_from_render = rendered.title
        page.present_anchor_ids = rendered.anchors
        if rendered.links_to_anchors is not None:
            page.links_to_anchors = {
                file: links
                for uri, links in rendered.links_to_anchors.items()
                if (file := files.get_file_from_path(uri)) is not None
            }
        self.context.problems = list(rendered.problems)
        self.context.depends_on_vault = rendered.whole_vault

    # -- a worker process ----------------------------------------------------------------------

    def work_run(self, run: int) -> list[Any]:
        return _convert_run(run)

    def convert(self, page: Page) -> _Rendered:
        """Do for one page what MkDocs does before its ``page_content`` event."""
        config, files = self.config, self.files
        records = _KEEP.records = []
        config._current_page = page
        try:
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            assert page.markdown is not None
            page.markdown = config.plugins.on_page_markdown(
                page.markdown, page=page, config=config, files=files
            )
            page.render(config, files)
        except Exception:
            return _Rendered(None)
        finally:
            config._current_page = None
            self.context.note = self.context.link_url = None
        problems, self.context.problems = self.context.problems, []
        whole_vault, self.context.depends_on_vault = self.context.depends_on_vault, False
        links = page.links_to_anchors
        return _Rendered(
            content=page.content,
            toc=page.toc,
            title=page._title_from_render,
            anchors=page.present_anchor_ids,
            links_to_anchors=None
            if links is None
            else {file.src_uri: anchors for file, anchors in links.items()},
            records=tuple(_portable(r) for r in records),
            problems=tuple(problems),
            whole_vault=whole_vault,
        )


#: The template MkDocs renders for a page whose HTML a worker made: that HTML, as it is.
PRERENDERED = "notesite-prerendered.html"


class _Prerendered(jinja2.Template):
    """:data:`PRERENDERED`: the page's HTML made elsewhere (``notesite_output``), as it is.

    What ``{{ notesite_output }}`` renders, without making a template context of MkDocs' page
    context first: that took longer than all else MkDocs does for a page of the build cache
    (0.3 s of a warm build of 10,000 notes)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        values = args[0] if args else kwargs
        return str(values.get("notesite_output", ""))


class _PrerenderedLoader(jinja2.BaseLoader):
    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        if name != PRERENDERED:
            raise jinja2.TemplateNotFound(name)
        code = environment.compile("{{ notesite_output }}", name)
        return _Prerendered.from_code(environment, code, environment.make_globals(globals))


def with_prerendered(loader: jinja2.BaseLoader) -> jinja2.BaseLoader:
    """``loader``, and the template :data:`PRERENDERED`."""
    return jinja2.ChoiceLoader([_PrerenderedLoader(), loader])


@dataclass
class _Written:
    """What rendering one page's template in a worker made (``html`` is None when it failed)."""

    html: str | None
    entries: list[dict[str, Any]] = field(default_factory=list)
    """The search index entries that the page's ``page_context`` events added."""
    records: tuple[logging.LogRecord, ...] = ()


class TemplateFarm(_Farm):
    """Worker processes that render the theme's template for their share of the pages.

    Once every page is converted (``on_env``), MkDocs renders each page's template, with its
    ``page_context`` and ``post_page`` events, and writes it, one page after another: in a large
    build about as long as converting the pages took. A worker forked then holds every page, the
    navigation and the theme, and does for its pages all of that but the writing, exactly as
    MkDocs would. For those pages MkDocs renders :data:`PRERENDERED` (the worker's HTML) and
    writes it; the search plugin indexes nothing for them (their ``search.exclude``), and the
    entries the worker's search plugin made are added to the index in their place
    (:meth:`output`), so the index is the same, in the same order.
    """

    fallback = "its pages are rendered in this one"

    def __init__(
        self,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation,
        env: jinja2.Environment,
        processes: int,
        entries: list[dict[str, Any]] | None,
        inclusion: Callable[[InclusionLevel], bool] = InclusionLevel.is_included,
        skip: Container[str] = frozenset(),
    ) -> None:
        super().__init__(files, processes, skip)
        self.config, self.nav, self.env = config, nav, env
        self.doc_files = files.documentation_pages(inclusion=inclusion)
        """The pages MkDocs builds (``mkdocs serve`` builds drafts too)."""
        self.entries = entries
        """The search index's entries (None without a search plugin)."""
        self._meta: dict[int, MutableMapping[str, Any]] = {}
        self._given_back: set[int] = set()
        self._loader = env.loader

    def start(self) -> None:
        assert self._loader is not None
        self.env.loader = with_prerendered(self._loader)
        super().start()
        # In this process only: a worker's page gets the template of the worker's HTML.
        for position, page in enumerate(self.pages):
            if (position // CHUNK) % self.processes != 0:
                self._meta[position] = page.meta
                page.meta = {**page.meta, "template": PRERENDERED, "search": {"exclude": True}}

    def takes(self, page: Page) -> bool:
        return super().takes(page) and self._position[page.file.src_uri] not in self._given_back

    def close(self) -> None:
        """As :meth:`_Farm.close`; the pages get their own meta back and the theme its loader
        (``mkdocs serve`` renders them again after an edit)."""
        super().close()
        for position, meta in self._meta.items():
            self.pages[position].meta = meta
        self._meta.clear()
        self.env.loader = self._loader

    def output(self, page: Page) -> Markup:
        """The HTML a worker made for ``page`` (its log records logged and its search entries
        added now); made here, as MkDocs would, if the worker failed."""
        position = self._position[page.file.src_uri]
        written: _Written | None = self._take(position)
        if written is None or written.html is None:
            self._given_back.add(position)
            prerendered, page.meta = page.meta, self._meta[position]
            try:
                html, _ = self.render(page)  # (the search plugin indexes it as it goes)
            finally:
                page.meta = prerendered
            return Markup(html)
        for record in written.records:
            logging.getLogger(record.name).handle(record)
        if self.entries is not None:
            self.entries.extend(written.entries)
        return Markup(written.html)

    def render(self, page: Page) -> tuple[str, list[dict[str, Any]]]:
        """What MkDocs' ``_build_page`` does for a page before writing it: its HTML, and the
        search entries that its events added."""
        config = self.config
        context = get_context(self.nav, self.doc_files, config, page)
        template = self.env.get_template(page.meta.get("template", "main.html"))
        before = len(self.entries) if self.entries is not None else 0
        context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
        html = template.render(context)
        html = config.plugins.on_post_page(html, page=page, config=config)
        return html, self.entries[before:] if self.entries is not None else []

    # -- a worker process ----------------------------------------------------------------------

    def work_run(self, run: int) -> list[Any]:
        return _render_run(run)

    def write(self, page: Page) -> _Written:
        """In a worker: render one page."""
        records = _KEEP.records = []
        self.config._current_page = page
        page.active = True
        try:
            html, entries = self.render(page)
        except Exception:
            return _Written(None)
        finally:
            page.active = False
            self.config._current_page = None
        return _Written(html, entries, tuple(_portable(r) for r in records))


_FARM: _Farm | None = None
"""The farm whose pages a worker does (set before the fork)."""


class _Keep(logging.Handler):
    """A worker's one log handler: it keeps the records for the main process to log."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not self.records or self.records[-1] is not record:  # one record, many loggers
            self.records.append(record)


_KEEP = _Keep()


def _enter_worker() -> None:
    assert _FARM is not None
    _FARM.in_worker = True
    # What the worker inherited (the vault, its graph, MkDocs' structures) lives until it exits:
    # out of the collector's sight, so that collections walk only what this worker makes.
    gc.freeze()
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger) and logger.handlers:
            logger.handlers = [_KEEP]


def _work(worker: int) -> None:
    """A worker's life: do every run of pages that falls to it, in order."""
    _enter_worker()
    assert _FARM is not None and _FARM._folder is not None
    runs = -(-len(_FARM.pages) // CHUNK)
    for run in range(worker, runs, _FARM.processes):
        results = _FARM.work_run(run)
        path = _FARM._folder / f"{run}.pickle"
        partial_path = path.with_suffix(".part")
        with partial_path.open("wb") as file:
            pickle.dump(results, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial_path.replace(path)  # whole, or not there at all


def _convert_run(run: int) -> list[_Rendered]:
    assert isinstance(_FARM, PageFarm)
    pages = _FARM.pages[run * CHUNK : (run + 1) * CHUNK]
    return [_FARM.convert(page) for page in pages]


def _render_run(run: int) -> list[_Written]:
    assert isinstance(_FARM, TemplateFarm)
    pages = _FARM.pages[run * CHUNK : (run + 1) * CHUNK]
    return [_FARM.write(page) for page in pages]


def _portable(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message formatted: its arguments may not survive pickling."""
    record.msg, record.args = record.getMessage(), None
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return record
