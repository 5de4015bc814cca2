"""Dataview inline fields: a whole line ``key:: value``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

#: ``key:: value`` on a line of its own (the key may be bold: ``**key**:: value``).
FIELD_RE = re.compile(
    r"^(?P<stars>\*\*|__)?(?P<key>[^\W\d][\w \-/.]*?)(?P=stars)?::(?:[ \t]+(?P<value>.*?))?[ \t]*$",
    re.MULTILINE,
)


class InlineField(NamedTuple):
    key: str
    value: str
    line: int
    """1-based line number within the text that was scanned."""
    start: int
    end: int


def find_fields(masked: str) -> Iterator[InlineField]:
    """Yield the full-line inline fields of an already masked text."""
    if ":" not in masked or "::" not in masked:
        return
    for match in _field_lines(masked):
        yield InlineField(
            key=match.group("key").strip(),
            value=(match.group("value") or "").strip(),
            line=masked.count("\n", 0, match.start()) + 1,
            start=match.start(),
            end=match.end(),
        )


def _field_lines(masked: str) -> Iterator[re.Match[str]]:
    # Only lines holding '::' can be fields: jump from one '::' to the next (a literal the regex
    # engine finds fast) and try FIELD_RE once at the start of each such line.
    pos = 0
    while (colons := masked.find("::", pos)) >= 0:
        start = masked.rfind("\n", 0, colons) + 1
        end = masked.find("\n", colons)
        end = len(masked) if end < 0 else end
        match = FIELD_RE.match(masked, start, end)
        if match:
            yield match
        pos = end + 1
