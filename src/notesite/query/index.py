"""The index queries run over: one row per *public* note, built once per build from the graph.

A :class:`QueryIndex` is made from a :class:`~notesite.graph.LinkGraph` and each note's dates
(front matter, else git, else the file: see :func:`notesite.site.feed.note_dates`; a fresh CI
clone's file times mean nothing). Private notes and ignored files are not in it, so no query
can show, count or link to them. Nothing here reads a file: everything comes from the notes the
build loaded.

A :class:`NoteRow` is what Dataview calls a page: :meth:`NoteRow.file` gives the ``file.*``
fields, :meth:`NoteRow.properties` the note's front matter and inline fields (each key also
under its normalized name: ``Note Type`` is ``note-type`` too), :meth:`NoteRow.get` either by
name. Rows work their values out when first asked (a query over ``file.name`` never parses a
note's tasks) and keep them for the rest of the build.

The API the query languages (Dataview here, Obsidian Bases beside it) share:

- ``index.rows`` (vault order), ``index.row(path)``, ``index.this(path)``;
- ``index.tagged(tag)`` (nested tags included), ``index.in_folder(folder)``,
  ``index.linking_to(path)``, ``index.linked_from(path)``;
- ``index.link(target, source)``: a written target as a :class:`~notesite.query.values.Link`
  (resolved to a public note or file, else unresolved: a private note is never named).
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from notesite.graph import LinkGraph
from notesite.loader import Note
from notesite.paths import VaultPath, folder, stem
from notesite.query.items import list_items
from notesite.query.values import UTC, Link, Value, as_datetime, from_field, from_yaml
from notesite.syntax.fields import FIELD_RE, InlineField
from notesite.syntax.tags import normalize_tag
from notesite.syntax.wikilinks import parse_inner

_NOT_NAME = re.compile(r"[^\w\s-]+")
_DAY_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_CREATED_KEYS = ("created", "date")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def normalize_key(key: str) -> str:
    """A property name as Dataview also knows it: ``Note Type`` -> ``note-type``."""
    return "-".join(_NOT_NAME.sub("", key).lower().split())


@functools.lru_cache(maxsize=1 << 14)
def tag_chain(tag: str) -> tuple[str, ...]:
    """``a/b/c`` -> ``#a``, ``#a/b``, ``#a/b/c`` (``file.tags`` lists each level)."""
    parts = normalize_tag(tag).split("/")
    return tuple("#" + "/".join(parts[: i + 1]) for i in range(len(parts)))


class NoteRow:
    """One public note as queries see it; see the module docstring."""

    __slots__ = ("_file", "_props", "index", "note", "path")

    def __init__(self, index: QueryIndex, note: Note) -> None:
        self.index = index
        self.note = note
        self.path = note.path
        self._file: FileFields | None = None
        self._props: dict[str, Value] | None = None

    def __repr__(self) -> str:
        return f"NoteRow({self.path!r})"

    @property
    def link(self) -> Link:
        return Link(self.path)

    def get(self, name: str) -> Value:
        """A property by name (as written or normalized); ``file`` is the file object."""
        if name == "file":
            return self.file()
        props = self.properties()
        if name in props:
            return props[name]
        return props.get(normalize_key(name))

    def page(self) -> dict[str, Value]:
        """Every property and ``file``, as one object (what ``this`` and ``row`` give)."""
        return {**self.properties(), "file": self.file()}

    def properties(self) -> dict[str, Value]:
        if self._props is None:
            self._props = self._properties()
        return self._props

    def _properties(self) -> dict[str, Value]:
        note, link = self.note, self.index.link_maker(self.path)
        props: dict[str, Value] = {}
        found: list[tuple[str, Value]] = [
            (str(k), from_yaml(v, link)) for k, v in note.meta.items()
        ]
        fields: dict[str, list[Value]] = {}
        for field in note.fields:
            fields.setdefault(field.key, []).append(from_field(_written(note, field), link))
        found += [(k, vs[0] if len(vs) == 1 else vs) for k, vs in fields.items()]
        for key, value in found:
            if key in props and key in fields and key in note.meta:
                value = [props[key], value]  # a property and a field of one name: both
            props[key] = value
            props.setdefault(normalize_key(key), value)
        return props

    def file(self) -> FileFields:
        if self._file is None:
            self._file = self._file_fields()
        return self._file

    def _file_fields(self) -> FileFields:
        note, index, path = self.note, self.index, self.path
        mtime = index.dates.get(path) or _EPOCH
        ctime = _created(note) or mtime
        items = _Lazy(self._items)
        return FileFields(
            {
                "name": stem(path),
                "title": note.title,
                "path": path,
                "folder": folder(path),
                "ext": posixpath.splitext(path)[1].lstrip("."),
                "link": Link(path),
                "size": _Lazy(lambda: index.size(self)),
                "ctime": ctime,
                "cday": _day(ctime),
                "mtime": mtime,
                "mday": _day(mtime),
                "day": _Lazy(lambda: _file_day(note)),
                "tags": _Lazy(lambda: _tags(note.tags)),
                "etags": _Lazy(lambda: ["#" + t for t in note.tags]),
                "aliases": list(note.aliases),
                "frontmatter": _Lazy(lambda: {str(k): from_yaml(v) for k, v in note.meta.items()}),
                "inlinks": _Lazy(lambda: [Link(p) for p in index.linking_to(path)]),
                "outlinks": _Lazy(lambda: index.outlinks(path)),
                "lists": items,
                "tasks": _Lazy(lambda: [i for i in items.get() if i["task"]]),
            }
        )

    def _items(self) -> list[dict[str, Value]]:
        found = list_items(self.note.body, self.note.body_line)
        for item in found:
            item["path"] = self.path
            item["link"] = Link(self.path)
        return found


