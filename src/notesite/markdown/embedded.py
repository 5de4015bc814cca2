"""A whole note embedded (``![[Note]]``) shows that note's own page: its converted HTML, as its
page shows it, put in place once every page is converted.

Converting a page leaves a *slot* where a whole note is embedded (:func:`slot`): the embed's
box, its link to the note, and a paragraph naming the note. When every page is converted, each
slot takes the HTML of the note's page (:class:`EmbedFiller`), itself filled first (embeds nest
up to :data:`MAX_DEPTH`; a cycle is cut, the last embed shown as a link, and reported). So a
note is converted once however many pages embed it, and an embed shows what the note's page
shows (its video, its fields, its footnotes, its queries' results), as Obsidian shows an
embedded note as that note renders, not as part of the note embedding it.

The HTML is made to fit the page it is shown in:

- its relative links and sources (``href``, ``src``, ``poster``) are re-pointed from the note's
  page to the embedding page; a link to an anchor of the note's page (``#part``) that the
  embed does not hold leads to that page;
- its headings become paragraphs styled as headings, without ids (the page's outline and
  anchors stay the page's own), as a section's or block's embed has them
  (:mod:`notesite.markdown.embeds`);
- every other id is given the embed's own prefix (``ns-e1-``), and the links and labels
  pointing at it too, so that its footnotes and tabs work inside the embed and no id is on the
  page twice.

The HTML is the page's as MkDocs and the sanitizer left it (:mod:`notesite.markdown.sanitize`
serializes every page): start tags with double-quoted attributes, text without ``<``.
This module knows nothing of the host: it is given each page's HTML and URL.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote

from notesite.paths import VaultPath, relative_path
from notesite.problems import Problem
from notesite.syntax.mdlinks import SCHEME

#: How deep embeds nest (the page itself is level 0), as for sections and blocks.
MAX_DEPTH = 4
#: What the paragraph of a slot starts with (the note's vault path follows, in hex).
MARK = "ns-embed-slot-"
_SLOT = re.compile(
    r'<div class="ns-embed" data-search-exclude="">\s*'
    r'<p><a class="ns-embed__source" href="(?P<href>[^"]*)">(?P<title>.*?)</a></p>\s*'
    rf"<p>{MARK}(?P<path>[0-9a-f]+)</p>\s*</div>",
    re.DOTALL,
)
#: A start tag as the sanitizer writes it.
_TAG = re.compile(
    r"<(?P<name>[a-zA-Z][^\s/>]*)(?P<attrs>(?:\s+[^\s\"'=<>/]+(?:=\"[^\"]*\")?)*)\s*/?>"
)
_ATTR = re.compile(r'(?P<space>\s+)(?P<name>[^\s"\'=<>/]+)(?:="(?P<value>[^"]*)")?')
_HEADING = re.compile(r"<h(?P<level>[1-6])(?:\s[^>]*)?>(?P<text>.*?)</h(?P=level)>", re.DOTALL)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_URL_ATTRIBUTES = frozenset({"href", "src", "poster"})


def slot(path: VaultPath) -> str:
    """The paragraph that stands for the whole note ``path`` until its page's HTML fills it."""
    return MARK + path.encode("utf-8").hex()


def heading_class(tag: str) -> str:
    """The class of a heading of an embedded note (``h2``), made a paragraph."""
    return f"ns-embed__heading ns-embed__{tag}"


def has_slots(content: str) -> bool:
    return MARK in content


