"""Dataview's query blocks and inline queries, found in a note's text.

A query fence is a ```` ```dataview ```` (or ```` ```dataviewjs ````) code fence, also inside
quotes and callouts, found as :mod:`notesite.syntax.mask` finds fences (indented at most three
spaces; a fence inside another code block is that block's text). An inline query is a code span
starting with ``=`` (`` `= this.status` ``), or ``$=`` for DataviewJS.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from notesite.syntax.mask import mask_blocks

#: A fence as notesite's masking finds them (:mod:`notesite.syntax.mask`): in quotes or not,
#: indented at most three spaces (deeper, it is indented code).
FENCE = re.compile(
    r"^(?P<prefix>(?:[ \t]*>)*[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$"
)
QUERY_LANGUAGES = ("dataview", "dataviewjs")
#: What an embedded note's query fences say of the note they come from (``this`` there).
SOURCE = "notesite-source="


def find_query_fences(lines: list[str]) -> list[tuple[int, int, str, str]]:
    """``(first line, last line, language, query text)`` of each dataview fence (0-based lines),
    skipping fences inside other code blocks."""
    found = []
    i, n = 0, len(lines)
    while i < n:
        match = FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        prefix, fence = match.group("prefix"), match.group("fence")
        info = match.group("info").split(" ", 1)[0].lower()
        char, size = fence[0], len(fence)
        close = re.compile(rf"^(?:[ \t]*>)*[ \t]{{0,3}}{re.escape(char)}{{{size},}}[ \t]*$")
        j = i + 1
        body: list[str] = []
        while j < n and not close.match(lines[j]):
            inner = _strip_prefix(lines[j], prefix)
            if inner is None:  # the quote holding the fence ended
                j -= 1
                break
            body.append(inner)
            j += 1
        if info in QUERY_LANGUAGES:
            found.append((i, min(j, n - 1), info, "\n".join(body)))
        i = j + 1
    return found


def mark_sources(text: str, path: str) -> str:
    """A note's text to embed elsewhere: each query fence says which note it comes from
    (```` ```dataview notesite-source=Papers/A%20note.md ````), so that it runs as on that
    note's page."""
    if "dataview" not in text:
        return text
    lines = text.split("\n")
    for start, _, _, _ in find_query_fences(lines):
        if SOURCE not in lines[start]:
            lines[start] = lines[start].rstrip() + " " + SOURCE + quote(path)
    return "\n".join(lines)


def fence_source(line: str) -> str | None:
    """The note a query fence comes from, when it was embedded (see :func:`mark_sources`)."""
    at = line.find(SOURCE)
    return unquote(line[at + len(SOURCE) :].split()[0]) if at >= 0 else None


def _strip_prefix(line: str, prefix: str) -> str | None:
    """The line without a fence's quote and indent prefix (None: the line leaves the quote)."""
    quotes = prefix.count(">")
    rest = line
    for _ in range(quotes):
        stripped = rest.lstrip(" \t")
        if not stripped.startswith(">"):
            return None if stripped else ""
        rest = stripped[1:]
        rest = rest[1:] if rest.startswith(" ") else rest
    indent = len(prefix.rsplit(">", 1)[-1])
    return rest[indent:] if rest[:indent].strip() == "" else rest.lstrip()


_TICKS = re.compile(r"`+")


def code_spans(text: str) -> list[tuple[int, str]]:
    """``(offset, content)`` of each code span of a text, as CommonMark pairs backtick runs:
    a run opens a span that the next run of the same length closes."""
    runs = list(_TICKS.finditer(text))
    spans, i = [], 0
    while i < len(runs):
        opening = runs[i]
        size = len(opening.group(0))
        j = next((k for k in range(i + 1, len(runs)) if len(runs[k].group(0)) == size), None)
        if j is None:
            i += 1
            continue
        content = text[opening.end() : runs[j].start()]
        if len(content) > 2 and content[0] == content[-1] == " " and content.strip():
            content = content[1:-1]
        spans.append((opening.start(), content))
        i = j + 1
    return spans


def find_inline_js(text: str) -> list[int]:
    """The 1-based lines of the DataviewJS inline queries (`` `$= ...` ``) of a text."""
    if "$=" not in text:
        return []
    masked = mask_blocks(text)
    return [
        masked.count("\n", 0, at) + 1
        for at, content in code_spans(masked)
        if content.startswith("$=")
    ]
