"""Dataview inline fields (``key:: value`` lines) as a metadata panel at the top of the note.

The field lines leave the body (each becomes an empty line, so line numbers hold) and come
back as a ``<dl class="ns-fields">`` before the first block. The panel is added before inline
processing (treeprocessor priority 30 > 20), so wikilinks and tags in values work as anywhere.
Front matter ``tags`` head the panel as tag links.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from notesite.markdown.context import RenderContext
from notesite.markdown.escape import escape_markdown
from notesite.syntax.fields import find_fields
from notesite.syntax.mask import mask
from notesite.syntax.tags import tags_from_property


class FieldPreprocessor(Preprocessor):
    """Take full-line fields out of the text (never inside code or comments)."""

    def __init__(self, md: Markdown, found: list[tuple[str, str]]) -> None:
        super().__init__(md)
        self.found = found

    def run(self, lines: list[str]) -> list[str]:
        self.found.clear()
        text = "\n".join(lines)
        if "::" not in text:
            return lines
        for field in find_fields(mask(text)):
            line = field.line - 1
            if field.value:
                self.found.append((field.key, field.value))
            lines[line] = ""
        return lines


class FieldPanelTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, found: list[tuple[str, str]], context: RenderContext) -> None:
        super().__init__(md)
        self.found = found
        self.context = context

    def run(self, root: etree.Element) -> None:
        rows = list(self.found)
        tags = tags_from_property(self.context.meta.get("tags", self.context.meta.get("tag")))
        if tags:
            rows.insert(0, ("tags", " ".join("#" + t for t in tags)))
        aliases = self.context.note.aliases if self.context.note is not None else ()
        if aliases:
            # Shown, and so found by search: a note can be looked up by any of its names.
            rows.insert(0, ("aliases", ", ".join(escape_markdown(a) for a in aliases)))
        if not rows:
            return
        panel = etree.Element("dl", {"class": "ns-fields"})
        for key, value in rows:
            etree.SubElement(panel, "dt").text = key
            # Raw Markdown: the inline processors that run next render links and tags in it.
            etree.SubElement(panel, "dd").text = value
        # Under a leading "# Title" heading, if the note starts with one.
        root.insert(1 if len(root) and root[0].tag == "h1" else 0, panel)


class FieldExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.context = context or RenderContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        found: list[tuple[str, str]] = []
        # 26: after fenced code is set aside (25 runs later, but code is masked anyway) and
        # before lists (19), so a removed field line never starts a list or a paragraph.
        md.preprocessors.register(FieldPreprocessor(md, found), "notesite-fields", 26)
        md.treeprocessors.register(
            FieldPanelTreeprocessor(md, found, self.context), "notesite-field-panel", 30
        )


def makeExtension(**kwargs: Any) -> FieldExtension:
    return FieldExtension(**kwargs)
