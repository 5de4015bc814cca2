"""A ``.base`` file (or a ``base`` code block) read into a :class:`BaseSpec`.

Every expression is parsed here, once, and each keeps the line it was written on, so that a
problem is reported at its line. Anything that makes the base mean something else than it says
(bad YAML, an expression that does not parse, an unknown function) makes it unreadable: the
whole base is reported and shown as an error rather than with wrong results.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.nodes import Node as YamlNode

from notesite.query.bases.expr import (
    Attr,
    Binary,
    Call,
    ExpressionError,
    Index,
    ListOf,
    Name,
    Node,
    Unary,
    parse_expression,
)
from notesite.query.bases.functions import GLOBALS

ViewType = Literal["table", "list", "cards"]
VIEW_TYPES: tuple[ViewType, ...] = ("table", "list", "cards")


@dataclass(frozen=True)
class Expression:
    text: str
    tree: Node
    line: int
    """1-based line of the base's text."""


@dataclass(frozen=True)
class FilterGroup:
    op: Literal["and", "or", "not"]
    items: tuple[Filter, ...]


Filter = Expression | FilterGroup


@dataclass(frozen=True)
class SortKey:
    property: str
    """A property id: ``note.status``, ``file.name``, ``formula.x``."""
    descending: bool = False


@dataclass(frozen=True)
class View:
    type: ViewType
    name: str
    line: int
    order: tuple[str, ...] = ("file.name",)
    sort: tuple[SortKey, ...] = ()
    group_by: SortKey | None = None
    limit: int | None = None
    filters: Filter | None = None
    summaries: Mapping[str, str] = field(default_factory=dict)
    """Property id -> summary name (a default one, or one of the base's own)."""
    image: str | None = None
    """The property id a card's picture comes from."""


@dataclass(frozen=True)
class BaseSpec:
    filters: Filter | None
    formulas: Mapping[str, Expression]
    display_names: Mapping[str, str]
    summaries: Mapping[str, Expression]
    views: tuple[View, ...]

    def view(self, name: str) -> View | None:
        for view in self.views:
            if view.name.casefold() == name.strip().casefold():
                return view
        return None


@dataclass(frozen=True)
class SpecProblem:
    line: int | None
    message: str


