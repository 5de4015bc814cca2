"""Wikilinks: ``[[target#heading#sub|alias]]``, ``[[target#^block]]`` and ``![[embeds]]``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

#: One wikilink or embed. The inside may not hold brackets or a newline, as in Obsidian.
WIKILINK_RE = re.compile(r"(?P<embed>!?)\[\[(?P<inner>[^\[\]\n]+?)\]\]")


class WikiLink(NamedTuple):
    """A parsed wikilink, exactly as written (nothing resolved yet)."""

    target: str
    """The note or file part (``folder/Note``, ``paper.pdf``); empty for ``[[#Heading]]``."""
    headings: tuple[str, ...] = ()
    """``[[a#H1#H2]]`` gives ``("H1", "H2")``: a heading path, outermost first."""
    block: str | None = None
    """``[[a#^id]]`` gives ``"id"``."""
    alias: str | None = None
    """The text after ``|``; for embeds of images, a size or alt text."""
    embed: bool = False

    @property
    def fragment(self) -> str:
        """The part after the first ``#`` as written, for messages."""
        if self.block is not None:
            return "^" + self.block
        return "#".join(self.headings)

    @property
    def display(self) -> str:
        """The text Obsidian shows for the link: the alias, else the link as written."""
        if self.alias:
            return self.alias
        text = self.target
        if self.headings or self.block is not None:
            parts = [p for p in (self.target, *self.headings) if p]
            text = " > ".join(parts)
            if self.block is not None:
                text = f"{text} > ^{self.block}" if text else f"^{self.block}"
        return text

    def __str__(self) -> str:
        inner = self.target
        if self.headings:
            inner += "#" + "#".join(self.headings)
        if self.block is not None:
            inner += "#^" + self.block
        if self.alias is not None:
            inner += "|" + self.alias
        return f"{'!' if self.embed else ''}[[{inner}]]"


def parse_inner(inner: str, *, embed: bool = False) -> WikiLink:
    """Parse what stands between ``[[`` and ``]]``.

    ``\\|`` (the form a wikilink takes inside a table cell) separates the alias too.
    """
    alias: str | None = None
    bar = inner.find("|")
    if bar >= 0:
        alias = inner[bar + 1 :].strip()
        inner = inner[:bar]
        if inner.endswith("\\"):
            inner = inner[:-1]
    target, *fragments = inner.split("#")
    headings: list[str] = []
    block: str | None = None
    for fragment in fragments:
        fragment = fragment.strip()
        if fragment.startswith("^"):
            block = fragment[1:]
        elif fragment:
            headings.append(fragment)
    return WikiLink(
        target=target.strip(),
        headings=tuple(headings),
        block=block,
        alias=alias,
        embed=embed,
    )


class Found(NamedTuple):
    """A wikilink found in a text, with where it stands."""

    link: WikiLink
    start: int
    end: int


@lru_cache(maxsize=1 << 16)
def _parse(inner: str, embed: bool) -> WikiLink:
    # A vault writes the same links again and again; a WikiLink is immutable, so one parse serves.
    return parse_inner(inner, embed=embed)


def find_wikilinks(masked: str) -> Iterator[Found]:
    """Yield the wikilinks of an already masked text (see :func:`notesite.syntax.mask.mask`)."""
    for start, end, link in wikilink_spans(masked):
        yield Found(link, start, end)


def wikilink_spans(masked: str) -> list[tuple[int, int, WikiLink]]:
    """``(start, end, link)`` for each wikilink of an already masked text, in order."""
    spans: list[tuple[int, int, WikiLink]] = []
    if "[[" not in masked:
        return spans
    for match in _WIKILINK_FROM_BRACKETS.finditer(masked):
        start = match.start()
        embed = start > 0 and masked[start - 1] == "!"
        link = _parse(match.group("inner"), embed)
        if link.target or link.headings or link.block is not None:
            spans.append((start - embed, match.end(), link))
    return spans


#: WIKILINK_RE without its optional leading ``!`` (checked by hand): a pattern that starts with a
#: literal lets the regex engine jump from one ``[[`` to the next instead of trying every position.
_WIKILINK_FROM_BRACKETS = re.compile(WIKILINK_RE.pattern.removeprefix("(?P<embed>!?)"))
