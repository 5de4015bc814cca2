"""The lists of links on the pages notesite makes (tags, folders), written as HTML at once.

A tag page lists every note with the tag, a folder page every note and folder in it: in a vault
of 1,000 notes about 7,000 lines such as ``- [Topic](../Topic.md)``. Python-Markdown parses each
as a list item holding an inline link, and the host (MkDocs) then turns each link into the URL
of the note's page: about 0.15 ms a line, so that the tag pages took more CPU time to convert
than any other kind of page but the notes themselves.

Those lines come in one form only. The text is :func:`~notesite.markdown.escape.escape_markdown`'s
(letters, digits and spaces; everything else a character reference), the link a relative path
(:func:`~notesite.paths.relative_href`). For a list of such lines alone (blank lines around it,
and no item or indented line beyond them, which Python-Markdown would join to it), this
preprocessor writes what Python-Markdown and the host would make of it, byte for byte: ``<ul>``,
one ``<li><a href="URL">text</a></li>`` a line, ``</ul>``, each on its own line, with each URL
from the host (:attr:`~notesite.markdown.context.RenderContext.link_url`). The HTML goes into
the HTML stash as a raw block, which the rest of the conversion leaves alone.

It acts only while the host sets ``link_url``: on the pages it generated, never on a note. A
list with any other line, or a link the host would not turn into a URL, is left to Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from notesite.markdown.context import RenderContext

#: A line of a list of links, as notesite writes it: the text (escape_markdown's letters,
#: digits, spaces and character references, and a folder's ``/``) and the relative link.
_LINE = re.compile(r"- \[((?:[^\W_]|[ /]|&#[0-9]+;)+)\]\(([^\s()<>\"'\\&#?:]+)\)")

#: A URL the serializer writes as it is (MkDocs' are percent-encoded): no character to escape.
_PLAIN_URL = re.compile(r"[^&<>\"\s]*")

#: A line that a list before it, or after it across blank lines, takes in: an item or an
#: indented line.
_JOINS = re.compile(r"[ \t]|(?:[-*+]|[0-9]+[.)])(?:[ \t]|$)")


def _joins(lines: list[str], at: int, step: int) -> bool:
    """Whether the nearest line of text from ``at`` on (``step`` 1: the first one after a
    block; -1: the last one before it) would make one list with the block."""
    at = at if step > 0 else at - 1
    while 0 <= at < len(lines):
        if lines[at].strip():
            return _JOINS.match(lines[at]) is not None
        at += step
    return False


class LinkListPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        link_url = self.context.link_url
        if link_url is None:
            return lines
        out: list[str] = []
        start = 0
        while start < len(lines):
            end = start
            while end < len(lines) and lines[end].strip():
                end += 1
            block = lines[start:end]
            html = None
            if block and not _joins(lines, start, -1) and not _joins(lines, end, 1):
                html = self._list(block, link_url)
            if html is None:
                out.extend(block)
            else:
                out.append(self.md.htmlStash.store(html))
            if end < len(lines):
                out.append(lines[end])
            start = end + 1
        return out

    @staticmethod
    def _list(block: list[str], link_url: Callable[[str], str | None]) -> str | None:
        """The HTML of a block of lines that is a list of links, else None."""
        items = ["<ul>"]
        for line in block:
            match = _LINE.fullmatch(line)
            if match is None:
                return None
            url = link_url(match[2])
            if url is None or not _PLAIN_URL.fullmatch(url):
                return None
            items.append(f'<li><a href="{url}">{match[1]}</a></li>')
        items.append("</ul>")
        return "\n".join(items)


class LinkListExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.context: RenderContext = kwargs.pop("context", None) or RenderContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # After fenced code and raw HTML are set aside (25, 20) and lists spaced (19).
        md.preprocessors.register(LinkListPreprocessor(md, self.context), "notesite-link-lists", 18)


def makeExtension(**kwargs: Any) -> LinkListExtension:
    return LinkListExtension(**kwargs)
