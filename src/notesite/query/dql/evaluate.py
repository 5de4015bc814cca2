"""Evaluating DQL expressions over rows of the query index.

A :class:`Row` is what an expression sees: a note (its properties and ``file``) and the names a
query bound on top of it (FLATTEN's, GROUP BY's ``key`` and ``rows``, a task's fields).
Operators follow Dataview: comparisons order any two values (:func:`~notesite.query.values.compare`),
``and``/``or`` and ``!`` use its truthiness, arithmetic with null gives null, and an operation
that has no meaning for its types (``"a" - 1``) is an error (:class:`DqlError`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import notesite.query.dql.ast as ast
from notesite.query.dql.parser import DqlError
from notesite.query.index import NoteRow, QueryIndex, normalize_key
from notesite.query.values import (
    Duration,
    Link,
    Value,
    compare,
    equal,
    to_text,
    truthy,
    type_name,
)


@dataclass(slots=True)
class Row:
    """One row of a query: a note, or a group (no note), and the names bound on it."""

    page: NoteRow | None
    bound: dict[str, Value] = field(default_factory=dict)

    def lookup(self, name: str) -> Value:
        if name in self.bound:
            return self.bound[name]
        if self.page is None:
            return self.bound.get(normalize_key(name))
        return self.page.get(name)

    @property
    def link(self) -> Value:
        """What the row's ID column shows: the note's link, or the group's key."""
        if self.page is not None and "rows" not in self.bound:
            return self.page.link
        return self.bound.get("key")

    def as_object(self) -> dict[str, Value]:
        base = self.page.page() if self.page is not None else {}
        return {**base, **self.bound}


@dataclass(slots=True)
class Env:
    """What an expression is evaluated with: the index, the current note, lambda variables."""

    index: QueryIndex
    this: NoteRow | None
    now: dt.datetime
    variables: dict[str, Value] = field(default_factory=dict)

    def with_variables(self, names: Mapping[str, Value]) -> Env:
        return Env(self.index, self.this, self.now, {**self.variables, **names})


Function = Callable[[Env, list[Value]], Value]
FUNCTIONS: dict[str, Function] = {}
"""Every DQL function by its lowercase name (filled by :mod:`notesite.query.dql.functions`)."""


def evaluate(expr: ast.Expr, row: Row | None, env: Env) -> Value:
    """The value of an expression for a row (None for an inline query: ``this`` only)."""
    if isinstance(expr, ast.Literal_):
        return expr.value
    if isinstance(expr, ast.Name):
        return _name(expr.name, row, env)
    if isinstance(expr, ast.Field):
        return get_field(evaluate(expr.target, row, env), expr.name, env)
    if isinstance(expr, ast.Binary):
        return _binary(expr, row, env)
    if isinstance(expr, ast.Call):
        return _call(expr, row, env)
    if isinstance(expr, ast.Unary):
        value = evaluate(expr.operand, row, env)
        if expr.op == "!":
            return not truthy(value)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
        if isinstance(value, Duration):
            return -value
        raise DqlError(f"cannot negate a {type_name(value)}")
    if isinstance(expr, ast.Index):
        return _index(evaluate(expr.target, row, env), evaluate(expr.index, row, env), env)
    if isinstance(expr, ast.ListOf):
        return [evaluate(item, row, env) for item in expr.items]
    if isinstance(expr, ast.ObjectOf):
        return {key: evaluate(value, row, env) for key, value in expr.items}
    if isinstance(expr, ast.Lambda):
        return _closure(expr, row, env)
    raise DqlError("cannot evaluate this expression")


def _name(name: str, row: Row | None, env: Env) -> Value:
    if name in env.variables:
        return env.variables[name]
    if name == "this":
        return env.this
    if row is None:
        return None if env.this is None else env.this.get(name)
    if name == "row":
        return row.as_object()
    return row.lookup(name)


def get_field(value: Value, name: str, env: Env) -> Value:
    """``value.name``: a note's property, an object's entry, a date's part, each item's of a
    list; a link reads the linked note's property."""
    if value is None:
        return None
    if isinstance(value, Row):
        return value.lookup(name)
    if isinstance(value, NoteRow):
        return value.get(name)
    if isinstance(value, Mapping):
        if name in value:
            return value[name]
        return value.get(normalize_key(name))
    if isinstance(value, (list, tuple)):
        out: list[Value] = []
        for item in value:
            found = get_field(item, name, env)
            if isinstance(found, list):
                out.extend(found)
            else:
                out.append(found)
        return out
    if isinstance(value, Link):
        target = env.index.row(value.path) if value.resolved else None
        return target.get(name) if target is not None else None
    if isinstance(value, dt.datetime):
        return _date_part(value, name)
    if isinstance(value, Duration):
        return _duration_part(value, name)
    return None


