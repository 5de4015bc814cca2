"""Running a parsed query over the index: the source picks notes, each data command in turn
changes the rows (WHERE, SORT, GROUP BY, FLATTEN, LIMIT), and the header shapes the result.

A query that reads nothing of the current note (no ``this``, no ``[[]]`` source) gives the same
result on every page: its result is kept per index, so 200 pages holding one query run it once;
one that does is kept per page (a note embedded in others shows its queries' results there too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import notesite.query.dql.ast as ast
import notesite.query.dql.functions  # noqa: F401  (registers the functions)
from notesite.paths import VaultPath
from notesite.query.dql.evaluate import Env, Row, evaluate, plain
from notesite.query.dql.parser import DqlError
from notesite.query.index import NoteRow, QueryIndex
from notesite.query.values import UTC, Link, Value, sort_key, truthy


@dataclass(frozen=True)
class ListResult:
    items: list[tuple[Value, Value]]
    """Each row's ID (a link, or a group's key; None ``WITHOUT ID``) and value (None: none)."""
    has_value: bool = False
    grouped: bool = False


@dataclass(frozen=True)
class TableResult:
    headers: list[str]
    rows: list[list[Value]]


@dataclass(frozen=True)
class TaskResult:
    groups: list[tuple[Value, list[dict[str, Value]]]]
    """The tasks by note (or by GROUP BY's key)."""


@dataclass(frozen=True)
class CalendarResult:
    entries: list[tuple[dt.datetime, Link]]


Result = ListResult | TableResult | TaskResult | CalendarResult


@dataclass
class Runner:
    """Runs queries over one index (one build); see the module docstring."""

    index: QueryIndex
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(UTC))
    _kept: dict[tuple[ast.Query, str | None], Result] = field(default_factory=dict)
    """Results by query and page (no page for a query that reads nothing of its page)."""

    def env(self, this: str | None) -> Env:
        row = self.index.row(this) if this is not None else None
        return Env(self.index, row, self.now)

    def run(self, query: ast.Query, this: str | None) -> Result:
        """The result of a query on the page of the note at ``this``; raises DqlError."""
        key = (query, this if _reads_this(query) else None)
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = _run(query, self.env(this))
        return found

    def value(self, expr: ast.Expr, this: str | None) -> Value:
        """An inline query's value on the page of the note at ``this``."""
        return plain(evaluate(expr, None, self.env(this)))


def _reads_this(query: ast.Query) -> bool:
    """Whether a query's result may depend on the page it is on: it names ``this`` (or
    anything spelled like it), resolves a link (from the note's folder), or has a link source."""
    written = repr(query)
    return "this" in written or "Call(name='link'" in written or _empty_link(query.source)


def _empty_link(source: ast.Source | None) -> bool:
    if isinstance(source, ast.LinkSource):
        return True  # resolved from the current note's folder
    if isinstance(source, ast.NotSource):
        return _empty_link(source.source)
    if isinstance(source, ast.BoolSource):
        return _empty_link(source.left) or _empty_link(source.right)
    return False


# -- sources -------------------------------------------------------------------------------------


def _source(source: ast.Source | None, env: Env) -> set[VaultPath] | None:
    """The paths a source selects (None: every note)."""
    index = env.index
    if source is None:
        return None
    if isinstance(source, ast.TagSource):
        return {r.path for r in index.tagged(source.tag)}
    if isinstance(source, ast.FolderSource):
        if not source.folder.strip().strip("/"):
            return None
        return {r.path for r in index.in_folder(source.folder)}
    if isinstance(source, ast.LinkSource):
        here = env.this.path if env.this is not None else ""
        link = index.link(source.target, here)
        if not link.resolved:
            return set()
        if source.outgoing:
            return set(index.linked_from(link.path))
        return set(index.linking_to(link.path))
    if isinstance(source, ast.NotSource):
        inner = _source(source.source, env)
        return set() if inner is None else {r.path for r in index.rows} - inner
    left, right = _source(source.left, env), _source(source.right, env)
    if source.op == "and":
        if left is None or right is None:
            return right if left is None else left
        return left & right
    if left is None or right is None:
        return None
    return left | right


def _rows(query: ast.Query, env: Env) -> list[Row]:
    paths = _source(query.source, env)
    index = env.index
    pages: Iterable[NoteRow] = index.rows
    if paths is not None:  # in the vault's order
        pages = [index.rows[i] for i in sorted(index.position[p] for p in paths)]
    if query.kind == "task":
        return [Row(page, dict(task)) for page in pages for task in page.file()["tasks"]]
    return [Row(page) for page in pages]


