"""The values a query works with, and how Dataview compares, orders and shows them.

A value is one of: ``None`` (null), ``bool``, ``int``/``float``, ``str``, :class:`Link`,
``datetime.datetime`` (always timezone-aware; a date is a datetime at midnight),
:class:`Duration`, ``list`` and ``dict`` (keys are strings). :func:`compare` is Dataview's
ordering: null first, then values of different types by their type's name, values of one type
by their natural order (text case-sensitively, links by path, lists item by item).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any, TypeAlias

Value: TypeAlias = Any
"""Any query value (see the module docstring); ``Any`` because lists and dicts nest."""

UTC = dt.timezone.utc


@dataclass(frozen=True, slots=True)
class Link:
    """A link to a note (``path`` a vault path) or to a target the vault does not have.

    ``resolved`` is False for a link whose target is no public note or file (an unresolved or
    private target): it shows as text, never as a link.
    """

    path: str
    display: str | None = None
    subpath: str | None = None
    embed: bool = False
    resolved: bool = True

    @property
    def name(self) -> str:
        """The link's text: its display text, else the file name without ``.md``."""
        if self.display:
            return self.display
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.lower().endswith(".md") else name

    def key(self) -> str:
        """What two links to the same note share (Obsidian's names are case-insensitive)."""
        return self.path.casefold()

    def __str__(self) -> str:
        inner = self.path[:-3] if self.path.lower().endswith(".md") else self.path
        if self.subpath:
            inner += "#" + self.subpath
        if self.display:
            inner += "|" + self.display
        return ("!" if self.embed else "") + f"[[{inner}]]"


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """A length of time: whole months (months and years) plus seconds (the rest)."""

    months: int = 0
    seconds: float = 0.0

    def total_seconds(self) -> float:
        """Months counted as 30 days, for comparing a duration with another."""
        return self.months * 30 * 86400 + self.seconds

    def __add__(self, other: Duration) -> Duration:
        return Duration(self.months + other.months, self.seconds + other.seconds)

    def __neg__(self) -> Duration:
        return Duration(-self.months, -self.seconds)

    def __str__(self) -> str:
        parts: list[str] = []
        years, months = divmod(abs(self.months), 12)
        rest = abs(self.seconds)
        days, rest = divmod(rest, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        for n, unit in (
            (years, "year"),
            (months, "month"),
            (days, "day"),
            (hours, "hour"),
            (minutes, "minute"),
            (seconds, "second"),
        ):
            if n:
                n = int(n) if float(n).is_integer() else round(n, 3)
                parts.append(f"{n} {unit}{'' if n == 1 else 's'}")
        sign = "-" if self.total_seconds() < 0 else ""
        return sign + (", ".join(parts) if parts else "0 seconds")


def type_name(value: Value) -> str:
    """Dataview's name of a value's type (what mixed types are ordered by)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Link):
        return "link"
    if isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, Duration):
        return "duration"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    if callable(value):
        return "function"
    return "string"


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def compare(a: Value, b: Value) -> int:
    """-1, 0 or 1: Dataview's total order over values (see the module docstring)."""
    if a is None or b is None:
        return (a is not None) - (b is not None)
    ta, tb = type_name(a), type_name(b)
    if ta != tb:
        return -1 if ta < tb else 1
    if ta in ("number", "boolean"):
        if isinstance(a, float) and math.isnan(a):
            return 0 if isinstance(b, float) and math.isnan(b) else -1
        return _sign(a - b)
    if ta == "string":
        return int(a > b) - int(a < b)
    if ta == "date":
        return _sign((a - b).total_seconds())
    if ta == "duration":
        return _sign(a.total_seconds() - b.total_seconds())
    if ta == "link":
        ka, kb = a.key(), b.key()
        if ka != kb:
            return -1 if ka < kb else 1
        return compare(a.subpath or "", b.subpath or "")
    if ta == "array":
        for x, y in zip(a, b, strict=False):
            found = compare(x, y)
            if found:
                return found
        return _sign(len(a) - len(b))
    if ta == "object":
        return compare(
            sorted(a.items(), key=lambda kv: kv[0]), sorted(b.items(), key=lambda kv: kv[0])
        )
    return 0


def equal(a: Value, b: Value) -> bool:
    return compare(a, b) == 0


sort_key = cmp_to_key(compare)
"""A key for :func:`sorted` that orders values as :func:`compare` does."""


def truthy(value: Value) -> bool:
    """Dataview's truthiness: null, false, 0, "" and empty lists and objects are false."""
    if value is None:
        return False
    if isinstance(value, Link):
        return bool(value.path)
    if isinstance(value, Duration):
        return value.total_seconds() != 0
    if isinstance(value, dt.datetime):
        return True
    return bool(value)


# -- reading values out of notes ---------------------------------------------------------------

_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?$"
)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_WIKILINK = re.compile(r"^!?\[\[([^\[\]]+)\]\]$")
_DURATION_PART = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>years?|yrs?|y|months?|mo|weeks?|wks?|w|days?|d|hours?|hrs?|h"
    r"|minutes?|mins?|m|seconds?|secs?|s)\b",
    re.IGNORECASE,
)
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_date(text: str) -> dt.datetime | None:
    """An ISO 8601 date or date-time (``2024-01-05``, ``2024-01``, ``2024-01-05T10:30``), or None.

    A time without a zone is taken as UTC: a build has no reader's time zone to use.
    """
    text = text.strip()
    if not _ISO_DATE.match(text):
        return None
    if len(text) == 7:
        text += "-01"
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_duration(text: str) -> Duration | None:
    """``3 days``, ``1 year 2 months``, ``2h 30m``, or None."""
    text = text.strip()
    if not text:
        return None
    months, seconds, end = 0, 0.0, 0
    for match in _DURATION_PART.finditer(text):
        if text[end : match.start()].strip(" ,and") != "":
            return None
        n, unit = float(match.group("n")), match.group("unit").lower()
        if unit.startswith("y"):
            months += int(n * 12)
        elif unit.startswith("mo"):
            months += int(n)
        elif unit.startswith("mi") or unit == "m":
            seconds += n * 60
        else:
            seconds += n * _UNIT_SECONDS[unit[0]]
        end = match.end()
    if end == 0 or text[end:].strip():
        return None
    return Duration(months, seconds)


