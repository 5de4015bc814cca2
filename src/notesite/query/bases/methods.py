"""Fields and methods of Bases values: ``file.*``, ``x.length``, ``date.year``,
``"a".contains("b")``, ``list.filter(value > 2)``, ``date.format("YYYY")``..."""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections.abc import Callable
from typing import Any

from notesite.paths import VaultPath
from notesite.query.bases.expr import Node
from notesite.query.bases.functions import make_link
from notesite.query.bases.scope import EvalError, Scope
from notesite.query.bases.values import (
    FileValue,
    Pattern,
    as_datetime,
    equal,
    format_number,
    is_empty,
    sort_key,
    to_text,
    truthy,
    type_name,
)
from notesite.query.values import Duration, Link


def field_of(value: Any, name: str, scope: Scope) -> Any:
    if value is None:
        return None
    if isinstance(value, FileValue):
        return _file_field(value, name, scope)
    if name == "length" and isinstance(value, str | list):
        return len(value)
    if isinstance(value, dt.date) and name in _DATE_FIELDS:
        return _DATE_FIELDS[name](value)
    if isinstance(value, Duration) and name in _DURATION_FIELDS:
        return math.trunc(value.total_seconds() * 1000 / _DURATION_FIELDS[name])
    if isinstance(value, dict):
        return value.get(name)
    raise EvalError(f"a {type_name(value)} has no field {name!r}")


_DATE_FIELDS: dict[str, Callable[[dt.date], int]] = {
    "year": lambda d: d.year,
    "month": lambda d: d.month,
    "day": lambda d: d.day,
    "hour": lambda d: getattr(d, "hour", 0),
    "minute": lambda d: getattr(d, "minute", 0),
    "second": lambda d: getattr(d, "second", 0),
    "millisecond": lambda d: getattr(d, "microsecond", 0) // 1000,
}
_DURATION_FIELDS = {
    "milliseconds": 1,
    "seconds": 1000,
    "minutes": 60_000,
    "hours": 3_600_000,
    "days": 86_400_000,
    "weeks": 7 * 86_400_000,
    "months": 30 * 86_400_000,
    "years": 365 * 86_400_000,
}


def _file_field(value: FileValue, name: str, scope: Scope) -> Any:
    record = value.record
    match name:
        case "name" | "basename" | "path" | "folder" | "ext" | "size" | "ctime" | "mtime":
            return getattr(record, name)
        case "file":
            return value
        case "tags":
            return ["#" + t for t in record.tags]
        case "links":
            return _links(record.links)
        case "embeds":
            return _links(record.embeds)
        case "backlinks":
            return _links(record.backlinks)
        case "properties":
            return dict(record.properties)
    raise EvalError(f"a file has no field {name!r}")


def _links(paths: tuple[VaultPath, ...]) -> list[Link]:
    return [Link(p) for p in paths]


def call_method(target: Any, name: str, nodes: tuple[Node, ...], scope: Scope) -> Any:
    if name in _LAMBDAS and isinstance(target, list):
        return _LAMBDAS[name](target, nodes, scope)
    args = [scope.evaluate(node) for node in nodes]
    if name in _ANY:
        return _ANY[name](target, *args)
    if target is None:
        return None
    kind: dict[str, Callable[..., Any]] | None = {
        "string": _STRING,
        "number": _NUMBER,
        "list": _LIST,
        "date": _DATE,
        "file": _FILE,
        "link": _LINK,
        "regexp": _REGEXP,
        "object": _OBJECT,
    }.get(type_name(target))
    if kind is _DATE and name == "relative":  # (from the build's moment)
        return _relative(target, scope.table.now)
    if kind is None or name not in kind:
        raise EvalError(f"a {type_name(target)} has no method {name}()")
    try:
        if kind is _FILE or kind is _LINK:
            return kind[name](target, scope, *args)
        return kind[name](target, *args)
    except TypeError:
        raise EvalError(f"{name}() cannot take {len(args)} arguments") from None


_ANY: dict[str, Callable[..., Any]] = {
    "isTruthy": lambda v: truthy(v),
    "isEmpty": lambda v: is_empty(v),
    "isType": lambda v, t: type_name(v) == to_text(t).lower(),
    "toString": lambda v: to_text(v),
}


def _contains_text(text: str, *parts: Any) -> list[bool]:
    return [to_text(p) in text for p in parts]


