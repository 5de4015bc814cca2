"""Navigation that does not grow with the vault: folder index pages and an explorer tree.

mkdocs-material renders the whole navigation into every page, which makes a vault of N notes
cost N x N. notesite gives the theme a navigation of a few entries and ships the folder tree
once, as ``explorer.json``, which the page loads when the reader opens the explorer. Every
folder gets an index page (unless the vault has one) listing what it holds, and every note
page shows breadcrumbs to those folder pages.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from notesite.loader import Note
from notesite.markdown.escape import escape_markdown
from notesite.paths import VaultPath, relative_href

EXPLORER_JSON = VaultPath("assets/notesite/explorer.json")


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder (and folder above it) that holds one of ``paths``."""
    found: set[str] = set()
    for path in paths:
        parts = path.split("/")[:-1]
        found.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return found


def folder_index(folder: str) -> VaultPath:
    return VaultPath(f"{folder}/index.md")


def folder_pages(notes: Iterable[Note], taken: set[str]) -> dict[VaultPath, str]:
    """``Folder/index.md`` for every folder of public notes that has none.

    ``taken`` holds the casefolded vault paths already in the site; a folder with a note of its
    own name beside it (``Folder.md``, the "folder note" habit) keeps that note as its page.
    """
    by_folder: dict[str, list[Note]] = {}
    for note in notes:
        by_folder.setdefault(posixpath.dirname(note.path), []).append(note)
    folders = folders_of(n.path for here in by_folder.values() for n in here)
    subfolders_of: dict[str, list[str]] = {}
    for name in sorted(folders):
        subfolders_of.setdefault(posixpath.dirname(name), []).append(name)
    pages: dict[VaultPath, str] = {}
    for name in sorted(folders):
        page = folder_index(name)
        if page.casefold() in taken or f"{name}.md".casefold() in taken:
            continue
        here = by_folder.get(name, [])
        subfolders = subfolders_of.get(name, [])
        title = posixpath.basename(name)
        lines = [f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"]
        if subfolders:
            lines += ["## Folders", ""]
            lines += [
                f"- [{escape_markdown(posixpath.basename(f))}/]({relative_href(page, _folder_target(f, taken))})"
                for f in subfolders
            ]
            lines.append("")
        if here:
            lines += ["## Notes", ""]
            lines += [
                f"- [{escape_markdown(n.title)}]({relative_href(page, n.path)})"
                for n in sorted(here, key=lambda n: n.title.casefold())
            ]
        pages[page] = "\n".join(lines) + "\n"
    return pages


def _folder_target(folder: str, taken: set[str]) -> VaultPath:
    """The page a folder's link leads to: its index, else its folder note."""
    if folder_index(folder).casefold() not in taken and f"{folder}.md".casefold() in taken:
        return VaultPath(f"{folder}.md")
    return folder_index(folder)


@dataclass
class _Node:
    name: str
    url: str | None = None
    folders: dict[str, _Node] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> list[object]:
        """``[name, url, [subfolders...], [[title, url], ...]]``: arrays keep the file small."""
        folders = [self.folders[k].as_json() for k in sorted(self.folders, key=str.casefold)]
        notes = [list(n) for n in sorted(self.notes, key=lambda n: n[0].casefold())]
        return [self.name, self.url, folders, notes]


def explorer_json(notes: Iterable[Note], urls: Mapping[str, str]) -> str:
    """The vault's folder tree with each note's title and URL (site-root-relative)."""
    root = _Node("")
    for note in notes:
        *parts, _ = note.path.split("/")
        node = root
        for depth, part in enumerate(parts):
            child = node.folders.get(part)
            if child is None:
                folder = "/".join(parts[: depth + 1])
                index = urls.get(folder_index(folder)) or urls.get(f"{folder}.md")
                child = node.folders[part] = _Node(part, index)
            node = child
        name = note.path.rsplit("/", 1)[-1].casefold()
        if name in ("index.md", "readme.md") and parts:
            continue  # the folder's own page: the folder links to it
        node.notes.append((note.title, urls[note.path]))
    return json.dumps(root.as_json(), ensure_ascii=False, separators=(",", ":"))


def breadcrumbs(path: str, taken: set[str]) -> list[tuple[str, VaultPath]]:
    """``(folder name, vault path of the folder's page)`` for each folder above a page."""
    crumbs = []
    parts = path.split("/")[:-1]
    if path.rsplit("/", 1)[-1].casefold() in ("index.md", "readme.md"):
        parts = parts[:-1]
    for depth in range(len(parts)):
        target = _folder_target("/".join(parts[: depth + 1]), taken)
        if target.casefold() in taken:
            crumbs.append((parts[depth], target))
    return crumbs
