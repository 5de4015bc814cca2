"""DQL text -> :class:`~notesite.query.dql.ast.Query`, with a lark grammar (LALR: fast, and the
grammar below reads as the language's reference does).

Keywords are case-insensitive (``table``, ``TABLE``); identifiers may hold ``-``
(``note-type``), so subtraction needs spaces, as in Dataview. ``date(2024-01-05)``,
``date(today)`` and ``dur(3 days)`` are literals; ``(x) => expr`` is a lambda.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from lark import (
    Lark,
    Token,
    Transformer,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

import notesite.query.dql.ast as ast
from notesite.query.values import parse_date, parse_duration

GRAMMAR = r"""
start: header from_clause? command*

header: LIST without_id? expr?                         -> list_header
      | TABLE without_id? (column ("," column)*)?      -> table_header
      | TASK                                           -> task_header
      | CALENDAR expr                                  -> calendar_header
without_id: WITHOUT ID
column: expr (AS (STRING | IDENT))?

from_clause: FROM source
?source: source OR src_and                             -> src_or
       | src_and
?src_and: src_and AND src_not                          -> src_and
        | src_not
?src_not: ("-" | "!") src_not                          -> src_not
        | src_atom
?src_atom: TAG                                         -> src_tag
         | STRING                                      -> src_folder
         | LINK                                        -> src_link
         | OUTGOING "(" LINK ")"                       -> src_outgoing
         | "(" source ")"

command: WHERE expr                                    -> where
       | SORT sort_key ("," sort_key)*                 -> sort
       | GROUP BY expr (AS IDENT)?                     -> group_by
       | FLATTEN expr (AS IDENT)?                      -> flatten
       | LIMIT NUMBER                                  -> limit
sort_key: expr (ASC | DESC)?

?expr: or_expr
?or_expr: or_expr OR and_expr                          -> bin_or
        | and_expr
?and_expr: and_expr AND comparison                     -> bin_and
         | comparison
?comparison: comparison COMP_OP sum                    -> binary
           | sum
?sum: sum ADD_OP product                               -> binary
    | product
?product: product MUL_OP unary                         -> binary
        | unary
?unary: "-" unary                                      -> neg
      | "!" unary                                      -> not_
      | postfix
?postfix: postfix "." IDENT                            -> field
        | postfix "[" expr "]"                         -> index
        | IDENT "(" [arg ("," arg)*] ")"               -> call
        | atom
?arg: expr
    | LAMBDA_HEAD expr                                 -> lambda_
?atom: NUMBER                                          -> number
     | STRING                                          -> string
     | LINK                                            -> link
     | DATE_LITERAL                                    -> date_literal
     | DUR_LITERAL                                     -> dur_literal
     | TRUE                                            -> true
     | FALSE                                           -> false
     | NULL                                            -> null
     | IDENT                                           -> name
     | "[" [expr ("," expr)*] "]"                      -> list_of
     | "{" [pair ("," pair)*] "}"                      -> object_of
     | "(" expr ")"
pair: (IDENT | STRING) ":" expr

LIST: "list"i
TABLE: "table"i
TASK: "task"i
CALENDAR: "calendar"i
WITHOUT: "without"i
ID: "id"i
AS: "as"i
FROM: "from"i
WHERE: "where"i
SORT: "sort"i
GROUP: "group"i
BY: "by"i
FLATTEN: "flatten"i
LIMIT: "limit"i
ASC: "asc"i | "ascending"i
DESC: "desc"i | "descending"i
AND: "and"i
OR: "or"i
OUTGOING: "outgoing"i
TRUE: "true"i
FALSE: "false"i
NULL: "null"i

