"""Backlink quotes rendered as their note renders them: inline Markdown, no blocks.

A backlink quotes the passage around a link (:func:`notesite.syntax.quote.quote`) as Markdown.
:class:`QuoteRenderer` turns that passage into HTML with the site's own inline syntax (code
spans, emphasis, ``==highlights==``, math as arithmatex leaves it for KaTeX, tags) and
notesite's links: a wikilink or Markdown link is resolved from the note that wrote it, as on
that note's page, and leads to its target from the page that shows the quote. A link to a
private note or to nothing is text, as on the note's page; images and players become their
text; raw HTML tags and footnote marks are left out.

Only Python-Markdown's inline stage runs (its block parser never sees the passage, so a quote
that starts with ``#`` or ``1.`` stays text). Quotes are rendered when a page shows them, and
kept by passage: a sentence that links three notes is rendered once for pages at one depth.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, cast
from urllib.parse import unquote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, InlineProcessor

from notesite.graph import LinkGraph
from notesite.markdown.context import RenderContext
from notesite.markdown.inline import guard
from notesite.markdown.mdlinks import MarkdownLinkExtension
from notesite.markdown.tags import TagExtension
from notesite.markdown.wikilinks import WikilinkExtension, WikilinkInlineProcessor
from notesite.paths import VaultPath, folder
from notesite.syntax.wikilinks import WIKILINK_RE

#: Tree processors a quote goes through, in this order: inline patterns, Markdown links to
#: vault files, backslash escapes restored.
_STAGES = ("inline", "notesite-mdlinks", "unescape")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "tel"})
_MEDIA = frozenset({"img", "audio", "video", "iframe", "object", "embed", "picture"})
#: How many rendered quotes are kept (a page lists at most a few hundred).
_KEPT = 4096

UrlOf = Callable[[VaultPath], "str | None"]
"""The URL of a vault file's page (or of the file itself) from the site's root, or None."""


class Quote(NamedTuple):
    html: str
    math: bool
    """Whether the quote holds math (the page then needs KaTeX)."""


class _Dropped(InlineProcessor):
    """Matches something a quote leaves out (a raw HTML tag, a footnote mark)."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        return "", m.start(0), m.end(0)


class _QuoteExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(_Dropped(HTML_RE, md), "html", 90)
        # Above footnotes (175): there is no footnote to point at.
        md.inlinePatterns.register(_Dropped(r"\[\^[^\]\s]+\]", md), "notesite-footnote-mark", 176)


