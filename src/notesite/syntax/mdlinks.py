"""Markdown links and images to vault files: ``[text](Other%20note.md#Heading)``, ``![](pic.png)``.

Obsidian resolves the path of such a link with the same rules as a wikilink (a bare file name
finds the file anywhere in the vault), so notesite parses them into :class:`WikiLink` values
and lets the graph resolve both kinds alike. URLs (``https:``, ``mailto:``), absolute paths and
same-page anchors are not vault links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote

from notesite.syntax.wikilinks import Found, WikiLink

MD_LINK_RE = re.compile(
    r"(?P<embed>!?)\[(?P<text>[^\]\n]*)\]\(\s*(?:<(?P<angled>[^>\n]+)>|(?P<plain>[^)\s]+))"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
#: A URL with a scheme (``https:``, ``mailto:``): not a path.
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def vault_link(path: str, *, text: str | None = None, embed: bool = False) -> WikiLink | None:
    """The WikiLink a Markdown link's destination stands for, or None for a URL or anchor."""
    if not path or path.startswith(("#", "/", "?")) or SCHEME.match(path):
        return None
    path, _, fragment = path.partition("#")
    target = unquote(path)
    headings: tuple[str, ...] = ()
    block = None
    if fragment:
        fragment = unquote(fragment)
        if fragment.startswith("^"):
            block = fragment[1:]
        else:
            headings = tuple(h for h in fragment.split("#") if h)
    return WikiLink(target=target, headings=headings, block=block, alias=text or None, embed=embed)


def find_markdown_links(masked: str) -> Iterator[Found]:
    """Yield the Markdown links and images of an already masked text that point into the vault."""
    if "](" not in masked:
        return
    for match in MD_LINK_RE.finditer(masked):
        link = vault_link(
            match.group("angled") or match.group("plain"),
            text=match.group("text"),
            embed=bool(match.group("embed")),
        )
        if link is not None:
            yield Found(link, match.start(), match.end())
