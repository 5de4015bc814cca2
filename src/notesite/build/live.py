"""The live preview: after a save, ``mkdocs serve`` re-renders only the pages the save changed.

MkDocs answers every change with a full build: every page of a 5,000-note vault is converted and
rendered again to show one edited sentence. notesite keeps what its last build made (MkDocs'
config, files, navigation and template environment; the notes and their link graph) and, when
notes or attachments changed, came or went, it

1. reads the changed and new notes and updates the link graph (:meth:`LinkGraph.updated`; a
   graph built anew when files came or went);
2. works out which pages show something that changed (:func:`affected_pages`): the changed notes,
   the notes whose links now resolve differently, the pages whose backlinks panel changed, the
   notes that embed a changed note (and those embedding them), and every generated page (tags,
   folders, home, notes not written yet) whose text changed; and every note holding a query
   (a Dataview block or inline query, a base), whose results any edit may change;
3. adds and removes the pages and attachments that came or went, renders the affected pages
   through MkDocs' own page build (the same plugin events, Markdown extensions and templates as
   a full build), writes the data files that changed (``graph.json``, ``explorer.json``,
   ``feed.xml``) and the sitemap, copies changed attachments, and puts the pages' new sections
   into the search index in place of their old ones.

The site is then the one a full build of the same vault writes (the tests compare both, file by
file). The log names the problems of the notes the save changed and of the pages it rendered
again; its closing line counts every problem of the site, as a full build's does.

Anything else gets the full build MkDocs would do: ``mkdocs.yml`` or the theme changing; a folder
gaining or losing its index page (every page below it shows the folder in its breadcrumbs); a
note that cannot be read any more; another plugin than search (its state may depend on every
page); ``--strict``.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

# MkDocs' own build steps (1.x): for each page, and for the theme's pages such as the sitemap.
from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from notesite.build.affected import affected_pages
from notesite.build.farm import material_search, search_entry, write_search_index
from notesite.build.page_files import page_file
from notesite.build.reading import find_vault, publish
from notesite.build.stamps import tree_stamps, watched_files
from notesite.build.state import SiteBuild, embed_targets
from notesite.build.tally import group_problems
from notesite.cite.bibliographies import bibliographies_changed
from notesite.graph import LinkGraph
from notesite.heap import collector_paused
from notesite.loader import Note
from notesite.paths import VaultPath
from notesite.problems import Problem
from notesite.site.explorer import folders_of
from notesite.site.feed import note_dates
from notesite.site.filepages import is_page_file
from notesite.site.graph_data import GRAPH_PAGE
from notesite.vault import Stamp, VaultFiles, load_vault

log = get_plugin_logger(__name__)

#: Plugins whose state a page-by-page rebuild keeps right: notesite's, and search's index, which
#: is patched here. (The offline plugin rewrites the search index after the build.)
LIVE_PLUGINS = frozenset({"notesite", "search", "material/search"})


def unsupported(config: MkDocsConfig) -> str | None:
    """Why no edit can be shown by re-rendering pages, or None when edits can."""
    if config.strict:
        return "--strict"
    if others := [name for name in config.plugins if name not in LIVE_PLUGINS]:
        return f"plugin {', '.join(others)} may depend on every page"
    if material_search(config) is False:
        return "the search plugin is not mkdocs-material's"
    return None


@dataclass
class Built:
    """What the last build made, for the next edit to start from."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    vault: VaultFiles
    """The vault's files as they were read."""
    others: dict[str, Stamp]
    """mkdocs.yml, the theme's custom folder and ``watch`` entries as they were read."""
    load_problems: dict[str, list[Problem]]
    """What reading each note found, by vault path."""
    generated: dict[VaultPath, str]
    """The text of each page notesite generated."""


def live_site(site: SiteBuild, config: MkDocsConfig) -> LiveSite | None:
    """What re-renders an edit, made from what the build that just ended left; None (said in
    the log) when every change takes a full build."""
    why = unsupported(config)
    files, nav, env, vault = site.files, site.nav, site.env, site.found
    if why is not None or files is None or nav is None or env is None or vault is None:
        log.info("every change rebuilds the whole site: %s", why)
        return None
    built = Built(
        config=config,
        files=files,
        nav=nav,
        env=env,
        vault=vault,
        others=site.others,
        load_problems=site.load_problems,
        generated=site.generated,
    )
    return LiveSite(site, built)


