"""``[[wikilinks]]`` and ``![[image embeds]]`` as links to the pages and files they resolve to.

Registered at priority 185: below code spans (190) and inline math (189.9), so nothing inside
them is a link, and above backslash escapes (180), so that ``[[a\\|b]]`` in a table cell still
has its ``\\|`` when the link is parsed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from notesite.graph import Resolution
from notesite.markdown.context import RenderContext
from notesite.markdown.inline import use_fast_inline
from notesite.markdown.media import media_element
from notesite.syntax.wikilinks import WIKILINK_RE, WikiLink, parse_inner


class WikilinkInlineProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, context: RenderContext) -> None:
        super().__init__(pattern, md)
        self.context = context

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        link = parse_inner(m.group("inner"), embed=bool(m.group("embed")))
        if not (link.target or link.headings or link.block is not None):
            return None, None, None
        resolution = self.context.resolve(link)
        if resolution.ok and link.embed and resolution.kind == "attachment":
            return self.attachment_embed(link, resolution), m.start(0), m.end(0)
        return self.link(link, resolution), m.start(0), m.end(0)

    def link(self, link: WikiLink, resolution: Resolution) -> etree.Element:
        """An ``<a>`` for a link that leads somewhere, else a ``<span>`` that says why not."""
        if resolution.ok:
            el = etree.Element("a", {"href": self.context.href(resolution), "class": "ns-wikilink"})
            if resolution.kind == "attachment":
                el.set("class", "ns-wikilink ns-attachment")
        elif resolution.status == "private":
            # No href, no title, no target: nothing about the private note reaches the page.
            el = etree.Element("span", {"class": "ns-wikilink ns-private"})
        else:
            # Distinct either way; a link only when there is a "not written yet" page to go to.
            ghost = self.context.ghost_href(link)
            el = etree.Element("a" if ghost else "span", {"class": "ns-wikilink ns-unresolved"})
            el.set("title", f"'{link.target}' is not written yet")
            if ghost:
                el.set("href", ghost)
        el.text = AtomicString(link.display)
        return el

    def attachment_embed(self, link: WikiLink, resolution: Resolution) -> etree.Element:
        """``![[file.png|300]]``, ``![[talk.mp3]]``, ``![[paper.pdf#page=3]]``."""
        assert resolution.path is not None
        fragment = "#".join(link.headings)
        href, src = self.context.href(resolution), self.context.file_href(resolution)
        return media_element(href, resolution.path, link.alias, fragment, src=src)


class WikilinkExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        # The context is an object, not a config value: Python-Markdown would coerce a config
        # option whose default is None into a bool.
        self.context = context or RenderContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        use_fast_inline(md)
        md.inlinePatterns.register(
            WikilinkInlineProcessor(WIKILINK_RE.pattern, md, self.context), "notesite-wikilink", 185
        )


def makeExtension(**kwargs: Any) -> WikilinkExtension:
    return WikilinkExtension(**kwargs)
