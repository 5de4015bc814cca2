"""The link graph: every wikilink of the vault resolved the way Obsidian resolves it.

Resolution of ``[[target]]`` written in ``source``, case-insensitively:

1. ``./x`` and ``../x`` are paths relative to the source's folder, and nothing else;
   a path leaving the vault resolves to nothing.
2. An exact vault path wins: ``[[Note]]`` is ``Note.md`` at the root, ``[[b/Note]]`` is
   ``b/Note.md``, ``[[paper.pdf]]`` is ``paper.pdf`` at the root.
3. Otherwise every file whose name (or, for a target with ``/``, whose path's end) matches is a
   candidate: one in the source's own folder wins, else the shortest path, then the first in
   alphabetical order, and the link is reported as ambiguous.
4. Otherwise the notes whose front matter ``aliases`` hold the target, chosen the same way.

Headings resolve to the id the page's table of contents gives them; ``#^id`` to the block id.
The graph is built before any page is rendered (and, under ``mkdocs serve``, updated after a save:
:meth:`LinkGraph.updated`), and is pure Python: no MkDocs.
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique

from notesite.cite.literature import declared_key, literature_notes
from notesite.heap import collector_paused
from notesite.loader import LinkRef, Note
from notesite.paths import VaultPath, folder, link_name, stem
from notesite.problems import Level, Problem
from notesite.syntax.blocks import heading_key
from notesite.syntax.wikilinks import WikiLink

Slugify = Callable[[str, str], str]
#: How many passages of one note a backlink quotes (a note may link to another 10,000 times).
MAX_CONTEXTS = 5
Status = Literal["ok", "unresolved", "private"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a wikilink leads."""

    status: Status
    path: VaultPath | None = None
    kind: Literal["note", "attachment"] = "note"
    anchor: str | None = None
    """The id of the linked heading or block on the target page."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


UNRESOLVED = Resolution("unresolved")


@dataclass(frozen=True, slots=True)
class Backlink:
    """A note that links to another one, with each of its links there."""

    source: VaultPath
    refs: tuple[LinkRef, ...]

    @property
    def contexts(self) -> tuple[str, ...]:
        """The text around the links, each passage once, at most :data:`MAX_CONTEXTS`."""
        seen: dict[str, None] = {}  # a dict: ordered, and no repeats
        for ref in self.refs:
            if len(seen) == MAX_CONTEXTS:
                break
            context = ref.context
            if context:
                seen.setdefault(context)
        return tuple(seen)

    @property
    def quotes(self) -> tuple[str, ...]:
        """The passages around the links as Markdown, each once, at most :data:`MAX_CONTEXTS`."""
        seen: dict[str, None] = {}
        for ref in self.refs:
            if len(seen) == MAX_CONTEXTS:
                break
            if passage := ref.quote:
                seen.setdefault(passage)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class _Match:
    path: VaultPath
    kind: Literal["note", "attachment"]
    plain: Resolution
    """Where a link to the file without a heading or block leads (one object for all of them:
    a Resolution is immutable); for a private note, nowhere."""


#: What :meth:`LinkGraph._candidates_for` gives for a path relative to the linking note.
_RELATIVE = "relative"


#: File endings that make a link target a file, not a note (``paper.pdf``, ``pic.png``).
_FILE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def looks_like_file(target: str) -> bool:
    """A target such as ``pic.png`` names a file; ``Note.md`` and ``v1.2 notes`` do not."""
    name = target.rsplit("/", 1)[-1]
    return (
        bool(_FILE_SUFFIX.search(name)) and not name.casefold().endswith(".md") and " " not in name
    )


def _key(path: str) -> str:
    return path.casefold()


def _note_key(path: str) -> str:
    key = _key(path)
    return key[:-3] if key.endswith(".md") else key


class LinkGraph:
    """All notes and attachments of a vault, the links between them and the links into nothing."""

    def __init__(
        self,
        notes: Iterable[Note],
        attachments: Iterable[VaultPath] = (),
        *,
        slugify: Slugify = toc_slugify,
        separator: str = "-",
        unresolved_level: Level = Level.INFO,
        site_bibliography: bool = False,
    ) -> None:
        self.notes: dict[VaultPath, Note] = {n.path: n for n in notes}
        self.site_bibliography = site_bibliography
        """Whether every note's citations are read (a site-wide bibliography), or only those
        of notes whose front matter names a ``bibliography``."""
        self._literature: dict[str, VaultPath] | None = None
        self.attachments: frozenset[VaultPath] = frozenset(attachments)
        self._slugify = slugify
        self._separator = separator
        self._unresolved_level = unresolved_level
        self._by_path: dict[str, _Match] = {}
        self._by_name: dict[str, list[_Match]] = defaultdict(list)
        self._by_alias: dict[str, list[_Match]] = defaultdict(list)
        self._candidates: dict[str, _Match | tuple[_Match, ...] | str] = {}
        self._chosen: dict[tuple[str, str], tuple[_Match | None, tuple[VaultPath, ...]]] = {}
        self._anchors: dict[VaultPath, list[tuple[str, int, str]]] = {}
        self.outgoing: dict[VaultPath, list[tuple[LinkRef, Resolution]]] = {}
        self.backlinks: dict[VaultPath, list[Backlink]] = {}
        self.unresolved: dict[VaultPath, list[LinkRef]] = {}
        self.used_attachments: set[VaultPath] = set()
        """Attachments that a public note links to or embeds: the ones the site needs."""
        self._problems: dict[VaultPath, list[Problem]] = {}
        self._resolved: int | None = None
        self._targets: dict[VaultPath, tuple[VaultPath, ...]] = {}
        self._slugs: dict[str, str] = {}
        with collector_paused():
            self._index()
            self._build()

    @property
    def resolved_links(self) -> int:
        """How many links of public notes lead somewhere."""
        if self._resolved is None:
            self._resolved = sum(self._resolved_from(path) for path in self.outgoing)
        return self._resolved

    def note_targets(self, path: VaultPath) -> tuple[VaultPath, ...]:
        """The other notes a public note links to, each once, in the order first linked."""
        found = self._targets.get(path)
        if found is None:
            seen: dict[VaultPath, None] = {}
            for _, r in self.outgoing.get(path, ()):
                if r.ok and r.kind == "note" and r.path is not None and r.path != path:
                    seen.setdefault(r.path)
            found = self._targets[path] = tuple(seen)
        return found

    def _resolved_from(self, path: VaultPath) -> int:
        return sum(1 for _, r in self.outgoing.get(path, ()) if r.ok)

    @property
    def problems(self) -> list[Problem]:
        """What resolving the links found, note by note in the vault's order."""
        return [p for path in self.notes for p in self._problems.get(path, ())]

    # -- indexes -------------------------------------------------------------------------------

    def _index(self) -> None:
        for path in sorted(self.attachments):
            match = _Match(path, "attachment", Resolution("ok", path, "attachment"))
            self._by_path[_key(path)] = match
            self._by_name[_key(posixpath.basename(path))].append(match)
        for path in sorted(self.notes):
            status: Status = "ok" if self.notes[path].published else "private"
            match = _Match(path, "note", Resolution(status, path))
            self._by_path[_note_key(path)] = match
            self._by_name[_key(link_name(path))].append(match)
            for alias in self.notes[path].aliases:
                self._by_alias[_key(alias)].append(match)

    # -- resolution ----------------------------------------------------------------------------

    def _find(self, target: str, where: str) -> tuple[_Match | None, tuple[VaultPath, ...]]:
        """The file a link target names, and the other candidates when it was ambiguous."""
        candidates = self._candidates.get(target)
        if candidates is None:
            candidates = self._candidates[target] = self._candidates_for(target)
        if isinstance(candidates, _Match):
            return candidates, ()
        if isinstance(candidates, str):  # _RELATIVE
            return self._relative(target, where), ()
        if not candidates:
            return None, ()
        # Several files share the name: the choice depends on the linking note's folder.
        key = (target, where)
        chosen = self._chosen.get(key)
        if chosen is None:
            chosen = self._chosen[key] = self._choose(candidates, where)
        return chosen

    def _candidates_for(self, target: str) -> _Match | tuple[_Match, ...] | str:
        """What a target can name wherever it is written: one file, or the files to choose from
        (:data:`_RELATIVE` for a ``./`` or ``../`` path, which depends on the linking note)."""
        target = target.replace("\\", "/").strip()
        if target.startswith(("./", "../")):
            return _RELATIVE
        target = target.lstrip("/")
        key = _note_key(target)
        exact = self._by_path.get(key) or self._by_path.get(_key(target))
        if exact:
            return exact
        if "/" in key:
            suffix = "/" + key
            candidates = [m for k, m in self._by_path.items() if k.endswith(suffix)]
        else:
            candidates = self._by_name.get(key, []) or self._by_name.get(_key(target), [])
        if not candidates and "/" not in key:
            candidates = self._by_alias.get(_key(target), [])
        unique_candidates = tuple({m.path: m for m in candidates}.values())
        return unique_candidates[0] if len(unique_candidates) == 1 else unique_candidates

    def _relative(self, target: str, where: str) -> _Match | None:
        joined = posixpath.normpath(posixpath.join(where, target.replace("\\", "/").strip()))
        if joined == ".." or joined.startswith("../"):
            return None
        return self._by_path.get(_note_key(joined)) or self._by_path.get(_key(joined))

    @staticmethod
    def _choose(
        candidates: tuple[_Match, ...], where: str
    ) -> tuple[_Match | None, tuple[VaultPath, ...]]:
        beside = [m for m in candidates if folder(m.path) == where]
        if len(beside) == 1:
            return beside[0], ()
        ranked = sorted(beside or candidates, key=lambda m: (len(m.path), m.path))
        return ranked[0], tuple(m.path for m in ranked)

    def resolve(self, link: WikiLink, source: VaultPath) -> Resolution:
        """Resolve one link written in ``source`` (problems are not recorded; see :meth:`_build`)."""
        return self._resolve(link, source, folder(source), None)

    def _resolve(
        self, link: WikiLink, source: VaultPath, where: str, ref: LinkRef | None
    ) -> Resolution:
        if not link.target:
            here: Status = "ok" if self.notes[source].published else "private"
            match: _Match | None = _Match(source, "note", Resolution(here, source))
            candidates: tuple[VaultPath, ...] = ()
        else:
            match, candidates = self._find(link.target, where)
        if match is None:
            if ref is not None and looks_like_file(link.target):
                # A missing image or PDF is a mistake, not a note still to be written.
                message = f"links to '{link}', but there is no file '{link.target}' in the vault"
                self._report(source, ref, message, "missing-file", Level.WARNING)
            elif ref is not None:
                self._report(
                    source,
                    ref,
                    f"links to '{link}', but no note or file in the vault is named '{link.target}'",
                    "unresolved",
                    self._unresolved_level,
                )
            return UNRESOLVED
        if ref is not None and candidates:
            names = ", ".join(f"'{c}'" for c in candidates)
            message = f"links to '{link}', which could be {names}; '{match.path}' was chosen"
            self._report(source, ref, message, "ambiguous", Level.WARNING)
        plain = match.plain
        if plain.status == "private" or match.kind == "attachment":
            return plain
        if not link.headings and link.block is None:
            return plain
        anchor = self._anchor(match.path, link)
        if anchor is None and ref is not None:
            what = (
                f"block '^{link.block}'"
                if link.block is not None
                else f"heading '{'#'.join(link.headings)}'"
            )
            message = f"links to '{link}', but '{match.path}' has no {what}"
            self._report(source, ref, message, "anchor", Level.WARNING)
        return Resolution("ok", match.path, match.kind, anchor)

    # -- citations -----------------------------------------------------------------------------

    def cites(self, note: Note) -> bool:
        """Whether a note's pandoc citations are citations (a bibliography applies to it)."""
        return self.site_bibliography or note.meta.get("bibliography") is not None

    def _literature_index(self) -> dict[str, VaultPath]:
        if self._literature is None:
            self._literature = literature_notes((p, n.meta) for p, n in self.notes.items())
        return self._literature

    def literature_note(self, key: str) -> Resolution | None:
        """Where a citation of ``key`` leads: its literature note (``private`` for a private
        one), or ``None`` when the work has no note."""
        path = self._literature_index().get(key.casefold())
        if path is None:
            return None
        return Resolution("ok" if self.notes[path].published else "private", path)

    def literature_keys(self, path: VaultPath) -> tuple[str, ...]:
        """The keys whose literature note ``path`` is, its ``citekey`` first (casefolded)."""
        if path not in self.notes:  # (a page of another file: a base)
            return ()
        index = self._literature_index()
        name = stem(path).casefold()
        keys = (declared_key(self.notes[path].meta), name, name.split(" ", 1)[0])
        return tuple(dict.fromkeys(k for k in keys if k and index.get(k) == path))

    def _report(
        self, source: VaultPath, ref: LinkRef, message: str, kind: str, level: Level
    ) -> None:
        self._problems.setdefault(source, []).append(
            Problem(source, ref.line, message, kind, level)
        )

    # -- anchors -------------------------------------------------------------------------------

    def heading_ids(self, path: VaultPath) -> list[tuple[str, int, str]]:
        """``(heading key, level, id)`` for every heading of a note, ids as the TOC makes them."""
        ids = self._anchors.get(path)
        if ids is None:
            # As the table of contents does: explicit {#ids} are taken first, then the rest.
            used: set[str] = {h.custom_id for h in self.notes[path].headings if h.custom_id}
            ids = []
            for heading in self.notes[path].headings:
                if heading.custom_id:
                    anchor = heading.custom_id
                else:
                    slug = self._slugs.get(heading.text)
                    if slug is None:  # the same headings come back note after note
                        slug = self._slugs[heading.text] = self._slugify(
                            heading.text, self._separator
                        )
                    anchor = unique(slug, used)
                used.add(anchor)
                ids.append((heading_key(heading.text), heading.level, anchor))
            self._anchors[path] = ids
        return ids

    def _anchor(self, path: VaultPath, link: WikiLink) -> str | None:
        if link.block is not None:
            note = self.notes[path]
            wanted = link.block.casefold()
            return next(("^" + b for b in note.block_ids if b.casefold() == wanted), None)
        headings = self.heading_ids(path)
        start, end, found = 0, len(headings), None
        for part in link.headings:
            key = heading_key(part)
            for i in range(start, end):
                if headings[i][0] == key:
                    found = headings[i]
                    level = found[1]
                    start = i + 1
                    end = next((j for j in range(start, end) if headings[j][1] <= level), end)
                    break
            else:
                return None
        return found[2] if found else None

    # -- the whole graph -----------------------------------------------------------------------

    def _build(self) -> None:
        refs: dict[VaultPath, dict[VaultPath, list[LinkRef]]] = defaultdict(dict)
        for path, note in self.notes.items():
            if note.published:
                self._link(path, note, refs)
        order = {path: note.title.casefold() for path, note in self.notes.items()}
        for target, sources in refs.items():
            self.backlinks[target] = self._backlinks(sources, order)

    def _link(
        self, path: VaultPath, note: Note, refs: dict[VaultPath, dict[VaultPath, list[LinkRef]]]
    ) -> None:
        """Resolve a public note's links; add its links to other notes to ``refs`` (by target)."""
        resolved: list[tuple[LinkRef, Resolution]] = []
        unresolved: list[LinkRef] = []
        where = folder(path)
        for ref in note.links:
            resolution = self._resolve(ref.link, path, where, ref)
            resolved.append((ref, resolution))
            if resolution.status == "unresolved":
                unresolved.append(ref)
            elif resolution.status == "ok" and resolution.path != path:
                assert resolution.path is not None
                if resolution.kind == "note":
                    refs[resolution.path].setdefault(path, []).append(ref)
                else:
                    self.used_attachments.add(resolution.path)
        if note.citations and self.cites(note):
            for ref in note.citations:
                found = self.literature_note(ref.link.target)
                if found is None:
                    continue  # (a work without a note: no link, and nothing to report here)
                resolved.append((ref, found))
                if found.ok and found.path != path:
                    assert found.path is not None
                    refs[found.path].setdefault(path, []).append(ref)
        self.outgoing[path] = resolved
        if unresolved:
            self.unresolved[path] = unresolved

    def _backlinks(
        self, sources: dict[VaultPath, list[LinkRef]], order: Mapping[VaultPath, str] | None = None
    ) -> list[Backlink]:
        """A target's backlinks by the linking notes' titles (ties in the vault's order).

        ``order`` holds each note's casefolded title, when the caller has worked them out.
        """
        if order is None:
            order = {path: self.notes[path].title.casefold() for path in sources}
        return [
            Backlink(source, tuple(found))
            for source, found in sorted(sources.items(), key=lambda item: order[item[0]])
        ]

    def _used(self) -> None:
        self.used_attachments = {
            r.path
            for resolved in self.outgoing.values()
            for _, r in resolved
            if r.ok and r.kind == "attachment" and r.path is not None
        }

    # -- after an edit -------------------------------------------------------------------------

    def rebuilt(self, notes: Iterable[Note], attachments: Iterable[VaultPath]) -> LinkGraph:
        """A new graph of these files, resolved as this one is."""
        return LinkGraph(
            notes,
            attachments,
            slugify=self._slugify,
            separator=self._separator,
            unresolved_level=self._unresolved_level,
            site_bibliography=self.site_bibliography,
        )

    def updated(self, changed: Mapping[VaultPath, Note]) -> LinkGraph:
        """The graph after the notes in ``changed`` were read again; this graph stays as it was.

        When the edit leaves every file where it was (no note added or removed, the same aliases
        and publish states), only the links of the changed notes, and of notes that link into
        them by heading, block or embed, are resolved again: for a one-note edit of a large vault
        this takes milliseconds. Any other change builds the graph anew. Either way the result is
        the graph a fresh build of the same notes gives.
        """
        notes = {**self.notes, **changed}
        if any(
            path not in self.notes
            or self.notes[path].aliases != note.aliases
            or self.notes[path].published != note.published
            or declared_key(self.notes[path].meta) != declared_key(note.meta)
            for path, note in changed.items()
        ):
            return self.rebuilt(notes.values(), self.attachments)
        new = copy.copy(self)  # the indexes and resolution caches hold for the same files
        new.notes = notes
        new._anchors = {p: a for p, a in self._anchors.items() if p not in changed}
        new.outgoing, new.backlinks = dict(self.outgoing), dict(self.backlinks)
        new._problems = dict(self._problems)
        new.used_attachments = set(self.used_attachments)  # (_link adds to it)
        again = set(changed)
        for path in changed:
            for backlink in self.backlinks.get(path, ()):
                if any(
                    r.link.headings or r.link.block is not None or r.link.embed
                    for r in backlink.refs
                ):
                    again.add(backlink.source)
        with collector_paused():
            new._targets = {p: t for p, t in self._targets.items() if p not in again}
            unresolved = {p: r for p, r in self.unresolved.items() if p not in again}
            new.unresolved = {}
            refs: dict[VaultPath, dict[VaultPath, list[LinkRef]]] = defaultdict(dict)
            targets: set[VaultPath] = set()
            for path in again:
                new._problems.pop(path, None)
                targets.update(
                    r.path
                    for _, r in self.outgoing.get(path, ())
                    if r.ok and r.kind == "note" and r.path is not None
                )
                if notes[path].published:
                    new._link(path, notes[path], refs)
            unresolved.update(new.unresolved)
            new.unresolved = {p: unresolved[p] for p in notes if p in unresolved}
            position = {p: i for i, p in enumerate(notes)}
            for target in targets | set(refs):
                sources = {
                    b.source: list(b.refs)
                    for b in self.backlinks.get(target, ())
                    if b.source not in again
                }
                sources.update(refs.get(target, {}))
                if sources:
                    new.backlinks[target] = new._backlinks(
                        {p: sources[p] for p in sorted(sources, key=position.__getitem__)}
                    )
                else:
                    new.backlinks.pop(target, None)
            if any(_attachments(self, path) != _attachments(new, path) for path in again):
                new._used()
            if self._resolved is not None:
                new._resolved = self._resolved + sum(
                    new._resolved_from(p) - self._resolved_from(p) for p in again
                )
        return new

    def public_notes(self) -> list[Note]:
        return [n for n in self.notes.values() if n.published]


def _attachments(graph: LinkGraph, path: VaultPath) -> set[VaultPath]:
    """The attachments a note links to or embeds, in a graph."""
    return {
        r.path
        for _, r in graph.outgoing.get(path, ())
        if r.status == "ok" and r.kind == "attachment" and r.path is not None
    }
