"""The Bases layer on its own: expressions parsed and evaluated, ``.base`` YAML read, views run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from notesite.paths import VaultPath
from notesite.query.bases.evaluate import evaluate, new_scope
from notesite.query.bases.expr import ExpressionError, parse_expression
from notesite.query.bases.record import FileRecord, Table
from notesite.query.bases.run import run_view
from notesite.query.bases.scope import EvalError
from notesite.query.bases.spec import read_base
from notesite.query.bases.values import FileValue, to_text
from notesite.query.values import Duration, Link

NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.timezone.utc)


def day(year: int, month: int, date: int) -> dt.datetime:
    return dt.datetime(year, month, date, tzinfo=dt.timezone.utc)


def record(path: str, **properties: Any) -> FileRecord:
    tags = tuple(properties.pop("tags_", ()))
    links = tuple(VaultPath(p) for p in properties.pop("links_", ()))
    return FileRecord(
        VaultPath(path),
        properties,
        tags=tags,
        links=links,
        ctime=dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc),
        mtime=dt.datetime(2025, 6, 10, 8, 30, tzinfo=dt.timezone.utc),
        size=1234,
    )


RECORDS = [
    record(
        "Papers/Attention.md",
        status="reading",
        year=2017,
        pages=15,
        tags_=["paper", "ml/nlp"],
        links_=["Reading list.md"],
        added=dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc),
    ),
    record("Papers/Old/Perceptron.md", status="done", year=1958, pages=None, tags_=["paper"]),
    record("Reading list.md", status=None, tags_=["index"], links_=["Papers/Attention.md"]),
    record("Ideas.md", **{"Note Type": "idea", "rating": 4.5, "authors": ["Ann", "Bob"]}),
]


def table() -> Table:
    records = {r.path: r for r in RECORDS}

    def link(written: str, source: FileRecord | None) -> Link:
        target, _, display = written.removeprefix("[[").removesuffix("]]").partition("|")
        for path in records:
            if target.casefold() in (path.casefold(), path[:-3].casefold()) or (
                path.rsplit("/", 1)[-1][:-3].casefold() == target.casefold()
            ):
                return Link(path, display or None)
        return Link(target, display or None, resolved=False)

    return Table(records, link, NOW)


def value(text: str, path: str = "Papers/Attention.md") -> Any:
    t = table()
    return evaluate(parse_expression(text), new_scope(t, t.records[VaultPath(path)]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 / 4", 2.5),
        ("7 % 3", 1),
        ("-year", -2017),
        ('"a" + 1', "a1"),
        ("status", "reading"),
        ("note.status", "reading"),
        ('status == "reading"', True),
        ('status != "reading"', False),
        ("year > 2000 && pages < 20", True),
        ("year < 2000 || pages", 15),
        ("!status", False),
        ("missing", None),
        ("missing + 1", None),
        ("missing > 1", False),
        ("missing.lower()", None),
        ('file.hasTag("paper")', True),
        ('file.hasTag("ml")', True),  # a nested tag is in its parent
        ('file.hasTag("#ML/NLP")', True),
        ('file.hasTag("nlp")', False),
        ('file.hasTag("x", "index", "paper")', True),
        ('file.inFolder("Papers")', True),
        ('file.inFolder("Pap")', False),
        ('file.hasLink("Reading list")', True),
        ('file.hasLink(link("Reading list"))', True),
        ('file.hasLink("Ideas")', False),
        ('file.hasProperty("year")', True),
        ('file.hasProperty("colour")', False),
        ("file.name", "Attention.md"),
        ("file.basename", "Attention"),
        ("file.folder", "Papers"),
        ("file.ext", "md"),
        ("file.path", "Papers/Attention.md"),
        ("file.size", 1234),
        ("file.tags", ["#paper", "#ml/nlp"]),
        ("file.tags.length", 2),
        ('file.tags.contains("#paper")', True),
        ('"Attention".lower()', "attention"),
        ('"Attention".contains("tent")', True),
        ('"a,b,c".split(",")', ["a", "b", "c"]),
        ('"a-b-c".replace("-", "+")', "a+b-c"),
        ('"a-b-c".replace(/-/, "+")', "a+b+c"),
        ('" x ".trim()', "x"),
        ('"abc".slice(1)', "bc"),
        ('"abc".startsWith("ab")', True),
        ("/^Att/.matches(file.basename)", True),
        ("/^att/i.matches(file.basename)", True),
        ("3.14159.round(2)", 3.14),
        ("2.5.round()", 3),
        ("(10 / 3).toFixed(1)", "3.3"),
        ("(-4).abs()", 4),
        ("[1, 2, 3].map(value * 2)", [2, 4, 6]),
        ("[1, 2, 3].filter(value > 1)", [2, 3]),
        ("[1, 2, 3].reduce(acc + value, 0)", 6),
        ("[3, 1, 2].sort()", [1, 2, 3]),
        ("[1, 1, 2].unique()", [1, 2]),
        ('[1, 2].join("-")', "1-2"),
        ("[[1], [2, 3]].flat()", [1, 2, 3]),
        ("[1, 2, 3].containsAny(5, 3)", True),
        ("[1, 2, 3].mean()", 2.0),
        ("[].isEmpty()", True),
        ("list(status)", ["reading"]),
        ('number("42")', 42),
        ("min(3, 1, 2)", 1),
        ("max([3, 1], 2)", 3),
        ('if(year > 2000, "new", "old")', "new"),
        ('if(year < 2000, "old")', None),
        ("added.year", 2025),
        ('added.format("YYYY/MM/DD dddd")', "2025/06/01 Sunday"),
        ('date("2025-01-31") + "1M"', day(2025, 2, 28)),
        ('date("2025-01-01") + "2w"', day(2025, 1, 15)),
        ('(date("2025-03-01") - date("2025-02-01")).days', 28),
        ("(now() - file.ctime).days", 14),
        ("today()", day(2025, 6, 15)),
        ('today() > date("2025-01-01")', True),
        ('added == date("2025-06-01")', True),
        ('added < "2025-07-01"', True),
        ('file.mtime.format("HH:mm")', "08:30"),
        ("file.ctime.relative()", "14 days ago"),
        ('date("2025-09-01").relative()', "in 3 months"),
        ('duration("1d").hours', 24),
        ('(duration("1h") * 2).minutes', 120),
        ('status.isType("string")', True),
        ("year.toString()", "2017"),
        ("pages.isTruthy()", True),
        ("file == this.file", False),
        ('note["status"]', "reading"),
    ],
)
def test_expressions(text: str, expected: Any) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ('note["Note Type"]', "Ideas.md", "idea"),
        ("authors.length", "Ideas.md", 2),
        ('authors.contains("Bob")', "Ideas.md", True),
        ("rating * 2", "Ideas.md", 9.0),
        ("pages", "Papers/Old/Perceptron.md", None),
        ("file.backlinks", "Ideas.md", []),
        ('file.inFolder("Papers")', "Papers/Old/Perceptron.md", True),
    ],
)
def test_expressions_on_other_notes(text: str, path: str, expected: Any) -> None:
    assert value(text, path) == expected


def test_links_and_files() -> None:
    link = value('link("Reading list", "the list")')
    assert link == Link("Reading list.md", "the list")
    assert to_text(link) == "the list"
    assert value('link("[[Ideas|my ideas]]")') == Link("Ideas.md", "my ideas")
    assert value('link("Nowhere")').resolved is False
    assert value("file.links") == [Link("Reading list.md")]
    assert value("file.links[0].asFile().basename") == "Reading list"
    assert value('link("Reading list").linksTo(file)') is True
    assert isinstance(value("file.asLink()"), Link)
    assert isinstance(value('file("Ideas")'), FileValue)
    assert value('duration("2 weeks")') == Duration(0, 14 * 86400)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("status ==", "ends too early"),
        ("a $ b", "has an unexpected character '$' at column 3"),
        ("(a", "ends too early"),
        ("a b", "has an unexpected 'b' at column 3"),
        ("", "is empty"),
    ],
)
def test_bad_expressions(text: str, message: str) -> None:
    with pytest.raises(
        ExpressionError, match="^" + message.replace("(", r"\(").replace("$", r"\$") + "$"
    ):
        parse_expression(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("status.frobnicate()", "a string has no method frobnicate()"),
        ("year.length", "a number has no field 'length'"),
        ("status - 1", "cannot apply - to 'reading' and '1'"),
        ("nosuch(1)", "there is no function nosuch()"),
        ("formula.x", "there is no formula 'x'"),
    ],
)
def test_evaluation_errors(text: str, message: str) -> None:
    with pytest.raises(EvalError, match=message.replace("(", r"\(").replace(")", r"\)")):
        value(text)


BASE = """\
filters:
  and:
    - file.hasTag("paper")
    - not:
        - 'status == "dropped"'
