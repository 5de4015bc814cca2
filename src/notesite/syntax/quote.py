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

from notesite.syntax.wikilinks import parse_inner

#: How many characters (as the reader sees them) a passage holds at most.
LIMIT = 160
ELLIPSIS = "…"

_ATOM = re.compile(
    r"""
      (?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))
    | (?P<wikilink>!?\[\[(?P<inner>[^\[\]\n]+?)\]\])
    | \[\^[^\]\s]+\]
    | (?P<mdlink>!?\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\))
    | \$\$.+?\$\$
    | (?<![\\$])\$(?![\s$])(?:\\.|[^\\$\n])+?(?<![\s\\])\$(?!\d)
    | \\\(.+?\\\)
    | <[^<>\n]*>
    | \\.
    """,
    re.VERBOSE,
)
#: Runs that open or close emphasis, highlights and strikethrough.
_DELIMITER = re.compile(r"\*{1,3}|_{1,3}|==|~~")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = frozenset(".!?…")
_PREFIX = re.compile(
    r"^(?:[ \t]*>)*[ \t]*(?:[-*+][ \t]+(?:\[.\][ \t]+)?|\d+[.)][ \t]+|\#{1,6}[ \t]+)?"
    r"(?:\[\^[^\]]+\]:[ \t]*)?(?:\[![^\]]*\][+-]?[ \t]*)?"
)
_FIELD = re.compile(r"(?P<key>[^:\n]+?)::[ \t]*")
_BLOCK_ID = re.compile(r"\s\^[A-Za-z0-9-]+[ \t]*$")
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_BAR = re.compile(r"(?<!\\)\|")
_CELL_GAP = " · "


class _Unit(NamedTuple):
    """A word of the line: text between spaces that lie outside every token."""

    start: int
    end: int
    width: int
    """How many characters the reader sees of it."""


class _Line(NamedTuple):
    """A line made ready for quoting: worked out once for all the links it holds."""

    text: str
    """The line without its block marks (a table row: its cells side by side)."""
    moves: tuple[tuple[int, int], ...]
    """``(from, shift)``: an offset of the line at or after ``from`` is ``offset + shift``."""
    units: list[_Unit]
    ends: list[int]
    """Where each word ends."""
    sentence_ends: list[int]
    """The words that end a sentence."""
    width: int
    """How many characters the reader sees of the whole line."""
    pairs: list[tuple[int, int, str]]
    """The emphasis pairs (see :func:`_pairs`)."""


def quote(line: str, offset: int, limit: int = LIMIT) -> str:
    """The Markdown of the passage around ``offset`` (where a link starts) in ``line``."""
    ready = _ready(line)
    units = ready.units
    if not units:
        return ""
    shift = next((shift for start, shift in reversed(ready.moves) if offset >= start), 0)
    at = min(bisect.bisect_right(ready.ends, max(0, offset + shift)), len(units) - 1)
    sentence = (0, len(units) - 1)
    if ready.width > limit:
        # The sentence: from the word after the last sentence end before the link's word, to
        # the first sentence end from it on.
        before = bisect.bisect_left(ready.sentence_ends, at)
        first = ready.sentence_ends[before - 1] + 1 if before else 0
        last = ready.sentence_ends[before] if before < len(ready.sentence_ends) else len(units) - 1
        sentence = (first, last)
    first, last = _window(units, *sentence, at, limit)
    start, end = units[first].start, units[last].end
    opened, closed = _balance(ready.pairs, start, end)
    text = opened + ready.text[start:end] + closed
    if first > sentence[0]:
        text = ELLIPSIS + text
    if last < sentence[1]:
        text += ELLIPSIS
    return text


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
    units = _units(text, atoms)
    return _Line(
        text=text,
        moves=tuple(moves),
        units=units,
        ends=[u.end for u in units],
        sentence_ends=_sentence_ends(text, units),
        width=sum(u.width + 1 for u in units),
        pairs=_pairs(text, atoms),
    )


def _sentence_ends(text: str, units: list[_Unit]) -> list[int]:
    """The words that end a sentence: a ``.``, ``!``, ``?`` or ``…`` ends them, unless the next
    word starts in lower case (``U.S. trade``, ``e.g. this``)."""
    return [
        i
        for i, unit in enumerate(units)
        if text[unit.end - 1] in _SENTENCE_END
        and (i + 1 == len(units) or not text[units[i + 1].start].islower())
    ]


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
    if match.group("wikilink"):
        return len(parse_inner(match.group("inner")).display)
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


def _units(line: str, atoms: list[tuple[int, int, int]]) -> list[_Unit]:
    """The words of a line: spaces inside a token do not separate words."""
    units: list[_Unit] = []
    start = width = 0
    position = 0
    tokens = iter(atoms)
    token = next(tokens, None)
    for space in _SPACE.finditer(line):
        if space.start() < position:
            continue
        while token is not None and token[1] <= space.start():
            width += token[2] - (token[1] - token[0])
            token = next(tokens, None)
        if token is not None and token[0] < space.start() < token[1]:
            continue  # a space inside a token
        if space.start() > start:
            units.append(_Unit(start, space.start(), width + space.start() - start))
        start, width = space.end(), 0
        position = space.end()
    while token is not None:
        width += token[2] - (token[1] - token[0])
        token = next(tokens, None)
    if len(line) > start:
        units.append(_Unit(start, len(line), width + len(line) - start))
    return units


def _window(units: list[_Unit], first: int, last: int, at: int, limit: int) -> tuple[int, int]:
    """At most ``limit`` characters of words ``first`` to ``last``, word ``at`` among them:
    from the first word when that reaches word ``at``, else around word ``at``."""
    total = sum(u.width + 1 for u in units[first : last + 1]) - 1
    if total <= limit:
        return first, last
    budget = limit - 2  # room for the ellipses
    end, used = first, units[first].width
    while end < last and used + 1 + units[end + 1].width <= budget:
        end += 1
        used += 1 + units[end].width
    if end >= at:
        return first, end
    lo = hi = at
    used = units[at].width
    grew = True
    while grew:
        grew = False
        if hi < last and used + 1 + units[hi + 1].width <= budget:
            hi += 1
            used += 1 + units[hi].width
            grew = True
        if lo > first and used + 1 + units[lo - 1].width <= budget:
            lo -= 1
            used += 1 + units[lo].width
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
