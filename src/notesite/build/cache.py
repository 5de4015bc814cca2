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
(:meth:`BuildCache.hand_over`, a :class:`~notesite.build.phases.ConvertedPages`), puts the
page's search entries into the index, in the pages' order, as they were kept
(:meth:`BuildCache.output`, a :class:`~notesite.build.phases.RenderedPages`, and
:meth:`BuildCache.write_index`), and copies the page's kept HTML into place, in
a process of its own while the build goes on (:meth:`BuildCache.copy_ahead`; with ``--dirty``,
when MkDocs is to write the page: :meth:`BuildCache.written`): neither converted nor rendered,
nor decoded and encoded again, each such page is written exactly as the earlier build wrote it. The
site is the one a build without the cache writes, byte for byte (tested after every kind of
change).

Beside the pages, the cache keeps the public notes the build read (each with the hash of its
file's bytes, and the file's id: a note whose file has the same settled id is not read again,
and one whose bytes are the same is not parsed again), the generated pages and
data files (each with the digest of what it was made from: see
:meth:`Memo.recall <notesite.build.memo.Memo.recall>`), and what the build worked out of its
pages' hashes (a :class:`~notesite.build.cachekeys.KeyRecord`: the next build works out again
only the hashes an edit can have changed). Nothing of a private note is kept:
private notes have no page, and the hashes a page is filed under are one-way. A page whose
conversion showed what it found in the whole vault (an extension set
:attr:`~notesite.markdown.context.RenderContext.depends_on_vault`) is reused only while no note
of the vault changed.

A page is kept in one file: a small head (what converting it gave, its hash, the sizes and
checksums of the rest; in :mod:`marshal`'s format, which reads back fastest, and which the
cache's folder is named for along with Python's version), its search entries, then the page's
HTML exactly as it is written into the site, which a warm build copies into place from there
(reading the pages back and writing them through MkDocs took a warm build of 10,000 notes
seconds).
A kept page that cannot be read back whole (a truncated, altered or foreign file) is made again
as usual; files are written under a temporary name and renamed, so that a build that stops half
way, or two builds sharing the cache, never leave a partial file. A kept page's HTML is read
again when it is copied: should another build sharing the cache have dropped it meanwhile, this
build stops and says so rather than write a wrong page. A
build keeps only the pages it used, and at most :data:`MAX_BYTES` of them; the folders of the
last :data:`CONFIGURATIONS` configurations are kept (``mkdocs serve`` and ``mkdocs build`` make
different pages).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import pickle
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from notesite.build import cachefiles
from notesite.build import copier as copier_module
from notesite.build.cachefiles import MAGIC, PART, page_files, read_page
from notesite.build.cachekeys import KeyRecord
from notesite.build.copier import put
from notesite.build.farm import (
    PRERENDERED,
    material_search,
    search_entry,
    with_prerendered,
    write_search_index,
)
from notesite.build.memo import Made
from notesite.build.phases import render_with
from notesite.markdown.context import RenderContext
from notesite.paths import VaultPath
from notesite.problems import Level, Problem
from notesite.vault import FileId, Remembered

log = get_plugin_logger(__name__)

#: The cache's folder, beside ``mkdocs.yml``.
FOLDER = ".cache/notesite"
#: The file of the notes the last build read (public notes only), and what it starts with.
NOTES, NOTES_MAGIC = "notes", b"notesite-notes 3\n"
#: The file of what the last build's generated pages and data files were made from (as key
#: digests) and what they are (all published), and what it starts with: see :class:`Memo`.
MADE, MADE_MAGIC = "made", b"notesite-made 2\n"
#: The file of what the last build worked out of its pages' hashes (see
#: :class:`~notesite.build.cachekeys.KeyRecord`), and what it starts with.
KEYS, KEYS_MAGIC = "keys", b"notesite-keys 1\n"
#: What MkDocs logs of a page it does not write (its output is empty).
SKIPPED = "Page skipped: '"
#: The most a cache folder holds: pages past it are not kept.
MAX_BYTES = 2 * 1024**3
#: How many configurations' folders are kept.
CONFIGURATIONS = 2
#: The folder of the templates' compiled code (jinja's bytecode cache), in the cache's folder.
TEMPLATES = "templates"
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
    """A page the cache holds: what converting it gave, and where its search entries are."""

    head: dict[str, Any]
    path: str
    """Its file (head, search entries, HTML)."""
    entries: bytes
    """Its search entries (JSON), as read and checked when the build found the page."""
    html_at: int
    """Where the page's HTML starts in its file (it runs to the end)."""


