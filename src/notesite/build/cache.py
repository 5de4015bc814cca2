"""The build cache: each page a build made, kept on disk for the next build to reuse.

A build keeps every page it converted and rendered in ``.cache/notesite/`` beside
``mkdocs.yml``: the page's final HTML, its search entries, and what converting it gave MkDocs
(title, anchors, links to other pages' anchors, log records, problems). Each page is filed under
one hash of everything it is made from (:class:`~notesite.build.affected.PageInputs` for a
note's page, the text of a generated page), inside a folder named by the hash of everything
besides the vault (:func:`~notesite.build.sitekey.site_key`: notesite's code and templates,
MkDocs' and the theme's versions, ``mkdocs.yml``, the theme's custom folder).

A later build, in a new process, reads the vault and builds its graph as usual, works out each
page's hash, and for every page whose hash it finds here hands MkDocs the kept conversion
(:meth:`BuildCache.hand_over`, a :class:`~notesite.build.phases.ConvertedPages`) and then the
kept HTML (:meth:`BuildCache.output`, a :class:`~notesite.build.phases.RenderedPages`), adding
the page's search entries to the index in place, in the pages' order: neither converted nor
rendered, each such page is written exactly as the earlier build wrote it. The site is the one
a build without the cache writes, byte for byte (tested after every kind of change).

Nothing of a private note is kept: private notes have no page, and the hashes a page is filed
under are one-way. A page whose conversion showed what it found in the whole vault (an
extension set :attr:`~notesite.markdown.context.RenderContext.depends_on_vault`) is reused only
while no note of the vault changed.

A page's file holds a small compressed head (what converting it gave, its hash, the size and
checksum of the rest), then its search entries and its HTML as they are written, uncompressed:
a warm build reads them back as fast as the disk gives them (decompressing them cost a warm
build of 10,000 notes more than a second), and the site they make is about their size anyway.
A kept page that cannot be read back whole (a truncated, altered or foreign file) is made again
as usual; files are written under a temporary name and renamed, so that a build that stops half
way, or two builds sharing the cache, never leave a partial file. A page's HTML is read again
when the page is written (and checked again): should another build sharing the cache have
dropped or changed it meanwhile, this build stops and says so rather than write a wrong page. A
build keeps only the pages it used, and at most :data:`MAX_BYTES` of them; the folders of the
last :data:`CONFIGURATIONS` configurations are kept (``mkdocs serve`` and ``mkdocs build`` make
different pages).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from notesite.build.farm import PRERENDERED, material_search
from notesite.markdown.context import RenderContext
from notesite.problems import Level, Problem

log = get_plugin_logger(__name__)

#: The cache's folder, beside ``mkdocs.yml``.
FOLDER = ".cache/notesite"
#: What a page's file starts with (a file without it is not one of this cache's).
MAGIC = b"notesite-page 2\n"
#: The most a cache folder holds: pages past it are not kept.
MAX_BYTES = 2 * 1024**3
#: How many configurations' folders are kept.
CONFIGURATIONS = 2
#: Set to ``off`` (or ``0``, ``false``, ``no``) to build without the cache.
ENVIRONMENT = "NOTESITE_CACHE"


def cache_enabled(option: bool) -> bool:
    """Whether builds use the cache: the ``cache`` option, unless :data:`ENVIRONMENT` says off."""
    return option and os.environ.get(ENVIRONMENT, "").strip().lower() not in (
        "off",
        "0",
        "false",
        "no",
    )


def _hash(*parts: str) -> str:
    return hashlib.blake2b(
        "\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20
    ).hexdigest()


@dataclass
class _Kept:
    """A page the cache holds: what converting it gave, and where its HTML is in its file."""

    head: dict[str, Any]
    path: Path
    at: int
    """Where the page's search entries start in its file (its HTML follows them)."""


