"""The Bases expression language: a JavaScript-like grammar parsed with lark into a small tree.

``file.hasTag("book") && status != "done"``, ``(now() - file.ctime).days``,
``if(price, price.toFixed(2) + " dollars")``, ``/^\\d{4}/.matches(file.basename)``,
``note["Note Type"]``, ``[1, 2].contains(x)``.
"""

from __future__ import annotations

import ast as python_ast
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput

GRAMMAR = r"""
?start: expr

?expr: or_expr
?or_expr: and_expr
        | or_expr "||" and_expr           -> or_
?and_expr: comparison
         | and_expr "&&" comparison       -> and_
?comparison: sum
           | sum COMPARE sum              -> compare
?sum: product
    | sum ADD_OP product                  -> arithmetic
?product: unary
        | product MUL_OP unary            -> arithmetic
?unary: "!" unary                          -> not_
      | "-" unary                          -> negate
      | postfix
?postfix: atom
        | postfix "." NAME                 -> attr
        | postfix "(" [args] ")"           -> call
        | postfix "[" expr "]"             -> index
args: expr ("," expr)* ","?
?atom: NUMBER                              -> number
     | STRING                              -> string
     | REGEX                               -> regex
     | "true"                              -> true
     | "false"                             -> false
     | "null"                              -> null
     | NAME                                -> name
     | "[" [args] "]"                      -> list_
     | "(" expr ")"

COMPARE: "==" | "!=" | ">=" | "<=" | ">" | "<"
ADD_OP: "+" | "-"
MUL_OP: "*" | "/" | "%"
NAME: /[^\W\d]\w*/
NUMBER: /\d+(\.\d+)?([eE][+-]?\d+)?/ | /\.\d+([eE][+-]?\d+)?/
STRING: /"(\\.|[^"\\\n])*"/ | /'(\\.|[^'\\\n])*'/
REGEX: /\/(?![\s\/*])(\\.|\[(\\.|[^\]\\\n])*\]|[^\/\\\n\[])+\/[dgimsuy]*/

%import common.WS
%ignore WS
"""


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Regex:
    pattern: str
    flags: str


@dataclass(frozen=True, slots=True)
class Name:
    name: str


@dataclass(frozen=True, slots=True)
class Attr:
    target: Node
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    target: Node
    index: Node


@dataclass(frozen=True, slots=True)
class Call:
    function: Node
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ListOf:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "!" or "-"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # "||", "&&", a comparison or an arithmetic operator
    left: Node
    right: Node


Node = Literal | Regex | Name | Attr | Index | Call | ListOf | Unary | Binary


class ExpressionError(ValueError):
    """An expression that cannot be parsed: the message says where (``column`` from 1)."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


@v_args(inline=True)
class _ToTree(Transformer[Token, Node]):
    def number(self, token: Token) -> Literal:
        text = str(token)
        return Literal(float(text) if any(c in text for c in ".eE") else int(text))

    def string(self, token: Token) -> Literal:
        text = str(token)
        try:
            value = python_ast.literal_eval(text)
        except (SyntaxError, ValueError):
            value = text[1:-1]
        return Literal(value)

    def regex(self, token: Token) -> Regex:
        text = str(token)
        end = text.rindex("/")
        return Regex(text[1:end], text[end + 1 :])

    def true(self) -> Literal:
        return Literal(True)

    def false(self) -> Literal:
        return Literal(False)

    def null(self) -> Literal:
        return Literal(None)

    def name(self, token: Token) -> Name:
        return Name(str(token))

    def attr(self, target: Node, name: Token) -> Attr:
        return Attr(target, str(name))

    def index(self, target: Node, index: Node) -> Index:
        return Index(target, index)

    def call(self, function: Node, args: tuple[Node, ...] | None) -> Call:
        return Call(function, args or ())

    def list_(self, args: tuple[Node, ...] | None) -> ListOf:
        return ListOf(args or ())

    def args(self, *items: Node) -> tuple[Node, ...]:
        return items

    def not_(self, operand: Node) -> Unary:
        return Unary("!", operand)

    def negate(self, operand: Node) -> Node:
        if isinstance(operand, Literal) and isinstance(operand.value, int | float):
            return Literal(-operand.value)
        return Unary("-", operand)

    def compare(self, left: Node, op: Token, right: Node) -> Binary:
        return Binary(str(op), left, right)

    def or_(self, left: Node, right: Node) -> Binary:
        return Binary("||", left, right)

    def and_(self, left: Node, right: Node) -> Binary:
        return Binary("&&", left, right)

    def arithmetic(self, left: Node, op: Token, right: Node) -> Binary:
        return Binary(str(op), left, right)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", lexer="contextual", maybe_placeholders=True)


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Node:
    """The tree of one expression; :class:`ExpressionError` if it is not one."""
    if not text.strip():
        raise ExpressionError("is empty")
    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as error:
        raise ExpressionError(
            f"has an unexpected character {text[error.pos_in_stream or 0]!r} at column {error.column}",
            error.column,
        ) from None
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        if token is None or token.type == "$END":
            raise ExpressionError("ends too early") from None
        raise ExpressionError(
            f"has an unexpected {str(token)!r} at column {error.column}", error.column
        ) from None
    except LarkError as error:  # pragma: no cover - any other failure of the parser
        raise ExpressionError(str(error)) from None
    result: Node = _ToTree().transform(tree)
    return result
