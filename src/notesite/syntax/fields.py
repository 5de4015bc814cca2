"""Dataview inline fields: a whole line ``key:: value``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: ``key:: value`` on a line of its own (the key may be bold: ``**key**:: value``).
FIELD_RE = re.compile(
    r"^(?P<stars>\*\*|__)?(?P<key>[^\W\d][\w \-/.]*?)(?P=stars)?::(?:[ \t]+(?P<value>.*?))?[ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class InlineField:
    key: str
    value: str
    line: int
    """1-based line number within the text that was scanned."""
    start: int
    end: int


def find_fields(masked: str) -> Iterator[InlineField]:
    """Yield the full-line inline fields of an already masked text."""
    if "::" not in masked:
        return
    for match in FIELD_RE.finditer(masked):
        yield InlineField(
            key=match.group("key").strip(),
            value=(match.group("value") or "").strip(),
            line=masked.count("\n", 0, match.start()) + 1,
            start=match.start(),
            end=match.end(),
        )
