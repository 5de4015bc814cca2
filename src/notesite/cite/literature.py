"""Literature notes: the note of a cited work.

A note is the note of the work whose key its front matter gives (``citekey: wang2021china``),
or whose key its file name is or starts with, followed by a space
(``wang2021china China’s Sputnik Moment.md``). Keys match whatever their case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from notesite.paths import VaultPath, stem


def declared_key(meta: Mapping[str, Any]) -> str | None:
    """The ``citekey`` a note's front matter gives (a leading ``@`` is allowed)."""
    value = meta.get("citekey")
    if isinstance(value, (str, int)) and str(value).strip():
        return str(value).strip().lstrip("@").casefold()
    return None


def literature_notes(notes: Iterable[tuple[VaultPath, Mapping[str, Any]]]) -> dict[str, VaultPath]:
    """Cite key (casefolded) -> its literature note: a ``citekey`` first, then a file named
    after the key, then one whose name starts with it; the first path in the vault's order
    when several are alike."""
    declared: dict[str, VaultPath] = {}
    named: dict[str, VaultPath] = {}
    prefixed: dict[str, VaultPath] = {}
    for path, meta in sorted(notes, key=lambda n: n[0]):
        key = declared_key(meta)
        if key:
            declared.setdefault(key, path)
        name = stem(path)
        named.setdefault(name.casefold(), path)
        if " " in name:
            prefixed.setdefault(name.split(" ", 1)[0].casefold(), path)
    return {**prefixed, **named, **declared}