formulas:
  age: "2025 - year"
  label: 'status + " (" + formula.age + " years)"'
properties:
  note.status:
    displayName: Status
  formula.age:
    displayName: Age
summaries:
  oldest: "values.max()"
views:
  - type: table
    name: All papers
    order: [file.name, status, formula.age, pages]
    sort:
      - property: year
        direction: DESC
    summaries:
      formula.age: oldest
      pages: Sum
  - type: cards
    name: Reading
    filters: 'status == "reading"'
    image: cover
  - type: list
    name: By status
    groupBy:
      property: status
      direction: ASC
    limit: 5
"""


def test_reading_a_base() -> None:
    spec, problems = read_base(BASE)
    assert problems == []
    assert spec is not None
    assert [v.name for v in spec.views] == ["All papers", "Reading", "By status"]
    assert [v.type for v in spec.views] == ["table", "cards", "list"]
    assert spec.views[0].order == ("file.name", "note.status", "formula.age", "note.pages")
    assert spec.views[2].group_by is not None and spec.views[2].limit == 5
    assert spec.views[1].image == "note.cover"
    assert spec.display_names == {"note.status": "Status", "formula.age": "Age"}
    assert spec.formulas["label"].line == 8
    assert spec.view("reading") is spec.views[1]


def test_running_views() -> None:
    spec, _ = read_base(BASE)
    assert spec is not None
    result = run_view(spec, spec.views[0], table())
    assert [c.label for c in result.columns] == ["file name", "Status", "Age", "pages"]
    rows = result.groups[0].rows
    assert [r.record.basename for r in rows] == ["Attention", "Perceptron"]
    assert [r.cells[2] for r in rows] == [8, 67]
    assert result.groups[0].summaries == {"formula.age": ("oldest", 67), "note.pages": ("Sum", 15)}
    reading = run_view(spec, spec.views[1], table())
    assert [r.record.basename for g in reading.groups for r in g.rows] == ["Attention"]
    grouped = run_view(spec, spec.views[2], table())
    assert [g.key for g in grouped.groups] == ["done", "reading"]
    assert result.errors == []


def test_an_empty_result_and_missing_properties() -> None:
    spec, _ = read_base("filters: 'status == \"nothing\"'\n")
    assert spec is not None
    result = run_view(spec, spec.views[0], table())
    assert result.count == 0 and len(result.groups) == 1
    spec, _ = read_base("views:\n  - type: table\n    order: [file.name, colour]\n")
    assert spec is not None
    result = run_view(spec, spec.views[0], table())
    assert [r.cells[1] for r in result.groups[0].rows] == [None] * 4


def test_evaluation_errors_are_collected_with_their_line() -> None:
    spec, _ = read_base(
        "formulas:\n  bad: 'status.frobnicate()'\nviews:\n  - order: [formula.bad]\n"
    )
    assert spec is not None
    result = run_view(spec, spec.views[0], table())
    assert result.errors == [(2, "formula.bad: a string has no method frobnicate()")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("views: [\n", 2, "is not valid YAML: expected the node content, but found '<stream end>'"),
        ("filters: 'status =='\n", 1, "filter: 'status ==' ends too early"),
        (
            "formulas:\n  x: 'foo(1)'\n",
            2,
            "formula 'x': 'foo(1)' calls foo(), which Bases lacks",
        ),
        ("filters:\n  xor: []\n", 2, "a filter group should have one key: and, or or not"),
        ("views:\n  - limit: many\n", 2, "view 'View 1': limit should be a number"),
        (
            "views:\n  - summaries:\n      x: Nope\n",
            3,
            "view 'View 1': there is no summary 'Nope'",
        ),
        ("- a list\n", 1, "a base should be a mapping"),
    ],
)
def test_unreadable_bases(text: str, line: int, message: str) -> None:
    spec, problems = read_base(text)
    assert spec is None
    assert [(p.line, p.message) for p in problems] == [(line, message)]
