"""The query index and value model, without MkDocs: each ``file.*`` field and property rule."""

from __future__ import annotations

import datetime as dt

import pytest

from notesite.graph import LinkGraph
from notesite.loader import load_note
from notesite.paths import VaultPath
from notesite.query.index import QueryIndex, normalize_key
from notesite.query.values import Duration, Link, compare, from_field, sort_key, to_text, truthy

UTC = dt.timezone.utc
VAULT = {
    "Papers/Smith 2020.md": (
        "---\ntags: [paper, on/china]\nNote Type: literature\nyear: 2020\n"
        "created: 2023-04-01\nsource: '[[Web]]'\n---\n"
        "status:: reading\nrating:: 4\nauthor:: [[Ada]], [[Web]]\n\n"
        "- [ ] read chapter 2 #todo\n- [x] skim\n  - nested item\n"
        "```\n- [ ] not a task\n```\nSee [[Secret]] and [[Missing]] and [[Web]].\n"
    ),
    "Web.md": "# Web\nlinks to [[Smith 2020]]\n",
    "Ada.md": "",
    "Journal/2024-02-03.md": "today",
    "Secret.md": "---\npublish: false\n---\nlinks to [[Web]] and [[Smith 2020]]",
}
DATES = {VaultPath("Papers/Smith 2020.md"): dt.datetime(2024, 5, 6, 7, 8, tzinfo=UTC)}


@pytest.fixture(scope="module")
def index() -> QueryIndex:
    notes = [load_note(VaultPath(p), t.encode()).note for p, t in VAULT.items()]
    graph = LinkGraph([n for n in notes if n is not None], [VaultPath("pic.png")])
    return QueryIndex(graph, DATES, {"Ada.md": (0, 1234)})


def test_only_public_notes(index: QueryIndex) -> None:
    assert [r.path for r in index.rows] == [
        "Papers/Smith 2020.md",
        "Web.md",
        "Ada.md",
        "Journal/2024-02-03.md",
    ]
    assert index.row("Secret.md") is None
    assert index.linking_to("Web.md") == ["Papers/Smith 2020.md"]  # not Secret.md


FILE_FIELDS = [
    ("name", "Smith 2020"),
    ("path", "Papers/Smith 2020.md"),
    ("folder", "Papers"),
    ("ext", "md"),
    ("link", Link("Papers/Smith 2020.md")),
    ("tags", ["#paper", "#on", "#on/china", "#todo"]),
    ("etags", ["#paper", "#on/china", "#todo"]),
    ("inlinks", [Link("Web.md")]),
    ("outlinks", [Link("Ada.md"), Link("Web.md"), Link("Missing", resolved=False)]),
    ("mtime", dt.datetime(2024, 5, 6, 7, 8, tzinfo=UTC)),
    ("mday", dt.datetime(2024, 5, 6, tzinfo=UTC)),
    ("ctime", dt.datetime(2023, 4, 1, tzinfo=UTC)),
    ("day", None),
    ("aliases", []),
]


@pytest.mark.parametrize(("field", "expected"), FILE_FIELDS)
def test_file_fields(index: QueryIndex, field: str, expected: object) -> None:
    row = index.row("Papers/Smith 2020.md")
    assert row is not None
    assert row.file()[field] == expected


def test_tasks_and_lists(index: QueryIndex) -> None:
    row = index.row("Papers/Smith 2020.md")
    assert row is not None
    tasks = row.file()["tasks"]
    assert [(t["text"], t["completed"]) for t in tasks] == [
        ("read chapter 2 #todo", False),
        ("skim", True),
    ]
    lists = row.file()["lists"]
    assert [i["text"] for i in lists] == ["read chapter 2 #todo", "skim", "nested item"]
    assert lists[2]["parent"] == lists[1]["line"]
    assert tasks[0]["line"] == 12  # in the file, front matter included


