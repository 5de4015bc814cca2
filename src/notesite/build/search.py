"""A page's search entries as mkdocs-material's search plugin makes them, its HTML read faster.

The search plugin reads the HTML of every page with Python's ``html.parser``, whose tokenizer,
written in Python, is most of what indexing a page costs. notesite's pages are regular HTML:
Python-Markdown's serializer, then the sanitizer's, write every attribute in double quotes and
escape every ``<`` of the text. In such HTML one regular expression finds the start tags, end
tags and text that ``html.parser`` finds, and :func:`read` hands them, in the same order and
split the same way, to the search plugin's own parser, whose handlers divide the page into
sections; the plugin's own index makes each entry from them (:func:`add_entry`). HTML with
anything else (a comment, a declaration, a ``<`` that starts no tag, an unquoted attribute value,
an element whose content ``html.parser`` reads as raw text) is read by ``html.parser``, as the
plugin reads it. The tests compare the two on every page of a vault (the user's notes and
notesite's own) and on each form where they could part.

Its parser leaves out an element excluded from search (``data-search-exclude``: notesite marks
each embed's box so, since the embedded words are found on their own note's page) up to that
element's own end, where the plugin's parser stopped at the first end of an element of the same
tag inside it (:class:`_Left`); :func:`read` then does not hand over what such an element holds.
Every page, whichever way it is read, and the live preview's, goes through that parser.

It applies to mkdocs-material 9 (:data:`MATERIAL_FOLLOWED`), whose ``add_entry_from_context``
:func:`add_entry` follows; another version, or a search index of another class, keeps the
plugin's own way.
"""

from __future__ import annotations

import re
from functools import partial
from html import unescape
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

from notesite.build.farm import material_search

log = get_plugin_logger(__name__)

#: The mkdocs-material versions whose search index :func:`add_entry` follows.
MATERIAL_FOLLOWED = "9."

_NAME = r"[a-zA-Z][a-zA-Z0-9-]*"
_ATTRIBUTE_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_ATTRIBUTE = rf'{_ATTRIBUTE_NAME}(?:="[^"]*")?'
#: A start tag (its attributes double-quoted or bare, separated by ASCII whitespace) or an end
#: tag: well-formed tags, which ``html.parser``'s recent changes (to comments, raw text and
#: malformed tags) left as they were.
_TAG = re.compile(
    rf"<(?:(?P<start>{_NAME})(?P<attrs>(?:[ \t\n\r\f]+{_ATTRIBUTE})*)[ \t\n\r\f]*(?P<slash>/?)>"
    rf"|/(?P<end>{_NAME})>)"
)
#: An attribute of :data:`_TAG`'s: its name, and ``="value"`` unless it is bare.
_ATTRIBUTES = re.compile(rf'({_ATTRIBUTE_NAME})(="[^"]*")?')
#: Elements whose content ``html.parser`` reads as raw text (some of them only in some Python
#: versions): a page holding one is read by ``html.parser`` itself.
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
     "plaintext"}
)  # fmt: skip

#: The attribute that leaves an element out of the search index (mkdocs-material's).
_EXCLUDED = "data-search-exclude"
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements the search plugin's parser never takes as open (``material``'s ``void``).
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
     "track", "wbr"}
)  # fmt: skip

_Event = tuple[str, Any, Any]


def _events(html: str, *, leave_out: bool = True) -> list[_Event] | None:
    """The start tags, end tags and text of ``html`` as ``html.parser`` hands them to its
    handlers (``handle_startendtag`` as a start and an end); None when ``html`` holds anything
    else.

    With ``leave_out``, what is inside an element excluded from search (``data-search-exclude``)
    is left out: its start and end are there, not what they hold, which :class:`_Left` makes
    the search plugin's parser skip anyway. (Not where it holds a heading with an id, which
    starts a section even there: then every event is given.)"""
    events: list[_Event] = []
    at = 0
    inside: list[str] = []  # the open elements of an excluded one, itself first
    for match in _TAG.finditer(html):
        start = match.start()
        if start > at:
            text = html[at:start]
            if "<" in text:
                return None
            if not inside:
                events.append(("data", unescape(text), None))
        at = match.end()
        name = match["start"]
        if name is None:
            end = match["end"].lower()
            if not inside:
                events.append(("end", end, None))
            elif end == inside[-1]:  # (an end tag that closes no open element is ignored)
                inside.pop()
                if not inside:
                    events.append(("end", end, None))
            continue
        tag = name.lower()
        if tag in _RAW_TEXT:
            return None
        if inside:
            if tag in _HEADINGS and any(
                key.lower() == "id" for key, _ in _ATTRIBUTES.findall(match["attrs"])
            ):
                return _events(html, leave_out=False)
            if tag not in _VOID and not match["slash"]:
                inside.append(tag)
            continue
        # (as html.parser gives them: names in lower case, values unquoted and unescaped)
        found = [
            (key.lower(), unescape(value[2:-1]) if value else None)
            for key, value in _ATTRIBUTES.findall(match["attrs"])
        ]
        events.append(("start", tag, found))
        if match["slash"]:
            events.append(("end", tag, None))
        elif leave_out and tag not in _VOID and any(key == _EXCLUDED for key, _ in found):
            inside.append(tag)
    if at < len(html):
        text = html[at:]
        if "<" in text:
            return None
        if not inside:
            events.append(("data", unescape(text), None))
    return events


