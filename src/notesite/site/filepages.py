"""Files of the vault that are not Markdown but still become pages: a ``.base`` file's page
shows its views. (Each kind says how its file reads as a note's Markdown; the page is then
rendered like any note, by the Markdown extensions.)

A file's page takes its vault path with ``.md`` for its extension (``Reading list.base`` ->
``Reading list.md``), or, when a note already has that path (or the name is one of a folder's
page: ``index``, ``README``), the full name plus ``.md`` (``Reading list.base.md``). Links to the file (``[[Reading list.base]]``) lead to its page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from notesite.loader import Note
from notesite.paths import VaultPath, stem
from notesite.problems import Problem


def base_markdown(text: str) -> str:
    """A ``.base`` file as a note: its YAML in a ``base`` block, which the bases extension
    renders (the block's first line is line 1 of the file)."""
    fence = "````" if "```" in text else "```"
    return f"{fence}base\n{text.rstrip()}\n{fence}\n"


PAGE_KINDS: Mapping[str, Callable[[str], str]] = MappingProxyType({".base": base_markdown})
"""File extension -> how a file of that kind reads as a page's Markdown."""


@dataclass(frozen=True)
class FilePage:
    source: VaultPath
    """The file's vault path (``Reading list.base``)."""
    page: VaultPath
    """The page's path (``Reading list.md``)."""
    text: str
    """The file's text."""
    note: Note
    """The page as a note (no links, tags or properties of its own)."""


def is_page_file(path: str) -> bool:
    return posixpath.splitext(path)[1].lower() in PAGE_KINDS


def file_pages(
    root: Path, files: Iterable[VaultPath], taken: Collection[str]
) -> tuple[list[FilePage], list[Problem]]:
    """A page for each file of a kind in :data:`PAGE_KINDS`; ``taken``: the casefolded paths of
    the site's other pages."""
    pages: list[FilePage] = []
    problems: list[Problem] = []
    used = set(taken)
    for path in files:
        kind = PAGE_KINDS.get(posixpath.splitext(path)[1].lower())
        if kind is None:
            continue
        try:
            text = (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path, None, f"could not be read ({error})", "io"))
            continue
        page = VaultPath(posixpath.splitext(path)[0] + ".md")
        # (``index.base`` is no folder's or the site's home page)
        if page.casefold() in used or stem(page).casefold() in ("index", "readme"):
            page = VaultPath(path + ".md")
        used.add(page.casefold())
        body = kind(text)
        note = Note(
            path=path,
            title=stem(path),
            aliases=(),
            meta=MappingProxyType({}),
            tags=(),
            fields=(),
            body=body,
            body_line=0,
            links=(),
            headings=(),
            block_ids=frozenset(),
        )
        pages.append(FilePage(path, page, text, note))
    return pages, problems