def as_datetime(value: object) -> dt.datetime | None:
    """A YAML date or datetime as an aware datetime."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def from_yaml(value: object, link: Any = None) -> Value:
    """A front matter value as a query value: ``"[[x]]"`` a link (made by ``link``, given the
    target text; a plain :class:`Link` without it), an ISO date string a date, YAML dates
    dates, lists and mappings item by item."""
    if isinstance(value, str):
        return _from_text(value, link)
    when = as_datetime(value)
    if when is not None:
        return when
    if isinstance(value, (list, tuple)):
        return [from_yaml(v, link) for v in value]
    if isinstance(value, Mapping):
        return {str(k): from_yaml(v, link) for k, v in value.items()}
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return str(value)


def _from_text(text: str, link: Any) -> Value:
    stripped = text.strip()
    found = _WIKILINK.match(stripped)
    if found:
        return link(stripped) if link is not None else Link(found.group(1).split("|")[0])
    when = parse_date(stripped)
    return when if when is not None else text


def from_field(text: str, link: Any = None) -> Value:
    """An inline field's text as Dataview reads it: a number, a boolean, a date, a duration,
    a link, a comma-separated list of links, a quoted string, else the text as written."""
    stripped = text.strip()
    if not stripped:
        return None
    if _NUMBER.match(stripped):
        return float(stripped) if "." in stripped else int(stripped)
    if stripped.lower() in ("true", "false"):
        return stripped.lower() == "true"
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        return stripped[1:-1]
    if "[[" in stripped and "," in stripped:
        parts = [p.strip() for p in stripped.split(",")]
        if all(_WIKILINK.match(p) for p in parts):
            return [_from_text(p, link) for p in parts]
    value = _from_text(stripped, link)
    if value is not stripped and not isinstance(value, str):
        return value
    duration = parse_duration(stripped)
    if duration is not None and not _NUMBER.match(stripped):
        return duration
    return stripped


def flat(values: Sequence[Value]) -> list[Value]:
    """A list with nested lists opened one level (``[1, [2, 3]]`` -> ``[1, 2, 3]``)."""
    out: list[Value] = []
    for v in values:
        if isinstance(v, list):
            out.extend(v)
        else:
            out.append(v)
    return out


# -- showing values as text ----------------------------------------------------------------------

DATE_FORMAT = "%B %d, %Y"
"""How Dataview shows a date (its default, Luxon's ``MMMM dd, yyyy``): ``January 05, 2024``."""
DATETIME_FORMAT = "%-I:%M %p - %B %d, %Y"
"""How Dataview shows a date with a time (``h:mm a - MMMM dd, yyyy``)."""


def format_date(value: dt.datetime) -> str:
    """A date as Dataview shows it: the time only when it is not midnight."""
    if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return value.strftime(DATE_FORMAT)
    return value.strftime(DATETIME_FORMAT)


def format_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def to_text(value: Value) -> str:
    """A value as plain text (``string()`` and joining): what the renderer shows, without links."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Link):
        return str(value)
    if isinstance(value, dt.datetime):
        return format_date(value)
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(to_text(v) for v in value)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k}: {to_text(v)}" for k, v in value.items()) + " }"
    return str(value)