COMP_OP: "<=" | ">=" | "!=" | "=" | "<" | ">"
ADD_OP: "+" | "-"
MUL_OP: "*" | "/" | "%"
IDENT: /[^\W\d][\w-]*/i
TAG: /#[^\s,()"]+/
NUMBER: /\d+(\.\d+)?/
STRING: /"(?:[^"\\]|\\.)*"/
LINK: /!?\[\[[^\[\]]*\]\]/
DATE_LITERAL.3: /date\(\s*(\d{4}-\d{2}(-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)?|today|now|tomorrow|yesterday|sow|eow|som|eom|soy|eoy)\s*\)/i
DUR_LITERAL.3: /dur\(\s*\d[^()"]*\)/i
LAMBDA_HEAD.3: /\(\s*([^\W\d]\w*(\s*,\s*[^\W\d]\w*)*)?\s*\)\s*=>/

COMMENT: /\/\/[^\n]*/
%import common.WS
%ignore WS
%ignore COMMENT
"""


class DqlError(Exception):
    """A query that cannot be parsed or run; ``line`` is the query's own (1-based), if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _name(token: Token | None, fallback: str) -> str:
    if token is None:
        return fallback
    return json.loads(token) if token.type == "STRING" else str(token)


class _ToAst(Transformer[Token, Any]):
    # -- expressions
    def number(self, items: list[Token]) -> ast.Literal_:
        text = str(items[0])
        return ast.Literal_(float(text) if "." in text else int(text))

    def string(self, items: list[Token]) -> ast.Literal_:
        return ast.Literal_(json.loads(items[0]))

    def link(self, items: list[Token]) -> ast.Call:
        return ast.Call("link", (ast.Literal_(str(items[0])),))

    def date_literal(self, items: list[Token]) -> ast.Expr:
        inner = str(items[0])[5:-1].strip()
        when = parse_date(inner)
        return ast.Literal_(when) if when is not None else ast.Call("date", (ast.Literal_(inner),))

    def dur_literal(self, items: list[Token]) -> ast.Literal_:
        inner = str(items[0])[4:-1].strip()
        found = parse_duration(inner)
        if found is None:
            raise DqlError(f"'{inner}' is not a duration")
        return ast.Literal_(found)

    def true(self, _: list[Token]) -> ast.Literal_:
        return ast.Literal_(True)

    def false(self, _: list[Token]) -> ast.Literal_:
        return ast.Literal_(False)

    def null(self, _: list[Token]) -> ast.Literal_:
        return ast.Literal_(None)

    def name(self, items: list[Token]) -> ast.Name:
        return ast.Name(str(items[0]))

    def list_of(self, items: list[Any]) -> ast.ListOf:
        return ast.ListOf(tuple(i for i in items if i is not None))

    def pair(self, items: list[Any]) -> tuple[str, ast.Expr]:
        return _name(items[0], ""), items[1]

    def object_of(self, items: list[Any]) -> ast.ObjectOf:
        return ast.ObjectOf(tuple(i for i in items if i is not None))

    def field(self, items: list[Any]) -> ast.Field:
        return ast.Field(items[0], str(items[1]))

    def index(self, items: list[Any]) -> ast.Index:
        return ast.Index(items[0], items[1])

    def call(self, items: list[Any]) -> ast.Call:
        return ast.Call(str(items[0]).lower(), tuple(i for i in items[1:] if i is not None))

    def lambda_(self, items: list[Any]) -> ast.Lambda:
        head = str(items[0])
        params = head[head.index("(") + 1 : head.index(")")]
        names = tuple(p.strip() for p in params.split(",") if p.strip())
        return ast.Lambda(names, items[1])

    def neg(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("-", items[0])

    def not_(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("!", items[0])

    def binary(self, items: list[Any]) -> ast.Binary:
        return ast.Binary(str(items[1]), items[0], items[2])

    def bin_and(self, items: list[Any]) -> ast.Binary:
        return ast.Binary("and", items[0], items[2])

    def bin_or(self, items: list[Any]) -> ast.Binary:
        return ast.Binary("or", items[0], items[2])

    # -- sources
    def src_tag(self, items: list[Token]) -> ast.TagSource:
        return ast.TagSource(str(items[0]))

    def src_folder(self, items: list[Token]) -> ast.FolderSource:
        return ast.FolderSource(json.loads(items[0]))

    def src_link(self, items: list[Token]) -> ast.LinkSource:
        return ast.LinkSource(str(items[0]))

    def src_outgoing(self, items: list[Token]) -> ast.LinkSource:
        return ast.LinkSource(str(items[1]), outgoing=True)

    def src_not(self, items: list[Any]) -> ast.NotSource:
        return ast.NotSource(items[0])

    def src_and(self, items: list[Any]) -> ast.BoolSource:
        return ast.BoolSource("and", items[0], items[2])

    def src_or(self, items: list[Any]) -> ast.BoolSource:
        return ast.BoolSource("or", items[0], items[2])

    def from_clause(self, items: list[Any]) -> ast.Source:
        return items[1]  # type: ignore[no-any-return]

    # -- commands
    def where(self, items: list[Any]) -> ast.Where:
        return ast.Where(items[1])

    def sort_key(self, items: list[Any]) -> tuple[ast.Expr, bool]:
        direction = items[1] if len(items) > 1 else None
        return items[0], direction is not None and direction.type == "DESC"

    def sort(self, items: list[Any]) -> ast.Sort:
        return ast.Sort(tuple(items[1:]))

    def group_by(self, items: list[Any]) -> ast.GroupBy:
        name = str(items[-1]) if len(items) == 5 else "key"
        return ast.GroupBy(items[2], name)

    def flatten(self, items: list[Any]) -> ast.Flatten:
        expr = items[1]
        if len(items) == 4:
            return ast.Flatten(expr, str(items[3]))
        return ast.Flatten(expr, _expr_name(expr))

    def limit(self, items: list[Token]) -> ast.Limit:
        return ast.Limit(int(float(items[1])))

    # -- the header
    def without_id(self, _: list[Token]) -> bool:
        return True

    def column(self, items: list[Any]) -> ast.Column:
        expr = items[0]
        name = _name(items[2], "") if len(items) == 3 else _expr_text(expr)
        return ast.Column(expr, name)

    def list_header(self, items: list[Any]) -> ast.Query:
        without = any(i is True for i in items)
        exprs = [i for i in items[1:] if i is not True and not isinstance(i, Token)]
        columns = (ast.Column(exprs[0], "value"),) if exprs else ()
        return ast.Query("list", without, columns)

    def table_header(self, items: list[Any]) -> ast.Query:
        without = any(i is True for i in items)
        return ast.Query("table", without, tuple(i for i in items if isinstance(i, ast.Column)))

    def task_header(self, _: list[Any]) -> ast.Query:
        return ast.Query("task")

    def calendar_header(self, items: list[Any]) -> ast.Query:
        return ast.Query("calendar", columns=(ast.Column(items[1], "date"),))

    def start(self, items: list[Any]) -> ast.Query:
        header: ast.Query = items[0]
        source = next((i for i in items[1:] if not isinstance(i, ast.Command)), None)
        commands = tuple(i for i in items[1:] if isinstance(i, ast.Command))
        return ast.Query(header.kind, header.without_id, header.columns, source, commands)


def _expr_text(expr: ast.Expr) -> str:
    """A column's header when it has no ``AS``: the expression as written (roughly)."""
    if isinstance(expr, ast.Name):
        return expr.name
    if isinstance(expr, ast.Field):
        return f"{_expr_text(expr.target)}.{expr.name}"
    if isinstance(expr, ast.Call):
        return f"{expr.name}({', '.join(_expr_text(a) for a in expr.args)})"
    if isinstance(expr, ast.Literal_):
        return json.dumps(expr.value) if isinstance(expr.value, str) else str(expr.value)
    if isinstance(expr, ast.Binary):
        return f"{_expr_text(expr.left)} {expr.op} {_expr_text(expr.right)}"
    if isinstance(expr, ast.Unary):
        return expr.op + _expr_text(expr.operand)
    if isinstance(expr, ast.Index):
        return f"{_expr_text(expr.target)}[{_expr_text(expr.index)}]"
    return "…"


def _expr_name(expr: ast.Expr) -> str:
    """The name FLATTEN gives its values: the field flattened (``file.tags``: ``file.tags``)."""
    return _expr_text(expr)


@functools.cache
def _parser() -> Lark:
    """One LALR parser for whole queries (``start``) and lone expressions (``expr``)."""
    return Lark(GRAMMAR, parser="lalr", start=["start", "expr"], maybe_placeholders=True)


def _error(error: UnexpectedInput, text: str) -> DqlError:
    line = getattr(error, "line", None)
    column = getattr(error, "column", None)
    if isinstance(error, UnexpectedEOF):
        return DqlError("the query ends too early", None)
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        return DqlError("the query ends too early", None)
    where = f" at line {line}, column {column}" if line and column else ""
    if isinstance(error, UnexpectedCharacters):
        return DqlError(f"unexpected '{error.char}'{where}", line)
    if isinstance(error, UnexpectedToken):
        return DqlError(f"unexpected '{error.token}'{where}", line)
    return DqlError(f"cannot read the query{where}", line)


@functools.lru_cache(maxsize=4096)
def parse_query(text: str) -> ast.Query:
    """Parse a whole query (``LIST``/``TABLE``/``TASK``/``CALENDAR`` ...); raises DqlError."""
    if not text.strip():
        raise DqlError("the query is empty: it should start with LIST, TABLE, TASK or CALENDAR")
    try:
        tree = _parser().parse(text, start="start")
    except UnexpectedInput as error:
        raise _error(error, text) from None
    result: ast.Query = _ToAst().transform(tree)
    return result


@functools.lru_cache(maxsize=4096)
def parse_expression(text: str) -> ast.Expr:
    """Parse one expression (an inline query's); raises DqlError."""
    if not text.strip():
        raise DqlError("the expression is empty")
    try:
        tree = _parser().parse(text, start="expr")
    except UnexpectedInput as error:
        raise _error(error, text) from None
    result: ast.Expr = _ToAst().transform(tree)
    return result