# -- data commands -------------------------------------------------------------------------------


def _where(rows: list[Row], expr: ast.Expr, env: Env) -> list[Row]:
    kept, failed = [], None
    for row in rows:
        try:
            if truthy(evaluate(expr, row, env)):
                kept.append(row)
        except DqlError as error:  # the row is left out; only all rows failing is an error
            failed = error
    if failed is not None and not kept:
        raise failed
    return kept


def _safe(expr: ast.Expr, row: Row, env: Env) -> Value:
    try:
        return plain(evaluate(expr, row, env))
    except DqlError:
        return None


def _sort(rows: list[Row], keys: tuple[tuple[ast.Expr, bool], ...], env: Env) -> list[Row]:
    for expr, descending in reversed(keys):  # stable sorts, last key first
        values = {id(row): sort_key(_safe(expr, row, env)) for row in rows}
        rows = sorted(rows, key=lambda row: values[id(row)], reverse=descending)
    return rows


def _group(rows: list[Row], command: ast.GroupBy, env: Env) -> list[Row]:
    groups: list[tuple[Value, list[Row]]] = []
    for row in rows:
        key = _safe(command.expr, row, env)
        for found in groups:
            if sort_key(found[0]) == sort_key(key):
                found[1].append(row)
                break
        else:
            groups.append((key, [row]))
    groups.sort(key=lambda g: sort_key(g[0]))
    return [Row(None, {"key": key, command.name: key, "rows": members}) for key, members in groups]


def _flatten(rows: list[Row], command: ast.Flatten, env: Env) -> list[Row]:
    out = []
    for row in rows:
        value = _safe(command.expr, row, env)
        for item in value if isinstance(value, list) else [value]:
            out.append(Row(row.page, {**row.bound, command.name: item}))
    return out


def _run(query: ast.Query, env: Env) -> Result:
    rows = _rows(query, env)
    grouped = False
    for command in query.commands:
        if isinstance(command, ast.Where):
            rows = _where(rows, command.expr, env)
        elif isinstance(command, ast.Sort):
            rows = _sort(rows, command.keys, env)
        elif isinstance(command, ast.GroupBy):
            rows, grouped = _group(rows, command, env), True
        elif isinstance(command, ast.Flatten):
            rows = _flatten(rows, command, env)
        else:
            rows = rows[: max(command.count, 0)]
    if query.kind == "table":
        return _table(query, rows, env, grouped)
    if query.kind == "list":
        return _list(query, rows, env, grouped)
    if query.kind == "task":
        return _tasks(rows, grouped)
    return _calendar(query, rows, env)


def _table(query: ast.Query, rows: list[Row], env: Env, grouped: bool) -> TableResult:
    headers = [c.name for c in query.columns]
    if not query.without_id:
        headers.insert(0, "Group" if grouped else "File")  # (Dataview's default names)
    out = []
    for row in rows:
        cells = [_safe(c.expr, row, env) for c in query.columns]
        out.append(cells if query.without_id else [row.link, *cells])
    return TableResult(headers, out)


def _list(query: ast.Query, rows: list[Row], env: Env, grouped: bool) -> ListResult:
    column = query.columns[0] if query.columns else None
    items: list[tuple[Value, Value]] = []
    for row in rows:
        if column is not None:
            value = _safe(column.expr, row, env)
        elif grouped:
            value = plain(row.bound["rows"])
        else:
            value = None
        ident = None if query.without_id and column is not None else row.link
        items.append((ident, value))
    return ListResult(items, has_value=column is not None or grouped, grouped=grouped)


def _tasks(rows: list[Row], grouped: bool) -> TaskResult:
    groups: list[tuple[Value, list[dict[str, Value]]]] = []
    if grouped:
        for row in rows:
            tasks = [dict(r.bound) for r in row.bound["rows"] if isinstance(r, Row)]
            groups.append((row.bound["key"], tasks))
        return TaskResult(groups)
    for row in rows:
        task = dict(row.bound)
        link = row.page.link if row.page is not None else None
        if groups and groups[-1][0] == link:
            groups[-1][1].append(task)
        else:
            groups.append((link, [task]))
    return TaskResult(groups)


def _calendar(query: ast.Query, rows: list[Row], env: Env) -> CalendarResult:
    expr = query.columns[0].expr
    entries = []
    for row in rows:
        when = _safe(expr, row, env)
        if isinstance(when, dt.datetime) and row.page is not None:
            entries.append((when, row.page.link))
    return CalendarResult(entries)