class _Lazy:
    """A value worked out when a query first reads it."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Any) -> None:
        self._make = make
        self._value: Any = None

    def get(self) -> Any:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value


class FileFields(Mapping[str, Value]):
    """``file``: a read-only mapping whose costly entries (tags, links, tasks) are worked out
    when first read."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Value]) -> None:
        self._fields = fields

    def __getitem__(self, key: str) -> Value:
        value = self._fields[key]
        if isinstance(value, _Lazy):
            value = self._fields[key] = value.get()
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"FileFields({self.get('path')!r})"


def _tags(tags: tuple[str, ...]) -> list[str]:
    """``file.tags``: each tag and every level above it, each once."""
    return list(_tag_levels(tags))


@functools.lru_cache(maxsize=1 << 14)
def _tag_levels(tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for tag in tags for t in tag_chain(tag)))


def _written(note: Note, field: InlineField) -> str:
    """A field's value as written: the loader found it in the masked text, where code spans
    (`` `code` ``) are blanks."""
    if "`" not in note.body[field.start : field.end]:
        return field.value
    found = FIELD_RE.match(note.body, field.start, field.end)
    return (found.group("value") or "").strip() if found else field.value


def _created(note: Note) -> dt.datetime | None:
    for key in _CREATED_KEYS:
        value = note.meta.get(key)
        when = as_datetime(value)
        if when is None and isinstance(value, str):
            when = from_yaml(value) if value.strip()[:1].isdigit() else None
            when = when if isinstance(when, dt.datetime) else None
        if when is not None:
            return when
    return None


def _day(when: dt.datetime) -> dt.datetime:
    return dt.datetime(when.year, when.month, when.day, tzinfo=when.tzinfo or UTC)


def _file_day(note: Note) -> dt.datetime | None:
    """The date in the file's name (``2024-01-05``, ``20240105``), else its ``date`` property."""
    found = _DAY_IN_NAME.search(stem(note.path))
    if found:
        try:
            year, month, day = map(int, found.groups())
            return dt.datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            pass
    when = as_datetime(note.meta.get("date"))
    return _day(when) if when is not None else None


