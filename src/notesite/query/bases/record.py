"""What a base is evaluated over: one :class:`FileRecord` per public note, and the :class:`Table`
of them all, with the link resolution that ``link("Note")`` and ``file.hasLink("Note")`` need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from notesite.paths import VaultPath, folder, stem
from notesite.query.values import Link


@dataclass(frozen=True)
class FileRecord:
    """A public note as Bases sees it: ``file.*`` and its properties (``note.*``)."""

    path: VaultPath
    properties: Mapping[str, Any]
    """Front matter and inline fields, by name as written."""
    tags: tuple[str, ...] = ()
    """Without ``#``, as written."""
    links: tuple[VaultPath, ...] = ()
    """The public notes and files it links to, each once."""
    embeds: tuple[VaultPath, ...] = ()
    backlinks: tuple[VaultPath, ...] = ()
    """The public notes linking to it, each once."""
    ctime: dt.datetime | None = None
    mtime: dt.datetime | None = None
    size: int = 0
    title: str = ""
    _lower: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def basename(self) -> str:
        return stem(self.path)

    @property
    def folder(self) -> str:
        return folder(self.path)

    @property
    def ext(self) -> str:
        name = self.name
        return name.rsplit(".", 1)[-1] if "." in name else ""

    def property(self, name: str) -> Any:
        """A property by name: as written, else ignoring case (as Obsidian's properties do)."""
        if name in self.properties:
            return self.properties[name]
        if not self._lower:
            self._lower.update({k.casefold(): k for k in self.properties})
        key = self._lower.get(name.casefold())
        return None if key is None else self.properties[key]


Linker = Callable[[str, "FileRecord | None"], Link]
"""A written link (``Note``, ``folder/Note``, ``[[Note|text]]``) from a note (or from the base
itself, None) -> the :class:`~notesite.query.values.Link` it makes."""


def _unresolved(written: str, source: FileRecord | None) -> Link:
    return Link(written, resolved=False)


@dataclass(frozen=True)
class Table:
    """Every public note, by path, and how a written link resolves."""

    records: Mapping[VaultPath, FileRecord]
    link: Linker = _unresolved
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    """The moment ``now()`` and ``today()`` mean: one for the whole build."""

    def record(self, link: Link) -> FileRecord | None:
        """The public note a link leads to."""
        return self.records.get(VaultPath(link.path)) if link.resolved else None
