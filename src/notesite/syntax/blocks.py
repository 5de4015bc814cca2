"""Headings and ``^block-ids``: the places inside a note that a link can point at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from notesite.syntax.mask import strip_comments
from notesite.syntax.wikilinks import parse_inner

HEADING_RE = re.compile(
    r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE
)
#: ``^id`` at the end of a paragraph line or list item, after a space.
BLOCK_ID_RE = re.compile(r"\^(?<!\S\^)(?P<id>[A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
_CLOSING_HASHES = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_ATTR_ID = re.compile(r"\s*\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
_MARKUP = re.compile(
    r"!?\[\[(?P<wl>[^\]]*)\]\]"  # a wikilink: its display text
    r"|\[\^[^\]]*\]"  # a footnote reference: nothing
    r"|\[(?P<lt>[^\]]*)\]\([^)]*\)"  # a Markdown link: its text
    r"|(?<!\w)_(?P<em>[^_]+)_(?!\w)"  # _emphasis_
    r"|\*\*|__|[*`$]|==|~~"
)


class Heading(NamedTuple):
    level: int
    text: str
    """The heading's text with Markdown markup removed, as a table of contents shows it."""
    line: int
    custom_id: str | None = None
    """An explicit ``{#id}`` written after the heading."""


def plain_heading_text(text: str) -> str:
    """A heading's text as its table of contents entry reads: markup gone, links as their text."""

    def repl(match: re.Match[str]) -> str:
        if match.group("wl") is not None:
            return parse_inner(match.group("wl")).display
        return match.group("lt") or match.group("em") or ""

    if _MARKUP_CHAR.search(text) is None:  # most headings: nothing to take out
        return " ".join(text.split())
    return " ".join(_MARKUP.sub(repl, strip_comments(text)).split())


#: The characters with which :data:`_MARKUP` or a ``%%comment%%`` starts.
_MARKUP_CHAR = re.compile(r"[\[*_`$=~%]")


def find_headings(masked: str, text: str | None = None) -> Iterator[Heading]:
    """Yield the ATX headings of a note: found in the masked text (so no heading is seen in
    code), read from the original ``text`` (so code and math in a heading keep their text)."""
    if "#" not in masked:
        return
    source = masked if text is None else text
    line = 1
    at = 0
    for match in _headings(masked):
        # The masked text may have blanked the heading's code or math: take the line as written.
        heading = source[match.end("hashes") : match.end()]
        if heading.rstrip().endswith("#"):
            heading = _CLOSING_HASHES.sub("", heading)
        heading = heading.strip()
        custom_id = None
        if "{" in heading and (custom := _ATTR_ID.search(heading)):
            custom_id = custom.group("id")
            heading = heading[: custom.start()]
        line += masked.count("\n", at, match.start())
        at = match.start()
        yield Heading(
            level=len(match.group("hashes")),
            text=plain_heading_text(heading),
            line=line,
            custom_id=custom_id,
        )


def _headings(masked: str) -> Iterator[re.Match[str]]:
    # Only lines that start with up to three spaces and a '#' can be headings: find those with
    # a pattern that begins with a literal newline (which the regex engine skips to directly)
    # rather than trying HEADING_RE's '^' at every position of the note.
    if masked.lstrip(" ").startswith("#"):
        first = HEADING_RE.match(masked)
        if first:
            yield first
    for candidate in _HEADING_LINE.finditer(masked):
        match = HEADING_RE.match(masked, candidate.end())
        if match:
            yield match


_HEADING_LINE = re.compile(r"\n(?= {0,3}#)")


def find_block_ids(masked: str) -> Iterator[str]:
    """Yield the block ids (without ``^``) defined in an already masked text."""
    if "^" not in masked:
        return
    for match in BLOCK_ID_RE.finditer(masked):
        yield match.group("id")


_LINK_UNSAFE = re.compile(r"[#|^:\[\]\\]")


@lru_cache(maxsize=1 << 16)
def heading_key(text: str) -> str:
    """How a link's heading is compared with a note's headings.

    Case and white space are folded, and the characters a wikilink cannot hold (``# | ^ : [ ]``),
    which Obsidian turns into spaces when it writes a link to a heading, count as spaces.
    """
    return " ".join(_LINK_UNSAFE.sub(" ", plain_heading_text(text)).casefold().split())


_FIRST_H1 = re.compile(r"\A(?:[ \t]*\n)*# +(?P<text>[^\n]*?)[ \t]*#*[ \t]*(?:\n|\Z)")


def strip_title_heading(body: str, title: str) -> str:
    """Drop a first ``# H1`` that repeats the page title, so the title is not shown twice.

    The heading's line is replaced by an empty line: line numbers stay those of the file.
    """
    match = _FIRST_H1.match(body)
    if match and heading_key(match.group("text")) == heading_key(title):
        return "\n" * body.count("\n", 0, match.end()) + body[match.end() :]
    return body
