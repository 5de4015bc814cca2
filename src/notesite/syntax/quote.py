"""The passage of a line that a backlink quotes, as Markdown: cut only between tokens.

A backlink shows the sentence (or list item, table row, field) around a link, rendered as the
note renders it. The passage is taken from the link's source line: its block marks (quote and
list markers, a heading's hashes, a callout's or footnote's label, a trailing block id) go, a
field's ``key::`` reads ``key:``, a table row's cells stand side by side, and a long line gives
the sentence around the link, then at most :data:`LIMIT` characters around it.

A cut never falls inside a token: a code span, math, a wikilink or Markdown link, an HTML tag or
a backslash escape is kept whole or left out. Emphasis, highlights and strikethrough may be
cut through: the delimiters of a pair that a cut separates are written again at the cut, so the
passage renders as the note does, without a stray ``**`` or ``==``. Pure text work: no I/O.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import NamedTuple

#: How many characters (as the reader sees them) a passage holds at most.
LIMIT = 160
ELLIPSIS = "…"

_ATOM = re.compile(
    r"""
    (?=[`!\[\\$<])  # (what every token starts with: the engine skips other places at once)
    (?:
      (?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))
    | (?P<wikilink>!?\[\[(?P<inner>[^\[\]\n]+?)\]\])
    | \[\^[^\]\s]+\]
    | (?P<mdlink>!?\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\))
    | \$\$.+?\$\$
    | (?<![\\$])\$(?![\s$])(?:\\.|[^\\$\n])+?(?<![\s\\])\$(?!\d)
    | \\\(.+?\\\)
    | <[^<>\n]*>
    | \\.
    )
    """,
    re.VERBOSE,
)
#: Runs that open or close emphasis, highlights and strikethrough.
_DELIMITER = re.compile(r"\*{1,3}|_{1,3}|==|~~")
_WORD = re.compile(r"\S+")
#: A sentence end: the next sentence starts after it, unless in lower case (``U.S. trade``).
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+")
_PREFIX = re.compile(
    r"^(?:[ \t]*>)*[ \t]*(?:[-*+][ \t]+(?:\[.\][ \t]+)?|\d+[.)][ \t]+|\#{1,6}[ \t]+)?"
    r"(?:\[\^[^\]]+\]:[ \t]*)?(?:\[![^\]]*\][+-]?[ \t]*)?"
)
_FIELD = re.compile(r"(?P<key>[^:\n]+?)::[ \t]*")
_BLOCK_ID = re.compile(r"\s\^[A-Za-z0-9-]+[ \t]*$")
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_BAR = re.compile(r"(?<!\\)\|")
_CELL_GAP = " · "


class _Line(NamedTuple):
    """A line made ready for quoting: worked out once for all the links it holds."""

    text: str
    """The line without its block marks (a table row: its cells side by side)."""
    moves: tuple[tuple[int, int], ...]
    """``(from, shift)``: an offset of the line at or after ``from`` is ``offset + shift``."""
    atoms: list[tuple[int, int, int]]
    """Each token's start, end and width (how many characters the reader sees of it)."""
    masked: str
    """:attr:`text` with each token blanked (no space in it, no sentence end)."""
    sentences: list[int]
    """Where each sentence but the first starts."""
    width: int
    """How many characters the reader sees of the whole line."""
    pairs: list[tuple[int, int, str]]
    """The emphasis pairs (see :func:`_pairs`)."""


def quote(line: str, offset: int, limit: int = LIMIT) -> str:
    """The Markdown of the passage around ``offset`` (where a link starts) in ``line``."""
    ready = _ready(line)
    text = ready.text
    if ready.width <= limit:
        return text.strip()
    shift = next((shift for start, shift in reversed(ready.moves) if offset >= start), 0)
    at = offset + shift
    # The sentence around the link, then the words of it around the link that fit.
    after = bisect.bisect_right(ready.sentences, at)
    begin = ready.sentences[after - 1] if after else 0
    stop = ready.sentences[after] if after < len(ready.sentences) else len(text)
    starts, ends, widths = _words(ready, begin, stop)
    if not starts:
        return ""
    word = min(bisect.bisect_right(ends, at), len(starts) - 1)
    first, last = _window(widths, 0, len(starts) - 1, word, limit)
    start, end = starts[first], ends[last]
    opened, closed = _balance(ready.pairs, start, end)
    passage = opened + text[start:end] + closed
    if first > 0:
        passage = ELLIPSIS + passage
    if last < len(starts) - 1:
        passage += ELLIPSIS
    return passage


@functools.lru_cache(maxsize=256)
def _ready(line: str) -> _Line:
    # Kept for a while: a line that links several notes is quoted for each of them, and a line
    # of 10,000 links is looked at once, not once for each.
    text, moves = _without_marks(line)
    atoms = [(m.start(), m.end(), _width(m)) for m in _ATOM.finditer(text)]
    if text.lstrip().startswith("|"):
        text, cell_moves, atoms = _cells(text, atoms)
        cut = moves[0][1]  # (a row has no field)
        moves = [(start - cut, shift + cut) for start, shift in cell_moves]
    masked = text
    if atoms:
        pieces, last = [], 0
        for start, end, _ in atoms:
            pieces += [text[last:start], "\0" * (end - start)]
            last = end
        pieces.append(text[last:])
        masked = "".join(pieces)
    return _Line(
        text=text,
        moves=tuple(moves),
        atoms=atoms,
        masked=masked,
        sentences=[
            m.end()
            for m in _SENTENCE_BREAK.finditer(masked)
            if m.end() < len(masked) and not masked[m.end()].islower()
        ],
        width=len(text) - sum(end - start - width for start, end, width in atoms),
        pairs=_pairs(text, atoms),
    )


def _without_marks(line: str) -> tuple[str, list[tuple[int, int]]]:
    """The line without its block marks, and how offsets move (see :attr:`_Line.moves`)."""
    head = _PREFIX.match(line)
    cut = head.end() if head else 0
    field = _FIELD.match(line, cut)
    if field and "[[" not in field.group("key") and "`" not in field.group("key"):
        key = field.group("key")
        moves = [(0, -cut), (field.end(), len(key) + 2 - field.end())]
        line = f"{key}: {line[field.end() :]}"
    else:
        moves = [(0, -cut)]
        line = line[cut:]
    line = _BLOCK_ID.sub("", line)
    line = _HEADING_CLOSE.sub("", line) if head and "#" in head.group(0) else line
    return line, moves


def _width(match: re.Match[str]) -> int:
    """About how many characters the reader sees of a token (a link: its alias, else target)."""
    inner = match.group("inner")
    if inner is not None:
        return len(inner) - inner.find("|") - 1 if "|" in inner else len(inner)
    if match.group("mdlink"):
        return len(match.group("text"))
    if match.group("code"):
        return len(match.group(0)) - 2 * len(match.group("ticks"))
    return len(match.group(0))


def _cells(
    line: str, atoms: list[tuple[int, int, int]]
) -> tuple[str, list[tuple[int, int]], list[tuple[int, int, int]]]:
    """A table row as its cells side by side (``a · b``), how offsets move, and its tokens."""
    bars = [m.start() for m in _BAR.finditer(line) if not _inside(m.start(), atoms)]
    edges = [-1, *bars, len(line)]
    pieces: list[str] = []
    moves: list[tuple[int, int]] = []
    moved: list[tuple[int, int, int]] = []
    at = 0
    for left, right in itertools.pairwise(edges):
        cell = line[left + 1 : right]
        begin = left + 1 + len(cell) - len(cell.lstrip())
        cell = cell.strip()
        if not cell:
            continue
        if pieces:
            at += len(_CELL_GAP)
        moves.append((begin, at - begin))
        moved += [(s + at - begin, e + at - begin, w) for s, e, w in atoms if begin <= s < right]
        pieces.append(cell)
        at += len(cell)
    return _CELL_GAP.join(pieces), moves, moved


def _inside(position: int, atoms: list[tuple[int, int, int]]) -> bool:
    return any(s <= position < e for s, e, _ in atoms)


def _words(ready: _Line, begin: int, stop: int) -> tuple[list[int], list[int], list[int]]:
    """Where the words between ``begin`` and ``stop`` start and end, and their widths: spaces
    inside a token do not separate words."""
    spans = [match.span() for match in _WORD.finditer(ready.masked, begin, stop)]
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    widths = [end - start for start, end in spans]
    atoms = ready.atoms
    index = bisect.bisect_left(atoms, (begin,))
    while index < len(atoms) and atoms[index][0] < stop:
        start, end, width = atoms[index]
        widths[bisect.bisect_right(starts, start) - 1] += width - (end - start)
        index += 1
    return starts, ends, widths


def _window(widths: list[int], first: int, last: int, at: int, limit: int) -> tuple[int, int]:
    """At most ``limit`` characters of words ``first`` to ``last``, word ``at`` among them:
    from the first word when that reaches word ``at``, else around word ``at``."""
    total = sum(widths[first : last + 1]) + last - first
    if total <= limit:
        return first, last
    budget = limit - 2  # room for the ellipses
    end, used = first, widths[first]
    while end < last and used + 1 + widths[end + 1] <= budget:
        end += 1
        used += 1 + widths[end]
    if end >= at:
        return first, end
    lo = hi = at
    used = widths[at]
    grew = True
    while grew:
        grew = False
        if hi < last and used + 1 + widths[hi + 1] <= budget:
            hi += 1
            used += 1 + widths[hi]
            grew = True
        if lo > first and used + 1 + widths[lo - 1] <= budget:
            lo -= 1
            used += 1 + widths[lo]
            grew = True
    return lo, hi


def _balance(pairs: list[tuple[int, int, str]], start: int, end: int) -> tuple[str, str]:
    """The delimiters to write again at the cut ends: openers before ``start`` whose closers
    are kept, and closers after ``end`` whose openers are kept."""
    opened: list[str] = []
    closed: list[str] = []
    for open_at, close_at, delimiter in pairs:
        if open_at >= end:
            break
        if open_at < start <= close_at:
            opened.append(delimiter)
        if end <= close_at:
            closed.append(delimiter)
    return "".join(opened), "".join(reversed(closed))


def _pairs(line: str, atoms: list[tuple[int, int, int]]) -> list[tuple[int, int, str]]:
    """``(opener start, closer start, delimiter)`` of each emphasis pair, outermost first."""
    if not any(c in line for c in "*_=~"):
        return []
    pairs: list[tuple[int, int, str]] = []
    stack: list[tuple[int, str]] = []
    for match in _DELIMITER.finditer(line):
        if _inside(match.start(), atoms):
            continue
        run, before, after = match.group(0), match.start() - 1, match.end()
        prev = line[before] if before >= 0 else " "
        following = line[after] if after < len(line) else " "
        if prev == run[0] or following == run[0]:
            continue  # part of a longer run
        can_close = not prev.isspace()
        can_open = not following.isspace()
        if run[0] == "_" and prev.isalnum() and following.isalnum():
            continue  # snake_case, not emphasis
        match_at = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][1] == run), None)
        if can_close and match_at is not None:
            pairs.append((stack[match_at][0], match.start(), run))
            del stack[match_at:]
        elif can_open:
            stack.append((match.start(), run))
    pairs.sort()
    return pairs