def test_file_day_and_size(index: QueryIndex) -> None:
    day = index.row("Journal/2024-02-03.md")
    ada = index.row("Ada.md")
    assert day is not None and ada is not None
    assert day.file()["day"] == dt.datetime(2024, 2, 3, tzinfo=UTC)
    assert ada.file()["size"] == 1234
    assert day.file()["size"] == len("today")


PROPERTIES = [
    ("status", "reading"),
    ("rating", 4),
    ("Note Type", "literature"),
    ("note-type", "literature"),
    ("NOTE TYPE", "literature"),
    ("year", 2020),
    ("created", dt.datetime(2023, 4, 1, tzinfo=UTC)),
    ("source", Link("Web.md")),
    ("author", [Link("Ada.md"), Link("Web.md")]),
    ("missing", None),
]


@pytest.mark.parametrize(("name", "expected"), PROPERTIES)
def test_properties(index: QueryIndex, name: str, expected: object) -> None:
    row = index.row("Papers/Smith 2020.md")
    assert row is not None
    assert row.get(name) == expected


def test_nested_tags_and_folders(index: QueryIndex) -> None:
    assert [r.path for r in index.tagged("on")] == ["Papers/Smith 2020.md"]
    assert [r.path for r in index.tagged("#ON/China")] == ["Papers/Smith 2020.md"]
    assert index.tagged("china") == []
    assert [r.path for r in index.in_folder("papers")] == ["Papers/Smith 2020.md"]
    assert len(index.in_folder("")) == 4


def test_links_to_private_notes_are_unresolved(index: QueryIndex) -> None:
    assert index.link("[[Secret]]", "Web.md") == Link("Secret", "Secret", resolved=False)
    assert index.link("[[pic.png]]", "Web.md") == Link("pic.png")


@pytest.mark.parametrize(
    ("key", "normalized"),
    [
        ("Note Type", "note-type"),
        ("status", "status"),
        ("Due  Date!", "due-date"),
        ("日付", "日付"),
    ],
)
def test_normalize_key(key: str, normalized: str) -> None:
    assert normalize_key(key) == normalized


FIELD_VALUES = [
    ("12", 12),
    ("1.5", 1.5),
    ("true", True),
    ('"quoted, text"', "quoted, text"),
    ("2024-01-05", dt.datetime(2024, 1, 5, tzinfo=UTC)),
    ("3 days", Duration(0, 3 * 86400)),
    ("reading", "reading"),
    ("a, b", "a, b"),
    ("", None),
]


@pytest.mark.parametrize(("text", "value"), FIELD_VALUES)
def test_field_values(text: str, value: object) -> None:
    assert from_field(text) == value


ORDER = [
    (None, 0, -1),
    (1, 2, -1),
    ("b", "a", 1),
    (1, "a", -1),  # number < string: by type name
    ([1, 2], [1, 2, 3], -1),
    (Link("A.md"), Link("a.md"), 0),
    (Duration(0, 60), Duration(0, 3600), -1),
    (dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2023, 1, 1, tzinfo=UTC), 1),
]


@pytest.mark.parametrize(("a", "b", "order"), ORDER)
def test_compare(a: object, b: object, order: int) -> None:
    assert compare(a, b) == order
    assert compare(b, a) == -order


def test_sorting_mixed_values() -> None:
    assert sorted(["b", None, 2, "a", 1], key=sort_key) == [None, 1, 2, "a", "b"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), (0, False), ("", False), ([], False), ("x", True), (Duration(), False)],
)
def test_truthy(value: object, expected: bool) -> None:
    assert truthy(value) is expected


def test_text() -> None:
    assert to_text(dt.datetime(2024, 1, 5, tzinfo=UTC)) == "January 05, 2024"
    assert to_text(dt.datetime(2024, 1, 5, 14, 3, tzinfo=UTC)) == "2:03 PM - January 05, 2024"
    assert to_text([1, "a"]) == "1, a"
    assert str(Duration(14, 2 * 86400 + 3600)) == "1 year, 2 months, 2 days, 1 hour"
