"""Python-Markdown's inline treeprocessor, with the patterns that cannot match ruled out cheaply.

The stock treeprocessor tries every inline pattern (twenty-odd with notesite's and the standard
extensions) on every piece of text: a regular expression search over the whole text and several
microseconds of Python around it, even when nothing matches. Some of those searches are slow on
their own: an expression that starts with a look-behind or an optional part (code spans, inline
math, links) is tried at every position of the text. Most of these tries find nothing: a
sentence without `` ` ``, ``$``, ``[``, ``#``, ``<``, ``*`` or ``&`` matches none of the
patterns that look for them.

:class:`FastInlineProcessor` knows, for each pattern, the characters a match can start with and
the literal strings every match holds (read from its regular expression once, see
:func:`guard`), and goes on to the next pattern at once when the text holds none of those
characters or lacks one of those strings. Every other try is made exactly as before, so the
output is the same; only the tries that could not match are skipped.

It takes the place of the stock processor (:func:`use_fast_inline`, called by the notesite
extensions that add inline patterns) and relies on two of its private methods, ``__handleInline``
(overridden here) and ``__applyPattern`` (called as before).
"""

from __future__ import annotations

import importlib
import re
import sys
import xml.etree.ElementTree as etree
from functools import cache
from typing import Any, NamedTuple

from markdown import Markdown, util
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.inlinepatterns import Pattern
from markdown.treeprocessors import InlineProcessor

#: Python-Markdown's own priority for its inline treeprocessor.
INLINE_PRIORITY = 20

# The regular expression parser of the standard library (``sre_parse`` before Python 3.11).
_sre: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
_c: Any = importlib.import_module(
    "re._constants" if sys.version_info >= (3, 11) else "sre_constants"
)
#: A range wider than this in a character class is not spelled out: the pattern is then tried.
_MAX_RANGE = 256
#: What a placeholder, which replaces the text a pattern matched, is made of.
_PLACEHOLDER_CHARACTERS = frozenset(util.INLINE_PLACEHOLDER % "0123456789")


class _Unknown(Exception):
    """A part of a regular expression whose first character is not a small known set."""


class Guard(NamedTuple):
    """What a text must hold for a pattern to have a chance to match in it."""

    first: frozenset[str]
    """The characters a match can start with: the text holds one of them."""
    literals: tuple[str, ...]
    """Strings of two characters or more that every match holds: the text holds each of them."""


def guard(regex: object) -> Guard | None:
    """What a text must hold for ``regex`` to match in it; None when that is not known.

    None (the pattern is always tried) for anything but a compiled :mod:`re` expression of a
    string, and for a pattern that can match the empty string, that ignores case, or whose first
    character may be any of a class such as ``.``, ``\\w`` or ``[^x]``. Look-arounds and anchors
    consume nothing: the first character comes after them.
    """
    if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
        return None  # e.g. an expression of the third-party ``regex`` module: another syntax
    return _guard(regex)


@cache
def _guard(regex: re.Pattern[str]) -> Guard | None:
    if regex.flags & re.IGNORECASE:
        return None
    try:
        parsed = _sre.parse(regex.pattern, regex.flags)
        chars, nullable = _first(parsed)
        literals = tuple(run for run in _literal_runs(parsed) if len(run) > 1)
    except (_Unknown, re.error, RecursionError):
        return None
    if nullable:
        return None
    return Guard(frozenset(chars), literals)


def _first(items: Any) -> tuple[set[str], bool]:
    """The first characters of a sequence of parsed items, and whether it can match empty."""
    chars: set[str] = set()
    for op, av in items:
        first, nullable = _first_of(op, av)
        chars |= first
        if not nullable:
            return chars, False
    return chars, True


def _first_of(op: Any, av: Any) -> tuple[set[str], bool]:
    if op is _c.LITERAL:
        return {chr(av)}, False
    if op is _c.IN:
        return _charset(av), False
    if op is _c.SUBPATTERN:
        _, add_flags, _, items = av
        if add_flags & _c.SRE_FLAG_IGNORECASE:
            raise _Unknown
        return _first(items)
    if op is _c.BRANCH:
        chars: set[str] = set()
        nullable = False
        for branch in av[1]:
            first, empty = _first(branch)
            chars |= first
            nullable = nullable or empty
        return chars, nullable
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _, items = av
        first, nullable = _first(items)
        return first, nullable or low == 0
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _first(av)
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return set(), True  # zero-width
    raise _Unknown  # ANY, NOT_LITERAL, CATEGORY, group references, ...


def _charset(items: Any) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < _MAX_RANGE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            raise _Unknown  # NEGATE, CATEGORY, a wide range
    return chars


def _literal_runs(items: Any) -> list[str]:
    """Runs of literal characters that every match of a sequence of parsed items holds."""
    runs = [""]
    for op, av in items:
        if op is _c.LITERAL:
            runs[-1] += chr(av)
        elif op is _c.SUBPATTERN and not av[1] & _c.SRE_FLAG_IGNORECASE:
            # A group is matched once, with every item of its sequence.
            inner = _literal_runs(av[3])
            if len(inner) == 1 and all(o is _c.LITERAL for o, _ in av[3]):
                runs[-1] += inner[0]  # all literal: the run goes on through it
            else:
                runs += [*inner, ""]
        else:
            runs.append("")
    return runs


class FastInlineProcessor(InlineProcessor):
    """:class:`markdown.treeprocessors.InlineProcessor` that skips patterns that cannot match."""

    _patterns: list[tuple[Pattern, frozenset[str] | None, tuple[str, ...]]]

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The registry in priority order, once per conversion (indexing it sorts it every time).
        patterns: list[Pattern] = [*self.inlinePatterns]
        self._patterns = []
        for pattern in patterns:
            needs = (
                guard(pattern.getCompiledRegExp()) if isinstance(pattern, InlinePattern) else None
            )
            if needs is None:
                self._patterns.append((pattern, None, ()))
            else:
                self._patterns.append((pattern, needs.first, needs.literals))
        return super().run(tree, ancestors)

    # The stock processor calls its private ``__handleInline`` (mangled to this name) for every
    # text and tail, and again inside the elements that patterns make.
    def _InlineProcessor__handleInline(self, data: str, pattern_index: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns = self._patterns
        count = len(patterns)
        chars = set(data)
        start = 0
        while pattern_index < count:
            pattern, first, literals = patterns[pattern_index]
            if first is not None and (
                first.isdisjoint(chars) or (literals and any(s not in data for s in literals))
            ):
                matched, start = False, 0  # what __applyPattern returns when nothing matches
            else:
                data, matched, start = apply(pattern, data, pattern_index, start)
            if matched:
                # The text now holds a placeholder where the match was: no new characters else.
                chars |= _PLACEHOLDER_CHARACTERS
            else:
                pattern_index += 1
        return data


#: Whether this Python-Markdown's inline processor has the private methods relied on here.
_COMPATIBLE = all(
    callable(getattr(InlineProcessor, name, None))
    for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")
)


def use_fast_inline(md: Markdown) -> None:
    """Put :class:`FastInlineProcessor` in place of Python-Markdown's inline treeprocessor.

    Only the stock processor is replaced (once per Markdown instance; any extension may call
    this): a processor some other extension put there is left alone, and so is the stock one of
    a Python-Markdown whose inline processor is not made as this one expects.
    """
    if (
        _COMPATIBLE
        and "inline" in md.treeprocessors
        and type(md.treeprocessors["inline"]) is InlineProcessor
    ):
        md.treeprocessors.register(FastInlineProcessor(md), "inline", INLINE_PRIORITY)
