"""Render a build's pages in forked processes while MkDocs renders its own share.

MkDocs converts pages one after the other, in one process, and the Markdown conversion is most
of a build's time. For ``mkdocs build`` on a machine with several cores, notesite forks worker
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

Workers are used only where that is safe: ``mkdocs build`` (``serve`` runs a server thread
whose locks a fork could copy), an operating system that forks, and no plugin but ones known to
keep nothing from page events (:data:`SAFE_PLUGINS`).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from notesite.markdown.context import RenderContext
from notesite.problems import Problem

log = get_plugin_logger(__name__)

#: Plugins whose page events keep no state from one page to the next.
SAFE_PLUGINS = frozenset({"notesite", "search", "material/search", "offline", "material/offline"})
#: Pages per run handed to one process: long enough to keep messages few, short enough that
#: MkDocs and the workers take turns often.
CHUNK = 8
#: With ``workers`` left to notesite, smaller sites are rendered in one process.
AUTO_FROM = 200


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


class PageFarm:
    """The worker processes of one build and the pages they convert."""

    def __init__(
        self,
        config: MkDocsConfig,
        files: Files,
        context: RenderContext,
        processes: int,
    ) -> None:
        self.config = config
        self.files = files
        self.context = context
        self.processes = processes
        self.pages: list[Page] = [f.page for f in files.documentation_pages() if f.page is not None]
        self._position = {page.file.src_uri: i for i, page in enumerate(self.pages)}
        self.in_worker = False
        self._workers: list[BaseProcess] = []
        self._folder: Path | None = None
        self._broken = False
        self._received: dict[int, list[_Rendered]] = {}

    # -- the main process ----------------------------------------------------------------------

    def start(self) -> None:
        """Fork the workers; each converts its runs of pages, one file of results per run."""
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
        """Whether a worker converts this page (asked in the main process)."""
        position = self._position.get(page.file.src_uri)
        return (
            not self.in_worker
            and position is not None
            and self.pages[position] is page
            and (position // CHUNK) % self.processes != 0
        )

    def hand_over(self, page: Page) -> None:
        """Make the page's conversion take the worker's result instead of converting again."""
        # Page.render is the one step replaced; the instance attribute is removed once used.
        page.__dict__["render"] = partial(self._fill, page)

    def _fill(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        del page.__dict__["render"]
        rendered = self._take(self._position[page.file.src_uri])
        if rendered.content is None:
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

    def _take(self, position: int) -> _Rendered:
        run = position // CHUNK
        results = self._received.get(run)
        if results is None:
            results = self._received[run] = self._wait_for(run)
        if not results:
            return _Rendered(None)
        rendered = results[position % CHUNK]
        if position % CHUNK == len(results) - 1:
            del self._received[run]
        return rendered

    def _wait_for(self, run: int) -> list[_Rendered]:
        """The results of a run, once its worker has written them ([] if it never will)."""
        # Workers write files rather than send messages: a worker never waits for this process,
        # which is busy converting its own pages, to read what it made.
        assert self._folder is not None
        path = self._folder / f"{run}.pickle"
        worker = self._workers[run % self.processes - 1]
        while not path.exists():
            if not worker.is_alive() and not path.exists():
                if not self._broken:
                    # A worker was killed (out of memory, say): the rest is converted here.
                    log.info("a worker process ended early; its pages are converted in this one")
                    self._broken = True
                return []
            wait([worker.sentinel], timeout=0.002)
        with path.open("rb") as file:
            results: list[_Rendered] = pickle.load(file)
        path.unlink()
        return results

    def close(self) -> None:
        """Wait for the workers (they are done once every page is converted); clean up."""
        for process in self._workers:
            process.join()
        self._workers = []
        self._received.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    # -- a worker process ----------------------------------------------------------------------

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
            self.context.note = None
        problems, self.context.problems = self.context.problems, []
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
        )


_FARM: PageFarm | None = None
"""The farm whose pages a worker converts (set before the fork)."""


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
    """A worker's life: convert every run of pages that falls to it, in order."""
    _enter_worker()
    assert _FARM is not None and _FARM._folder is not None
    runs = -(-len(_FARM.pages) // CHUNK)
    for run in range(worker, runs, _FARM.processes):
        results = _convert_run(run)
        path = _FARM._folder / f"{run}.pickle"
        partial_path = path.with_suffix(".part")
        with partial_path.open("wb") as file:
            pickle.dump(results, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial_path.replace(path)  # whole, or not there at all


def _convert_run(run: int) -> list[_Rendered]:
    assert _FARM is not None
    pages = _FARM.pages[run * CHUNK : (run + 1) * CHUNK]
    return [_FARM.convert(page) for page in pages]


def _portable(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message formatted: its arguments may not survive pickling."""
    record.msg, record.args = record.getMessage(), None
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return record
