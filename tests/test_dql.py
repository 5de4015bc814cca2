"""Dataview's query language without MkDocs: each clause, operator and function, table-driven."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notesite.graph import LinkGraph
from notesite.loader import load_note
from notesite.paths import VaultPath
from notesite.query.dql import (
    CalendarResult,
    DqlError,
    ListResult,
    Runner,
    TableResult,
    TaskResult,
    parse_expression,
    parse_query,
)
from notesite.query.index import QueryIndex
from notesite.query.values import Duration, Link, Value

UTC = dt.timezone.utc
VAULT = {
    "Papers/Alpha.md": (
        "---\ntags: [paper, on/china]\nyear: 2020\nNote Type: literature\n---\n"
        "status:: reading\nrating:: 4\n\n- [ ] summarise #todo\n- [x] read\n"
    ),
    "Papers/Beta.md": "---\ntags: [paper]\nyear: 2018\n---\nstatus:: done\nrating:: 2\nSee [[Alpha]].",
    "Papers/Gamma.md": "---\ntags: paper\n---\nstatus:: reading\n\n- [ ] ask about [[Beta]]\n",
    "Hub.md": "links to [[Alpha]] and [[Beta]]\nstatus:: hub",
    "Journal/2024-03-05.md": "---\ntags: [daily]\n---\n",
    "Secret.md": "---\npublish: false\ntags: [paper]\nrating: 5\n---\n[[Alpha]] [[Hub]]",
}
NOW = dt.datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
DATES = {
    VaultPath("Papers/Alpha.md"): dt.datetime(2024, 3, 9, tzinfo=UTC),
    VaultPath("Papers/Beta.md"): dt.datetime(2023, 1, 1, tzinfo=UTC),
}


@pytest.fixture(scope="module")
def runner() -> Runner:
    notes = [load_note(VaultPath(p), t.encode()).note for p, t in VAULT.items()]
    graph = LinkGraph([n for n in notes if n is not None])
    return Runner(QueryIndex(graph, DATES), now=NOW)


def names(result: object) -> list[str]:
    """The note names (or keys) a LIST or TABLE shows, in order."""
    if isinstance(result, ListResult):
        idents = [i for i, _ in result.items]
    else:
        assert isinstance(result, TableResult)
        idents = [r[0] for r in result.rows]
    return [i.name if isinstance(i, Link) else str(i) for i in idents]


SOURCES = [
    ("LIST", ["Alpha", "Beta", "Gamma", "Hub", "2024-03-05"]),
    ('LIST FROM ""', ["Alpha", "Beta", "Gamma", "Hub", "2024-03-05"]),
    ("LIST FROM #paper", ["Alpha", "Beta", "Gamma"]),
    ("LIST FROM #on", ["Alpha"]),  # nested tags
    ("LIST FROM #ON/china", ["Alpha"]),
    ('LIST FROM "Papers"', ["Alpha", "Beta", "Gamma"]),
    ('LIST FROM "Papers/Beta"', ["Beta"]),
    ("LIST FROM [[Alpha]]", ["Beta", "Hub"]),  # not Secret
    ("LIST FROM outgoing([[Hub]])", ["Alpha", "Beta"]),
    ('LIST FROM #paper AND -"Papers/Gamma"', ["Alpha", "Beta"]),
    ("LIST FROM #paper and !#on", ["Beta", "Gamma"]),
    ("LIST FROM #daily OR [[Beta]]", ["Gamma", "Hub", "2024-03-05"]),
    ('LIST FROM (#daily or "Papers") and -#on', ["Beta", "Gamma", "2024-03-05"]),
    ("LIST FROM [[Nowhere]]", []),
    ("LIST FROM [[Secret]]", []),
]


@pytest.mark.parametrize(("query", "expected"), SOURCES)
def test_sources(runner: Runner, query: str, expected: list[str]) -> None:
    assert names(runner.run(parse_query(query), "Hub.md")) == expected


COMMANDS = [
    ('LIST WHERE status = "reading"', ["Alpha", "Gamma"]),
    ("LIST FROM #paper WHERE rating > 3", ["Alpha"]),
    ("LIST FROM #paper WHERE !rating", ["Gamma"]),
    ("LIST FROM #paper SORT rating DESC", ["Alpha", "Beta", "Gamma"]),
    ("LIST FROM #paper SORT rating ASC", ["Gamma", "Beta", "Alpha"]),  # null first
    ("LIST FROM #paper SORT status, file.name DESC", ["Beta", "Gamma", "Alpha"]),
    ("LIST FROM #paper SORT year desc LIMIT 2", ["Alpha", "Beta"]),
    ("LIST FROM #paper LIMIT 0", []),
    ('LIST WHERE note-type = "literature"', ["Alpha"]),
    ("LIST WHERE file.mtime >= date(today) - dur(7 days)", ["Alpha"]),
    ("LIST WHERE file.day", ["2024-03-05"]),
    ('LIST WHERE contains(file.tags, "#on")', ["Alpha"]),
    ("LIST WHERE length(file.inlinks) >= 2", ["Alpha", "Beta"]),
    ("LIST WHERE contains(file.outlinks, [[Alpha]])", ["Beta", "Hub"]),
    ("LIST FROM #paper GROUP BY status", ["done", "reading"]),
    ("LIST WHERE nonsense-field", []),
]


@pytest.mark.parametrize(("query", "expected"), COMMANDS)
def test_commands(runner: Runner, query: str, expected: list[str]) -> None:
    assert names(runner.run(parse_query(query), "Hub.md")) == expected


def test_table(runner: Runner) -> None:
    result = runner.run(
        parse_query('TABLE status AS "Status", rating, year FROM #paper SORT file.name'), None
    )
    assert isinstance(result, TableResult)
    assert result.headers == ["File", "Status", "rating", "year"]
    assert result.rows == [
        [Link("Papers/Alpha.md"), "reading", 4, 2020],
        [Link("Papers/Beta.md"), "done", 2, 2018],
        [Link("Papers/Gamma.md"), "reading", None, None],
    ]


def test_table_without_id_and_group(runner: Runner) -> None:
    query = "TABLE WITHOUT ID key AS Status, length(rows) AS Count, rows.file.link FROM #paper GROUP BY status"
    result = runner.run(parse_query(query), None)
    assert isinstance(result, TableResult)
    assert result.headers == ["Status", "Count", "rows.file.link"]
    assert result.rows == [
        ["done", 1, [Link("Papers/Beta.md")]],
        ["reading", 2, [Link("Papers/Alpha.md"), Link("Papers/Gamma.md")]],
    ]


def test_flatten(runner: Runner) -> None:
    query = 'TABLE WITHOUT ID t, file.name FROM #paper FLATTEN file.etags AS t WHERE t != "#paper"'
    result = runner.run(parse_query(query), None)
    assert isinstance(result, TableResult)
    assert result.rows == [["#on/china", "Alpha"], ["#todo", "Alpha"]]


def test_list_value_and_grouped_list(runner: Runner) -> None:
    result = runner.run(parse_query("LIST status FROM #paper SORT file.name"), None)
    assert isinstance(result, ListResult)
    assert [v for _, v in result.items] == ["reading", "done", "reading"]
    grouped = runner.run(parse_query("LIST FROM #paper GROUP BY status"), None)
    assert isinstance(grouped, ListResult) and grouped.grouped
    assert grouped.items[1] == ("reading", [Link("Papers/Alpha.md"), Link("Papers/Gamma.md")])
    bare = runner.run(parse_query('LIST WITHOUT ID file.name FROM "Papers"'), None)
    assert isinstance(bare, ListResult)
    assert bare.items[0] == (None, "Alpha")


def test_tasks(runner: Runner) -> None:
    result = runner.run(parse_query("TASK FROM #paper WHERE !completed"), None)
    assert isinstance(result, TaskResult)
    assert [(g, [t["text"] for t in ts]) for g, ts in result.groups] == [
        (Link("Papers/Alpha.md"), ["summarise #todo"]),
        (Link("Papers/Gamma.md"), ["ask about [[Beta]]"]),
    ]
    every = runner.run(parse_query("TASK"), None)
    assert isinstance(every, TaskResult)
    assert sum(len(ts) for _, ts in every.groups) == 3


def test_calendar(runner: Runner) -> None:
    result = runner.run(parse_query("CALENDAR file.day"), None)
    assert isinstance(result, CalendarResult)
    assert result.entries == [(dt.datetime(2024, 3, 5, tzinfo=UTC), Link("Journal/2024-03-05.md"))]


def test_this(runner: Runner) -> None:
    query = parse_query("LIST WHERE contains(this.file.outlinks, file.link)")
    assert names(runner.run(query, "Hub.md")) == ["Alpha", "Beta"]
    assert names(runner.run(query, "Papers/Beta.md")) == ["Alpha"]
    assert names(runner.run(parse_query("LIST FROM [[]]"), "Papers/Alpha.md")) == ["Beta", "Hub"]


EXPRESSIONS: list[tuple[str, Value]] = [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("7 % 4", 3),
    ("10 / 4", 2.5),
    ("-3 + 1", -2),
    ('"a" + "b"', "ab"),
    ('"n" + 1', "n1"),
    ("1 < 2 and 2 < 1", False),
    ("1 < 2 or 2 < 1", True),
    ("!true", False),
    ("null = null", True),
    ("null + 1", None),
    ('1 != "1"', True),
    ("[1, 2][1]", 2),
    ('{a: 1, "b c": 2}["b c"]', 2),
    ("this.status", "hub"),
    ("this.file.name", "Hub"),
    ("length(this.file.outlinks)", 2),
    ("length(this.file.inlinks)", 0),
    ("date(2024-01-05)", dt.datetime(2024, 1, 5, tzinfo=UTC)),
    ("date(today)", dt.datetime(2024, 3, 10, tzinfo=UTC)),
    ("date(now)", NOW),
    ("now()", NOW),
    ('date("2024-01-05") + dur(1 month)', dt.datetime(2024, 2, 5, tzinfo=UTC)),
    ("date(2024-03-01) - date(2024-02-28)", Duration(0, 2 * 86400)),
    ('dur("2 hours")', Duration(0, 7200)),
    ("striptime(date(now))", dt.datetime(2024, 3, 10, tzinfo=UTC)),
    ('dateformat(date(2024-01-05), "yyyy-MM-dd EEE")', "2024-01-05 Fri"),
    ("date(2024-01-05).year", 2024),
    ("round(2.567, 2)", 2.57),
    ("round(2.5)", 3),
    ('replace("a-b-c", "-", "+")', "a+b+c"),
    ('lower("ABC")', "abc"),
    ('upper(["a", "b"])', ["A", "B"]),
    ('join(["a", "b"], " / ")', "a / b"),
    ("join([1, 2])", "1, 2"),
    ('contains("Hello", "ell")', True),
    ('contains(["Hello", "World"], "orl")', True),
    ('econtains(["Hello", "World"], "orl")', False),
    ('icontains("Hello", "HELL")', True),
    ('default(this.nothing, "x")', "x"),
    ('choice(1 > 2, "yes", "no")', "no"),
    ("filter([1, 2, 3, 4], (x) => x > 2)", [3, 4]),
    ("map([1, 2], (x) => x * 10)", [10, 20]),
    ("sum([1, 2, 3])", 6),
    ("min(3, 1, 2)", 1),
    ("max([3, 1, 2])", 3),
    ('regextest("^a.c$", "abc")', True),
    ('split("a, b,c", ", ?")', ["a", "b", "c"]),
    ("list(1, 2)", [1, 2]),
    ('number("about 42 pages")', 42),
    ("string(3)", "3"),
    ('link("Alpha")', Link("Papers/Alpha.md")),
    ('link("Alpha", "A").display', None),
    ("[[Alpha]].status", "reading"),
    ("[[Secret]].rating", None),
    ('length(filter(this.file.outlinks, (l) => l.status = "reading"))', 1),
    ("typeof(this.file.mtime)", "date"),
    ("reverse([1, 2])", [2, 1]),
]


@pytest.mark.parametrize(("expression", "expected"), EXPRESSIONS)
def test_expressions(runner: Runner, expression: str, expected: Value) -> None:
    assert runner.value(parse_expression(expression), "Hub.md") == expected


ERRORS = [
    ("", "the query is empty: it should start with LIST, TABLE, TASK or CALENDAR"),
    ("SELECT x", "unexpected 'SELECT' at line 1, column 1"),
    ("TABLE status FROM", "the query ends too early"),
    ("LIST WHERE (1 +", "the query ends too early"),
    ("LIST\nWHERE status = = 1", "unexpected '=' at line 2, column 16"),
    ("LIST WHERE nosuch(1)", "there is no function 'nosuch'"),
    ('LIST WHERE "a" - 1', "cannot compute string - number"),
    (
        'LIST WHERE regextest("(", "x")',
        "'(' is not a valid regular expression (missing ), unterminated subpattern at position 0)",
    ),
]


@pytest.mark.parametrize(("query", "message"), ERRORS)
def test_errors(runner: Runner, query: str, message: str) -> None:
    with pytest.raises(DqlError) as caught:
        runner.run(parse_query(query), "Hub.md")
    assert caught.value.message == message


def test_shared_results_are_kept(runner: Runner) -> None:
    query = parse_query("LIST FROM #paper")
    assert runner.run(query, "Hub.md") is runner.run(query, "Papers/Beta.md")
    this = parse_query("LIST WHERE file.name != this.file.name")
    assert runner.run(this, "Hub.md") is not runner.run(this, "Papers/Beta.md")


QUERY_WORDS = [
    *("LIST", "TABLE", "TASK", "CALENDAR", "FROM", "WHERE", "SORT", "GROUP BY", "FLATTEN"),
    *("LIMIT", "AS", "WITHOUT ID", "ASC", "DESC", "and", "or", "!", "-", "+", "*", "/", "%"),
    *("=", "!=", "<", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":", '"', "#paper"),
    *('"Papers"', "[[Alpha]]", "[[]]", "outgoing(", "this", "row", "file", "status"),
    *("rating", "1", "0", "2.5", "null", "true", "date(today)", "dur(1 day)", "(x) =>"),
    *("length(", "contains(", "round(", "substring(", "dateformat(", "regextest(", "split("),
    *("default(", "filter(", "map(", "sum(", "min(", "date(", "link(", "padleft(", "\n", " "),
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(QUERY_WORDS), max_size=14).map(" ".join))
def test_any_query_runs_or_fails_with_a_message(runner: Runner, text: str) -> None:
    """Whatever is written in a block, the build gets a result or a DqlError: never a crash."""
    try:
        runner.run(parse_query(text), "Hub.md")
    except DqlError as error:
        assert error.message