class _Unreadable(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def property_id(name: str) -> str:
    """``status`` and ``note.status`` -> ``note.status``; ``file.x``, ``formula.x`` as they are."""
    name = name.strip()
    if name.startswith(("file.", "formula.", "note.")):
        return name
    return "note." + name


def read_base(text: str) -> tuple[BaseSpec | None, list[SpecProblem]]:
    """The base a text says, or None and why not (with notices about what was left out)."""
    notices: list[SpecProblem] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        return None, [SpecProblem(line, f"is not valid YAML: {problem}")]
    try:
        return _spec(root, notices), notices
    except _Unreadable as error:
        return None, [SpecProblem(error.line, error.message)]


def _line(node: YamlNode) -> int:
    return int(node.start_mark.line) + 1


_constructor = SafeConstructor()


def _value(node: YamlNode) -> Any:
    return _constructor.construct_object(node, deep=True)


def _mapping(node: YamlNode | None, what: str) -> dict[str, YamlNode]:
    if node is None or (isinstance(node, ScalarNode) and node.value in ("", "~", "null")):
        return {}
    if not isinstance(node, MappingNode):
        raise _Unreadable(_line(node), f"{what} should be a mapping")
    return {str(_value(key)): value for key, value in node.value}


def _list(node: YamlNode | None, what: str) -> list[YamlNode]:
    if node is None:
        return []
    if isinstance(node, ScalarNode):
        return [] if node.value in ("", "~", "null") else [node]
    if not isinstance(node, SequenceNode):
        raise _Unreadable(_line(node), f"{what} should be a list")
    return list(node.value)


def _spec(root: YamlNode | None, notices: list[SpecProblem]) -> BaseSpec:
    top = _mapping(root, "a base")
    formulas = {
        str(name): _expression(node, f"formula {name!r}")
        for name, node in _mapping(top.get("formulas"), "formulas").items()
    }
    display_names = {}
    for name, node in _mapping(top.get("properties"), "properties").items():
        shown = _mapping(node, f"property {name!r}").get("displayName")
        if shown is not None:
            display_names[property_id(name)] = str(_value(shown))
    summaries = {
        str(name): _expression(node, f"summary {name!r}")
        for name, node in _mapping(top.get("summaries"), "summaries").items()
    }
    views = tuple(
        _view(node, i, set(summaries), notices)
        for i, node in enumerate(_list(top.get("views"), "views"))
    )
    if not views:
        views = (View("table", "Table", 1),)
    filters = _filter(top["filters"]) if "filters" in top else None
    return BaseSpec(filters, formulas, display_names, summaries, views)


def _expression(node: YamlNode, what: str) -> Expression:
    if not isinstance(node, ScalarNode):
        raise _Unreadable(_line(node), f"{what} should be an expression")
    text = str(_value(node))
    line = _line(node)
    try:
        tree = parse_expression(text)
    except ExpressionError as error:
        raise _Unreadable(line, f"{what}: {text!r} {error}") from None
    for function in _functions(tree):
        if function not in GLOBALS:
            raise _Unreadable(line, f"{what}: {text!r} calls {function}(), which Bases lacks")
    return Expression(text, tree, line)


def _functions(tree: Node) -> Iterator[str]:
    """The global functions an expression calls."""
    match tree:
        case Call(function, args):
            if isinstance(function, Name):
                yield function.name
            else:
                yield from _functions(function)
            for arg in args:
                yield from _functions(arg)
        case Attr(target, _):
            yield from _functions(target)
        case Index(target, index):
            yield from _functions(target)
            yield from _functions(index)
        case ListOf(items):
            for item in items:
                yield from _functions(item)
        case Unary(_, operand):
            yield from _functions(operand)
        case Binary(_, left, right):
            yield from _functions(left)
            yield from _functions(right)


def _filter(node: YamlNode) -> Filter:
    if isinstance(node, ScalarNode):
        return _expression(node, "filter")
    group = _mapping(node, "a filter")
    if len(group) != 1 or next(iter(group)) not in ("and", "or", "not"):
        raise _Unreadable(_line(node), "a filter group should have one key: and, or or not")
    op, items = next(iter(group.items()))
    parsed = tuple(_filter(item) for item in _list(items, f"{op!r}"))
    return FilterGroup(op, parsed)  # type: ignore[arg-type]


def _view(node: YamlNode, number: int, summaries: set[str], notices: list[SpecProblem]) -> View:
    fields = _mapping(node, "a view")
    line = _line(node)
    kind = str(_value(fields["type"])) if "type" in fields else "table"
    name = str(_value(fields["name"])) if "name" in fields else f"View {number + 1}"
    if kind not in VIEW_TYPES:
        notices.append(SpecProblem(line, f"view {name!r}: a {kind} view is shown as a table"))
        kind = "table"
    order = tuple(property_id(str(_value(n))) for n in _list(fields.get("order"), "order"))
    sort = tuple(_sort_key(n) for n in _list(fields.get("sort"), "sort"))
    group_by = _sort_key(fields["groupBy"]) if "groupBy" in fields else None
    limit = None
    if "limit" in fields:
        value = _value(fields["limit"])
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _Unreadable(_line(fields["limit"]), f"view {name!r}: limit should be a number")
        limit = value
    filters = _filter(fields["filters"]) if "filters" in fields else None
    view_summaries = {}
    for prop, summary in _mapping(fields.get("summaries"), "summaries").items():
        wanted = str(_value(summary))
        if wanted not in DEFAULT_SUMMARIES and wanted not in summaries:
            raise _Unreadable(_line(summary), f"view {name!r}: there is no summary {wanted!r}")
        view_summaries[property_id(prop)] = wanted
    image = property_id(str(_value(fields["image"]))) if "image" in fields else None
    return View(
        kind,  # type: ignore[arg-type]
        name,
        line,
        order or ("file.name",),
        sort,
        group_by,
        limit,
        filters,
        view_summaries,
        image,
    )


def _sort_key(node: YamlNode) -> SortKey:
    if isinstance(node, ScalarNode):
        return SortKey(property_id(str(_value(node))))
    fields = _mapping(node, "a sort key")
    if "property" not in fields:
        raise _Unreadable(_line(node), "a sort key needs a property")
    direction = str(_value(fields["direction"])).upper() if "direction" in fields else "ASC"
    return SortKey(property_id(str(_value(fields["property"]))), direction == "DESC")


DEFAULT_SUMMARIES = frozenset(
    {
        "Average",
        "Min",
        "Max",
        "Sum",
        "Range",
        "Median",
        "Stddev",
        "Earliest",
        "Latest",
        "Checked",
        "Unchecked",
        "Empty",
        "Filled",
        "Unique",
    }
)
