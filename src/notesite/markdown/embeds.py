"""``![[Note]]``, ``![[Note#Heading]]`` and ``![[Note#^block]]`` on a line of their own:
the target's note, section or block, shown in place in a box with a link to its source.

A whole note's box holds a slot that the HTML of the note's own page fills once every page is
converted (:mod:`notesite.markdown.embedded`): the note is converted once, on its page.

A section or block (and a whole note inside a quote or callout, where no HTML block can stand)
is rendered in place: its Markdown is taken from the target note, its comments and inline
fields removed and its wikilinks rewritten to the exact vault paths they resolve to from the
target (so they lead to the same place from the embedding page), and put inside a
``<div markdown="1">`` that the rest of the pipeline renders like any other text. Embeds nest
up to :data:`MAX_DEPTH`; a cycle (a note embedding itself, directly or not) is cut and reported.
The box is left out of the search index: the embedded words are found on the page of the note
that holds them. (An embed inside a quote or callout has no box: its words are indexed with the
quote.)

Registered at priority 35: after comments are removed (40), before fenced code and raw HTML
are set aside (25, 20), so the embedded text gets the same treatment as the note's own.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from notesite.canvas.load import is_canvas
from notesite.loader import Note
from notesite.markdown.canvas import canvas_embed
from notesite.markdown.context import RenderContext
from notesite.markdown.embedded import MAX_DEPTH, heading_class, slot
from notesite.markdown.escape import escape_markdown
from notesite.markdown.portable import portable
from notesite.paths import relative_href
from notesite.syntax.mask import mask
from notesite.syntax.sections import HEADING, section
from notesite.syntax.wikilinks import WikiLink, parse_inner

_EMBED_LINE = re.compile(r"^(?P<quote>(?:[ \t]*>)*)[ \t]{0,3}!\[\[(?P<inner>[^\[\]\n]+)\]\][ \t]*$")
#: The boxes whose headings are not the page's own.
_OWN_HEADINGS = frozenset({"ns-embed", "ns-canvas"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: What keeps an embed's box out of the search index (mkdocs-material's search reads it): the
#: embedded words are found on the page of the note that holds them, as Obsidian's search finds
#: them in that note's file, not again on every page that embeds them.
_NOT_INDEXED = 'data-search-exclude=""'


class EmbedPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "![[" not in text or self.context.graph is None or self.context.note is None:
            return lines
        return self.expand(text, self.context.note, (self.context.note.path,)).split("\n")

    def expand(self, text: str, source: Note, stack: tuple[str, ...]) -> str:
        masked = mask(text).split("\n")
        out: list[str] = []
        for line, masked_line in zip(text.split("\n"), masked, strict=True):
            match = _EMBED_LINE.match(masked_line)
            if not match:
                out.append(line)
                continue
            link = parse_inner(match.group("inner"), embed=True)
            out.append(self.embed(line, link, source, stack, match.group("quote")))
        return "\n".join(out)

    def embed(
        self, line: str, link: WikiLink, source: Note, stack: tuple[str, ...], quote: str = ""
    ) -> str:
        graph = self.context.graph
        assert graph is not None
        resolution = graph.resolve(link, source.path)
        if resolution.status == "private":
            if quote:
                return f"{quote} *This part is not published.*"
            return '<p class="ns-embed ns-embed--unpublished">This part is not published.</p>'
        if not resolution.ok or resolution.kind != "note" or resolution.path is None:
            return line  # an attachment, or nothing: the inline wikilink processor renders it
        if resolution.path in stack or len(stack) > MAX_DEPTH:
            chain = " -> ".join((*stack, resolution.path))
            why = (
                "is a cycle" if resolution.path in stack else f"nests more than {MAX_DEPTH} embeds"
            )
            self.context.report(
                f"the embed chain {chain} {why}; the last one is shown as a link", "embed"
            )
            return line.replace("![[", "[[", 1)
        target = graph.notes[resolution.path]
        if is_canvas(target.path):
            return self.canvas(line, link, target, stack, quote)
        part = section(target, link)
        if part is None:
            return line.replace("![[", "[[", 1)  # the missing heading is reported by the graph
        href = relative_href(self.context.path, target.path, resolution.anchor)
        # A Markdown link, so that the host turns its .md href into the page's URL.
        source_line = (
            f"[{escape_markdown(link.alias or target.title)}]({href}){{: .ns-embed__source }}"
        )
        box = f'<div class="ns-embed" {_NOT_INDEXED} markdown="1">'
        if not quote and not link.headings and link.block is None:
            # A whole note: its page's HTML, once every page is converted (see
            # notesite.markdown.embedded).
            return f"\n{box}\n{source_line}\n\n{slot(target.path)}\n\n</div>\n"
        part = self.expand(portable(part, target, graph), target, (*stack, target.path))
        if quote:
            return _quoted(quote, source_line, part)
        return f"\n{box}\n{source_line}\n\n{part}\n\n</div>\n"

    def canvas(
        self, line: str, link: WikiLink, target: Note, stack: tuple[str, ...], quote: str
    ) -> str:
        """A canvas in a viewport of its own; in a quote (which holds no HTML block), a link."""
        if quote:
            return line.replace("![[", "[[", 1)
        href = relative_href(self.context.path, target.path)
        title = escape_markdown(link.alias or target.title)
        drawing = self.expand(canvas_embed(self.context, target), target, (*stack, target.path))
        return (
            f'\n<div class="ns-embed ns-embed--canvas" {_NOT_INDEXED} markdown="1">\n'
            f"[{title}]({href}){{: .ns-embed__source }}\n{drawing}\n</div>\n"
        )


def _quoted(quote: str, source_line: str, part: str) -> str:
    """An embed inside a quote or callout: its lines quoted, its headings as bold lines.

    (An HTML block cannot stand inside a quote, so there is no ``div`` to keep the embedded
    headings out of the page's outline: they are written as bold text instead.)
    """
    masked = mask(part).split("\n")
    lines = [source_line, ""]
    for line, masked_line in zip(part.split("\n"), masked, strict=True):
        heading = HEADING.match(masked_line)
        lines.append(f"**{line[heading.start('text') :].rstrip(' #')}**" if heading else line)
    return "\n".join(f"{quote} {line}".rstrip() for line in lines)


class EmbedHeadingTreeprocessor(Treeprocessor):
    """Headings inside an embed (or a canvas's text) belong to the embedded note, not to this
    page's outline.

    They become paragraphs styled as headings, without ids, before the table of contents is
    built (priority 6 > the toc's 5): the page's TOC and anchors stay the page's own.
    """

    def run(self, root: etree.Element) -> None:
        for div in root.iter("div"):
            if _OWN_HEADINGS.isdisjoint((div.get("class") or "").split()):
                continue
            for el in div.iter():
                if el.tag in _HEADING_TAGS:
                    el.set("class", heading_class(el.tag))
                    el.tag = "p"
                    el.attrib.pop("id", None)


class EmbedExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.context = context or RenderContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(EmbedPreprocessor(md, self.context), "notesite-embeds", 35)
        md.treeprocessors.register(EmbedHeadingTreeprocessor(md), "notesite-embed-headings", 6)


def makeExtension(**kwargs: Any) -> EmbedExtension:
    return EmbedExtension(**kwargs)
