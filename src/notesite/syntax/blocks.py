"""Headings and ``^block-ids``: the places inside a note that a link can point at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

HEADING_RE = re.compile(
    r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE
)
#: ``^id`` at the end of a paragraph line or list item, after a space.
BLOCK_ID_RE = re.compile(r"(?:(?<=\s)|^)\^(?P<id>[A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
_ATTR_ID = re.compile(r"\s*\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
_MARKUP = re.compile(
    r"!?\[\[([^\]|]*\|)?(?P<wl>[^\]]*)\]\]|\[(?P<lt>[^\]]*)\]\([^)]*\)|[*`=~]|(?<!\w)_|_(?!\w)"
)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    """The heading's text with Markdown markup removed, as a table of contents shows it."""
    line: int
    custom_id: str | None = None
    """An explicit ``{#id}`` written after the heading."""


def plain_heading_text(text: str) -> str:
    """Strip inline markup from heading source (links keep their text)."""

    def repl(match: re.Match[str]) -> str:
        if match.group("wl") is not None:
            return match.group("wl")
        if match.group("lt") is not None:
            return match.group("lt")
        return ""

    return _MARKUP.sub(repl, text).strip()


def find_headings(masked: str) -> Iterator[Heading]:
    """Yield the ATX headings of an already masked text."""
    if "#" not in masked:
        return
    for match in HEADING_RE.finditer(masked):
        text = match.group("text")
        custom = _ATTR_ID.search(text)
        custom_id = None
        if custom:
            custom_id = custom.group("id")
            text = text[: custom.start()]
        yield Heading(
            level=len(match.group("hashes")),
            text=plain_heading_text(text),
            line=masked.count("\n", 0, match.start()) + 1,
            custom_id=custom_id,
        )


def find_block_ids(masked: str) -> Iterator[str]:
    """Yield the block ids (without ``^``) defined in an already masked text."""
    if "^" not in masked:
        return
    for match in BLOCK_ID_RE.finditer(masked):
        yield match.group("id")


_LINK_UNSAFE = re.compile(r"[#|^:\[\]\\]")


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
