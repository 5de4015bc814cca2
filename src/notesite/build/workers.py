"""When a build's pages go to worker processes (:mod:`notesite.build.farm`), and when not."""

from __future__ import annotations

import logging
import os
import threading

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from notesite.build.farm import AUTO_FROM, PageFarm, TemplateFarm, material_search, unsafe_plugins
from notesite.build.phases import ConvertedPages, RenderedPages
from notesite.markdown.context import RenderContext
from notesite.vault import can_fork

log = get_plugin_logger(__name__)


class Workers:
    """The worker processes of one build: converting pages (from ``on_nav``), then rendering
    their templates (from ``on_env``), each while MkDocs does its own share."""

    def __init__(self) -> None:
        self.forks = False
        """Whether work may go to forked processes (set by the plugin's ``on_startup``)."""
        self.asked = 0
        """The ``workers`` option: 0 leaves the number to notesite."""
        self.pages: PageFarm | None = None
        """The processes converting pages alongside MkDocs, in a large build."""
        self.templates: TemplateFarm | None = None
        """The processes rendering page templates alongside MkDocs, once pages are converted."""
        self.skip: set[str] = set()
        """The pages (vault paths) that come from elsewhere (the build cache): no worker does
        them."""

    @property
    def count(self) -> int:
        """How many processes read the vault and convert pages."""
        if not self.forks or not can_fork() or threading.active_count() > 1:
            return 1
        return self.asked or os.cpu_count() or 1

    def start_pages(self, config: MkDocsConfig, files: Files, context: RenderContext) -> None:
        """Every page exists: in a large build, workers start converting them."""
        workers = self.count
        if workers < 2:
            return
        if unsafe := unsafe_plugins(config):
            level = logging.INFO if self.asked > 1 else logging.DEBUG
            log.log(
                level,
                "pages converted in one process: plugin %s may keep state from page to page",
                ", ".join(unsafe),
            )
            return
        farm = PageFarm(config, files, context, workers, self.skip)
        if self.asked or len(farm.pages) >= AUTO_FROM:
            log.info("converting %d pages in %d processes", len(farm.pages), workers)
            farm.start()
            self.pages = farm

    def converted(self) -> list[ConvertedPages]:
        """What converts pages elsewhere in this build (the page workers, while they run)."""
        return [self.pages] if self.pages is not None else []

    def pages_converted(
        self,
        config: MkDocsConfig,
        files: Files,
        nav: Navigation | None,
        env: jinja2.Environment,
        *,
        serving: bool,
    ) -> None:
        """Every page is converted: once the pages converted in workers are in, render their
        templates in workers too."""
        converted_in_workers = self.pages is not None
        self._stop_pages()
        if not converted_in_workers:
            return
        search = material_search(config)
        if search is False or nav is None:
            log.debug("templates rendered in one process: the search plugin's index stays here")
            return
        entries = search.search_index.entries if search else None
        # (`mkdocs serve` builds drafts too.)
        inclusion = InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
        self.templates = TemplateFarm(
            config, files, nav, env, self.count, entries, inclusion, self.skip
        )
        self.templates.start()

    def rendered(self) -> list[RenderedPages]:
        """What renders page templates elsewhere in this build (the template workers)."""
        return [self.templates] if self.templates is not None else []

    def _stop_pages(self) -> None:
        if self.pages is not None:
            self.pages.close()
            self.pages = None

    def stop(self) -> None:
        """End every worker (the build ended, or failed)."""
        self._stop_pages()
        if self.templates is not None:
            self.templates.close()
            self.templates = None
