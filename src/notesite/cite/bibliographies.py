"""The bibliographies and styles of a site, each read once per build.

Sources: the site's own (the plugin's ``bibliography`` option) and a note's front matter
``bibliography`` (pandoc's key: a path or a list, relative to the vault), which add to the
site's. Style: the plugin's ``csl`` option, or a note's front matter ``csl``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from notesite.cite.sources import Library, load
from notesite.cite.style import DEFAULT_STYLE, Style, StyleError
from notesite.paths import VaultPath
from notesite.problems import Problem


def unknown_key_message(key: str) -> str:
    return f"cites '@{key}', but no bibliography of the note holds that key"


def listed(value: Any) -> list[str]:
    """A path or a list of paths, as front matter and the plugin's option give them."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, str) and v.strip()]
    return []


class Bibliographies:
    """What formatting a note's citations needs: its library and its style."""

    def __init__(
        self,
        vault: Path,
        site_files: Iterable[tuple[Path, str]] = (),
        *,
        csl: str = DEFAULT_STYLE,
        base: Path | None = None,
        config_name: str = "mkdocs.yml",
    ) -> None:
        """``site_files``: ``(file, name to report it under)``; ``base``: the folder a ``.csl``
        file named by ``csl`` is relative to."""
        self.vault = vault
        self.problems: list[Problem] = []
        self.site = Library()
        site_files = list(site_files)
        self._read: list[Path] = []
        """Every bibliography file read, in the order read."""
        self.site_wide = bool(site_files)
        """Whether the site has a bibliography of its own: every note may cite then."""
        for path, shown in site_files:
            if not path.is_file():
                message = f"bibliography '{shown}' is not a file"
                self.problems.append(Problem(config_name, None, message, "cite"))
                continue
            library = load(path, shown)
            self._read.append(path)
            self.problems += library.problems
            self.site = self.site.merged([library]) if self.site.items else library
        self._files: dict[str, Library] = {}
        self._libraries: dict[tuple[str, ...], Library] = {}
        self._styles: dict[str, Style | None] = {}
        self.style = self._style(csl, base, config_name, None) or Style()
        self._base = base

    def preload(self, notes: Iterable[tuple[VaultPath, Mapping[str, Any]]]) -> None:
        """Read every bibliography and style the notes' front matter names (before any page is
        rendered: pages may be rendered in forked processes, which would each read them)."""
        for path, meta in notes:
            for name in listed(meta.get("bibliography")):
                self._file(name, path)
            csl = meta.get("csl")
            if isinstance(csl, str) and csl.strip():
                self._style(csl.strip(), self.vault, path, None)

    def _file(self, name: str, note: VaultPath) -> Library | None:
        key = name.strip().lstrip("/")
        if key not in self._files:
            path = (self.vault / key).resolve()
            if not path.is_relative_to(self.vault.resolve()) or not path.is_file():
                message = f"bibliography '{name}' is not a file of the vault"
                self.problems.append(Problem(note, None, message, "cite"))
                return None
            library = load(path, key)
            self._read.append(path)
            self.problems += library.problems
            self._files[key] = library
        return self._files[key]

    def library(self, meta: Mapping[str, Any]) -> Library | None:
        """The works a note may cite (its own bibliographies first), or ``None`` when no
        bibliography applies to it."""
        names = tuple(n.strip().lstrip("/") for n in listed(meta.get("bibliography")))
        if not names:
            return self.site if self.site_wide else None
        found = self._libraries.get(names)
        if found is None:
            # (Read before any page is rendered, but for a note edited under mkdocs serve.)
            read = (self._files.get(n) or self._file(n, VaultPath("")) for n in names)
            own = [library for library in read if library is not None]
            found = self._libraries[names] = (
                own[0].merged([*own[1:], self.site]) if own else self.site
            )
        return found

    def holding(self, key: str, meta: Mapping[str, Any]) -> Library | None:
        """The library a literature note's reference comes from: the note's own, else the
        site's, else the first bibliography of any note that holds the key."""
        for library in (self.library(meta), self.site, *self._files.values()):
            if library is not None and key in library:
                return library
        return None

    def digest(self) -> str:
        """A hash of every bibliography and style file read so far (what a page that cites or
        shows a reference is formatted from, besides its note)."""
        hasher = hashlib.blake2b(digest_size=16)
        styles = [s.source for s in self._styles.values() if s is not None]
        for path in [*self._read, self.style.source, *styles]:
            try:  # (the bytes alone: the same project elsewhere is the same site)
                hasher.update(hashlib.blake2b(path.read_bytes()).digest())
            except OSError:
                hasher.update(b"\1")
        return hasher.hexdigest()

    def style_for(self, meta: Mapping[str, Any]) -> Style:
        csl = meta.get("csl")
        if isinstance(csl, str) and csl.strip():
            return self._styles.get(csl.strip()) or self.style
        return self.style

    def _style(self, csl: str, base: Path | None, where: str, line: int | None) -> Style | None:
        if csl not in self._styles:
            try:
                self._styles[csl] = Style(csl, base)
            except StyleError as error:
                message = f"csl: {error}; Chicago author-date is used"
                self.problems.append(Problem(where, line, message, "cite"))
                self._styles[csl] = None
        return self._styles[csl]


def for_site(
    vault: Path,
    config_dir: Path,
    bibliography: Any,
    csl: str,
    notes: Iterable[tuple[VaultPath, Mapping[str, Any]]],
) -> Bibliographies | None:
    """The bibliographies of a site, all read; ``None`` when neither the site (the plugin's
    ``bibliography``) nor any note names one."""
    site = listed(bibliography)
    notes = [(p, m) for p, m in notes if listed(m.get("bibliography"))]
    if not site and not notes:
        return None
    found = Bibliographies(
        vault, [(config_dir / name, name) for name in site], csl=csl, base=config_dir
    )
    found.preload(notes)
    return found


def bibliographies_changed(
    found: Bibliographies | None,
    attachments: Iterable[str],
    edits: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> bool:
    """Whether a save changed what citations are formatted with: a bibliography file read for
    the site, or a note's ``bibliography`` or ``csl`` (``edits``: front matter before, after)."""
    if found is not None and any(p in found._files for p in attachments):
        return True
    return any(
        listed(old.get("bibliography")) != listed(new.get("bibliography"))
        or old.get("csl") != new.get("csl")
        for old, new in edits
    )