def _replace(text: str, pattern: Any, replacement: Any) -> str:
    if isinstance(pattern, Pattern):
        return pattern.regex.sub(to_text(replacement).replace("$&", r"\g<0>"), text)
    return text.replace(to_text(pattern), to_text(replacement), 1)


def _split(text: str, separator: Any, limit: Any = None) -> list[str]:
    parts = (
        separator.regex.split(text)
        if isinstance(separator, Pattern)
        else text.split(to_text(separator))
    )
    return parts[: int(limit)] if isinstance(limit, int | float) else parts


_STRING: dict[str, Callable[..., Any]] = {
    "contains": lambda s, p: to_text(p) in s,
    "containsAll": lambda s, *p: all(_contains_text(s, *p)),
    "containsAny": lambda s, *p: any(_contains_text(s, *p)),
    "startsWith": lambda s, p: s.startswith(to_text(p)),
    "endsWith": lambda s, p: s.endswith(to_text(p)),
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "title": lambda s: s.title(),
    "trim": lambda s: s.strip(),
    "replace": _replace,
    "repeat": lambda s, n: s * int(n),
    "reverse": lambda s: s[::-1],
    "slice": lambda s, start, end=None: s[int(start) : None if end is None else int(end)],
    "split": _split,
}


def _round(number: float, digits: Any = None) -> float:
    places = int(digits) if isinstance(digits, int | float) else 0
    factor = 10**places
    rounded = math.floor(number * factor + 0.5) / factor  # half up, as JavaScript rounds
    return int(rounded) if places == 0 else rounded


_NUMBER: dict[str, Callable[..., Any]] = {
    "abs": lambda n: abs(n),
    "ceil": lambda n: math.ceil(n),
    "floor": lambda n: math.floor(n),
    "round": _round,
    "toFixed": lambda n, p=0: f"{n:.{int(p)}f}",
}


def _numbers(items: list[Any]) -> list[float]:
    return [v for v in items if isinstance(v, int | float) and not isinstance(v, bool)]


