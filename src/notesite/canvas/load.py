"""A canvas as a note-like record, so the link graph, backlinks, search and explorer take it in.

Its links are its file nodes (and their ``#heading`` subpaths) and the wikilinks and Markdown
links of its text nodes; its tags are its text nodes' tags. Its body stays the file's JSON:
the page is drawn from it when rendered (:mod:`notesite.markdown.canvas`), once the graph
knows which files are public.
"""

from __future__ import annotations

from types import MappingProxyType

from notesite.canvas.model import Canvas, Node
from notesite.canvas.parse import parse_canvas
from notesite.loader import LinkRef, Loaded, Note, decode, file_digest
from notesite.paths import VaultPath, display_name
from notesite.syntax.mask import mask_and_strip
from notesite.syntax.mdlinks import find_markdown_links
from notesite.syntax.tags import find_tags
from notesite.syntax.wikilinks import WikiLink, parse_inner, wikilink_spans

SUFFIX = ".canvas"


def is_canvas(path: str) -> bool:
    return path.casefold().endswith(SUFFIX)


def file_link(node: Node) -> WikiLink:
    """What a file node links to, as the wikilink ``![[file#subpath]]`` would."""
    return parse_inner(node.file.replace("|", " ") + node.subpath, embed=True)


def background_link(node: Node) -> WikiLink:
    """What a group's background image is, as the wikilink ``![[image]]`` would name it."""
    return parse_inner(node.background.replace("|", " ").replace("#", " "), embed=True)


def canvas_links(canvas: Canvas) -> tuple[list[LinkRef], list[str]]:
    """The links of a canvas's nodes (in the file's order: file nodes, groups' backgrounds, the
    links of text nodes) and the tags of its text nodes."""
    links: list[LinkRef] = []
    tags: list[str] = []
    for node in canvas.nodes:
        if node.type == "file":
            links.append(LinkRef(file_link(node), node.line))
        elif node.type == "group" and node.background:
            links.append(LinkRef(background_link(node), node.line))
        elif node.type == "text" and node.text:
            text = node.text.replace("\r\n", "\n")
            masked, _ = mask_and_strip(text)
            found = wikilink_spans(masked)
            if "](" in masked:
                found += [(f.start, f.end, f.link) for f in find_markdown_links(masked)]
                found.sort(key=lambda span: span[0])
            for start, _, link in found:
                line_start = text.rfind("\n", 0, start) + 1
                links.append(LinkRef(link, node.line, "body", text, line_start, start - line_start))
            tags.extend(tag for tag, _, _ in find_tags(masked) if tag not in tags)
    return links, tags


def load_canvas(path: VaultPath, data: bytes) -> Loaded:
    """Read a ``.canvas`` file; only a file that is not text at all gives no record."""
    text, problems = decode(path, data)
    if text is None:
        return Loaded(None, tuple(problems))
    canvas, found = parse_canvas(path, text)
    links, tags = canvas_links(canvas)
    note = Note(
        path=path,
        title=display_name(path),
        aliases=(),
        meta=MappingProxyType({}),
        tags=tuple(tags),
        fields=(),
        body=text,
        body_line=1,
        links=tuple(links),
        headings=(),
        block_ids=frozenset(),
        source=file_digest(data),
    )
    return Loaded(note, (*problems, *found))
