"""The three kinds of location notesite handles, kept apart by type.

- a :data:`VaultPath` is a file's path inside the vault, ``/``-separated (``Ideas/Graph view.md``);
- a link *target* is what a wikilink says (``graph view``), resolved by :mod:`notesite.graph`;
- a URL is what the site uses, made by the host (MkDocs) from the vault path.
"""

from __future__ import annotations

import functools
import posixpath
import re
from typing import NewType
from urllib.parse import quote

VaultPath = NewType("VaultPath", str)

#: A trailing Zettelkasten id: ``Some idea 20220205175242`` (12 or 14 digits, a timestamp).
ZETTEL_ID_RE = re.compile(r"\s+(?:\d{12}|\d{14})$")


def stem(path: VaultPath) -> str:
    """``folder/Note name.md`` -> ``Note name``."""
    name = posixpath.basename(path)
    return name.rsplit(".", 1)[0] if "." in name else name


#: Endings of the vault files that are pages without being notes (canvases). A link names such a
#: file with its ending, as Obsidian writes it: ``[[Map.canvas]]``; ``[[Map]]`` is a note.
PAGE_FILE_ENDINGS = (".canvas",)


def link_name(path: VaultPath) -> str:
    """The name a link finds a page by: a note's :func:`stem`, a canvas's whole file name."""
    name = posixpath.basename(path)
    return name if name.casefold().endswith(PAGE_FILE_ENDINGS) else stem(path)


def folder(path: VaultPath) -> str:
    """``folder/sub/Note.md`` -> ``folder/sub``; ``Note.md`` -> ``""``."""
    return path.rpartition("/")[0]


def display_name(path: VaultPath) -> str:
    """The title a note without a ``title`` property gets: its file name, minus a Zettelkasten id."""
    name = stem(path)
    return ZETTEL_ID_RE.sub("", name) or name


def relative_href(source: VaultPath, target: VaultPath, anchor: str | None = None) -> str:
    """A percent-encoded relative link from one vault file to another (and an anchor).

    Hosts such as MkDocs turn a relative link to a ``.md`` file into the page's URL, whatever
    their URL style, so this is all a note needs to link to another.
    """
    return _relative_href(folder(source), target, anchor)


def relative_path(start: str, target: str) -> str:
    """``target`` relative to the folder ``start``, both relative to one root and normalised
    (``""`` or ``"."``: the root itself): what ``posixpath.relpath`` gives."""
    # posixpath.relpath asks the OS for the working directory twice a call; these paths are
    # already relative and normalised, so the common prefix is all it takes.
    here = start.split("/") if start not in ("", ".") else []
    there = target.split("/") if target not in ("", ".") else []
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


@functools.lru_cache(maxsize=1 << 16)
def _relative_href(start: str, target: str, anchor: str | None) -> str:
    href = quote(relative_path(start, target), safe="/")
    if anchor:
        # Ids are compared as written (MkDocs' anchor check does not decode), so only what a
        # URL cannot hold is escaped: a unicode heading's id stays readable.
        href += "#" + _FRAGMENT_UNSAFE.sub(lambda m: quote(m.group(0)), anchor)
    return href


_FRAGMENT_UNSAFE = re.compile(r"[\s\"<>`#%]")