def read(parser: Any, html: str) -> bool:
    """Hand ``parser`` (an ``html.parser.HTMLParser``) what ``feed(html)`` and ``close()`` would,
    where :func:`_events` can find it, but what an element excluded from search holds (which
    :func:`search_parser`'s parser skips); False, with nothing handed, where it cannot."""
    events = _events(html)
    if events is None:
        return False
    start, end, data = parser.handle_starttag, parser.handle_endtag, parser.handle_data
    for kind, value, attrs in events:
        if kind == "data":
            data(value)
        elif kind == "start":
            start(value, attrs)
        else:
            end(value)
    return True


class _Left:
    """What the search plugin's parser leaves out of a page's entries: elements of the plugin's
    own tags (``script``, ``style``, ``object``), by name, and each element excluded from search
    (``data-search-exclude``) itself.

    The plugin keeps both in one set, where an element equals any other of its tag: the end of
    a ``div`` inside an excluded ``div`` (a callout in an embedded note) took the excluded one
    out of the set, and what followed it was indexed. Here an excluded element is left out
    until its own end."""

    def __init__(self, tags: set[Any]) -> None:
        self.tags = {str(tag) for tag in tags}
        self.excluded: list[Any] = []

    def add(self, element: Any) -> None:
        self.excluded.append(element)

    def remove(self, element: Any) -> None:
        self.excluded = [e for e in self.excluded if e is not element]

    def __contains__(self, element: Any) -> bool:
        return element.tag in self.tags or any(e is element for e in self.excluded)

    def intersection(self, context: list[Any]) -> bool:
        """Whether any element of ``context`` (the open ones) is left out."""
        if self.excluded:  # (an excluded element is added as it opens and removed as it ends)
            return True
        tags = self.tags
        return any(element.tag in tags for element in context)


def search_parser() -> Any:
    """mkdocs-material's parser of a page's HTML into search sections, an excluded element left
    out up to its own end (see :class:`_Left`)."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.skip = _Left(parser.skip)
    return parser


class SearchReader:
    """Has the search plugin's index read each page with :func:`read` (see the module)."""

    def __init__(self) -> None:
        self.read = 0
        """Pages whose HTML :func:`read` read in this process."""
        self.parsed = 0
        """Pages whose HTML ``html.parser`` read in this process."""

    def install(self, config: MkDocsConfig) -> None:
        """Give this build's search index :meth:`add_entry`, where it follows the plugin."""
        self.read = self.parsed = 0
        plugin = material_search(config)
        if not plugin:
            return
        from material import __version__
        from material.plugins.search.plugin import SearchIndex

        index = plugin.search_index
        if not __version__.startswith(MATERIAL_FOLLOWED) or type(index) is not SearchIndex:
            log.debug(
                "search: the search plugin reads every page (mkdocs-material %s)", __version__
            )
            return
        index.add_entry_from_context = partial(self.add_entry, index)

    def add_entry(self, index: Any, page: Page) -> None:
        """What mkdocs-material 9's ``SearchIndex.add_entry_from_context`` does, the page's HTML
        read with :func:`read` where it can be."""
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        parser = search_parser()
        if page.content is not None and read(parser, page.content):
            self.read += 1
        else:
            parser.feed(page.content)
            parser.close()
            self.parsed += 1
        for section in parser.data:
            if not section.is_excluded():
                index.create_entry_for_section(section, page.toc, page.url, page)

    def summarize(self) -> None:
        if self.read or self.parsed:
            log.debug(
                "search: %d pages' HTML read by notesite, %d by html.parser (in this process)",
                self.read,
                self.parsed,
            )
