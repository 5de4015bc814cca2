"""Markdown links and images to vault files, resolved as Obsidian resolves them.

``![](diagram.png)`` finds ``attachments/diagram.png``, ``[see](Other%20note.md)`` finds the
note wherever it is, a link to a note that is not published becomes plain text and one to
nothing becomes the same "not written yet" text as an unresolved wikilink: no broken link and
no 404. A path that already leads to a file relative to the note is left as written.

Registered at priority 1: after inline processing (20) has made the elements, and before the
host's own link rewriting (MkDocs registers its relative-path processor at 0).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from notesite.markdown.context import RenderContext
from notesite.markdown.media import IMAGE, extension, media_element
from notesite.syntax.mdlinks import vault_link
from notesite.syntax.wikilinks import WikiLink

_OURS = ("ns-wikilink", "ns-tag", "ns-timestamp", "ns-video", "ns-embed")


class MarkdownLinkTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        if self.context.graph is None or self.context.note is None:
            return  # no vault to resolve in, or a generated page whose links are already right
        found: list[tuple[etree.Element, str, WikiLink]] = []
        for el in root.iter():
            key = "href" if el.tag == "a" else "src" if el.tag == "img" else None
            if key is None or any(c in (el.get("class") or "") for c in _OURS):
                continue
            link = vault_link(el.get(key) or "", embed=el.tag == "img")
            if link is not None:
                found.append((el, key, link))
        if not found:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for el, key, link in found:
            self.rewrite(el, key, link, parents)

    def rewrite(
        self,
        el: etree.Element,
        key: str,
        link: WikiLink,
        parents: dict[etree.Element, etree.Element],
    ) -> None:
        relative = WikiLink(
            target=link.target if link.target.startswith("../") else "./" + link.target,
            headings=link.headings,
            block=link.block,
        )
        resolution = self.context.resolve(relative)
        if resolution.status == "unresolved":
            resolution = self.context.resolve(link)
        if resolution.ok and resolution.path is not None:
            href = self.context.href(resolution)
            if el.tag == "img" and extension(resolution.path) not in IMAGE:
                src = self.context.file_href(resolution)
                self.replace(
                    el, media_element(href, resolution.path, el.get("alt"), src=src), parents
                )
            else:
                el.set(key, href)
            return
        span = etree.Element(
            "span",
            {
                "class": "ns-wikilink ns-private"
                if resolution.status == "private"
                else "ns-wikilink ns-unresolved"
            },
        )
        if el.tag == "a":
            span.text, span[:] = el.text, list(el)
        elif resolution.status != "private":
            span.text = el.get("alt") or link.target
        self.replace(el, span, parents)

    @staticmethod
    def replace(
        old: etree.Element, new: etree.Element, parents: dict[etree.Element, etree.Element]
    ) -> None:
        parent = parents[old]
        new.tail = old.tail
        parent[list(parent).index(old)] = new


class MarkdownLinkExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.context = context or RenderContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(
            MarkdownLinkTreeprocessor(md, self.context), "notesite-mdlinks", 1
        )


def makeExtension(**kwargs: Any) -> MarkdownLinkExtension:
    return MarkdownLinkExtension(**kwargs)
