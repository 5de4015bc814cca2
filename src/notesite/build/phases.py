"""The seams of a build: one small interface per MkDocs phase where work made elsewhere (by
worker processes, or by an earlier build, kept on disk: :mod:`notesite.build.cache`) takes the
place of work done here. Each returns exactly what doing the work here returns, so the site is the same,
byte for byte, whichever made it.

1. Reading the vault (``on_files``): a :class:`VaultReader` gives the notes and their graph,
   parsing only the notes whose files changed since an earlier build read them (what it read is
   kept in the build cache).
2. Generated pages and data files (``on_files``; after an edit): a
   :class:`~notesite.build.memo.Memo` gives what a step made before from equal inputs.
3. Converting a page (``on_page_markdown``): a :class:`ConvertedPages` takes a page and hands
   MkDocs its HTML, table of contents and log records instead of converting it.
4. Rendering a page's template (``on_page_context``): a :class:`RenderedPages` gives a page's
   HTML (and adds its search entries) instead of rendering it.
5. After a build (``on_post_build``): :func:`~notesite.build.affected.affected_pages` says which
   pages a change alters, for the live preview and for any build that starts from an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from notesite.build.reading import Reading
from notesite.config import NotesiteConfig
from notesite.vault import Remembered, VaultFiles


class VaultReader(Protocol):
    """Reads the vault's notes and builds their link graph (:func:`~notesite.build.reading.
    read_vault` does it here, in ``workers`` processes)."""

    def __call__(
        self,
        found: VaultFiles,
        options: NotesiteConfig,
        config: MkDocsConfig,
        *,
        workers: int,
        remembered: Remembered | None = None,
    ) -> Reading: ...


class ConvertedPages(Protocol):
    """Pages converted elsewhere (:class:`~notesite.build.farm.PageFarm`,
    :class:`~notesite.build.cache.BuildCache`)."""

    def takes(self, page: Page) -> bool:
        """Whether this page's conversion comes from here."""
        ...

    def hand_over(self, page: Page) -> None:
        """Make MkDocs' conversion of the page take what was made for it."""
        ...


#: What converts a page in place of MkDocs' ``Page.render``: ``render(page, config, files)``.
Render = Callable[[Page, MkDocsConfig, Files], None]


def render_with(page: Page, render: Render) -> None:
    """Make MkDocs' next conversion of ``page`` (``page.render(config, files)``) call
    ``render`` instead, once: the page's own ``render`` is back before ``render`` runs."""
    page.__dict__["render"] = partial(_render_once, page, render)


def _render_once(page: Page, render: Render, config: MkDocsConfig, files: Files) -> None:
    del page.__dict__["render"]
    render(page, config, files)


class RenderedPages(Protocol):
    """Page templates rendered elsewhere (:class:`~notesite.build.farm.TemplateFarm`,
    :class:`~notesite.build.cache.BuildCache`)."""

    def takes(self, page: Page) -> bool:
        """Whether this page's HTML comes from here."""
        ...

    def output(self, page: Page) -> Markup:
        """The page's HTML (its search entries added to the index now); empty from the build
        cache, which puts the page's file in place as MkDocs is to write it."""
        ...
