"""The global functions of Bases expressions: ``if()``, ``now()``, ``today()``, ``date()``,
``duration()``, ``link()``, ``list()``, ``number()``, ``min()``, ``max()``, ``file()``,
``image()``, ``icon()``, ``html()``, ``escapeHTML()``."""

from __future__ import annotations

import datetime as dt
import html as html_module
from dataclasses import replace
from typing import Any

from notesite.query.bases.expr import Node
from notesite.query.bases.scope import EvalError, Scope
from notesite.query.bases.values import (
    FileValue,
    Image,
    as_datetime,
    parse_duration,
    to_text,
    truthy,
)
from notesite.query.values import Link, parse_date

GLOBALS = frozenset(
    {
        "if",
        "now",
        "today",
        "date",
        "duration",
        "link",
        "list",
        "number",
        "min",
        "max",
        "file",
        "image",
        "icon",
        "html",
        "escapeHTML",
    }
)


def call_global(name: str, nodes: tuple[Node, ...], scope: Scope) -> Any:
    if name == "if":  # only the branch taken is evaluated
        if not 2 <= len(nodes) <= 3:
            raise EvalError("if() takes a condition, a value and an optional other value")
        if truthy(scope.evaluate(nodes[0])):
            return scope.evaluate(nodes[1])
        return scope.evaluate(nodes[2]) if len(nodes) == 3 else None
    args = [scope.evaluate(node) for node in nodes]
    if name == "now":
        return scope.table.now
    if name == "today":
        now = scope.table.now
        return dt.datetime(now.year, now.month, now.day, tzinfo=now.tzinfo)
    if name in ("min", "max"):
        numbers = [a for a in _flat(args) if isinstance(a, int | float) and not isinstance(a, bool)]
        return (min if name == "min" else max)(numbers) if numbers else None
    first = args[0] if args else None
    if name == "date":
        if isinstance(first, dt.date):
            return as_datetime(first)
        return parse_date(first) if isinstance(first, str) else None
    if name == "duration":
        return parse_duration(first) if isinstance(first, str) else None
    if name == "link":
        display = to_text(args[1]) if len(args) > 1 and args[1] is not None else None
        return make_link(first, scope, display)
    if name == "list":
        return first if isinstance(first, list) else ([] if first is None else [first])
    if name == "number":
        return to_number(first)
    if name == "file":
        link = make_link(first, scope)
        record = None if link is None else scope.table.record(link)
        return None if record is None else FileValue(record)
    if name == "image":
        source = first if isinstance(first, Link) else make_link(first, scope)
        if isinstance(first, str) and first.startswith(("http://", "https://")):
            return Image(first)
        return None if source is None else Image(source)
    if name in ("html", "escapeHTML", "icon"):
        # Raw HTML is never let through: it is shown as the text it is.
        return html_module.escape(to_text(first)) if name == "escapeHTML" else to_text(first)
    raise EvalError(f"there is no function {name}()")  # pragma: no cover


def _flat(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        out.extend(_flat(value) if isinstance(value, list) else [value])
    return out


def to_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return int(as_datetime(value).timestamp() * 1000)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() and "." not in value else number
    return None


def make_link(value: Any, scope: Scope, display: str | None = None) -> Link | None:
    """A link to what ``value`` names: a file, a link, a path or ``[[wikilink]]`` text."""
    if value is None:
        return None
    if isinstance(value, Link):
        return replace(value, display=display or value.display)
    if isinstance(value, FileValue):
        return Link(value.record.path, display)
    link = scope.table.link(to_text(value).strip(), scope.this)
    return replace(link, display=display) if display is not None else link
