"""Evaluating a Bases expression tree for one note (a row), with ``this`` (the page showing the
base) and the base's formulas.

Missing properties are null, and null goes through operators and methods as an empty value
(``null + 1`` is null, ``null > 1`` is false, ``null.lower()`` is null), so a note without a
property gives an empty cell, never an error. What cannot mean anything (an unknown function
or method, a method on the wrong type) raises :class:`EvalError`.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from notesite.query.bases.expr import (
    Attr,
    Binary,
    Call,
    Index,
    ListOf,
    Literal,
    Name,
    Node,
    Regex,
    Unary,
)
from notesite.query.bases.functions import GLOBALS, call_global
from notesite.query.bases.methods import call_method, field_of
from notesite.query.bases.record import FileRecord, Table
from notesite.query.bases.scope import EvalError, Namespace, Scope
from notesite.query.bases.values import (
    FileValue,
    Pattern,
    add_duration,
    as_datetime,
    comparable,
    equal,
    parse_duration,
    to_text,
    truthy,
)
from notesite.query.values import Duration


def evaluate(node: Node, scope: Scope) -> Any:
    match node:
        case Literal(value):
            return value
        case Regex(pattern, flags):
            return Pattern(_compile(pattern, flags))
        case Name(name):
            return _name(name, scope)
        case Attr(target, name):
            return get_field(evaluate(target, scope), name, scope)
        case Index(target, index):
            return _index(evaluate(target, scope), evaluate(index, scope), scope)
        case ListOf(items):
            return [evaluate(item, scope) for item in items]
        case Unary("!", operand):
            return not truthy(evaluate(operand, scope))
        case Unary(_, operand):
            value = evaluate(operand, scope)
            if value is None:
                return None
            if isinstance(value, Duration):
                return -value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return -value
            raise EvalError(f"cannot negate {to_text(value)!r}")
        case Binary("&&", left, right):
            first = evaluate(left, scope)
            return evaluate(right, scope) if truthy(first) else first
        case Binary("||", left, right):
            first = evaluate(left, scope)
            return first if truthy(first) else evaluate(right, scope)
        case Binary(op, left, right):
            return binary(op, evaluate(left, scope), evaluate(right, scope))
        case Call(function, args):
            return _call(function, args, scope)
    raise EvalError(f"cannot evaluate {node!r}")  # pragma: no cover


def _compile(pattern: str, flags: str) -> re.Pattern[str]:
    bits = 0
    for flag, bit in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL)):
        if flag in flags:
            bits |= bit
    try:
        return re.compile(pattern, bits)
    except re.error as error:
        raise EvalError(f"/{pattern}/ is not a regular expression ({error})") from None


def _name(name: str, scope: Scope) -> Any:
    if name in scope.bindings:
        return scope.bindings[name]
    if name == "file":
        return None if scope.row is None else FileValue(scope.row)
    if name in ("note", "formula"):
        return Namespace(name, scope.row)
    if name == "this":
        return Namespace("this", scope.this)
    return None if scope.row is None else scope.row.property(name)


def get_field(value: Any, name: str, scope: Scope) -> Any:
    """``value.name``: a property of a note, a field of a file, date or duration."""
    if isinstance(value, Namespace):
        if value.kind == "formula":
            return scope.formula(name)
        if value.record is None:
            return None
        if value.kind == "this" and name == "file":
            return FileValue(value.record)
        if value.kind == "this" and name in ("note", "formula"):
            return Namespace(name, value.record) if name == "note" else Namespace(name, None)
        return value.record.property(name)
    return field_of(value, name, scope)


def _index(value: Any, key: Any, scope: Scope) -> Any:
    if value is None or key is None:
        return None
    if isinstance(value, Namespace):
        return get_field(value, to_text(key), scope)
    if isinstance(value, list | str) and isinstance(key, int | float) and not isinstance(key, bool):
        at = int(key)
        return value[at] if -len(value) <= at < len(value) else None
    if isinstance(value, dict):
        return value.get(to_text(key))
    return get_field(value, to_text(key), scope)


def _call(function: Node, args: tuple[Node, ...], scope: Scope) -> Any:
    if isinstance(function, Name) and function.name not in scope.bindings:
        if function.name not in GLOBALS:
            raise EvalError(f"there is no function {function.name}()")
        return call_global(function.name, args, scope)
    if isinstance(function, Attr):
        target = evaluate(function.target, scope)
        return call_method(target, function.name, args, scope)
    raise EvalError("only functions and methods can be called")


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    "<": operator.lt,
    ">=": operator.ge,
    "<=": operator.le,
}


def binary(op: str, left: Any, right: Any) -> Any:
    if op == "==":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    if op in _COMPARE:
        pair = comparable(left, right)
        return pair is not None and _COMPARE[op](*pair)
    return arithmetic(op, left, right)


def arithmetic(op: str, left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if op == "+" and (isinstance(left, str) or isinstance(right, str)):
        if isinstance(left, dt.date) and (duration := parse_duration(right)) is not None:
            return add_duration(as_datetime(left), duration)
        return to_text(left) + to_text(right)
    if isinstance(left, dt.date):
        return _date_arithmetic(op, left, right)
    if isinstance(left, Duration):
        if op == "*" and isinstance(right, int | float):
            return scale(left, right)
        if op == "/" and isinstance(right, int | float) and right:
            return scale(left, 1 / right)
        if op in "+-" and isinstance(right, Duration):
            return left + (right if op == "+" else -right)
    numbers = isinstance(left, int | float) and isinstance(right, int | float)
    if numbers and not isinstance(left, bool) and not isinstance(right, bool):
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if right == 0:
            return None
        if op == "/":
            result = left / right
            return int(result) if result.is_integer() and isinstance(left, int) else result
        return left % right
    raise EvalError(f"cannot apply {op} to {to_text(left)!r} and {to_text(right)!r}")


def scale(duration: Duration, factor: float) -> Duration:
    return Duration(round(duration.months * factor), duration.seconds * factor)


def _date_arithmetic(op: str, left: dt.date, right: Any) -> Any:
    if op == "-" and isinstance(right, dt.date):
        return Duration(0, (as_datetime(left) - as_datetime(right)).total_seconds())
    duration = right if isinstance(right, Duration) else None
    if isinstance(right, str):
        duration = parse_duration(right)
    elif isinstance(right, int | float) and not isinstance(right, bool):
        duration = Duration(0, right / 1000)  # milliseconds, as in JavaScript
    if duration is None or op not in "+-":
        raise EvalError(f"cannot apply {op} to a date and {to_text(right)!r}")
    return add_duration(as_datetime(left), duration if op == "+" else -duration)


def new_scope(
    table: Table,
    row: FileRecord | None,
    this: FileRecord | None = None,
    formulas: Mapping[str, Node] | None = None,
    bindings: dict[str, Any] | None = None,
) -> Scope:
    """The scope of one row (``row`` None: of a summary), evaluated by :func:`evaluate`."""
    return Scope(table, row, this, evaluate, dict(formulas or {}), dict(bindings or {}))


def evaluate_field(node: Node, scope: Scope, on_error: Callable[[EvalError], None]) -> Any:
    """:func:`evaluate`, an error reported to ``on_error`` and taken as an empty value."""
    try:
        return evaluate(node, scope)
    except EvalError as error:
        on_error(error)
        return None
    except (RecursionError, OverflowError, ValueError, TypeError) as error:
        on_error(EvalError(str(error)))
        return None
