"""``^block-id`` at the end of a paragraph or list item becomes that element's ``id``.

Obsidian links to a block as ``[[note#^id]]``; the element gets the id ``^id`` so that the
link's fragment is the same in the site as in Obsidian. Runs before inline processing
(priority 25 > 20), while a paragraph's text is still its Markdown source.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

_TRAILING_ID = re.compile(r"(?:^|\s+)\^(?P<id>[A-Za-z0-9-]+)[ \t]*$")


class BlockIdTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag not in ("p", "li") or "id" in el.attrib:
                continue
            if len(el):
                last = el[-1]
                if el.tag == "li" and last.tag in ("ul", "ol"):
                    text = el.text or ""
                    match = _TRAILING_ID.search(text)
                    if match:
                        el.text = text[: match.start()]
                        el.set("id", "^" + match.group("id"))
                    continue
                tail = last.tail or ""
                match = _TRAILING_ID.search(tail)
                if match:
                    last.tail = tail[: match.start()]
                    el.set("id", "^" + match.group("id"))
                continue
            text = el.text or ""
            match = _TRAILING_ID.search(text)
            if match:
                el.text = text[: match.start()]
                el.set("id", "^" + match.group("id"))


class BlockIdExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(BlockIdTreeprocessor(md), "notesite-blockids", 25)


def makeExtension(**kwargs: Any) -> BlockIdExtension:
    return BlockIdExtension(**kwargs)
