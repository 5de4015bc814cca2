"""DQL's functions (Dataview's reference, "Functions"), registered by name in
:data:`~notesite.query.dql.evaluate.FUNCTIONS`.

Functions marked vectorized apply to each item when given a list (``lower(["A", "B"])``), as
Dataview's do. ``now()`` and ``date(today)`` are the time of the build.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from notesite.query.dql.evaluate import FUNCTIONS, Env, binary, plain
from notesite.query.dql.parser import DqlError
from notesite.query.values import (
    UTC,
    Duration,
    Link,
    Value,
    compare,
    equal,
    parse_date,
    parse_duration,
    sort_key,
    to_text,
    truthy,
    type_name,
)

Args = list[Value]


def register(name: str, *, vectorized: bool = False) -> Callable[[Callable[..., Value]], Any]:
    def wrap(function: Callable[..., Value]) -> Callable[..., Value]:
        def call(env: Env, args: Args) -> Value:
            args = [plain(a) for a in args]
            if vectorized and args and isinstance(args[0], list):
                return [call(env, [item, *args[1:]]) for item in args[0]]
            try:
                return function(env, *args)
            except TypeError as error:
                if "positional argument" in str(error):
                    raise DqlError(f"{name}() was given {len(args)} arguments") from None
                raise

        FUNCTIONS[name] = call
        return function

    return wrap


def _text(value: Value, function: str) -> str:
    if not isinstance(value, str):
        raise DqlError(f"{function}() takes text, not a {type_name(value)}")
    return value


# -- lists and objects ---------------------------------------------------------------------------


@register("length")
def _length(env: Env, value: Value) -> Value:
    if value is None:
        return 0
    if isinstance(value, (list, str, Mapping)):
        return len(value)
    return 0


def _contains(container: Value, needle: Value, fold: bool, exact: bool) -> bool:
    if container is None:
        return False
    if isinstance(container, str):
        if not isinstance(needle, str):
            return False
        return needle.casefold() in container.casefold() if fold else needle in container
    if isinstance(container, list):
        if exact:
            return any(equal(item, needle) for item in container)
        return any(_contains(item, needle, fold, exact) for item in container)
    if isinstance(container, Mapping):
        return isinstance(needle, str) and needle in container
    if isinstance(container, Link) and isinstance(needle, Link):
        return equal(container, needle)
    return equal(container, needle)


@register("contains")
def _contains_fn(env: Env, container: Value, needle: Value) -> Value:
    return _contains(container, needle, fold=False, exact=False)


@register("icontains")
def _icontains(env: Env, container: Value, needle: Value) -> Value:
    return _contains(container, needle, fold=True, exact=False)


@register("econtains")
def _econtains(env: Env, container: Value, needle: Value) -> Value:
    return _contains(container, needle, fold=False, exact=True)


@register("containsword", vectorized=True)
def _containsword(env: Env, text: Value, word: Value) -> Value:
    return bool(re.search(rf"\b{re.escape(str(word))}\b", str(text), re.IGNORECASE))


@register("list")
@register("array")
def _list(env: Env, *items: Value) -> Value:
    return list(items)


@register("object")
def _object(env: Env, *items: Value) -> Value:
    return {str(items[i]): items[i + 1] for i in range(0, len(items) - 1, 2)}


@register("join")
def _join(env: Env, items: Value, separator: Value = ", ") -> Value:
    if not isinstance(items, list):
        return to_text(items)
    return str(separator).join(to_text(i) for i in items)


@register("filter")
def _filter(env: Env, items: Value, predicate: Value) -> Value:
    if not isinstance(items, list):
        return items
    return [i for i in items if truthy(predicate(i))]


@register("map")
def _map(env: Env, items: Value, function: Value) -> Value:
    if not isinstance(items, list):
        return items
    return [plain(function(i)) for i in items]


@register("all")
def _all(env: Env, items: Value, predicate: Value = None) -> Value:
    values = items if isinstance(items, list) else [items]
    return all(truthy(predicate(i) if predicate else i) for i in values)


@register("any")
def _any(env: Env, items: Value, predicate: Value = None) -> Value:
    values = items if isinstance(items, list) else [items]
    return any(truthy(predicate(i) if predicate else i) for i in values)


@register("none")
def _none(env: Env, items: Value, predicate: Value = None) -> Value:
    return not _any(env, items, predicate)


@register("sum")
def _sum(env: Env, items: Value) -> Value:
    values = [v for v in (items if isinstance(items, list) else [items]) if v is not None]
    if not values:
        return None
    total = values[0]
    for value in values[1:]:
        total = binary("+", total, value)
    return total


@register("product")
def _product(env: Env, items: Value) -> Value:
    values = [v for v in (items if isinstance(items, list) else [items]) if v is not None]
    return math.prod(values) if values else None


@register("average")
def _average(env: Env, items: Value) -> Value:
    values = [v for v in (items if isinstance(items, list) else [items]) if v is not None]
    return binary("/", _sum(env, values), len(values)) if values else None


def _extreme(items: tuple[Value, ...], sign: int) -> Value:
    values = list(items[0]) if len(items) == 1 and isinstance(items[0], list) else list(items)
    values = [v for v in values if v is not None]
    if not values:
        return None
    best = values[0]
    for value in values[1:]:
        if compare(value, best) * sign > 0:
            best = value
    return best


@register("min")
def _min(env: Env, *items: Value) -> Value:
    return _extreme(items, -1)


@register("max")
def _max(env: Env, *items: Value) -> Value:
    return _extreme(items, 1)


@register("sort")
def _sort(env: Env, items: Value, key: Value = None) -> Value:
    if not isinstance(items, list):
        return items
    return sorted(items, key=lambda i: sort_key(key(i) if key else i))


@register("reverse")
def _reverse(env: Env, items: Value) -> Value:
    return list(reversed(items)) if isinstance(items, (list, str)) else items


@register("unique")
def _unique(env: Env, items: Value) -> Value:
    if not isinstance(items, list):
        return items
    out: list[Value] = []
    for item in items:
        if not any(equal(item, seen) for seen in out):
            out.append(item)
    return out


@register("nonnull")
def _nonnull(env: Env, *items: Value) -> Value:
    values = items[0] if len(items) == 1 and isinstance(items[0], list) else items
    return [v for v in values if v is not None]


@register("flat")
def _flat(env: Env, items: Value, depth: Value = 1) -> Value:
    if not isinstance(items, list):
        return items
    out: list[Value] = []
    for item in items:
        if isinstance(item, list) and depth:
            out.extend(_flat(env, item, int(depth) - 1))
        else:
            out.append(item)
    return out


@register("default", vectorized=True)
def _default(env: Env, value: Value, fallback: Value) -> Value:
    return fallback if value is None else value


@register("choice")
def _choice(env: Env, condition: Value, yes: Value, no: Value) -> Value:
    return yes if truthy(condition) else no


@register("typeof")
def _typeof(env: Env, value: Value) -> Value:
    return type_name(value)


# -- text ----------------------------------------------------------------------------------------


@register("lower", vectorized=True)
def _lower(env: Env, text: Value) -> Value:
    return None if text is None else to_text(text).lower()


@register("upper", vectorized=True)
def _upper(env: Env, text: Value) -> Value:
    return None if text is None else to_text(text).upper()


@register("replace", vectorized=True)
def _replace(env: Env, text: Value, old: Value, new: Value) -> Value:
    if text is None:
        return None
    return _text(text, "replace").replace(_text(old, "replace"), _text(new, "replace"))


def _regex(pattern: Value) -> re.Pattern[str]:
    try:
        return re.compile(_text(pattern, "a regex function"))
    except re.error as error:
        raise DqlError(f"'{pattern}' is not a valid regular expression ({error})") from None


@register("regextest")
def _regextest(env: Env, pattern: Value, text: Value) -> Value:
    return isinstance(text, str) and _regex(pattern).search(text) is not None


@register("regexmatch")
def _regexmatch(env: Env, pattern: Value, text: Value) -> Value:
    return isinstance(text, str) and _regex(pattern).fullmatch(text) is not None


@register("regexreplace", vectorized=True)
def _regexreplace(env: Env, text: Value, pattern: Value, new: Value) -> Value:
    if text is None:
        return None
    replacement = re.sub(r"\$(\d)", r"\\\1", _text(new, "regexreplace"))
    return _regex(pattern).sub(replacement, _text(text, "regexreplace"))


@register("split")
def _split(env: Env, text: Value, pattern: Value, limit: Value = None) -> Value:
    if text is None:
        return None
    parts = _regex(pattern).split(_text(text, "split"))
    return parts[: int(limit)] if limit is not None else parts


@register("startswith", vectorized=True)
def _startswith(env: Env, text: Value, prefix: Value) -> Value:
    return isinstance(text, str) and text.startswith(str(prefix))


@register("endswith", vectorized=True)
def _endswith(env: Env, text: Value, suffix: Value) -> Value:
    return isinstance(text, str) and text.endswith(str(suffix))


@register("substring", vectorized=True)
def _substring(env: Env, text: Value, start: Value, end: Value = None) -> Value:
    if text is None:
        return None
    return _text(text, "substring")[int(start) : None if end is None else int(end)]


@register("truncate", vectorized=True)
def _truncate(env: Env, text: Value, length: Value, suffix: Value = "...") -> Value:
    if not isinstance(text, str) or len(text) <= int(length):
        return text
    return text[: max(0, int(length) - len(str(suffix)))] + str(suffix)


@register("padleft", vectorized=True)
def _padleft(env: Env, text: Value, length: Value, pad: Value = " ") -> Value:
    return to_text(text).rjust(int(length), str(pad)[:1] or " ")


@register("padright", vectorized=True)
def _padright(env: Env, text: Value, length: Value, pad: Value = " ") -> Value:
    return to_text(text).ljust(int(length), str(pad)[:1] or " ")


@register("string")
def _string(env: Env, value: Value) -> Value:
    return to_text(value) if value is not None else "null"


@register("number", vectorized=True)
def _number(env: Env, value: Value) -> Value:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        found = re.search(r"-?\d+(?:\.\d+)?", value)
        if found:
            text = found.group(0)
            return float(text) if "." in text else int(text)
    return None


@register("round", vectorized=True)
def _round(env: Env, value: Value, digits: Value = 0) -> Value:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    places = int(digits or 0)
    scaled = math.floor(abs(value) * 10**places + 0.5) / 10**places  # half away from zero
    result = math.copysign(scaled, value)
    return int(result) if places == 0 else result


@register("floor", vectorized=True)
def _floor(env: Env, value: Value) -> Value:
    return math.floor(value) if isinstance(value, (int, float)) else None


@register("ceil", vectorized=True)
def _ceil(env: Env, value: Value) -> Value:
    return math.ceil(value) if isinstance(value, (int, float)) else None


# -- links ---------------------------------------------------------------------------------------


@register("link", vectorized=True)
def _link(env: Env, target: Value, display: Value = None) -> Value:
    if target is None:
        return None
    written = target.path if isinstance(target, Link) else _text(target, "link")
    source = env.this.path if env.this is not None else ""
    inner = written if written.startswith(("[[", "![[")) else f"[[{written}]]"
    found = env.index.link(inner, source)
    if display is not None:
        return Link(found.path, str(display), found.subpath, found.embed, found.resolved)
    return found


@register("elink")
def _elink(env: Env, url: Value, display: Value = None) -> Value:
    return to_text(display if display is not None else url)


@register("meta")
def _meta(env: Env, link: Value) -> Value:
    if not isinstance(link, Link):
        return None
    return {
        "path": link.path,
        "display": link.display,
        "subpath": link.subpath,
        "embed": link.embed,
    }


# -- dates ---------------------------------------------------------------------------------------


def _start_of_day(when: dt.datetime) -> dt.datetime:
    return when.replace(hour=0, minute=0, second=0, microsecond=0)


def _named_date(env: Env, name: str) -> dt.datetime | None:
    today = _start_of_day(env.now)
    month_start = today.replace(day=1)
    following = (month_start + dt.timedelta(days=32)).replace(day=1)
    named = {
        "now": env.now,
        "today": today,
        "tomorrow": today + dt.timedelta(days=1),
        "yesterday": today - dt.timedelta(days=1),
        "sow": today - dt.timedelta(days=today.weekday()),
        "eow": today + dt.timedelta(days=6 - today.weekday()),
        "som": month_start,
        "eom": following - dt.timedelta(days=1),
        "soy": today.replace(month=1, day=1),
        "eoy": today.replace(month=12, day=31),
    }
    return named.get(name.strip().lower())


@register("date")
def _date(env: Env, value: Value, fmt: Value = None) -> Value:
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, Link):
        row = env.index.row(value.path) if value.resolved else None
        if row is not None and row.file().get("day") is not None:
            return row.file()["day"]
        return parse_date(value.name)
    if isinstance(value, str):
        named = _named_date(env, value)
        if named is not None:
            return named
        if fmt is not None:
            try:
                parsed = dt.datetime.strptime(value, luxon_to_strftime(str(fmt)))
            except ValueError:
                return None
            return parsed.replace(tzinfo=UTC)
        return parse_date(value)
    return None


@register("now")
def _now(env: Env) -> Value:
    return env.now


@register("dur")
def _dur(env: Env, value: Value) -> Value:
    if isinstance(value, Duration) or value is None:
        return value
    return parse_duration(to_text(value))


@register("striptime", vectorized=True)
def _striptime(env: Env, value: Value) -> Value:
    return _start_of_day(value) if isinstance(value, dt.datetime) else None


@register("dateformat", vectorized=True)
def _dateformat(env: Env, value: Value, fmt: Value) -> Value:
    if not isinstance(value, dt.datetime):
        return None
    return format_luxon(value, _text(fmt, "dateformat"))


_LUXON = re.compile(
    r"'[^']*'|yyyy|yy|MMMM|MMM|MM|M|dd|d|EEEE|EEE|cccc|ccc|HH|H|hh|h|mm|m|ss|s|a|WW|W|kkkk|ooo|o|q|L+"
)


def format_luxon(when: dt.datetime, fmt: str) -> str:
    """A date formatted with Luxon's tokens (``yyyy-MM-dd``, ``MMMM d``, ``EEE``...)."""
    tokens: dict[str, Callable[[], str]] = {
        "yyyy": lambda: f"{when.year:04d}",
        "yy": lambda: f"{when.year % 100:02d}",
        "MMMM": lambda: when.strftime("%B"),
        "MMM": lambda: when.strftime("%b"),
        "MM": lambda: f"{when.month:02d}",
        "M": lambda: str(when.month),
        "LL": lambda: f"{when.month:02d}",
        "L": lambda: str(when.month),
        "dd": lambda: f"{when.day:02d}",
        "d": lambda: str(when.day),
        "EEEE": lambda: when.strftime("%A"),
        "EEE": lambda: when.strftime("%a"),
        "cccc": lambda: when.strftime("%A"),
        "ccc": lambda: when.strftime("%a"),
        "HH": lambda: f"{when.hour:02d}",
        "H": lambda: str(when.hour),
        "hh": lambda: f"{(when.hour % 12) or 12:02d}",
        "h": lambda: str((when.hour % 12) or 12),
        "mm": lambda: f"{when.minute:02d}",
        "m": lambda: str(when.minute),
        "ss": lambda: f"{when.second:02d}",
        "s": lambda: str(when.second),
        "a": lambda: "AM" if when.hour < 12 else "PM",
        "WW": lambda: f"{when.isocalendar()[1]:02d}",
        "W": lambda: str(when.isocalendar()[1]),
        "kkkk": lambda: str(when.isocalendar()[0]),
        "ooo": lambda: f"{when.timetuple().tm_yday:03d}",
        "o": lambda: str(when.timetuple().tm_yday),
        "q": lambda: str((when.month - 1) // 3 + 1),
    }

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("'"):
            return token[1:-1]
        make = tokens.get(token)
        return make() if make is not None else token

    return _LUXON.sub(one, fmt)


def luxon_to_strftime(fmt: str) -> str:
    """A Luxon parsing format as :func:`datetime.strptime`'s, for ``date(text, format)``."""
    table = {
        "yyyy": "%Y", "yy": "%y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%m", "dd": "%d",
        "d": "%d", "HH": "%H", "H": "%H", "hh": "%I", "h": "%I", "mm": "%M", "m": "%M",
        "ss": "%S", "s": "%S", "a": "%p", "EEEE": "%A", "EEE": "%a",
    }  # fmt: skip
    return _LUXON.sub(
        lambda m: (
            m.group(0)[1:-1] if m.group(0).startswith("'") else table.get(m.group(0), m.group(0))
        ),
        fmt,
    )
