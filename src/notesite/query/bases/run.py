"""Running a base's view over a :class:`~.record.Table`: filter, sort, limit, group, and the
values of each column and summary, ready to render."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from notesite.query.bases.evaluate import evaluate_field, new_scope
from notesite.query.bases.expr import Attr, Name, Node
from notesite.query.bases.record import FileRecord, Table
from notesite.query.bases.scope import EvalError, Scope
from notesite.query.bases.spec import BaseSpec, Expression, Filter, FilterGroup, SortKey, View
from notesite.query.bases.values import (
    as_datetime,
    is_empty,
    sort_key,
    to_text,
    truthy,
)
from notesite.query.values import Duration

#: How Obsidian names the file properties in a column's header.
FILE_LABELS = {
    "file.name": "file name",
    "file.basename": "file base name",
    "file.path": "file path",
    "file.folder": "folder",
    "file.ext": "file extension",
    "file.size": "file size",
    "file.ctime": "created time",
    "file.mtime": "modified time",
    "file.tags": "tags",
    "file.links": "links",
    "file.backlinks": "backlinks",
    "file.embeds": "embeds",
}


@dataclass(frozen=True)
class Column:
    id: str
    label: str


@dataclass
class Row:
    record: FileRecord
    cells: list[Any]


@dataclass
class Group:
    key: Any
    """The value the rows share (None without ``groupBy``, or for rows without the value)."""
    rows: list[Row]
    summaries: dict[str, Any] = field(default_factory=dict)
    """Column id -> (summary name, value)."""


@dataclass
class ViewResult:
    view: View
    columns: list[Column]
    groups: list[Group]
    grouped: bool
    image: list[Any] = field(default_factory=list)
    """The picture of each row, in order over the groups (cards views)."""
    errors: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def column_label(spec: BaseSpec, prop: str) -> str:
    if prop in spec.display_names:
        return spec.display_names[prop]
    if prop in FILE_LABELS:
        return FILE_LABELS[prop]
    return prop.split(".", 1)[1] if prop.startswith(("note.", "formula.")) else prop


def property_node(prop: str) -> Node:
    namespace, _, name = prop.partition(".")
    return Attr(Name(namespace), name)


def run_view(
    spec: BaseSpec, view: View, table: Table, this: FileRecord | None = None
) -> ViewResult:
    errors: dict[tuple[int | None, str], None] = {}

    def reporter(line: int | None, what: str) -> Callable[[EvalError], None]:
        return lambda error: errors.setdefault((line, f"{what}: {error}"))

    formulas = {name: e.tree for name, e in spec.formulas.items()}
    scopes: list[Scope] = []
    for record in table.records.values():
        scope = new_scope(table, record, this, formulas)
        if _passes(spec.filters, scope, reporter) and _passes(view.filters, scope, reporter):
            scopes.append(scope)

    def value(scope: Scope, prop: str) -> Any:
        line = _formula_line(spec, prop, view)
        return evaluate_field(property_node(prop), scope, reporter(line, prop))

    keys: list[SortKey] = list(view.sort) or [SortKey("file.name")]
    for sort in reversed(keys):  # a stable sort per key, the last key first
        found = {id(s): value(s, sort.property) for s in scopes}
        scopes.sort(key=lambda s: sort_key(found[id(s)]), reverse=sort.descending)
        if sort.descending:  # empty values stay last whichever the direction
            scopes.sort(key=lambda s: is_empty(found[id(s)]))
    if view.limit is not None:
        scopes = scopes[: view.limit]

    columns = [Column(p, column_label(spec, p)) for p in view.order]
    groups: dict[Any, Group] = {}
    rows_in_order: list[tuple[Any, Scope]] = []
    for scope in scopes:
        key = None
        if view.group_by is not None:
            key = value(scope, view.group_by.property)
        rows_in_order.append((key, scope))
    if view.group_by is not None:
        by = view.group_by
        rows_in_order.sort(key=lambda pair: sort_key(pair[0]), reverse=by.descending)
        rows_in_order.sort(key=lambda pair: is_empty(pair[0]))
    images = []
    for key, scope in rows_in_order:
        group = groups.setdefault(_group_key(key), Group(key, []))
        assert scope.row is not None
        group.rows.append(Row(scope.row, [value(scope, c.id) for c in columns]))
        if view.image is not None:
            images.append(value(scope, view.image))
    result_groups = list(groups.values()) or [Group(None, [])]
    for group in result_groups:
        for index, column in enumerate(columns):
            name = view.summaries.get(column.id)
            if name is not None:
                values = [row.cells[index] for row in group.rows]
                group.summaries[column.id] = (name, summarize(spec, name, values, table, reporter))
    return ViewResult(
        view,
        columns,
        result_groups,
        view.group_by is not None,
        images,
        [(line, message) for line, message in errors],
    )


def _group_key(value: Any) -> Any:
    text = to_text(value)
    return (type(value).__name__ if not is_empty(value) else "", text.casefold())


def _formula_line(spec: BaseSpec, prop: str, view: View) -> int | None:
    if prop.startswith("formula."):
        formula = spec.formulas.get(prop[len("formula.") :])
        if formula is not None:
            return formula.line
    return view.line


def _passes(
    where: Filter | None,
    scope: Scope,
    reporter: Callable[[int | None, str], Callable[[EvalError], None]],
) -> bool:
    if where is None:
        return True
    if isinstance(where, Expression):
        on_error = reporter(where.line, f"filter {where.text!r}")
        return truthy(evaluate_field(where.tree, scope, on_error))
    assert isinstance(where, FilterGroup)
    results = (_passes(item, scope, reporter) for item in where.items)
    if where.op == "and":
        return all(results)
    if where.op == "or":
        return any(results)
    return not any(results)  # not: none of them


def _numbers(values: Iterable[Any]) -> list[float]:
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


def _dates(values: Iterable[Any]) -> list[dt.datetime]:
    return [as_datetime(v) for v in values if isinstance(v, dt.date)]


def _maybe(function: Callable[[list[Any]], Any], items: list[Any]) -> Any:
    return function(items) if items else None


def summarize(
    spec: BaseSpec,
    name: str,
    values: list[Any],
    table: Table,
    reporter: Callable[[int | None, str], Callable[[EvalError], None]],
) -> Any:
    """A default summary (``Average``, ``Earliest``, ``Unique``...) or one of the base's own."""
    numbers, dates = _numbers(values), _dates(values)
    match name:
        case "Average":
            return _maybe(statistics.fmean, numbers)
        case "Min":
            return _maybe(min, numbers)
        case "Max":
            return _maybe(max, numbers)
        case "Sum":
            return sum(numbers)
        case "Median":
            return _maybe(statistics.median, numbers)
        case "Stddev":
            return _maybe(statistics.pstdev, numbers)
        case "Range":
            if dates and not numbers:
                return Duration(0, (max(dates) - min(dates)).total_seconds())
            return max(numbers) - min(numbers) if numbers else None
        case "Earliest":
            return _maybe(min, dates)
        case "Latest":
            return _maybe(max, dates)
        case "Checked":
            return sum(1 for v in values if v is True)
        case "Unchecked":
            return sum(1 for v in values if v is not True)
        case "Empty":
            return sum(1 for v in values if is_empty(v))
        case "Filled":
            return sum(1 for v in values if not is_empty(v))
        case "Unique":
            return len({to_text(v) for v in values if not is_empty(v)})
    custom = spec.summaries[name]
    scope = new_scope(table, None, bindings={"values": values})
    return evaluate_field(custom.tree, scope, reporter(custom.line, f"summary {name!r}"))
