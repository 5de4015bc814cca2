"""A page's conversion with one Python-Markdown instance for the whole build.

MkDocs makes a new ``markdown.Markdown`` for every page it converts: every extension's
``extendMarkdown`` runs again and every processor is made again, about 0.7 ms a page, a
sixteenth of a cold build's work. Python-Markdown's own way to convert many documents is one
instance and ``reset()`` between them, which an extension that keeps state from one document to
the next is to implement (``registerExtension`` and ``reset``), though not every one does. :class:`PageConverter` converts
pages that way, doing the rest exactly as MkDocs' ``Page.render`` does (the same per-page
processors of MkDocs: raw HTML anchors, anchors, relative links, the title).

It does so only where that is known to give the same HTML, byte for byte: MkDocs 1.6 (whose
``Page.render`` this follows), and extensions that are notesite's own, Python-Markdown's, or
pymdown-extensions' listed in :data:`KNOWN_TO_RESET` (each read for state kept past a
conversion). A site with any other extension gets MkDocs' conversion, a new instance a page,
and a DEBUG line says which extension decided it. A conversion that fails drops the instance,
so that nothing it left half done reaches the next page.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

import markdown
import mkdocs
from markdown.extensions import Extension
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from notesite.build.phases import render_with

log = get_plugin_logger(__name__)

#: A URL that ``urlsplit`` reads as a path and a fragment alone: no scheme, host or query, no
#: backslash, no whitespace or control character (which it strips or removes), no leading slash.
_PLAIN_RELATIVE = re.compile(
    r"[^/\\:?#\x00-\x20\x7f][^\\:?#\x00-\x20\x7f]*(?:#[^\\:?#\x00-\x20\x7f]*)?"
)

#: The extensions (as mkdocs.yml names them, without a ``markdown.extensions.`` prefix) whose
#: state from one conversion is reset before the next: those of Python-Markdown and of
#: pymdown-extensions that keep none, or clear it in ``reset()`` or at the start of a run.
KNOWN_TO_RESET = frozenset(
    {
        *[
            "abbr",
            "admonition",
            "attr_list",
            "codehilite",
            "def_list",
            "extra",
            "fenced_code",
            "footnotes",
            "legacy_attrs",
            "legacy_em",
            "md_in_html",
            "meta",
            "nl2br",
            "sane_lists",
            "smarty",
            "tables",
            "toc",
            "wikilinks",
        ],
        *(
            f"pymdownx.{name}"
            for name in [
                "arithmatex",
                "betterem",
                "caret",
                "critic",
                "details",
                "emoji",
                "highlight",
                "inlinehilite",
                "keys",
                "magiclink",
                "mark",
                "saneheaders",
                "smartsymbols",
                "snippets",
                "superfences",
                "tabbed",
                "tasklist",
                "tilde",
            ]
        ),
    }
)
#: The MkDocs whose ``Page.render`` :meth:`PageConverter.render` does as it does.
MKDOCS_FOLLOWED = "1.6."


def _known(extension: str | Extension) -> bool:
    if isinstance(extension, Extension):
        return type(extension).__module__.startswith("notesite.")
    name = extension.split(":", 1)[0].removeprefix("markdown.extensions.")
    return name in KNOWN_TO_RESET or name.startswith("notesite.")


def unknown_extension(extensions: Iterable[str | Extension]) -> str | None:
    """The first of ``extensions`` not known to reset its state between conversions (its name,
    or its class's), or None when every one is."""
    for extension in extensions:
        if not _known(extension):
            return extension if isinstance(extension, str) else type(extension).__qualname__
    return None


class PageConverter:
    """Converts a build's pages with one Python-Markdown instance (see the module)."""

    def __init__(self) -> None:
        self._config: MkDocsConfig | None = None
        self._reuses = False
        self._md: markdown.Markdown | None = None

    def release(self) -> None:
        """Let go of the instance (and the extensions and render context it holds)."""
        self._config, self._md = None, None

    def takes(self, page: Page, config: MkDocsConfig) -> None:
        """Make ``page``'s next conversion this converter's, where it may (see the module)."""
        if config is not self._config:
            self._config, self._md = config, None
            self._reuses = self._decide(config)
        if self._reuses:
            render_with(page, self.render)

    def _decide(self, config: MkDocsConfig) -> bool:
        if not mkdocs.__version__.startswith(MKDOCS_FOLLOWED):
            log.debug("each page gets a new Markdown instance: MkDocs %s", mkdocs.__version__)
            return False
        unknown = unknown_extension(config.markdown_extensions)
        if unknown is not None:
            log.debug(
                "each page gets a new Markdown instance: extension %s may keep state from one "
                "page to the next",
                unknown,
            )
            return False
        log.debug("one Markdown instance converts every page")
        return True

    def _markdown(self, config: MkDocsConfig) -> markdown.Markdown:
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=config.markdown_extensions,
                extension_configs=config.mdx_configs or {},
            )
        else:
            self._md.reset()
        return self._md

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """What MkDocs' ``Page.render`` does, with this build's instance."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self._markdown(config)
        # MkDocs' own processors of one page, put in place of the last page's (same names).
        raw_html: Any = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors: Any = _ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative_paths: Any = _RelativePaths(page.file, files, config)
        relative_paths._register(md)
        title: Any = _ExtractTitleTreeprocessor()
        title._register(md)
        try:
            page.content = md.convert(page.markdown)
        except BaseException:
            self._md = None  # (whatever it was in the middle of stays with it)
            raise
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_paths.links_to_anchors


def _plain_relative(url: str) -> bool:
    """Whether ``urlsplit`` reads ``url`` as a relative path (and a fragment) alone."""
    return _PLAIN_RELATIVE.fullmatch(url) is not None


class _RelativePaths(_RelativePathTreeprocessor):
    """MkDocs' relative links, with its most common case taken at once.

    Most links on a vault's pages are relative paths to a page or file of the site, which MkDocs'
    ``path_to_url`` finds on its first try and says nothing of: it then returns the target's URL
    relative to the page (and records the anchor, if any). For such a link this gives that URL
    without ``urlsplit``, the generator of guesses and the ``PurePath`` round trip; every other
    link (absolute, with a query, to nothing, to an excluded file, an anchor alone) goes to
    MkDocs' own method, which warns as it always does.
    """

    def path_to_url(self, url: str) -> str:
        if not _plain_relative(url):
            return super().path_to_url(url)
        path, _, anchor = url.partition("#")
        target = _found_at_once(self.file, self.files, path)
        if target is None:
            return super().path_to_url(url)
        relative = get_relative_url(target.url, self.file.url)
        if anchor:
            self.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
            return f"{relative}#{anchor}"
        return relative


def link_url(page: File, files: Files, href: str) -> str | None:
    """The URL MkDocs gives ``href``, a relative link written on ``page`` to a file of the site,
    when it finds that file and says nothing of the link (what :class:`_RelativePaths` takes at
    once, without an anchor); else None."""
    if "#" in href or not _plain_relative(href):
        return None
    found = _found_at_once(page, files, href)
    return None if found is None else get_relative_url(found.url, page.url)


def _found_at_once(page: File, files: Files, path: str) -> File | None:
    """The file of the site that ``path``, a relative path written on ``page`` (percent-escaped,
    with no query or fragment), leads to, when MkDocs' ``path_to_url`` finds it on its first
    try and says nothing of the link (the file is not excluded); else None."""
    if "%" in path:  # (most escapes are spaces, which need no general decoder)
        spaced = path.replace("%20", " ")
        path = spaced if "%" not in spaced else unquote(path)
    # (MkDocs' `_target_uri`; normpath gives the key `get_file_from_path`'s PurePath would)
    found = files.src_uris.get(
        posixpath.normpath(posixpath.join(posixpath.dirname(page.src_uri), path).lstrip("/"))
    )
    if found is None or found.inclusion.is_excluded():  # type: ignore[no-untyped-call]
        return None
    return found
