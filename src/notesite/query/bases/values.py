"""The values a Bases expression yields besides Python's own (None, bool, int, float, str, list,
dict, date, datetime): links, files, durations, regular expressions, and their ordering and
text for display."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from notesite.query.bases.record import FileRecord
from notesite.query.values import UTC, Duration, Link, parse_date


@dataclass(frozen=True, slots=True)
class FileValue:
    """``file`` (or ``this.file``, ``x.asFile()``): a public note with its ``file.*`` fields."""

    record: FileRecord


@dataclass(frozen=True, slots=True)
class Pattern:
    """A regular expression literal, ``/^\\d+$/i``."""

    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Image:
    """``image(path)``: a picture shown in a cell or on a card."""

    source: Link | str


_UNITS = {
    "y": "years", "year": "years", "years": "years",
    "M": "months", "month": "months", "months": "months",
    "w": "weeks", "week": "weeks", "weeks": "weeks",
    "d": "days", "day": "days", "days": "days",
    "h": "hours", "hour": "hours", "hours": "hours",
    "m": "minutes", "minute": "minutes", "minutes": "minutes",
    "s": "seconds", "second": "seconds", "seconds": "seconds",
    "ms": "milliseconds", "millisecond": "milliseconds", "milliseconds": "milliseconds",
}  # fmt: skip
_DURATION_PART = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*,?")


def parse_duration(text: str) -> Duration | None:
    """``"1d"``, ``"2 weeks"``, ``"1y 2M"`` (``M`` months, ``m`` minutes) -> a duration; None if
    it is not one."""
    text = text.strip()
    if not text:
        return None
    months, delta, at = 0, dt.timedelta(0), 0
    while at < len(text):
        match = _DURATION_PART.match(text, at)
        if match is None:
            return None
        amount, unit = float(match.group(1)), _UNITS.get(match.group(2))
        if unit is None:
            unit = _UNITS.get(match.group(2).lower())
            if unit is None or match.group(2) == "M":
                return None
        if unit == "years":
            months += round(amount * 12)
        elif unit == "months":
            months += round(amount)
        else:
            delta += dt.timedelta(**{unit: amount})
        at = match.end()
    return Duration(months, delta.total_seconds())


def as_datetime(value: dt.date) -> dt.datetime:
    """A date as the start of its day; every datetime made aware (UTC when it says nothing)."""
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def add_duration(when: dt.datetime, duration: Duration) -> dt.datetime:
    if duration.months:
        month0 = when.month - 1 + duration.months
        year, month = when.year + month0 // 12, month0 % 12 + 1
        days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        when = when.replace(year=year, month=month, day=min(when.day, days[month - 1]))
    return when + dt.timedelta(seconds=duration.seconds)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def truthy(value: Any) -> bool:
    """JavaScript's truth, except that an empty list or object is false (an empty property)."""
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, list | tuple | dict | str):
        return len(value) > 0
    return value is not None and value is not False and value != 0


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, dt.date):
        return "date"
    return {
        Link: "link",
        FileValue: "file",
        Duration: "duration",
        Pattern: "regexp",
        Image: "image",
    }.get(type(value), "unknown")


def format_number(value: float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(round(value, 10))


def format_date(value: dt.date) -> str:
    """As Obsidian's Bases show a date: the day, and the time when there is one."""
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def to_text(value: Any) -> str:
    """A value as a string (``toString()``, string concatenation, ``join``)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return format_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(to_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {to_text(v)}" for k, v in value.items())
    if isinstance(value, Link):
        return value.name
    if isinstance(value, FileValue):
        return value.record.basename
    if isinstance(value, Duration):
        return _duration_text(value)
    if isinstance(value, Pattern):
        return "/" + value.regex.pattern + "/"
    if isinstance(value, Image):
        return to_text(value.source)
    return str(value)


def _duration_text(value: Duration) -> str:
    parts = []
    if value.months:
        years, months = divmod(value.months, 12)
        parts += [f"{years}y"] * bool(years) + [f"{months}M"] * bool(months)
    seconds = value.seconds
    days, rest = divmod(abs(seconds), 86400)
    if days:
        parts.append(f"{'-' if seconds < 0 else ''}{int(days)}d")
    if rest:
        parts.append(f"{format_number(rest / 3600)}h")
    return " ".join(parts) or "0d"


def sort_key(value: Any) -> tuple[int, Any]:
    """A key that orders any two values: numbers, then dates, then text; empty values last."""
    if is_empty(value):
        return (9, 0)
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, dt.date):
        return (2, as_datetime(value).timestamp())
    if isinstance(value, Duration):
        return (3, value.total_seconds())
    return (4, to_text(value).casefold())


def equal(left: Any, right: Any) -> bool:
    pair = comparable(left, right)
    if pair is not None:
        return bool(pair[0] == pair[1])
    left, right = _identity(left), _identity(right)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(equal, left, right))
    return bool(left == right)


def _identity(value: Any) -> Any:
    """Links and files compare by the file they lead to."""
    if isinstance(value, Link):
        return ("file", value.key())
    if isinstance(value, FileValue):
        return ("file", value.record.path.casefold())
    return value


def comparable(left: Any, right: Any) -> tuple[Any, Any] | None:
    """Two values as a pair Python can order, or None when they are not of one kind."""
    if left is None or right is None:
        return None
    if isinstance(left, bool) or isinstance(right, bool):
        return (left, right) if isinstance(left, bool) and isinstance(right, bool) else None
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left, right
    if isinstance(left, dt.date) or isinstance(right, dt.date):
        first, second = _as_date(left), _as_date(right)
        if first is None or second is None:
            return None
        return as_datetime(first), as_datetime(second)
    if isinstance(left, Duration) and isinstance(right, Duration):
        return left.total_seconds(), right.total_seconds()
    if isinstance(left, str) and isinstance(right, str):
        return left, right
    return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None