def _last_line(said: bytes) -> str:
    """The last line a process of the cache's wrote to its standard error (why it failed)."""
    return "".join(said.decode("utf-8", errors="replace").strip().splitlines()[-1:])


def _problem(problem: Problem) -> dict[str, Any]:
    """A problem as the cache keeps it."""
    return {
        "path": problem.path,
        "line": problem.line,
        "message": problem.message,
        "kind": problem.kind,
        "level": int(problem.level),
    }


class _Compiled(jinja2.FileSystemBytecodeCache):
    """The templates' compiled code, kept: a file that cannot be read is compiled again."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # (jinja reads its pickled checksum unguarded)
            bucket.reset()


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
        self.embedded_notes: set[VaultPath] = set()
        """The notes embedded whole somewhere (their pages' HTML as converted is kept)."""
        self.stored = 0
        """How many pages this build added to the cache."""
        self._pending: dict[str, dict[str, Any]] = {}
        self._recorder = _Recorder()
        self._recording = False
        self._config: MkDocsConfig | None = None
        self._mark = 0
        self.kept_search: dict[str, bytes] = {}
        """The kept pages' search entries as kept (JSON), by page URL: under ``mkdocs serve``,
        the live preview writes the index after an edit from them and the entries of the pages
        it made."""
        self._sections: list[tuple[int, bytes]] = []
        """The kept pages' search entries as kept (JSON), each with where it goes among the
        entries of the pages made now."""
        self._bytes = 0
        self._copied: set[str] = set()
        """The kept pages whose HTML was copied into place (MkDocs wrote nothing for them)."""
        self._copier: subprocess.Popen[bytes] | None = None
        self._ahead: set[str] = set()
        """The kept pages the copier puts in place (see :meth:`copy_ahead`)."""
        self._notes: dict[VaultPath, tuple[str, bytes, FileId | None]] = {}
        """The notes read from the cache: each with the hash of its file's bytes, pickled, and
        its file's id (see :data:`~notesite.vault.Remembered`)."""
        self._storing: list[threading.Thread] = []
        """The threads writing the notes kept for the next build (see :meth:`keep_notes`)."""
        self._made_kept: bytes | None = None
        """What they were made from and are in this build, pickled (None: as read)."""
        self._made: Made = {}
        """What the generated pages were made from, and are, as read from the cache."""
        self._keys: KeyRecord | None = None
        """What the last build worked out of its pages' hashes, as read from the cache."""
        self._pid = os.getpid()
        """The build's own process: a worker forked from it keeps nothing (MkDocs keeps what
        the worker made, here)."""
        self._token = f"{self._pid}-{secrets.token_hex(4)}"
        """What this build's temporary files are named by (no other build's are)."""
        self._written = 0
        self._reader: subprocess.Popen[bytes] | None = None
        self._existed: bool | None = None
        """Whether the cache's folder was there when :meth:`read_ahead` looked."""
        self._read_into: IO[bytes] | None = None
        """Where :meth:`read_ahead`'s process writes what it read."""
        self._listed: list[str] | None = None
        """Every file of the pages' folders when the build started (None: not listed)."""

    # -- before the pages ------------------------------------------------------------------------

    def read_ahead(self) -> None:
        """Start reading the kept pages' files, in a process of its own (see
        :mod:`~notesite.build.cachefiles`), while this one reads the vault and builds its graph
        (which pages are kept is known only then: :meth:`plan`)."""
        self._existed = self.folder.is_dir()
        if not self._existed:
            return
        # (a file without a name: nothing is left behind, whatever happens to either process)
        into = tempfile.TemporaryFile(prefix="notesite-")  # noqa: SIM115 (see _read_ahead)
        try:
            self._reader = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-S",
                    cachefiles.__file__,
                    str(self.folder),
                    str(into.fileno()),
                ],
                stdin=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=(into.fileno(),),
            )
        except OSError as error:  # (the pages are then read one by one, when they are found)
            log.info("build cache: reading its pages ahead failed: %s", error)
            into.close()
            return
        self._read_into = into

    def _read_ahead(self) -> dict[str, _Kept | None] | None:
        """What :meth:`read_ahead` read, once it is done (None if it did not, or failed: the
        pages are then read one by one)."""
        reader, self._reader = self._reader, None
        into, self._read_into = self._read_into, None
        if reader is None or into is None:
            return None
        with into:
            said = reader.communicate()[1]
            if reader.returncode != 0:
                log.info("build cache: reading its pages ahead failed: %s", _last_line(said))
                return None
            into.seek(0)
            listed, found = marshal.loads(into.read())
        self._listed = listed
        return {
            key: None if read is None else _Kept(read[0], self._page_path(key), *read[1:])
            for key, read in found.items()
        }

    def notes(self) -> Remembered:
        """The notes an earlier build read, to read the vault with (see
        :func:`~notesite.vault.load_vault`): none when there are none or they cannot be read."""
        self._notes = {}
        unreadable = "the notes it holds cannot be read; every note is read"
        packed = self._load(NOTES, NOTES_MAGIC, unreadable)
        if packed is None:
            return {}
        try:
            remembered = {
                path: (digest, pickle.loads(blob), id_)
                for path, (digest, blob, id_) in packed.items()
            }
        except (ValueError, TypeError, AttributeError, EOFError, pickle.UnpicklingError):
            log.info("build cache: %s", unreadable)
            return {}
        self._notes = packed
        return remembered

    def made(self) -> Made:
        """What an earlier build's generated pages and data files were made from and are (see
        :meth:`Memo.recall <notesite.build.memo.Memo.recall>`): none when there is nothing
        kept, or it cannot be read."""
        self._made, self._made_kept = {}, None
        found = self._load(
            MADE, MADE_MAGIC, "the generated pages it holds cannot be read; they are made again"
        )
        if not isinstance(found, dict) or not all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], bytes) for v in found.values()
        ):
            return {}
        self._made = found
        return found

    def keep_made(self, made: Made) -> None:
        """What this build's generated pages and data files were made from and are, for the
        next build (written when the build ends, if any of it changed)."""
        earlier = {name: digest for name, (digest, _) in self._made.items()}
        if earlier != {name: digest for name, (digest, _) in made.items()}:
            self._made_kept = pickle.dumps(made, pickle.HIGHEST_PROTOCOL)

    def key_record(self) -> KeyRecord | None:
        """What the last build worked out of its pages' hashes (None when there is nothing
        kept, or it cannot be read)."""
        found = self._load(KEYS, KEYS_MAGIC, "its pages' hashes cannot be read; all are hashed")
        self._keys = found if isinstance(found, KeyRecord) else None
        return self._keys

    def keep_key_record(self, record: KeyRecord) -> None:
        """What this build worked out of its pages' hashes, for the next build (written
        meanwhile, if it changed)."""
        if record != self._keys:
            self._store_meanwhile(
                KEYS, KEYS_MAGIC, lambda: pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
            )

    def _load(self, name: str, magic: bytes, unreadable: str) -> Any:
        """The value pickled in the cache's file ``name`` (None when there is none, or when it
        cannot be read: then an INFO line says ``unreadable``)."""
        path = self.folder / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            data = b""
        at = len(magic)
        try:
            if not data.startswith(magic) or (
                zlib.crc32(memoryview(data)[at + 4 :]).to_bytes(4, "big") != data[at : at + 4]
            ):
                raise ValueError(path)
            return pickle.loads(memoryview(data)[at + 4 :])
        except (ValueError, TypeError, AttributeError, EOFError, pickle.UnpicklingError):
            log.info("build cache: %s", unreadable)
            return None

    def _store(self, name: str, magic: bytes, packed: bytes) -> None:
        """Keep ``packed`` in the cache's file ``name``, after ``magic`` and its checksum (what
        :meth:`_load` reads it with)."""
        self._write(self.folder / name, magic, zlib.crc32(packed).to_bytes(4, "big"), packed)

    def _store_meanwhile(self, name: str, magic: bytes, packed: Callable[[], bytes]) -> None:
        """Keep what ``packed`` gives in the cache's file ``name`` (see :meth:`_store`), in a
        thread, while the build goes on: it waits on the disk, mostly (writing the notes of
        10,000 notes, 52 MB, at the build's end took it 0.15 s). The build waits for it when it
        knows the pages it reuses (:meth:`plan`: before any worker is forked, as no thread may
        be running then), or when it fails; a file written whole is right whatever the build
        does next."""

        def store() -> None:
            try:
                self._store(name, magic, packed())
            except Exception as error:  # (a value that cannot be pickled: nothing kept)
                log.debug("build cache: %s not kept: %s", name, error)

        thread = threading.Thread(target=store, name=f"notesite-{name}", daemon=True)
        thread.start()
        self._storing.append(thread)

    def _stored(self) -> None:
        """Wait for the files :meth:`_store_meanwhile` writes."""
        for thread in self._storing:
            thread.join()
        self._storing = []

    def keep_notes(self, remembered: Remembered, public: set[VaultPath]) -> None:
        """What this build read of the ``public`` notes, for the next build: nothing of a
        private note is kept."""
        kept, changed, same = {}, False, 0
        for path in public:
            found = remembered.get(path)
            if found is None:  # (a note no reader remembers: read again next time)
                continue
            digest, loaded, id_ = found
            known = self._notes.get(path)
            if known is not None and known[0] == digest:
                same += 1
                if known[2] != id_:  # (the same bytes in a file written again)
                    known, changed = (digest, known[1], id_), True
                kept[path] = known
            else:
                kept[path] = (digest, pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL), id_)
                changed = True
        if changed or len(kept) != len(self._notes):
            self._store_meanwhile(
                NOTES, NOTES_MAGIC, lambda: pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)
            )
        if self._notes:
            log.info(
                "build cache: %d of %d public notes unchanged since it read them", same, len(public)
            )

    def plan(self, keys: dict[str, str], vault: str, embedded: set[VaultPath]) -> None:
        """Find the pages the cache holds, of this build's pages (each under its hash).

        ``embedded``: the notes embedded whole somewhere, whose pages' HTML as converted is kept
        too (it fills the embeds: see :mod:`notesite.markdown.embedded`)."""
        self.keys = {page: _hash(self.site, key) for page, key in keys.items()}
        self.vault = vault
        self.embedded_notes = embedded
        self.kept = {}
        self._stored()  # (workers may be forked from here on)
        # (the folder as the build found it: the notes it keeps may be in it by now)
        if not (self.folder.is_dir() if self._existed is None else self._existed):
            log.info("build cache: none yet for this configuration; every page is made")
            return
        unreadable = 0
        found = self._read_ahead()
        for page, key in self.keys.items():
            try:
                if found is None:
                    kept = self._read(key)
                elif key not in found:  # (not there when it was read ahead)
                    kept = None
                elif (kept := found[key]) is None:
                    raise ValueError(key)
            except ValueError:
                unreadable += 1
                continue
            if (
                kept is not None
                and kept.head.get("vault") in (None, vault)
                and (kept.head["embedded"] is not None or page not in embedded)
            ):
                self.kept[page] = kept
                self._bytes += len(kept.entries) + kept.head["html"]
        if unreadable:
            log.info("build cache: %d unreadable pages ignored; they are made again", unreadable)

    def _read(self, key: str) -> _Kept | None:
        """The page kept under ``key``, if there is one (ValueError when it cannot be read
        whole: its search entries and its HTML are checked here)."""
        path = self._page_path(key)
        found = read_page(path, key)
        return None if found is None else _Kept(found[0], path, *found[1:])

    def _page_path(self, key: str) -> str:
        """The file of the page kept under ``key`` (a string: paths made by the ten thousand)."""
        return f"{self.folder}/{key[:2]}/{key}"

    def start(self, config: MkDocsConfig) -> None:
        """MkDocs' config of the build."""
        self._config = config

    def copy_ahead(self, files: Files) -> None:
        """Start copying every kept page's HTML into place, in a process of its own, while this
        one builds the rest of the site (MkDocs writes nothing for those pages: see
        :meth:`written`). Only for a build into a site folder MkDocs has just emptied: it puts
        every page in place. The build waits for it at its end (:meth:`finish`)."""
        by_uri = files.src_uris
        given, ahead = [], set()
        for uri, kept in self.kept.items():
            file = by_uri.get(uri)
            if file is not None:
                given.append(os.fsencode(kept.path))
                given.append(str(kept.html_at).encode())
                given.append(os.fsencode(file.abs_dest_path))
                ahead.add(uri)
        if not given:
            return
        try:
            copier = subprocess.Popen(
                [sys.executable, "-I", "-S", copier_module.__file__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except OSError as error:
            log.debug("build cache: pages copied as they are written (%s)", error)
            return
        self._copier, self._ahead = copier, ahead
        assert copier.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # (it stopped: said when it is waited for)
            copier.stdin.write(b"\0".join(given))
        with contextlib.suppress(BrokenPipeError):
            copier.stdin.close()
        copier.stdin = None  # (given all: what it says is read when it ends)

    def wait_for_copies(self) -> None:
        """Wait for the pages :meth:`copy_ahead` puts in place; a kept file it did not find
        (another build sharing the cache dropped it meanwhile) stops the build."""
        copier, self._copier = self._copier, None
        if copier is None:
            return
        missing, said = copier.communicate()
        if copier.returncode != 0:
            raise PluginError(
                f"build cache: copying kept pages into the site failed: {_last_line(said)}"
            )
        if missing:
            raise self._changed(os.fsdecode(missing.split(b"\0")[0]))

    # -- converting a page (a ConvertedPages) ----------------------------------------------------

    def takes(self, page: Page) -> bool:
        return page.file.src_uri in self.kept

    def hand_over(self, page: Page) -> None:
        render_with(page, self._fill)

    def _fill(self, page: Page, config: MkDocsConfig, files: Files) -> None:
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
        by_uri = files.src_uris  # (the kept URIs are MkDocs' own)
        page.links_to_anchors = {
            file: links
            for uri, links in head["links"].items()
            if (file := by_uri.get(uri)) is not None
        }
        self.context.problems = [
            Problem(p["path"], p["line"], p["message"], p["kind"], Level(p["level"]))
            for p in head["problems"]
        ]
        self.context.depends_on_vault = head["vault"] is not None
        # Its template is the kept HTML, and the search plugin leaves it to output().
        page.meta = {**page.meta, "template": PRERENDERED, "search": {"exclude": True}}

    # -- what converting a page made, to keep ----------------------------------------------------

    def converting(self, page: Page) -> None:
        """A page's conversion starts: its log records are kept (not a kept page's: they are
        logged again from what was kept)."""
        if self.takes(page):
            return
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
            "problems": [_problem(p) for p in problems],
            "vault": self.vault if whole_vault else None,
            "embedded": page.content if uri in self.embedded_notes else None,
        }
        self._recorder.records = []

    def filled(self, uri: str, problems: list[Problem], whole_vault: bool) -> None:
        """A page's embeds of whole notes are filled: what that found is kept with the page,
        and whether a note it now shows showed the whole vault."""
        head = self._pending.get(uri)
        if head is None:
            return
        head["problems"] = [*head["problems"], *map(_problem, problems)]
        if whole_vault:
            head["vault"] = self.vault

    def embedded(self, uri: str) -> str | None:
        """The HTML of a kept page as converted (its embeds not filled), if it was kept."""
        kept = self.kept.get(uri)
        return None if kept is None else kept.head["embedded"]

    def shows_vault(self, uri: str) -> bool:
        """Whether a page's conversion (kept, or made in this build) showed what it found in
        the whole vault."""
        kept = self.kept.get(uri)
        head = kept.head if kept is not None else self._pending.get(uri)
        return head is not None and head["vault"] is not None

    # -- rendering a page's template (a RenderedPages) -------------------------------------------

    def templates(self, env: jinja2.Environment) -> None:
        """Every page is converted: the kept pages' template is empty (their HTML is copied into
        place as each is written: see :meth:`written`)."""
        if self.kept and env.loader is not None:
            env.loader = with_prerendered(env.loader)
            logging.getLogger("mkdocs.commands.build").addFilter(self._quiet)
        # The templates' compiled code, for the next build (jinja checks each against its
        # template's source, and writes it under a temporary name first).
        with contextlib.suppress(OSError):
            (self.folder / TEMPLATES).mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = _Compiled(str(self.folder / TEMPLATES))
        self._mark = len(self._entries() or ())

    def _entries(self) -> list[dict[str, Any]] | None:
        search = material_search(self._config) if self._config is not None else None
        return search.search_index.entries if search else None

    def output(self, page: Page) -> Markup:
        """Nothing: the page's search entries go into the index here (:meth:`write_index`), and
        its HTML is copied into place (:meth:`copy_ahead`, or when MkDocs would write it:
        :meth:`written`)."""
        kept = self.kept[page.file.src_uri]
        entries = self._entries()
        if entries is not None and kept.entries:
            self._sections.append((len(entries), kept.entries))
            self.kept_search[page.url] = kept.entries
        kept.entries = b""
        return Markup("")

    def write_index(self) -> None:
        """Write the search index as the search plugin writes it, with the kept pages' entries,
        as they were kept, where their pages are (none of them decoded and encoded again:
        that took a warm build of 10,000 notes most of a second). After the search plugin
        wrote its own, of the pages made now."""
        sections, self._sections = self._sections, []
        search = material_search(self._config) if self._config is not None else None
        if not sections or not search:
            return
        entries = search.search_index.entries
        docs: list[bytes] = []
        at = 0
        for where, kept in [*sections, (len(entries), b"")]:
            docs += [search_entry(entry) for entry in entries[at:where]]
            if kept:
                docs.append(kept)
            at = where
        assert self._config is not None
        write_search_index(search, self._config.site_dir, docs)

    def _changed(self, path: Path | str) -> PluginError:
        return PluginError(f"build cache: {path} changed while this build used it; build again")

    def written(self, page: Page, html: str) -> str:
        """A page's final HTML (after every ``post_page`` event), as MkDocs is to write it.

        A kept page's HTML is copied into place from the cache, and MkDocs writes nothing
        (its line saying so is not shown: see :meth:`_quiet`). A page made now is kept, with
        the search entries its template's events added."""
        if os.getpid() != self._pid:
            return html
        uri = page.file.src_uri
        kept = self.kept.get(uri)
        if kept is not None:  # (its search entries were added, and marked, by output())
            if uri not in self._ahead:
                try:
                    put(str(kept.path), kept.html_at, page.file.abs_dest_path)
                except FileNotFoundError:
                    raise self._changed(kept.path) from None
            self._copied.add(uri)
            return ""
        entries = self._entries() or []
        added, self._mark = entries[self._mark :], len(entries)
        head = self._pending.pop(uri, None)
        if head is None:
            return html
        key = self.keys[uri]
        listed = b",".join(map(search_entry, added))
        written = html.encode("utf-8", errors="xmlcharrefreplace")  # (as MkDocs writes it)
        if self._bytes + len(listed) + len(written) > MAX_BYTES or not html.strip():
            return html
        head = {**head, "key": key, "entries": len(listed), "crc": zlib.crc32(listed)}
        head |= {"html": len(written), "html_crc": zlib.crc32(written)}
        packed = marshal.dumps(head)
        self._write(
            Path(self._page_path(key)),
            MAGIC,
            len(packed).to_bytes(8, "big"),
            packed,
            listed,
            written,
        )
        self._bytes += len(listed) + len(written)
        self.stored += 1
        return html

    def _quiet(self, record: logging.LogRecord) -> bool:
        """Whether MkDocs' log shows a record: not its line about a page it did not write
        because the page's HTML was copied into place from the cache."""
        if record.levelno != logging.INFO or not self._copied:
            return True
        message = record.getMessage()
        if not message.startswith(SKIPPED):
            return True
        return message[len(SKIPPED) :].rsplit("'", 1)[0] not in self._copied

    def _write(self, path: Path, *data: bytes) -> bool:
        """Write a file whole or not at all (under a temporary name of this build's, then
        renamed): ``data``, one part after the other."""
        folder = str(path.parent)
        self._written += 1
        temporary = f"{folder}/{PART}{self._token}-{self._written}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        try:
            try:
                handle = os.open(temporary, flags, 0o600)
            except FileNotFoundError:  # (its folder is not there yet)
                os.makedirs(folder, exist_ok=True)
                handle = os.open(temporary, flags, 0o600)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.writelines(data)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as error:
            log.debug("build cache: %s not kept: %s", path, error)
            return False
        return True

    # -- the end of the build --------------------------------------------------------------------

    def close(self) -> None:
        """Stop keeping log records and copying pages (the build ended, or failed)."""
        if self._reader is not None:
            self._reader.kill()
            self._reader.communicate()
            self._reader = None
        if self._read_into is not None:
            self._read_into.close()
            self._read_into = None
        if self._copier is not None:
            self._copier.kill()
            self._copier.communicate()
            self._copier = None
        if self._recording:
            logging.getLogger("mkdocs").removeHandler(self._recorder)
            self._recording = False
        logging.getLogger("mkdocs.commands.build").removeFilter(self._quiet)
        self._stored()

    def _prune(self, wanted: set[str]) -> None:
        """Drop the pages' files this build did not use (and parts of files another build left
        an hour ago or more): of those the build found when it started, if it listed them
        (what it wrote since is wanted), else of those there now."""
        if not self.folder.is_dir():
            return
        listed, self._listed = self._listed, None
        if listed is None:
            listed = [entry.path for entry in page_files(str(self.folder))]
        stale = time.time() - 3600
        for path in listed:
            name = os.path.basename(path)
            try:
                if name.startswith(PART):
                    if os.stat(path).st_mtime < stale:  # (another build may be writing it)
                        os.unlink(path)
                elif name not in wanted:
                    os.unlink(path)
            except OSError:
                pass
        with contextlib.suppress(OSError):
            os.utime(self.folder)

    def finish(self) -> None:
        """Keep the notes this build read; drop the pages it did not use, and the folders of
        older configurations."""
        self.wait_for_copies()
        self.close()
        if self._made_kept is not None:
            self._store(MADE, MADE_MAGIC, self._made_kept)
        self._prune({*self.keys.values(), NOTES, MADE})
        others = (
            [d for d in self.root.iterdir() if d.is_dir() and d != self.folder]
            if self.root.is_dir()
            else []
        )
        others.sort(key=lambda d: d.stat().st_mtime, reverse=True)
        for old in others[CONFIGURATIONS - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
        self.kept, self._pending, self._copied, self._ahead = {}, {}, set(), set()
        self._notes, self._made, self._made_kept = {}, {}, None
