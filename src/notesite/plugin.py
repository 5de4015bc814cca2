"""The MkDocs plugin: MkDocs' build events mapped onto notesite's build layer. Kept thin.

The vault is read and its link graph built once, in ``on_files``, before any page is rendered
(MkDocs runs ``on_files`` and ``on_nav`` before rendering). Each page is then rendered by the
notesite Markdown extensions, which read the graph from the shared render context. What each
phase does is in :mod:`notesite.build` (:class:`~notesite.build.state.SiteBuild` has a method
per phase); the live preview of ``mkdocs serve`` in :mod:`notesite.build.live`.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from notesite.build.extensions import add_extensions
from notesite.build.navigation import keep_out_of_nav, short_navigation
from notesite.build.state import SiteBuild
from notesite.config import NotesiteConfig

if TYPE_CHECKING:  # (what only `mkdocs serve` uses is imported when it serves)
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.api import BaseObserver

    from notesite.build.live import LiveSite


class NotesitePlugin(BasePlugin[NotesiteConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site = SiteBuild()
        """What this build works out and keeps, phase by phase."""
        self.command = "build"
        self.live: LiveSite | None = None
        """What ``mkdocs serve`` re-renders an edit with (see :mod:`notesite.build.live`)."""
        self.observer: BaseObserver | None = None
        """What tells ``mkdocs serve`` of a save as it happens (see :func:`watch_at_once`)."""

    # -- configuration -------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs build` and `gh-deploy` run in one thread, so work may go to forked processes;
        # so does the first build of `mkdocs serve`, made before its server starts any thread.
        # After that (see on_serve), forking could copy a lock another thread holds: rebuilds
        # (and any in-process use) work in this process.
        self.site.workers.forks = command in ("build", "gh-deploy", "serve")
        self.command = command
        self.site.dirty = dirty

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.site.workers.forks:
            # `mkdocs serve` keeps what its first build made alive for as long as it serves.
            # Out of the garbage collector's sight during a rebuild, it is not walked again and
            # again; reference counting still frees it, and it is back in sight after the build.
            self._release()
            gc.unfreeze()  # (the last build's, now let go of: see on_post_build)
            gc.collect()
            gc.freeze()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.site.configure(self.config, config, self.command)
        add_extensions(config, self.config, self.site.context)
        return config

    # -- reading the vault ---------------------------------------------------------------------

    # Priority 50: before other plugins' on_files (default 0), so that they see the vault's
    # notes as the site's pages rather than what MkDocs found in docs_dir.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        files = self.site.read(files, config)
        keep_out_of_nav(files, self.config, config)
        return files

    # -- navigation ----------------------------------------------------------------------------

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """A navigation of a few entries (see :mod:`notesite.build.navigation`).

        Every page exists from here on: in a large build, workers start converting them."""
        self.site.workers.start_pages(config, files, self.site.context)
        self.site.nav = short_navigation(nav, files, self.config, config)
        return self.site.nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        # Every page is converted by now: the pages' workers end (and render templates next).
        serving = self.command == "serve"
        self.site.templates(env)
        self.site.workers.pages_converted(config, files, self.site.nav, env, serving=serving)
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self.site.workers.stop()
        self._release()
        gc.unfreeze()

    # -- rendering pages -----------------------------------------------------------------------

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.site.page_source(page)

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        return self.site.page_markdown(markdown, page, config, files)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.site.page_converted(page)
        return html

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        context.update(self.site.page_context(page))  # type: ignore[typeddict-item]
        return context

    # Priority -100: after every other plugin's post_page, the HTML MkDocs writes.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return self.site.page_written(page, output)

    # -- serving -------------------------------------------------------------------------------

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        from notesite.build.watch import serve_builder, watch_at_once

        folders = [config.docs_dir]
        root = self.site.vault_root
        if root is not None and root != Path(config.docs_dir).resolve():
            server.watch(str(root))
            folders.append(str(root))
        self.observer = watch_at_once(server, folders)
        # `mkdocs serve --clean` tells plugins it runs `build`; its rebuilds still run beside
        # the server's threads, where nothing may be forked.
        self.site.workers.forks = False
        # An edit re-renders the pages it changed; anything else gets MkDocs' full build.
        server.builder = serve_builder(server.builder, lambda: self.live)
        return server

    def on_shutdown(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join()
            self.observer = None
        if self.command == "build":
            # The process ends now: what the build left (a site's worth of pages, files and
            # notes, much of it in reference cycles) is not collected on the way out, which
            # took a build of 10,000 notes most of a second.
            gc.freeze()

    # -- the end of a build --------------------------------------------------------------------

    # Priority -50: after the search plugin's, which writes its index first (the build cache
    # writes it again, with the entries of the pages it kept), and before the offline plugin's
    # (-100), which copies the index into a script.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.site.workers.stop()  # every page is written by now
        serving = self.command == "serve"
        if not serving or self.site.context.graph is None:
            gc.unfreeze()  # (see on_pre_build)
        if self.site.context.graph is None:
            return
        self.site.summarize()
        if not serving:
            self._release()
            return
        # What this build made stays alive while the server runs (an edit builds on it): out of
        # the collector's sight too, or the first collection after the build, in whichever
        # thread it falls (one serving a page, often), would walk all of it.
        gc.freeze()
        from notesite.build.live import live_site

        self.live = live_site(self.site, config)

    def _release(self) -> None:
        """Let go of the vault and of what re-renders an edit (see :meth:`SiteBuild.release`)."""
        self.live = None
        self.site.release()
