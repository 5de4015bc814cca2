"""Dataview's query language (DQL), evaluated at build time: parse -> plan -> evaluate.

- :func:`parse_query` / :func:`parse_expression` (:mod:`.parser`, a lark grammar) give the
  query's syntax tree (:mod:`.ast`), or raise :class:`DqlError` with what is wrong and where;
- a :class:`Runner` over a :class:`~notesite.query.index.QueryIndex` runs a query for the page of
  one note (``this``) and gives a result (:mod:`.run`): a list, a table, tasks or calendar entries;
- expressions (:mod:`.evaluate`) and functions (:mod:`.functions`) follow Dataview's reference.

Pure Python: no MkDocs, no Markdown. Rendering is :mod:`notesite.markdown.dataview`'s.
"""

from notesite.query.dql.parser import DqlError, parse_expression, parse_query
from notesite.query.dql.run import (
    CalendarResult,
    ListResult,
    Result,
    Runner,
    TableResult,
    TaskResult,
)

__all__ = [
    "CalendarResult",
    "DqlError",
    "ListResult",
    "Result",
    "Runner",
    "TableResult",
    "TaskResult",
    "parse_expression",
    "parse_query",
]