class QuoteRenderer:
    """Renders the quotes of one build (one graph, one set of pages)."""

    def __init__(
        self,
        graph: LinkGraph,
        url_of: UrlOf,
        *,
        extensions: Sequence[str] = (),
        configs: Mapping[str, Mapping[str, Any]] | None = None,
        ghosts: Mapping[str, VaultPath] | None = None,
    ) -> None:
        """``extensions`` and ``configs``: the site's Markdown extensions (by name) and their
        settings, so that a quote renders as its note does; only their inline parts act."""
        self.graph = graph
        self.url_of = url_of
        self.context = RenderContext(graph)
        self.context.ghosts = dict(ghosts or {})
        self.md = Markdown(
            extensions=[
                *extensions,
                WikilinkExtension(context=self.context),
                TagExtension(context=self.context),
                MarkdownLinkExtension(context=self.context),
                _QuoteExtension(),
            ],
            extension_configs=dict(configs or {}),
        )
        self.kept: dict[tuple[VaultPath, str, int], Quote] = {}
        self.wikilinks = cast(WikilinkInlineProcessor, self.md.inlinePatterns["notesite-wikilink"])
        self.others = _guards(self.md, but=self.wikilinks)

    def render(self, source: VaultPath, text: str, page_url: str) -> Quote:
        """``text``, a passage of ``source``, as HTML for the page at ``page_url`` (a URL from
        the site's root, as the host gives it: ``a/b/``, ``a/b.html``, ``""``)."""
        depth = page_url.count("/")
        key = (source, text, depth)
        found = self.kept.get(key)
        if found is None:
            if len(self.kept) >= _KEPT:
                self.kept.clear()
            found = self.kept[key] = self._render(source, text, "../" * depth)
        return found

    def _render(self, source: VaultPath, text: str, to_root: str) -> Quote:
        md = self.md
        md.htmlStash.reset()  # (the rest of a reset is for the block stage, which never runs)
        self.context.note = self.graph.notes.get(source)
        self.context.problems = []  # (the note's page reports its problems; a quote does not)
        root = etree.Element("div")
        span = etree.SubElement(root, "span")
        if not self._only_wikilinks(text, span):
            span.text = text
            for name in _STAGES:
                if name in md.treeprocessors:
                    root = md.treeprocessors[name].run(root) or root
        math = _settle(root, source, to_root, self.url_of)
        span = root[0]
        html = md.serializer(span)
        html = html[len("<span>") : -len("</span>")]
        for processor in md.postprocessors:
            html = processor.run(html)
        self.context.note = None
        return Quote(html.strip(), math)

    def _only_wikilinks(self, text: str, span: etree.Element) -> bool:
        """Most quotes are words and wikilinks: when no other inline pattern of the site can
        match, ``span`` gets the text and links the inline stage would give, at a fraction of
        its cost. False (and ``span`` untouched) otherwise."""
        if self.others is None:
            return False
        rest = WIKILINK_RE.sub("", text)
        chars = set(rest)
        for first, literals in self.others:
            if not first.isdisjoint(chars) and all(s in rest for s in literals):
                return False
        made: list[etree.Element] = []
        last = 0
        for match in WIKILINK_RE.finditer(text):
            el, _, _ = self.wikilinks.handleMatch(match, text)
            if el is None:
                return False
            if made:
                made[-1].tail = text[last : match.start()]
            else:
                span.text = text[: match.start()]
            made.append(el)
            last = match.end()
        if made:
            made[-1].tail = text[last:]
        else:
            span.text = text
        span.extend(made)
        return True


def _guards(md: Markdown, but: object) -> list[tuple[frozenset[str], tuple[str, ...]]] | None:
    """What a text must hold for each inline pattern of ``md`` (``but`` one) to match in it;
    None when that is not known of every pattern (see :func:`notesite.markdown.inline.guard`)."""
    guards = []
    for pattern in md.inlinePatterns:
        if pattern is but:
            continue
        needs = guard(pattern.compiled_re) if isinstance(pattern, InlineProcessor) else None
        if needs is None:
            return None
        guards.append((needs.first, needs.literals))
    return guards


def _settle(root: etree.Element, source: VaultPath, to_root: str, url_of: UrlOf) -> bool:
    """Links lead from the page showing the quote; media become text. Whether math is in."""
    parents = {child: parent for parent in root.iter() for child in parent}
    math = False
    for el in list(root.iter()):
        if "arithmatex" in (el.get("class") or "").split():
            math = True
        if el.tag in _MEDIA:
            span = etree.Element("span")
            span.text = el.get("alt") or "".join(el.itertext())
            _replace(el, span, parents)
        elif el.tag == "a" and el.get("href") is not None:
            href = _href(el.get("href") or "", source, to_root, url_of)
            if href is None:  # (a file that is not published, an unsafe URL): its words stay
                span = etree.Element("span")
                span.text, span[:] = el.text, list(el)
                _replace(el, span, parents)
            else:
                el.set("href", href)
        el.attrib.pop("id", None)
    return math


def _href(href: str, source: VaultPath, to_root: str, url_of: UrlOf) -> str | None:
    """A link written on the source note's page, made from the page showing the quote."""
    scheme = _SCHEME.match(href)
    if scheme:  # (no `javascript:` link, which the page's own sanitizer would remove too)
        return href if scheme.group(1).casefold() in _SAFE_SCHEMES else None
    if href.startswith(("/", "?")):
        return href
    path, hash_, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(folder(source), unquote(path))) if path else source
    url = url_of(VaultPath(target))
    if url is None:
        return None
    return (to_root + url or "./") + hash_ + fragment


def _replace(
    old: etree.Element, new: etree.Element, parents: dict[etree.Element, etree.Element]
) -> None:
    parent = parents[old]
    new.tail = old.tail
    parent[list(parent).index(old)] = new