class QueryIndex:
    """Every public note of a build as a :class:`NoteRow`; see the module docstring."""

    def __init__(
        self,
        graph: LinkGraph,
        dates: Mapping[VaultPath, dt.datetime] | None = None,
        stamps: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        self.graph = graph
        self.dates: Mapping[VaultPath, dt.datetime] = dates or {}
        self.stamps: Mapping[str, tuple[int, int]] = stamps or {}
        """Each file's ``(mtime_ns, size)`` from the walk of the vault (for ``file.size``)."""
        self.rows: list[NoteRow] = [NoteRow(self, n) for n in graph.public_notes()]
        self._by_path = {r.path: r for r in self.rows}
        self._tags: dict[str, list[NoteRow]] | None = None
        self._folded: list[str] | None = None
        self.position: dict[VaultPath, int] = {r.path: i for i, r in enumerate(self.rows)}
        """Each public note's place in the vault's order."""

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, path: str) -> NoteRow | None:
        """The row of a public note, else None."""
        return self._by_path.get(VaultPath(path))

    this = row

    def tagged(self, tag: str) -> list[NoteRow]:
        """The notes with ``tag`` or a tag nested under it (``#a`` finds ``#a/b``), any case."""
        if self._tags is None:
            self._tags = {}
            for row in self.rows:
                for key in {t.casefold() for tag in row.note.tags for t in tag_chain(tag)}:
                    self._tags.setdefault(key, []).append(row)
        return self._tags.get("#" + normalize_tag(tag).casefold(), [])

    def in_folder(self, name: str) -> list[NoteRow]:
        """The notes under a folder (any depth), or the one note at that path; ``""``: all."""
        name = name.strip().strip("/")
        if not name:
            return list(self.rows)
        key = name.casefold()
        exact = key if key.endswith(".md") else key + ".md"
        if self._folded is None:
            self._folded = [r.path.casefold() for r in self.rows]
        under = key + "/"
        return [
            r
            for r, path in zip(self.rows, self._folded, strict=True)
            if path.startswith(under) or path == exact
        ]

    def size(self, row: NoteRow) -> int:
        """A note's size in bytes: the file's, else its body's."""
        stamp = self.stamps.get(row.path)
        return stamp[1] if stamp is not None else len(row.note.body.encode("utf-8"))

    def linking_to(self, path: str) -> list[VaultPath]:
        """The public notes that link to a note (each once, by title as backlinks list them)."""
        return [
            b.source
            for b in self.graph.backlinks.get(VaultPath(path), ())
            if b.source in self._by_path
        ]

    def linked_from(self, path: str) -> list[VaultPath]:
        """The public notes a note links to, each once, in the order first linked."""
        return [p for p in self.graph.note_targets(VaultPath(path)) if p in self._by_path]

    def outlinks(self, path: str) -> list[Link]:
        """``file.outlinks``: notes, files and targets not written yet that a note links to,
        each once. Links to private notes are left out."""
        seen: dict[str, Link] = {}
        for ref, resolution in self.graph.outgoing.get(VaultPath(path), ()):
            if resolution.ok and resolution.path is not None:
                if resolution.kind == "note" and resolution.path not in self._by_path:
                    continue
                seen.setdefault(resolution.path.casefold(), Link(resolution.path))
            elif resolution.status == "unresolved" and ref.link.target:
                target = ref.link.target
                seen.setdefault("?" + target.casefold(), Link(target, resolved=False))
        return list(seen.values())

    def link(self, written: str, source: str) -> Link:
        """``[[target#heading|text]]`` (or the bare target) written in ``source``, as a link."""
        inner = written.strip()
        embed = inner.startswith("!")
        if inner.startswith(("[[", "![[")):
            inner = inner.lstrip("!")[2:-2]
        link = parse_inner(inner, embed=embed)
        subpath = "#".join(link.headings) or (("^" + link.block) if link.block else None)
        display = link.alias
        resolution = (
            self.graph.resolve(link, VaultPath(source)) if source in self.graph.notes else None
        )
        if (
            resolution is not None
            and resolution.ok
            and resolution.path is not None
            and (resolution.kind == "attachment" or resolution.path in self._by_path)
        ):
            return Link(resolution.path, display, subpath, embed)
        return Link(link.target, display or link.target, subpath, embed, resolved=False)

    def link_maker(self, source: str) -> Any:
        """A function from a written link to a :class:`Link`, for values read from ``source``."""
        return lambda written: self.link(written, source)

    def paths(self, rows: Iterable[NoteRow]) -> list[VaultPath]:
        return [r.path for r in rows]


QUERY_MARKERS = ("```dataview", "~~~dataview", "`=", "`$=", "```base", "~~~base", ".base")
"""Text that a note holding a query has (a Dataview block or inline query, a base): what
:func:`holds_query` looks for."""


def holds_query(note: Note) -> bool:
    """Whether a note may show query results: its page changes when any note does."""
    body = note.body
    return any(marker in body for marker in QUERY_MARKERS)
