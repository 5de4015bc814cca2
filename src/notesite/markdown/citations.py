"""Pandoc citations (``[@key, p. 12]``, ``[-@key]``, ``@key says``) formatted in the note's CSL
style, and a References section (pandoc's ``div#refs`` of ``div.csl-entry``) ending each page
that cites.

Only in notes a bibliography applies to (the site's, or the note's front matter
``bibliography``): elsewhere ``@name`` is text. A cite links to the work's literature note
when it has a public one, else to its entry in the References; a literature note's page opens
with the formatted reference of its work.

Inline patterns at priorities 155 and 154: after links (160), so ``[text](url)`` stays a link,
and after code spans, inline math, wikilinks and escapes (190-180), whose text they never see;
before autolinks (120), whose ``<a@b.org>`` the ``@`` rule leaves alone anyway. The
treeprocessor (priority 7) runs once the inline patterns have run (20), and before the table
of contents (5), which then lists the References heading.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from notesite.cite.bibliographies import for_site, unknown_key_message
from notesite.cite.markup import append_marked
from notesite.cite.parse import (
    BRACKET_RE,
    NARRATIVE_RE,
    Citation,
    Cite,
    narrative_cite,
    parse_bracket,
)
from notesite.cite.sources import Library
from notesite.markdown.context import RenderContext
from notesite.markdown.inline import use_fast_inline
from notesite.problems import Problem

_MARK = "data-ns-cite"
#: A URL in a formatted reference (a DOI's or a web page's), made a link as pandoc makes it.
_URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:)\]]")
_REFS_TITLE = "References"


class _Found:
    """The citations of the page being rendered, in the order the patterns met them."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []


def _library(context: RenderContext) -> Library | None:
    if context.citations is None:
        return None
    return context.citations.library(context.meta)


class _CitationPattern(InlineProcessor):
    def __init__(
        self, pattern: str, md: Markdown, context: RenderContext, found: _Found, narrative: bool
    ) -> None:
        super().__init__(pattern, md)
        self.context, self.found, self.narrative = context, found, narrative

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        if _library(self.context) is None:
            return None, None, None
        if self.narrative:
            citation = Citation((narrative_cite(m),), True, m.start(), m.end())
        else:
            cites = parse_bracket(m.group("inner"))
            if cites is None:
                return None, None, None
            citation = Citation(cites, False, m.start(), m.end())
        el = etree.Element("span", {"class": "citation", "data-cites": " ".join(citation.keys)})
        el.set(_MARK, str(len(self.found.citations)))
        el.text = AtomicString(m.group(0))  # (replaced by the treeprocessor)
        self.found.citations.append(citation)
        return el, m.start(0), m.end(0)


class CitationTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext, found: _Found) -> None:
        super().__init__(md)
        self.context, self.found = context, found

    def run(self, root: etree.Element) -> None:
        citations, self.found.citations = self.found.citations, []
        if self.context.citations is None:
            return
        if citations:  # (formatted from the bibliographies: see RenderContext.depends_on_vault)
            self.context.depends_on_vault = True
        self._reference_at_top(root)
        library = _library(self.context)
        if library is None or not citations:
            return
        # In the order of the page (the patterns met bracketed citations before narrative ones):
        # a numeric style numbers works as they are first cited.
        marked = [el for el in root.iter("span") if el.get(_MARK) is not None]
        ordered = [citations[int(el.attrib.pop(_MARK))] for el in marked]
        style = self.context.citations.style_for(self.context.meta)
        page = style.page(library, ordered)
        lines = self._lines()
        for el, citation in zip(marked, ordered, strict=True):
            el.text = None
            for piece in page.citation(citation):
                if piece.key is None:
                    _append_text(el, piece.text or "")
                elif piece.text is None:
                    self._unknown(el, piece.key, lines)
                else:
                    link = etree.SubElement(el, "a", {"href": self._href(piece.key)})
                    link.set("class", "ns-citation")
                    append_marked(link, piece.text)
        references = page.references()
        if references:
            self._references(root, references)

    def _lines(self) -> dict[str, list[int]]:
        """Each cited key's lines in the note, in order (for warnings)."""
        lines: dict[str, list[int]] = {}
        note = self.context.note
        for ref in note.citations if note is not None else ():
            lines.setdefault(ref.link.target.casefold(), []).append(ref.line)
        return lines

    def _unknown(self, parent: etree.Element, key: str, lines: dict[str, list[int]]) -> None:
        span = etree.SubElement(parent, "span", {"class": "ns-cite-unknown"})
        span.text = AtomicString("@" + key)
        span.set("title", f"'{key}' is in no bibliography of this note")
        found = lines.get(key.casefold())
        line = found.pop(0) if found else None
        self.context.report(unknown_key_message(key), "cite", line)

    def _href(self, key: str) -> str:
        graph = self.context.graph
        found = graph.literature_note(key) if graph is not None else None
        if found is not None and found.ok:
            return self.context.href(found)
        return "#ref-" + key

    def _reference_at_top(self, root: etree.Element) -> None:
        graph, note, citations = self.context.graph, self.context.note, self.context.citations
        if graph is None or note is None or citations is None:
            return
        found = (
            (key, citations.holding(key, note.meta)) for key in graph.literature_keys(note.path)
        )
        key, library = next(((k, lib) for k, lib in found if lib is not None), (None, None))
        if key is None or library is None:
            return
        self.context.depends_on_vault = True
        style = citations.style_for(self.context.meta)
        cite = Citation((Cite(key),), False, 0, 0)
        entries = style.page(library, [cite]).references()
        if not entries:
            return
        box = etree.Element("div", {"class": "ns-reference references csl-bib-body"})
        entry = etree.SubElement(box, "div", {"class": "csl-entry"})
        append_marked(entry, entries[0][1])
        _link_urls(entry)
        root.insert(0, box)

    def _references(self, root: etree.Element, references: list[tuple[str, str]]) -> None:
        title = self.context.meta.get("reference-section-title", _REFS_TITLE)
        heading = etree.Element("h2")
        heading.text = AtomicString(str(title))
        refs = etree.Element("div", {"id": "refs", "class": "references csl-bib-body"})
        refs.set("role", "list")
        for key, text in references:
            entry = etree.SubElement(refs, "div", {"id": "ref-" + key, "class": "csl-entry"})
            entry.set("role", "listitem")
            append_marked(entry, text)
            _link_urls(entry)
        # Before the footnotes, as pandoc places them.
        at = next(
            (i for i, el in enumerate(root) if "footnote" in (el.get("class") or "").split()),
            len(root),
        )
        root.insert(at, refs)
        root.insert(at, heading)


def _link_urls(entry: etree.Element) -> None:
    """Turn the URLs in the text of a reference (not in its styled runs) into links."""
    pieces: list[tuple[etree.Element | None, str]] = [(None, entry.text or "")]
    pieces += [(child, child.tail or "") for child in entry]
    for after, text in pieces:
        if not _URL.search(text):
            continue
        links: list[etree.Element] = []
        rest = text
        for found in reversed(list(_URL.finditer(text))):
            link = etree.Element("a", {"href": found.group(0)})
            link.text = AtomicString(found.group(0))
            link.tail = rest[found.end() :]
            rest = rest[: found.start()]
            links.insert(0, link)
        at = 0 if after is None else list(entry).index(after) + 1
        if after is None:
            entry.text = rest
        else:
            after.tail = rest
        for offset, link in enumerate(links):
            entry.insert(at + offset, link)


def _append_text(parent: etree.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class CitationExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.context = context or RenderContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        use_fast_inline(md)
        found = _Found()
        bracket = _CitationPattern(BRACKET_RE.pattern, md, self.context, found, narrative=False)
        narrative = _CitationPattern(NARRATIVE_RE.pattern, md, self.context, found, narrative=True)
        md.inlinePatterns.register(bracket, "notesite-citation", 155)
        md.inlinePatterns.register(narrative, "notesite-citation-narrative", 154)
        tree = CitationTreeprocessor(md, self.context, found)
        md.treeprocessors.register(tree, "notesite-citations", 7)


def makeExtension(**kwargs: Any) -> CitationExtension:
    return CitationExtension(**kwargs)


def site_citations(
    context: RenderContext, vault: Path, options: Any, config_file: str | None
) -> list[Problem]:
    """Read the site's bibliographies and style into the render context (once per build, once
    the graph is there); what reading them found. ``options``: the plugin's."""
    graph = context.graph
    assert graph is not None
    config_dir = Path(config_file).parent if config_file else Path.cwd()
    public = [(n.path, n.meta) for n in graph.public_notes()]
    context.citations = for_site(vault, config_dir, options.bibliography, options.csl, public)
    return context.citations.problems if context.citations is not None else []
