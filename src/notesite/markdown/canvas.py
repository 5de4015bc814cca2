"""A canvas drawn as HTML: each node a box placed by CSS, each edge a curve in one SVG.

A canvas's page is its nodes, in Markdown and HTML that the rest of the pipeline renders like
any note (``md_in_html`` renders each text node with every notesite syntax): the text is in
the page for search and its links work with hover previews; a script only adds pan and zoom.
Positions are CSS custom properties (``--ns-x``...), the only inline style the sanitizer keeps.

- text node: its Markdown; file node: a note's card (its title linking to its page and its
  opening), an image, or a link to any other file; a private note: a neutral card;
- link node: the URL as a link, nothing fetched before a click; group: a labelled box;
- edges: curves between node sides, with arrow heads, colors and labels.

Registered at priority 45: before comments are removed (40) and embeds expanded (35), so a text
node's Markdown gets the treatment of a note's own. :func:`canvas_markup` draws an embedded
canvas too (see :mod:`notesite.markdown.embeds`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from notesite.canvas.layout import Box, bounds, edge_shape
from notesite.canvas.load import background_link, file_link, is_canvas
from notesite.canvas.model import Canvas, Node
from notesite.canvas.parse import parse_canvas
from notesite.graph import LinkGraph, Resolution, looks_like_file
from notesite.loader import Note
from notesite.markdown.context import RenderContext
from notesite.markdown.escape import escape_markdown
from notesite.markdown.media import IMAGE, extension
from notesite.markdown.portable import portable
from notesite.syntax.mask import mask
from notesite.syntax.sections import HEADING, section

#: How much of a note a file node's card shows: its first blocks, up to this many characters.
OPENING_CHARS = 400
OPENING_BLOCKS = 3
_SCHEMES = ("http", "https", "mailto")
_FIELD_LINE = re.compile(r"^[^:\n]+::")

Rewrite = Callable[[str], str]


def _px(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + "px"


def _attrs(classes: list[str], node: Node | None, box: Box, **extra: str) -> str:
    """The attributes of a node's ``div``: classes, place, color, and ``extra``."""
    style = []
    if node is not None:
        style = [
            f"--ns-x:{_px(node.x - box.x)}",
            f"--ns-y:{_px(node.y - box.y)}",
            f"--ns-w:{_px(node.width)}",
            f"--ns-h:{_px(node.height)}",
        ]
        if node.color:
            classes.append(_color_class(node.color))
            if node.color.startswith("#"):
                style.append(f"--ns-color:{node.color}")
        extra = {"data-node": node.id, **extra}
    parts = [f'class="{" ".join(classes)}"']
    if style:
        parts.append(f'style="{";".join(style)}"')
    parts += [f'{name.replace("_", "-")}="{html.escape(value)}"' for name, value in extra.items()]
    return " ".join(parts)


def _color_class(color: str) -> str:
    return "ns-canvas-color" if color.startswith("#") else f"ns-canvas-color-{color}"