def _date_part(value: dt.datetime, name: str) -> Value:
    parts: dict[str, Callable[[], Value]] = {
        "year": lambda: value.year,
        "month": lambda: value.month,
        "day": lambda: value.day,
        "hour": lambda: value.hour,
        "minute": lambda: value.minute,
        "second": lambda: value.second,
        "millisecond": lambda: value.microsecond // 1000,
        "week": lambda: value.isocalendar()[1],
        "weekyear": lambda: value.isocalendar()[0],
        "weekday": lambda: value.isoweekday(),
        "quarter": lambda: (value.month - 1) // 3 + 1,
    }
    part = parts.get(name)
    return part() if part is not None else None


def _duration_part(value: Duration, name: str) -> Value:
    seconds = value.total_seconds()
    scale = {
        "years": 365 * 86400,
        "months": 30 * 86400,
        "weeks": 7 * 86400,
        "days": 86400,
        "hours": 3600,
        "minutes": 60,
        "seconds": 1,
    }.get(name)
    return seconds / scale if scale else None


def _index(value: Value, key: Value, env: Env) -> Value:
    if value is None or key is None:
        return None
    if isinstance(key, str):
        return get_field(value, key, env)
    if _number(key) and isinstance(value, (list, tuple, str)):
        i = int(key)
        return value[i] if -len(value) <= i < len(value) else None
    return None


def _closure(expr: ast.Lambda, row: Row | None, env: Env) -> Callable[..., Value]:
    def call(*args: Value) -> Value:
        names = dict(zip(expr.params, args, strict=False))
        return evaluate(expr.body, row, env.with_variables(names))

    return call


def _call(expr: ast.Call, row: Row | None, env: Env) -> Value:
    function = FUNCTIONS.get(expr.name)
    if function is None:
        raise DqlError(f"there is no function '{expr.name}'")
    args = [evaluate(a, row, env) for a in expr.args]
    try:
        return function(env, args)
    except DqlError:
        raise
    except (TypeError, ValueError, OverflowError, AttributeError, IndexError, KeyError) as error:
        # A function given values it has no meaning for: the query's mistake, not a crash.
        raise DqlError(f"{expr.name}() cannot take these values ({error})") from None


def _binary(expr: ast.Binary, row: Row | None, env: Env) -> Value:
    op = expr.op
    left = evaluate(expr.left, row, env)
    if op == "and":
        return truthy(left) and truthy(evaluate(expr.right, row, env))
    if op == "or":
        return truthy(left) or truthy(evaluate(expr.right, row, env))
    right = evaluate(expr.right, row, env)
    return binary(op, left, right)


def binary(op: str, left: Value, right: Value) -> Value:
    """``left op right`` for the comparison and arithmetic operators."""
    left, right = plain(left), plain(right)
    if op == "=":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    if op in ("<", "<=", ">", ">="):
        order = compare(left, right)
        return {"<": order < 0, "<=": order <= 0, ">": order > 0, ">=": order >= 0}[op]
    if left is None or right is None:
        return None
    try:
        found = _arithmetic(op, left, right)
    except (OverflowError, ValueError) as error:  # a date past the year 9999, say
        raise DqlError(
            f"cannot compute {type_name(left)} {op} {type_name(right)} ({error})"
        ) from None
    if found is NotImplemented:
        raise DqlError(f"cannot compute {type_name(left)} {op} {type_name(right)}")
    return found


def _number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _arithmetic(op: str, a: Value, b: Value) -> Value:
    if _number(a) and _number(b):
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            return None
        return a / b if op == "/" else a % b
    if op == "+" and (isinstance(a, str) or isinstance(b, str)):
        return to_text(a) + to_text(b)
    if op == "*" and isinstance(a, str) and _number(b):
        return a * int(b)
    if isinstance(a, dt.datetime) and isinstance(b, Duration) and op in "+-":
        return shift(a, b if op == "+" else -b)
    if isinstance(a, Duration) and isinstance(b, dt.datetime) and op == "+":
        return shift(b, a)
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime) and op == "-":
        return Duration(0, (a - b).total_seconds())
    if isinstance(a, Duration) and isinstance(b, Duration) and op in "+-":
        return a + (b if op == "+" else -b)
    if isinstance(a, Duration) and _number(b) and op in "*/":
        factor = b if op == "*" else (1 / b if b else 0)
        return Duration(int(a.months * factor), a.seconds * factor)
    if isinstance(a, list) and isinstance(b, list) and op == "+":
        return a + b
    return NotImplemented


def shift(when: dt.datetime, by: Duration) -> dt.datetime:
    """A date moved by a duration: whole months first (the day kept, or the month's last)."""
    if by.months:
        month = when.month - 1 + by.months
        year, month = when.year + month // 12, month % 12 + 1
        day = min(when.day, _days_in(year, month))
        when = when.replace(year=year, month=month, day=day)
    return when + dt.timedelta(seconds=by.seconds)


def _days_in(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def plain(value: Value) -> Value:
    """A value with rows and notes as the links to them (what is compared and shown)."""
    if isinstance(value, Row):
        return value.link
    if isinstance(value, NoteRow):
        return value.link
    if isinstance(value, list) and any(isinstance(v, (Row, NoteRow, list)) for v in value):
        return [plain(v) for v in value]
    return value
