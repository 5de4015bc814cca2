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

_Event = tuple[str, Any, Any]


def _events(html: str) -> list[_Event] | None:
    """The start tags, end tags and text of ``html`` as ``html.parser`` hands them to its
    handlers (``handle_startendtag`` as a start and an end); None when ``html`` holds anything
    else."""
    events: list[_Event] = []
    at = 0
    for match in _TAG.finditer(html):
        start = match.start()
        if start > at:
            text = html[at:start]
            if "<" in text:
                return None
            events.append(("data", unescape(text), None))
        at = match.end()
        name = match["start"]
        if name is None:
            events.append(("end", match["end"].lower(), None))
            continue
        tag = name.lower()
        if tag in _RAW_TEXT:
            return None
        # (as html.parser gives them: names in lower case, values unquoted and unescaped)
        found = [
            (key.lower(), unescape(value[2:-1]) if value else None)
            for key, value in _ATTRIBUTES.findall(match["attrs"])
        ]
        events.append(("start", tag, found))
        if match["slash"]:
            events.append(("end", tag, None))
    if at < len(html):
        text = html[at:]
        if "<" in text:
            return None
        events.append(("data", unescape(text), None))
    return events


def read(parser: Any, html: str) -> bool:
    """Hand ``parser`` (an ``html.parser.HTMLParser``) what ``feed(html)`` and ``close()`` would,
    where :func:`_events` can find it; False, with nothing handed, where it cannot."""
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
        from material.plugins.search.plugin import Parser

        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        parser = Parser()
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