class CanvasDrawing:
    """Draws the canvas ``source`` for the page being rendered (its own, or a note embedding it):
    its files are resolved from the canvas, links made from the page."""

    def __init__(
        self,
        context: RenderContext,
        source: Note,
        *,
        rewrite: Rewrite | None = None,
    ) -> None:
        self.context = context
        self.source = source
        self.rewrite = rewrite
        """What a text node's Markdown goes through when the canvas is shown elsewhere."""

    @property
    def graph(self) -> LinkGraph | None:
        return self.context.graph

    def markup(self, canvas: Canvas, *, embedded: bool = False) -> str:
        box = bounds(canvas)
        nodes = {node.id: node for node in canvas.nodes}
        # Groups lie under everything, in the file's order; then the edges; then other nodes.
        groups = [n for n in canvas.nodes if n.type == "group"]
        others = [n for n in canvas.nodes if n.type != "group"]
        kind = "ns-canvas ns-canvas--embed" if embedded else "ns-canvas"
        out = [
            "",
            f'<div class="{kind}" data-ns-canvas markdown="1">',
            f'<div class="ns-canvas__board" style="--ns-w:{_px(box.width)};'
            f'--ns-h:{_px(box.height)}" markdown="1">',
            "",
        ]
        for node in groups:
            out += self.group(node, box)
        if canvas.edges:
            out += [self.edges(canvas, nodes, box), ""]
        for node in others:
            out += getattr(self, node.type)(node, box)
        for edge in canvas.edges:
            if edge.label:
                shape = edge_shape(edge, nodes[edge.from_node], nodes[edge.to_node])
                x, y = shape.middle
                style = f"--ns-x:{_px(x - box.x)};--ns-y:{_px(y - box.y)}"
                out.append(
                    f'<div class="ns-canvas__edge-label" style="{style}" '
                    f'data-edge="{html.escape(edge.id)}">{html.escape(edge.label)}</div>'
                )
        out += ["", "</div>", "</div>", ""]
        return "\n".join(out)

    # -- nodes ---------------------------------------------------------------------------------

    def text(self, node: Node, box: Box) -> list[str]:
        text = node.text.replace("\r\n", "\n")
        if self.rewrite is not None:
            text = self.rewrite(text)
        return [
            f'<div {_attrs(["ns-canvas__node", "ns-canvas__text"], node, box)} markdown="1">',
            "",
            text,
            "",
            "</div>",
            "",
        ]

    def link(self, node: Node, box: Box) -> list[str]:
        url = node.url
        parts = urlsplit(url)
        shown = escape_markdown(parts.netloc + parts.path.rstrip("/") if parts.netloc else url)
        if parts.scheme.casefold() in _SCHEMES:
            # No preview, no favicon: nothing reaches the linked site before a click.
            body = f"[{shown}](<{url.replace('>', '%3E')}>){{: .ns-canvas__url }}"
        else:
            body = shown
        classes = ["ns-canvas__node", "ns-canvas__link"]
        return [f'<div {_attrs(classes, node, box)} markdown="1">', "", body, "", "</div>", ""]

    def group(self, node: Node, box: Box) -> list[str]:
        classes = ["ns-canvas__node", "ns-canvas__group"]
        out = [f'<div {_attrs(classes, node, box)} markdown="1">', ""]
        if node.label:
            out += [f'<div class="ns-canvas__label">{html.escape(node.label)}</div>', ""]
        if node.background and self.graph is not None:
            found = self.graph.resolve(background_link(node), self.source.path)
            if found.ok and found.kind == "attachment":
                style = node.background_style or "cover"
                href = self.context.href(found)
                out += [
                    f"![]({href}){{: .ns-canvas__background .ns-canvas__background--{style} }}",
                    "",
                ]
        return [*out, "</div>", ""]

    def file(self, node: Node, box: Box) -> list[str]:
        classes = ["ns-canvas__node", "ns-canvas__file"]
        found = self._resolve(node)
        if found is None or found.status == "unresolved" or found.path is None:
            body = f'<p class="ns-canvas__missing">{html.escape(node.file)} is not in the vault</p>'
            classes.append("ns-canvas__file--missing")
            return [f"<div {_attrs(classes, node, box)}>", body, "</div>", ""]
        if found.status == "private":
            # Nothing of the note: not its title, not its text, not where it is.
            classes.append("ns-canvas__file--private")
            body = '<p class="ns-canvas__private">This note is not published.</p>'
            return [f"<div {_attrs(classes, node, box)}>", body, "</div>", ""]
        href = self.context.href(found)
        if found.kind == "attachment":
            name = escape_markdown(found.path.rsplit("/", 1)[-1])
            if extension(found.path) in IMAGE:
                classes.append("ns-canvas__file--image")
                body = f"![{name}]({href})"
            else:
                body = f"[{name}]({href}){{: .ns-canvas__file-title }}"
            return [f'<div {_attrs(classes, node, box)} markdown="1">', "", body, "", "</div>", ""]
        assert self.graph is not None
        target = self.graph.notes[found.path]
        link = file_link(node)
        title = " › ".join([target.title, *link.headings]) if link.headings else target.title
        out = [
            f'<div {_attrs(classes, node, box)} markdown="1">',
            "",
            f"[{escape_markdown(title)}]({href}){{: .ns-canvas__file-title }}",
            "",
        ]
        opening = self.opening(target, node)
        if opening:
            out += ['<div class="ns-canvas__opening" markdown="1">', "", opening, "", "</div>", ""]
        return [*out, "</div>", ""]

    def opening(self, target: Note, node: Node) -> str:
        """The first blocks of the note (or of its section), headings and fields left out."""
        if self.graph is None or is_canvas(target.path):
            return ""
        part = section(target, file_link(node))
        if part is None:
            return ""
        text = portable(part, target, self.graph)
        lines = text.split("\n")
        masked = mask(text).split("\n")
        blocks: list[list[str]] = [[]]
        size = 0
        for line, masked_line in zip(lines, masked, strict=True):
            if HEADING.match(masked_line) or _FIELD_LINE.match(masked_line):
                continue
            if not masked_line.strip():
                if blocks[-1]:
                    if len(blocks) == OPENING_BLOCKS or size >= OPENING_CHARS:
                        break
                    blocks.append([])
                continue
            blocks[-1].append(line)
            size += len(line)
        # Embeds are not expanded in a card (a card is an opening, not the note).
        text = "\n\n".join("\n".join(block) for block in blocks if block)
        return text.replace("![[", "[[")

    def _resolve(self, node: Node) -> Resolution | None:
        """Where a file node's file is; ``None`` without a graph. A note that is missing is
        reported here (the graph said so at INFO level only)."""
        if self.graph is None:
            return None
        link = file_link(node)
        found = self.graph.resolve(link, self.source.path)
        if (
            found.status == "unresolved"
            and not looks_like_file(link.target)  # (a missing file is the graph's warning)
            and self.source.path == self.context.path  # (reported on the canvas's page only)
        ):
            self.context.report(
                f"has a file node '{node.id}' showing '{node.file}', which is not in the vault",
                "canvas",
                node.line,
            )
        return found

    # -- edges ---------------------------------------------------------------------------------

    def edges(self, canvas: Canvas, nodes: dict[str, Node], box: Box) -> str:
        parts = [
            '<div class="ns-canvas__edges">',
            f'<svg class="ns-canvas__curves" width="{box.width:.0f}" height="{box.height:.0f}" '
            f'viewBox="{box.x:.0f} {box.y:.0f} {box.width:.0f} {box.height:.0f}" '
            'aria-hidden="true">',
        ]
        for edge in canvas.edges:
            shape = edge_shape(edge, nodes[edge.from_node], nodes[edge.to_node])
            classes = ["ns-canvas__edge"]
            style = ""
            if edge.color:
                classes.append(_color_class(edge.color))
                if edge.color.startswith("#"):
                    style = f' style="--ns-color:{edge.color}"'
            parts.append(
                f'<g class="{" ".join(classes)}"{style} data-edge="{html.escape(edge.id)}">'
                f'<path class="ns-canvas__line" d="{shape.path}"></path>'
                + "".join(f'<path class="ns-canvas__arrow" d="{d}"></path>' for d in shape.arrows)
                + "</g>"
            )
        parts.append("</svg></div>")
        return "".join(parts)


class CanvasPreprocessor(Preprocessor):
    """A canvas's page: its JSON replaced by the drawing of the canvas."""

    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        note = self.context.note
        if note is None or not is_canvas(note.path):
            return lines
        canvas, _ = parse_canvas(note.path, note.body)  # (its problems were reported on reading)
        return CanvasDrawing(self.context, note).markup(canvas).split("\n")


def canvas_embed(context: RenderContext, target: Note) -> str:
    """The drawing of a canvas embedded in the page being rendered."""
    canvas, _ = parse_canvas(target.path, target.body)
    graph = context.graph

    def rewrite(text: str) -> str:
        return text if graph is None else portable(text, target, graph)

    return CanvasDrawing(context, target, rewrite=rewrite).markup(canvas, embedded=True)


class CanvasExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.context = context or RenderContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(CanvasPreprocessor(md, self.context), "notesite-canvas", 45)


def makeExtension(**kwargs: Any) -> CanvasExtension:
    return CanvasExtension(**kwargs)