def _flat(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        out.extend(_flat(item) if isinstance(item, list) else [item])
    return out


def _unique(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if not any(equal(item, seen) for seen in out):
            out.append(item)
    return out


def _aggregate(function: Callable[[list[float]], float]) -> Callable[[list[Any]], Any]:
    def run(items: list[Any]) -> Any:
        numbers = _numbers(items)
        return function(numbers) if numbers else None

    return run


_LIST: dict[str, Callable[..., Any]] = {
    "contains": lambda xs, v: any(equal(x, v) for x in xs),
    "containsAll": lambda xs, *vs: all(any(equal(x, v) for x in xs) for v in vs),
    "containsAny": lambda xs, *vs: any(any(equal(x, v) for x in xs) for v in vs),
    "flat": _flat,
    "join": lambda xs, sep=", ": to_text(sep).join(to_text(x) for x in xs),
    "reverse": lambda xs: xs[::-1],
    "slice": lambda xs, start, end=None: xs[int(start) : None if end is None else int(end)],
    "sort": lambda xs: sorted(xs, key=sort_key),
    "unique": _unique,
    "sum": lambda xs: sum(_numbers(xs)),
    "mean": _aggregate(statistics.fmean),
    "average": _aggregate(statistics.fmean),
    "median": _aggregate(statistics.median),
    "min": _aggregate(min),
    "max": _aggregate(max),
    "stddev": _aggregate(statistics.pstdev),
}


def _filter(items: list[Any], nodes: tuple[Node, ...], scope: Scope) -> list[Any]:
    (node,) = _one(nodes, "filter")
    return [
        x
        for i, x in enumerate(items)
        if truthy(scope.with_bindings(value=x, index=i).evaluate(node))
    ]


def _map(items: list[Any], nodes: tuple[Node, ...], scope: Scope) -> list[Any]:
    (node,) = _one(nodes, "map")
    return [scope.with_bindings(value=x, index=i).evaluate(node) for i, x in enumerate(items)]


def _reduce(items: list[Any], nodes: tuple[Node, ...], scope: Scope) -> Any:
    if len(nodes) != 2:
        raise EvalError("reduce() takes an expression and a starting value")
    acc = scope.evaluate(nodes[1])
    for i, x in enumerate(items):
        acc = scope.with_bindings(value=x, index=i, acc=acc).evaluate(nodes[0])
    return acc


def _one(nodes: tuple[Node, ...], name: str) -> tuple[Node]:
    if len(nodes) != 1:
        raise EvalError(f"{name}() takes one expression")
    return (nodes[0],)


_LAMBDAS = {"filter": _filter, "map": _map, "reduce": _reduce}

_MOMENT = re.compile(r"\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|M|DDDD|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a")


def format_moment(value: dt.date, pattern: str) -> str:
    """A date in a Moment.js format (``YYYY-MM-DD``, ``dddd D MMMM``), as Obsidian writes it."""
    when = value if isinstance(value, dt.datetime) else as_datetime(value)

    def token(match: re.Match[str]) -> str:
        t = match.group(0)
        if t.startswith("["):
            return t[1:-1]
        hour12 = when.hour % 12 or 12
        return {
            "YYYY": f"{when.year:04d}",
            "YY": f"{when.year % 100:02d}",
            "MMMM": when.strftime("%B"),
            "MMM": when.strftime("%b"),
            "MM": f"{when.month:02d}",
            "M": str(when.month),
            "DDDD": f"{when.timetuple().tm_yday:03d}",
            "DD": f"{when.day:02d}",
            "D": str(when.day),
            "dddd": when.strftime("%A"),
            "ddd": when.strftime("%a"),
            "HH": f"{when.hour:02d}",
            "H": str(when.hour),
            "hh": f"{hour12:02d}",
            "h": str(hour12),
            "mm": f"{when.minute:02d}",
            "m": str(when.minute),
            "ss": f"{when.second:02d}",
            "s": str(when.second),
            "A": "AM" if when.hour < 12 else "PM",
            "a": "am" if when.hour < 12 else "pm",
        }[t]

    return _MOMENT.sub(token, pattern)


def _relative(value: dt.date, now: dt.datetime) -> str:
    """``3 days ago``, ``in 2 months``: from the build's moment (``now()``)."""
    seconds = (as_datetime(now) - as_datetime(value)).total_seconds()
    days = abs(seconds) / 86400
    amount, unit = (
        (round(days / 365), "year")
        if days >= 365
        else (round(days / 30), "month")
        if days >= 30
        else (round(days), "day")
        if days >= 1
        else (round(abs(seconds) / 3600), "hour")
    )
    words = f"{amount} {unit}{'' if amount == 1 else 's'}"
    return f"{words} ago" if seconds >= 0 else f"in {words}"


_DATE: dict[str, Callable[..., Any]] = {
    "date": lambda d: as_datetime(dt.date(d.year, d.month, d.day)),
    "format": lambda d, p="YYYY-MM-DD": format_moment(d, to_text(p)),
    "time": lambda d: format_moment(d, "HH:mm:ss"),
}


def _has_tag(value: FileValue, scope: Scope, *tags: Any) -> bool:
    have = [t.casefold() for t in value.record.tags]
    for tag in tags:
        wanted = to_text(tag).lstrip("#").casefold()
        if any(t == wanted or t.startswith(wanted + "/") for t in have):
            return True
    return False


def _in_folder(value: FileValue, scope: Scope, name: Any) -> bool:
    wanted = to_text(name.record.path if isinstance(name, FileValue) else name).strip("/")
    here = value.record.folder
    return (
        wanted == ""
        or here.casefold() == wanted.casefold()
        or (here.casefold().startswith(wanted.casefold() + "/"))
    )


def _has_link(value: FileValue, scope: Scope, target: Any) -> bool:
    link = target if isinstance(target, Link) else make_link(target, scope)
    return link is not None and link.resolved and link.path in value.record.links


_FILE: dict[str, Callable[..., Any]] = {
    "asLink": lambda f, scope, display=None: Link(
        f.record.path, None if display is None else to_text(display)
    ),
    "hasTag": _has_tag,
    "inFolder": _in_folder,
    "hasLink": _has_link,
    "hasProperty": lambda f, scope, name: f.record.property(to_text(name)) is not None,
}


def _as_file(link: Link, scope: Scope) -> FileValue | None:
    record = scope.table.record(link)
    return None if record is None else FileValue(record)


_LINK: dict[str, Callable[..., Any]] = {
    "asFile": _as_file,
    "linksTo": lambda link, scope, other: (
        (file := _as_file(link, scope)) is not None and _has_link(file, scope, other)
    ),
}
_REGEXP: dict[str, Callable[..., Any]] = {
    "matches": lambda p, text: p.regex.search(to_text(text)) is not None,
}
_OBJECT: dict[str, Callable[..., Any]] = {
    "keys": lambda o: list(o),
    "values": lambda o: list(o.values()),
}

__all__ = ["call_method", "field_of", "format_moment", "format_number"]