# -- the rebuild --------------------------------------------------------------------------------


class LiveSite:
    """Re-renders what an edit changed, for ``mkdocs serve``; see the module's docstring."""

    def __init__(self, site: SiteBuild, built: Built) -> None:
        self.site = site
        self.built = built
        search = material_search(built.config)
        self.sections = _sections(search.search_index.entries if search else [])
        """Each page's search entries (by URL) as JSON text: an edit writes the index again
        from these and its pages' new entries."""
        # The pages the build cache put in place: their entries as it kept them.
        self.sections.update(site.kept_search)
        site.kept_search = {}
        self._listing: tuple[Files, Sequence[File], list[str]] | None = None
        """The site's files, their pages and the pages' URLs, in order, when last listed."""

    def rebuild(self) -> bool:
        """Bring the served site up to date with the vault; False when it takes a full build."""
        started = time.perf_counter()
        with collector_paused():
            result = self._rebuild()
        if isinstance(result, str):
            log.info("building the whole site: %s", result)
            return False
        rendered, total, changed = result
        if changed:
            log.info(
                "Documentation updated in %.2f seconds: %s changed, %d of %d pages rendered",
                time.perf_counter() - started,
                ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if changed[3:] else ""),
                rendered,
                total,
            )
        return True

    def _rebuild(self) -> tuple[int, int, list[str]] | str:
        """``(pages rendered, pages, files changed)``, or why a full build is needed."""
        site, built = self.site, self.built
        config = built.config
        if tree_stamps(watched_files(config)) != built.others:
            return "mkdocs.yml or the theme changed"
        found = find_vault(built.vault.root, site.options, config)
        if found.problems != built.vault.problems:
            return "links out of the vault changed"
        then, known = built.vault.stamps, set(built.vault.notes)
        changed = [p for p in found.notes if p not in known or found.stamps.get(p) != then.get(p)]
        deleted = known - set(found.notes)
        media = [p for p in found.attachments if found.stamps.get(p) != then.get(p)]
        if any(map(is_page_file, [*media, *set(built.vault.attachments) - set(found.attachments)])):
            return "a file shown as a page (a .base file) changed"
        same_files = (found.notes, found.attachments) == (
            built.vault.notes,
            built.vault.attachments,
        )
        built.vault = found
        if not changed and not media and same_files:
            return 0, 0, []

        graph = site.context.graph
        assert graph is not None
        read, problems = load_vault(VaultFiles(found.root, tuple(changed), ()))
        if len(read) != len(changed):
            return "a note can no longer be read"
        notes = {n.path: n for n in publish(read, site.options)}
        fronts = ((graph.notes[n.path].meta if n.path in graph.notes else {}, n.meta) for n in read)
        if bibliographies_changed(site.context.citations, media, fronts):
            return "a bibliography, or a note's bibliography or citation style, changed"
        if same_files:
            after = graph.updated(notes)
        else:  # notes or attachments came or went: the graph of the vault as it now is
            kept = (notes.get(p) or graph.notes.get(p) for p in found.notes)
            after = graph.rebuilt([n for n in kept if n is not None], found.attachments)
        public = after.public_notes()
        before_pages = set(site.urls)
        # (What follows changes the build's state: a full build, if one follows, starts anew.)
        site.dates.update(
            note_dates(
                [n for n in notes.values() if n.published],
                found.root,
                site.git_dates,
                found.stamps,
            )
        )
        theme, tail = self._frame(graph)
        site.occupied = {
            p.casefold()
            for p in [
                *(f.src_uri for f in theme),
                *(n.path for n in public),
                *after.used_attachments,
            ]
        }
        old_ghosts = site.context.ghosts
        generated = site.generated_pages(config, after, public)
        pages_now = {n.path for n in public} | generated.keys()
        came, went = pages_now - before_pages, before_pages - pages_now - {GRAPH_PAGE}
        reshaped = (
            bool(came or went)
            or {n.path for n in public} != site.notes.keys()
            or generated.keys() != built.generated.keys()
            or after.used_attachments != graph.used_attachments
        )
        if came or went:
            folders = folders_of(before_pages | pages_now)
            if any(_folder_page(p, folders) for p in came | went):
                return "folder pages were added or removed"

        # From here on the edit is taken in.
        for path in deleted:
            built.load_problems.pop(path, None)
        found_now = group_problems(problems, changed)
        for path in changed:
            built.load_problems[path] = found_now.get(path, [])
        site.context.graph = after
        site.notes = {n.path: n for n in public}
        # A link to a note not written yet leads to that note's page only while it has one.
        ghosts = site.context.ghosts
        moved = {k for k in old_ghosts.keys() | ghosts.keys() if old_ghosts.get(k) != ghosts.get(k)}
        linking = {
            path
            for path, refs in after.unresolved.items()
            if any(r.link.target.strip().casefold() in moved for r in refs)
        }
        pages: set[str] = set(
            affected_pages(graph, after, notes, shown=site.backlinks_shown, also=linking)
        )
        site.context.stamps = found.stamps  # (a note's size, for queries)
        pages |= site.file_pages.keys()  # (a base's results may change with any note)
        # A note embedded whole for the first time is converted again: its page's HTML fills
        # the embeds (the build kept that of the notes embedded then).
        site.embed_targets = embed_targets(after)
        pages |= {p for p in site.embed_targets if p not in site.embedded and p in site.notes}
        gone = self._repage(theme, tail, public, after, generated) if reshaped else set()
        files = built.files
        for note in public:
            if note.path in pages and (file := files.get_file_from_path(note.path)):
                file.content_string = note.body
        for path, text in generated.items():
            if text != built.generated.get(path):
                file = files.get_file_from_path(path)
                if file is not None:
                    file.content_string = text
                    pages.add(path)
        built.generated = generated
        for path, text in site.data_files(config, after, public).items():
            file = files.get_file_from_path(path)
            if file is not None and file.content_string != text:
                file.content_string = text
                file.copy_file()
        for path in media:
            file = files.get_file_from_path(path)
            if file is not None:
                file.copy_file()

        # What the save brought up is said; the rest (said by the last build) only counted.
        site.tally.clear()
        told = {*changed, *pages}
        for problem in [
            *found.problems,
            *(p for path in found.notes for p in built.load_problems.get(path, ())),
            *after.problems,
        ]:
            site.report([problem], say=problem.path in told)
        rendered = self._render(pages, gone)
        if reshaped:  # the sitemap lists every page
            for template in config.theme.static_templates:
                _build_theme_template(template, built.env, files, config, built.nav)
        site.summarize()
        return rendered, len(site.urls), [*changed, *sorted(deleted), *media]

    def _frame(self, graph: LinkGraph) -> tuple[list[File], list[File]]:
        """The files before the vault's (the theme's) and after notesite's pages (data files)."""
        listed = list(self.built.files)
        ours = {n.path for n in graph.public_notes()} | graph.used_attachments
        ours |= self.built.generated.keys()
        at = [i for i, f in enumerate(listed) if f.src_uri in ours]
        if not at:
            return listed, []
        return listed[: at[0]], listed[at[-1] + 1 :]

    def _repage(
        self,
        theme: list[File],
        tail: list[File],
        public: list[Note],
        graph: LinkGraph,
        generated: dict[VaultPath, str],
    ) -> set[str]:
        """The site's files after pages or attachments came or went, in the order a build lists
        them; the URLs of the pages gone."""
        built, site = self.built, self.site
        config, root = built.config, built.vault.root
        had = {f.src_uri: f for f in built.files}
        wanted: list[File] = []
        new: list[File] = []

        def get(path: str, content: str | None = None) -> None:
            """The file the site had at ``path``, else a new one (of this text, else the
            vault's file)."""
            file = had.pop(path, None)
            if file is None:
                if content is None:
                    file = File.generated(config, path, abs_src_path=str(root / path))
                else:
                    file = page_file(config, path, content)
                new.append(file)
            wanted.append(file)

        for note in public:
            get(note.path, note.body)
        for path in sorted(graph.used_attachments):
            if path not in site.context.file_pages:  # (a .base file: its page only)
                get(path)
        for page_path, page_note in site.file_pages.items():  # (.base files' pages)
            get(page_path, page_note.body)
        for path, text in generated.items():
            get(path, text)
        for file in [*theme, *tail]:
            had.pop(file.src_uri, None)
        set_exclusions(new, config)
        for file in new:
            if file.is_documentation_page():
                Page(None, file, config)
            else:
                file.copy_file()
        gone = set()
        for file in had.values():  # what is no longer part of the site
            if file.page is not None:
                gone.add(file.url)
            _remove_output(file.abs_dest_path, config.site_dir)
        built.files = site.files = Files([*theme, *wanted, *tail])
        site.urls = {f.src_uri: f.url for f in built.files if f.is_documentation_page()}
        site.taken = {p.casefold() for p in site.urls}
        return gone

    def _render(self, paths: set[str], gone: set[str]) -> int:
        """Render these pages again as a build does, and put them into the search index."""
        built, site = self.built, self.site
        config, files = built.config, built.files
        if self._listing is None or self._listing[0] is not files:
            # The site's pages, and their URLs in order: the same until pages come or go (the
            # site's files are then a new list).
            listed = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            self._listing = (files, listed, [f.page.url for f in listed if f.page])
        _, doc_files, order = self._listing
        chosen = [f for f in doc_files if f.src_uri in paths and f.page is not None]
        search = material_search(config)
        old_index = None
        if search:
            old_index = search.search_index
            search.search_index = type(old_index)(**old_index.config)
            site.search.install(config)  # (its pages read as a build reads them)
        for file in doc_files:  # the other pages' problems are counted again
            if file.src_uri in paths and file.page is not None:
                _populate_page(file.page, config, files)
            else:
                site.report(site.page_problems.get(file.src_uri, []), say=False)
        site.fill_embeds()
        for file in chosen:
            assert file.page is not None
            excluded = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
            _build_page(file.page, config, doc_files, built.nav, built.env, excluded=excluded)
        for file in chosen:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if search:
            self._index(search, {f.page.url for f in chosen if f.page} | gone, order)
            search.search_index = old_index
        return len(chosen)

    def _index(self, search: Any, urls: set[str], order: list[str]) -> None:
        """Write the search index with the sections of the pages at ``urls`` in their new form,
        in the pages' order (``order``: their URLs), as a build writes it."""
        sections = self.sections
        for url in urls:
            sections.pop(url, None)
        sections.update(_sections(search.search_index.entries))
        listed = set(order)
        docs = [sections[url] for url in order if url in sections]
        docs += [text for url, text in sections.items() if url not in listed]
        write_search_index(search, self.built.config.site_dir, docs)


def _folder_page(path: str, folders: set[str]) -> bool:
    """Whether a page is a folder's own (``Folder/index.md``, ``Folder/README.md``, or the
    folder note ``Folder.md``): the breadcrumbs of every page below the folder lead to it."""
    name = posixpath.basename(path).casefold()
    return name in ("index.md", "readme.md") or posixpath.splitext(path)[0] in folders


def _remove_output(path: str, site_dir: str) -> None:
    """Delete a page's file, and the folders that held only it."""
    with contextlib.suppress(OSError):
        os.remove(path)
    folder = os.path.dirname(path)
    while os.path.abspath(folder) != os.path.abspath(site_dir):
        try:
            os.rmdir(folder)  # only when empty
        except OSError:
            break
        folder = os.path.dirname(folder)


def _sections(entries: Iterable[dict[str, Any]]) -> dict[str, bytes]:
    """The search entries of each page (by URL), as the JSON text of the index's list (UTF-8:
    the index is written as it is, without encoding every page's text again)."""
    grouped: dict[str, list[bytes]] = {}
    for entry in entries:
        grouped.setdefault(entry["location"].split("#", 1)[0], []).append(search_entry(entry))
    return {url: b",".join(texts) for url, texts in grouped.items()}
