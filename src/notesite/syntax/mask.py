"""Blank out the parts of a note in which Obsidian syntax means nothing.

Wikilinks, tags, inline fields and block ids are not recognised inside fenced code, inline code,
math or ``%%comments%%``. Rather than teaching every parser about those regions, the parsers run
over a *masked* copy of the text in which such regions are replaced by spaces. Newlines are
kept, so offsets and line numbers in the masked text are those of the original.
"""

from __future__ import annotations

import re

_FENCE_OPEN = re.compile(
    r"^(?P<indent>(?:[ \t]*>)*[ \t]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$"
)
_MATH_BLOCK = re.compile(r"^(?:[ \t]*>)*[ \t]*\$\$")
_COMMENT = re.compile(r"%%.*?(?:%%|\Z)", re.DOTALL)
# Both patterns start with a literal character and check what precedes it with a look-behind
# after it: the regex engine then jumps from one '`' or '$' to the next instead of trying every
# position of the note.
_CODE_SPAN = re.compile(
    r"(?P<ticks>`(?<!``)`*)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.DOTALL
)
_INLINE_MATH = re.compile(r"\$(?<![\\$]\$)(?=[^\s$])[^\n$]*?(?<=[^\s\\])\$(?!\d)")


def blank(text: str) -> str:
    """Replace every character but newlines with a space.

    Line by line: a substitution character by character cost a regex match for each, which made
    blanking code blocks and comments a fifth of the time it takes to read a note."""
    if "\n" not in text:
        return " " * len(text)
    return "\n".join([" " * len(line) for line in text.split("\n")])


def _blank_match(match: re.Match[str]) -> str:
    return blank(match.group(0))


def mask_blocks(text: str) -> str:
    """Blank fenced code blocks and ``$$`` math blocks.

    An unclosed fence runs to the end of the note, as in CommonMark and Obsidian. Only lines
    holding a fence or ``$$`` can open or close a block, so only those lines are looked at.
    """
    # (Each mark's first character first: a search for one character runs ten times faster.)
    marks = [mark for mark in _BLOCK_MARKS if mark[0] in text and mark in text]
    if not marks:
        return text
    pieces: list[str] = []
    done = pos = 0
    while (marker := _next_mark(text, pos, marks)) >= 0:
        start, end = _line_around(text, marker)
        line = text[start:end]
        closing: re.Pattern[str] | None = None
        fence = _FENCE_OPEN.match(line)
        if fence and not (fence.group("fence")[0] == "`" and "`" in fence.group("info")):
            char, size = fence.group("fence")[0], len(fence.group("fence"))
            closing = re.compile(rf"^(?:[ \t]*>)*[ \t]{{0,3}}{re.escape(char)}{{{size},}}[ \t]*$")
        elif _MATH_BLOCK.match(line):
            if "$$" not in line.split("$$", 1)[1]:
                closing = _MATH_CLOSE
        else:
            pos = end
            continue
        while closing is not None:  # the block runs to its closing line or the end of the note
            marker = _next_mark(text, end, marks)
            if marker < 0:
                end = len(text)
                break
            line_start, end = _line_around(text, marker)
            if closing.match(text[line_start:end]):
                break
        pieces += (text[done:start], blank(text[start:end]))
        done = pos = end
    return "".join([*pieces, text[done:]]) if pieces else text


_BLOCK_MARKS = ("```", "~~~", "$$")


def _next_mark(text: str, pos: int, marks: list[str]) -> int:
    """Where the first of ``marks`` at or after ``pos`` is, or -1.

    (``str.find`` for each: a pattern of alternatives that start with different characters
    would be tried at every position of the note.)"""
    found = -1
    for mark in marks:
        at = text.find(mark, pos)
        if at >= 0 and (found < 0 or at < found):
            found = at
    return found


_MATH_CLOSE = re.compile(r"^.*\$\$[ \t]*$")


def _line_around(text: str, index: int) -> tuple[int, int]:
    """The start and end offsets of the line that holds ``index`` (without its newline)."""
    end = text.find("\n", index)
    return text.rfind("\n", 0, index) + 1, len(text) if end < 0 else end


def mask(text: str) -> str:
    """Return ``text`` with code, math and comments blanked, same length, same lines."""
    return _blank_comments_and_math(_code_free(text))


def strip_comments(text: str) -> str:
    """Remove ``%%comments%%`` outside code, keeping the line count of the note.

    A comment that spans lines leaves its newlines behind so that line numbers in warnings
    still point at the right line of the source file.
    """
    if "%" not in text or "%%" not in text:
        return text
    return _strip(text, _code_free(text))


def mask_and_strip(text: str) -> tuple[str, str]:
    """:func:`mask` and :func:`strip_comments` of ``text`` at once, finding code only once."""
    code_free = _code_free(text)
    stripped = _strip(text, code_free) if "%" in code_free and "%%" in code_free else text
    return _blank_comments_and_math(code_free), stripped


def _code_free(text: str) -> str:
    """``text`` with code blocks, math blocks and code spans blanked."""
    masked = mask_blocks(text)
    # Code spans before comments: a `%%` in code opens no comment.
    if "`" in masked:
        masked = _CODE_SPAN.sub(_blank_match, masked)
    return masked


def _blank_comments_and_math(code_free: str) -> str:
    if "%" in code_free and "%%" in code_free:
        code_free = _COMMENT.sub(_blank_match, code_free)
    if "$" in code_free:
        code_free = _INLINE_MATH.sub(_blank_match, code_free)
    return code_free


def _strip(text: str, code_free: str) -> str:
    pieces: list[str] = []
    last = 0
    for match in _COMMENT.finditer(code_free):
        pieces.append(text[last : match.start()])
        pieces.append("\n" * match.group(0).count("\n"))
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)
