"""What names mean while a base is evaluated for one row: the :class:`Scope` that the
evaluator, the functions and the methods share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from notesite.query.bases.expr import Node
from notesite.query.bases.record import FileRecord, Table


class EvalError(ValueError):
    """An expression that means nothing for the values it met."""


@dataclass
class Scope:
    """What names mean while a base is evaluated for one row."""

    table: Table
    row: FileRecord | None
    this: FileRecord | None
    evaluator: Callable[[Node, Scope], Any]
    """How an expression is evaluated (:func:`notesite.query.bases.evaluate.evaluate`)."""
    formulas: Mapping[str, Node] = field(default_factory=dict)
    bindings: dict[str, Any] = field(default_factory=dict)
    """``value``, ``index``, ``acc`` inside ``filter``/``map``/``reduce``; ``values`` in a summary."""
    _formula_values: dict[str, Any] = field(default_factory=dict)
    _evaluating: set[str] = field(default_factory=set)

    def formula(self, name: str) -> Any:
        if name in self._formula_values:
            return self._formula_values[name]
        node = self.formulas.get(name)
        if node is None:
            raise EvalError(f"there is no formula {name!r}")
        if name in self._evaluating:
            raise EvalError(f"formula {name!r} depends on itself")
        self._evaluating.add(name)
        try:
            value = self.evaluate(node)
        finally:
            self._evaluating.discard(name)
        self._formula_values[name] = value
        return value

    def evaluate(self, node: Node) -> Any:
        return self.evaluator(node, self)

    def with_bindings(self, **bindings: Any) -> Scope:
        return Scope(
            self.table,
            self.row,
            self.this,
            self.evaluator,
            self.formulas,
            {**self.bindings, **bindings},
            self._formula_values,
            self._evaluating,
        )


@dataclass(frozen=True, slots=True)
class Namespace:
    """``note``, ``formula`` or ``this``: a name whose fields are looked up on a record."""

    kind: str
    record: FileRecord | None
