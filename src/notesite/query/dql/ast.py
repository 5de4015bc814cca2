"""A parsed DQL query: the header, the source and the data commands, in the order written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from notesite.query.values import Value

# -- expressions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal_:
    value: Value


@dataclass(frozen=True, slots=True)
class Name:
    """A field of the row (``status``, ``file``), or ``this`` / ``row``."""

    name: str


@dataclass(frozen=True, slots=True)
class Field:
    """``expr.name``."""

    target: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    """``expr[expr]``."""

    target: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Lambda:
    params: tuple[str, ...]
    body: Expr


@dataclass(frozen=True, slots=True)
class Unary:
    op: Literal["-", "!"]
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class ListOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ObjectOf:
    items: tuple[tuple[str, Expr], ...]


Expr: TypeAlias = (
    Literal_ | Name | Field | Index | Call | Lambda | Unary | Binary | ListOf | ObjectOf
)

# -- sources -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TagSource:
    tag: str


@dataclass(frozen=True, slots=True)
class FolderSource:
    folder: str


@dataclass(frozen=True, slots=True)
class LinkSource:
    """``[[note]]``: the notes linking to it; ``outgoing([[note]])``: the notes it links to."""

    target: str
    outgoing: bool = False


@dataclass(frozen=True, slots=True)
class NotSource:
    source: Source


@dataclass(frozen=True, slots=True)
class BoolSource:
    op: Literal["and", "or"]
    left: Source
    right: Source


Source: TypeAlias = TagSource | FolderSource | LinkSource | NotSource | BoolSource

# -- the query -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    expr: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Where:
    expr: Expr


@dataclass(frozen=True, slots=True)
class Sort:
    keys: tuple[tuple[Expr, bool], ...]
    """Each key and whether it sorts descending."""


@dataclass(frozen=True, slots=True)
class GroupBy:
    expr: Expr
    name: str
    """What the key is called in the rows (``key``, and the ``AS`` name when there is one)."""


@dataclass(frozen=True, slots=True)
class Flatten:
    expr: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Limit:
    count: int


Command: TypeAlias = Where | Sort | GroupBy | Flatten | Limit
Kind = Literal["list", "table", "task", "calendar"]


@dataclass(frozen=True, slots=True)
class Query:
    kind: Kind
    without_id: bool = False
    columns: tuple[Column, ...] = ()
    """TABLE's columns; LIST's one extra value (named ``value``); CALENDAR's date."""
    source: Source | None = None
    commands: tuple[Command, ...] = field(default_factory=tuple)
