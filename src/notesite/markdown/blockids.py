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


def _trailing_id(text: str | None) -> re.Match[str] | None:
    # Most paragraphs hold no "^": the search (which tries every run of spaces) is not needed.
    return _TRAILING_ID.search(text) if text and "^" in text else None


class BlockIdTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag not in ("p", "li") or "id" in el.attrib:
                continue
            if len(el):
                last = el[-1]
                if el.tag == "li" and last.tag in ("ul", "ol"):
                    match = _trailing_id(el.text)
                    if match:
                        el.text = (el.text or "")[: match.start()]
                        el.set("id", "^" + match.group("id"))
                    continue
                match = _trailing_id(last.tail)
                if match:
                    last.tail = (last.tail or "")[: match.start()]
                    el.set("id", "^" + match.group("id"))
                continue
            match = _trailing_id(el.text)
            if match:
                el.text = (el.text or "")[: match.start()]
                el.set("id", "^" + match.group("id"))


class BlockIdExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(BlockIdTreeprocessor(md), "notesite-blockids", 25)


def makeExtension(**kwargs: Any) -> BlockIdExtension:
    return BlockIdExtension(**kwargs)