class EmbedFiller:
    """Fills the slots of pages with the HTML of the notes they embed.

    ``contents``: the HTML of the page of a note embedded whole (as converted, its own slots
    not yet filled; None for a note without one); ``urls``: each page's URL (MkDocs'
    ``page.url``), by vault path.
    """

    def __init__(
        self,
        contents: Callable[[VaultPath], str | None],
        urls: Mapping[str, str],
    ) -> None:
        self.contents = contents
        self.urls = urls

    def fill(self, path: VaultPath, content: str) -> tuple[str, list[Problem], set[VaultPath]]:
        """The page of ``path`` with every slot filled; the problems found (cycles, nesting too
        deep); and the notes whose HTML it now shows."""
        problems: list[Problem] = []
        shown: set[VaultPath] = set()
        filled = self._fill(path, content, (path,), problems, shown)
        return filled, problems, shown

    def _fill(
        self,
        path: VaultPath,
        content: str,
        stack: tuple[VaultPath, ...],
        problems: list[Problem],
        shown: set[VaultPath],
    ) -> str:
        count = 0

        def one(match: re.Match[str]) -> str:
            nonlocal count
            href, title = match.group("href"), match.group("title")
            target = VaultPath(bytes.fromhex(match.group("path")).decode("utf-8"))
            link = f'<p><a class="ns-wikilink" href="{href}">{title}</a></p>'
            inner = self.contents(target)
            if inner is None or target not in self.urls or path not in self.urls:
                return link  # (not a page of this site: the embed was checked when converted)
            if target in stack or len(stack) > MAX_DEPTH:
                chain = " -> ".join((*stack, target))
                why = "is a cycle" if target in stack else f"nests more than {MAX_DEPTH} embeds"
                message = f"the embed chain {chain} {why}; the last one is shown as a link"
                problems.append(Problem(stack[0], None, message, "embed"))
                return link
            shown.add(target)
            count += 1
            inner = self._fill(target, inner, (*stack, target), problems, shown)
            inner = fitted(inner, self.urls[target], self.urls[path], f"ns-e{count}-")
            return (
                '<div class="ns-embed" data-search-exclude="">\n'
                f'<p><a class="ns-embed__source" href="{href}">{title}</a></p>\n'
                f"{inner.strip()}\n</div>"
            )

        if not has_slots(content):
            return content
        return _SLOT.sub(one, content)


def fitted(content: str, source: str, page: str, prefix: str) -> str:
    """The HTML of the page at URL ``source`` made to stand inside the page at URL ``page``:
    headings made paragraphs, ids prefixed with ``prefix``, relative URLs re-pointed."""
    content = _HEADING.sub(_paragraph, content)
    ids = {_anchor(value) for value in _ids(content)}
    base_source = posixpath.dirname(source) or "."
    base_page = posixpath.dirname(page) or "."
    to_source = _relative(
        posixpath.normpath(source) if source else ".",
        base_page,
        directory=not source or source.endswith("/"),
    )

    def url(value: str) -> str:
        if value.startswith("#"):
            return f"#{prefix}{value[1:]}" if _anchor(value[1:]) in ids else to_source + value
        if not value or SCHEME.match(value) or value.startswith("/"):
            return value
        cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
        address, rest = value[:cut], value[cut:]
        if not address:
            return to_source + rest
        target = posixpath.normpath(posixpath.join(base_source, address))
        return _relative(target, base_page, directory=address.endswith("/")) + rest

    def attribute(match: re.Match[str], tag: str) -> str:
        name, value = match.group("name"), match.group("value")
        if value is None:
            return match.group(0)
        if (
            name == "id"
            or (name == "for" and tag == "label")
            or (name == "name" and tag == "input")
        ):
            value = prefix + value
        elif name in _URL_ATTRIBUTES:
            value = url(value)
        else:
            return match.group(0)
        return f'{match.group("space")}{name}="{value}"'

    def tag(match: re.Match[str]) -> str:
        attrs = match.group("attrs")
        if not attrs:
            return match.group(0)
        name = match.group("name").lower()
        new = _ATTR.sub(lambda m: attribute(m, name), attrs)
        whole = match.group(0)
        start = match.start("attrs") - match.start()
        return whole[:start] + new + whole[start + len(attrs) :]

    return _TAG.sub(tag, content)


def _ids(content: str) -> list[str]:
    """The values of the ``id`` attributes of the start tags of ``content``."""
    return [
        m.group("value")
        for tag in _TAG.finditer(content)
        for m in _ATTR.finditer(tag.group("attrs"))
        if m.group("name") == "id" and m.group("value") is not None
    ]


def _anchor(value: str) -> str:
    """An id or a link's fragment, as a browser matches one to the other."""
    return unquote(html.unescape(value))


def _paragraph(match: re.Match[str]) -> str:
    level, text = match.group("level"), _PERMALINK.sub("", match.group("text"))
    return f'<p class="{heading_class(f"h{level}")}">{text}</p>'


def _relative(target: str, base: str, *, directory: bool) -> str:
    """``target`` (from the site's root) relative to the folder ``base``."""
    found = relative_path(base, target)
    if directory and not found.endswith("/"):
        found = "./" if found == "." else found + "/"
    return found