class _Recorder(logging.Handler):
    """Keeps the records MkDocs' loggers emit while a page is converted."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(
            {"name": record.name, "levelno": record.levelno, "msg": record.getMessage()}
        )


class BuildCache:
    """The cache of one build (see the module's docstring)."""

    def __init__(self, root: Path, site: str, context: RenderContext) -> None:
        self.root = root
        self.site = site
        self.folder = root / site
        self.context = context
        self.keys: dict[str, str] = {}
        """Page (vault path) -> the hash it is filed under, for every page this build makes."""
        self.vault = ""
        """A hash of every note of the vault (pages that showed the whole vault are kept with it)."""
        self.kept: dict[str, _Kept] = {}
        """The pages this build takes from the cache."""
        self.stored = 0
        """How many pages this build added to the cache."""
        self._pending: dict[str, dict[str, Any]] = {}
        self._recorder = _Recorder()
        self._recording = False
        self._config: MkDocsConfig | None = None
        self._mark = 0
        self._bytes = 0
        self._pid = os.getpid()
        """The build's own process: a worker forked from it keeps nothing (MkDocs keeps what
        the worker made, here)."""

    # -- before the pages ------------------------------------------------------------------------

    def plan(self, keys: dict[str, str], vault: str) -> None:
        """Find the pages the cache holds, of this build's pages (each under its hash)."""
        self.keys = {page: _hash(self.site, key) for page, key in keys.items()}
        self.vault = vault
        self.kept = {}
        if not self.folder.is_dir():
            log.info("build cache: none yet for this configuration; every page is made")
            return
        unreadable = 0
        for page, key in self.keys.items():
            try:
                kept = self._read(key)
            except ValueError:
                unreadable += 1
                continue
            if kept is not None and kept.head.get("vault") in (None, vault):
                self.kept[page] = kept
                self._bytes += kept.path.stat().st_size
        if unreadable:
            log.info("build cache: %d unreadable pages ignored; they are made again", unreadable)

    def _read(self, key: str) -> _Kept | None:
        """The page kept under ``key``, if there is one (ValueError when it cannot be read
        whole: its body is checked here, and again when it is used)."""
        path = self.folder / key[:2] / key
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise ValueError(key) from error
        head, at = self._unpack(key, data)
        return _Kept(head, path, at)

    @staticmethod
    def _unpack(key: str, data: bytes) -> tuple[dict[str, Any], int]:
        """A page file's head, and where its body starts (ValueError: not this page whole)."""
        try:
            if not data.startswith(MAGIC):
                raise ValueError(key)
            at = len(MAGIC)
            size = int.from_bytes(data[at : at + 8], "big")
            head = json.loads(zlib.decompress(data[at + 8 : at + 8 + size]))
            at += 8 + size
            body = memoryview(data)[at:]
            if head["key"] != key or len(body) != head["size"] or zlib.crc32(body) != head["crc"]:
                raise ValueError(key)
        except (KeyError, TypeError, zlib.error) as error:
            raise ValueError(key) from error
        return head, at

    def start(self, config: MkDocsConfig) -> None:
        """MkDocs' config of the build."""
        self._config = config

    # -- converting a page (a ConvertedPages) ----------------------------------------------------

    def takes(self, page: Page) -> bool:
        return page.file.src_uri in self.kept

    def hand_over(self, page: Page) -> None:
        page.__dict__["render"] = partial(self._fill, page)

    def _fill(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        del page.__dict__["render"]
        head = self.kept[page.file.src_uri].head
        for record in head["records"]:
            logger = logging.getLogger(record["name"])
            logger.handle(
                logging.makeLogRecord(
                    {**record, "levelname": logging.getLevelName(record["levelno"])}
                )
            )
        page.content = ""
        page._title_from_render = head["title"]
        page.present_anchor_ids = set(head["anchors"])
        page.links_to_anchors = {
            file: links
            for uri, links in head["links"].items()
            if (file := files.get_file_from_path(uri)) is not None
        }
        self.context.problems = [
            Problem(p["path"], p["line"], p["message"], p["kind"], Level(p["level"]))
            for p in head["problems"]
        ]
        self.context.depends_on_vault = head["vault"] is not None
        # Its template is the kept HTML, and the search plugin leaves it to output().
        page.meta = {**page.meta, "template": PRERENDERED, "search": {"exclude": True}}

    # -- what converting a page made, to keep ----------------------------------------------------

    def converting(self) -> None:
        """A page's conversion starts: its log records are kept."""
        self._recorder.records = []
        if not self._recording:
            logging.getLogger("mkdocs").addHandler(self._recorder)
            self._recording = True

    def converted(self, page: Page, problems: list[Problem], whole_vault: bool) -> None:
        """A page is converted: what MkDocs and notesite took from it, until it is written."""
        if self._recording:
            logging.getLogger("mkdocs").removeHandler(self._recorder)
            self._recording = False
        uri = page.file.src_uri
        if uri in self.kept or uri not in self.keys:
            return
        links = page.links_to_anchors or {}
        self._pending[uri] = {
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {file.src_uri: anchors for file, anchors in links.items()},
            "records": self._recorder.records,
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "message": p.message,
                    "kind": p.kind,
                    "level": int(p.level),
                }
                for p in problems
            ],
            "vault": self.vault if whole_vault else None,
        }
        self._recorder.records = []

    # -- rendering a page's template (a RenderedPages) -------------------------------------------

    def templates(self, env: jinja2.Environment) -> None:
        """Every page is converted: the kept pages' template is their HTML."""
        if self.kept and env.loader is not None:
            prerendered = jinja2.DictLoader({PRERENDERED: "{{ notesite_output }}"})
            env.loader = jinja2.ChoiceLoader([prerendered, env.loader])
        self._mark = len(self._entries() or ())

    def _entries(self) -> list[dict[str, Any]] | None:
        search = material_search(self._config) if self._config is not None else None
        return search.search_index.entries if search else None

    def output(self, page: Page) -> Markup:
        kept = self.kept[page.file.src_uri]
        try:
            data = kept.path.read_bytes()
            head, at = self._unpack(kept.head["key"], data)
        except (OSError, ValueError):
            raise PluginError(
                f"build cache: {kept.path} changed while this build used it; build again"
            ) from None
        entries_end = at + head["entries"]
        entries = self._entries()
        if entries is not None:
            entries.extend(json.loads(data[at:entries_end]))
        return Markup(data[entries_end:].decode("utf-8", "surrogatepass"))

    def written(self, page: Page, html: str) -> None:
        """A page's final HTML (after every ``post_page`` event): kept, with the search entries
        its template's events added."""
        if os.getpid() != self._pid:
            return
        entries = self._entries() or []
        added, self._mark = entries[self._mark :], len(entries)
        head = self._pending.pop(page.file.src_uri, None)
        if head is None:
            return
        key = self.keys[page.file.src_uri]
        listed = json.dumps(added).encode()
        body = listed + html.encode("utf-8", "surrogatepass")
        if self._bytes + len(body) > MAX_BYTES:
            return
        head = {**head, "key": key, "entries": len(listed), "size": len(body)}
        head["crc"] = zlib.crc32(body)
        packed = zlib.compress(json.dumps(head).encode(), 1)
        self._write(
            self.folder / key[:2] / key, MAGIC + len(packed).to_bytes(8, "big") + packed + body
        )
        self._bytes += len(body)
        self.stored += 1

    def _write(self, path: Path, data: bytes) -> None:
        """Write a file whole or not at all (under a temporary name, then renamed)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except OSError as error:
            log.debug("build cache: %s not kept: %s", path, error)

    # -- the end of the build --------------------------------------------------------------------

    def close(self) -> None:
        """Stop keeping log records (the build ended, or failed)."""
        if self._recording:
            logging.getLogger("mkdocs").removeHandler(self._recorder)
            self._recording = False

    def finish(self) -> None:
        """Drop the pages this build did not use, and the folders of older configurations."""
        self.close()
        wanted = set(self.keys.values())
        stale = time.time() - 3600
        if self.folder.is_dir():
            for sub in self.folder.iterdir():
                if not sub.is_dir():
                    continue
                for file in sub.iterdir():
                    try:
                        if file.name.startswith(".part-"):
                            if file.stat().st_mtime < stale:  # (another build may be writing it)
                                file.unlink()
                        elif file.name not in wanted:
                            file.unlink()
                    except OSError:
                        pass
            with contextlib.suppress(OSError):
                os.utime(self.folder)
        others = (
            [d for d in self.root.iterdir() if d.is_dir() and d != self.folder]
            if self.root.is_dir()
            else []
        )
        others.sort(key=lambda d: d.stat().st_mtime, reverse=True)
        for old in others[CONFIGURATIONS - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
        self.kept, self._pending = {}, {}
