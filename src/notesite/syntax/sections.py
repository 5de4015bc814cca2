"""The part of a note a link with ``#heading`` or ``#^block`` names (what an embed shows)."""

from __future__ import annotations

import re

from notesite.loader import Note
from notesite.syntax.blocks import heading_key
from notesite.syntax.mask import mask
from notesite.syntax.wikilinks import WikiLink

HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")


def section(note: Note, link: WikiLink) -> str | None:
    """The part of a note's body an embed shows, or None when the heading/block is missing."""
    lines = note.body.split("\n")
    masked = mask(note.body).split("\n")
    if link.block is not None:
        wanted = re.compile(rf"(?:^|\s)\^{re.escape(link.block)}[ \t]*$", re.IGNORECASE)
        for i, line in enumerate(masked):
            if wanted.search(line):
                if re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line):
                    return lines[i]
                first = i
                while first > 0 and masked[first - 1].strip():
                    first -= 1
                return "\n".join(lines[first : i + 1])
        return None
    if not link.headings:
        return note.body
    start: int | None = None
    level, end = 7, len(lines)
    wanted_keys = [heading_key(h) for h in link.headings]
    for i, line in enumerate(masked):
        match = HEADING.match(line)
        if not match:
            continue
        this_level = len(match.group("hashes"))
        if start is None:
            if wanted_keys and heading_key(match.group("text")) == wanted_keys[0]:
                wanted_keys.pop(0)
                if not wanted_keys:
                    start, level = i, this_level
        elif this_level <= level:
            end = i
            break
    return None if start is None else "\n".join(lines[start:end])
