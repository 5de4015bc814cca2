"""Reading one file into a Note: front matter forms, encodings, titles, tags, aliases."""

from __future__ import annotations

import pytest

from notesite.canvas.load import load_canvas
from notesite.loader import Loaded, Note, load_note, plain_context
from notesite.paths import VaultPath
from tests.conftest import SEEDS


def load(text: str | bytes, path: str = "Note.md") -> Loaded:
    data = text.encode() if isinstance(text, str) else text
    return load_note(VaultPath(path), data)


def note(text: str | bytes, path: str = "Note.md") -> Note:
    loaded = load(text, path)
    assert loaded.note is not None
    return loaded.note


@pytest.mark.parametrize(
    ("text", "body", "body_line"),
    [
        ("no front matter\n", "no front matter\n", 1),
        ("---\n---\nup:: x\n", "up:: x\n", 3),
        ("---\ntitle: T\n---\n\nBody", "\nBody", 4),
        ("\ufeff---\ntitle: T\n---\nBody", "Body", 4),
        ("---\r\ntitle: T\r\n---\r\nBody\r\nmore", "Body\nmore", 4),
        ("---\nnot closed\n", "---\nnot closed\n", 1),
        ("", "", 1),
    ],
    ids=["none", "empty", "blank line after", "bom", "crlf", "unclosed", "empty file"],
)
def test_front_matter_forms(text: str, body: str, body_line: int) -> None:
    loaded = note(text)
    assert (loaded.body, loaded.body_line) == (body, body_line)


def test_bom_and_crlf_together_still_give_the_title() -> None:
    assert note(b"\xef\xbb\xbf---\r\ntitle: Hello\r\n---\r\n").title == "Hello"


@pytest.mark.parametrize(
    ("path", "meta", "title"),
    [
        ("folder/My idea.md", "", "My idea"),
        ("Some idea 20220205175242.md", "", "Some idea"),
        ("Meeting 202202051752.md", "", "Meeting"),
        ("20220205175242.md", "", "20220205175242"),
        ("x.md", "title: From front matter", "From front matter"),
        ("x.md", "title: ''", "x"),
        ("x.md", "title: 2024", "2024"),
    ],
)
def test_title(path: str, meta: str, title: str) -> None:
    assert note(f"---\n{meta}\n---\n", path).title == title


@pytest.mark.parametrize(
    ("meta", "tags", "aliases"),
    [
        ("tags: [a, '#b', null, '']\naliases: [One, null, '', Two]", ("a", "b"), ("One", "Two")),
        ("tags: 'a, b c'\naliases: 'One, Two'", ("a", "b", "c"), ("One", "Two")),
        ("tags:\naliases:", (), ()),
        ("tag: solo\nalias: Solo", ("solo",), ("Solo",)),
        ("tags: [on/china/]", ("on/china",), ()),
    ],
)
def test_tags_and_aliases_as_string_or_list(
    meta: str, tags: tuple[str, ...], aliases: tuple[str, ...]
) -> None:
    loaded = note(f"---\n{meta}\n---\n")
    assert (loaded.tags, loaded.aliases) == (tags, aliases)


def test_body_tags_and_field_tags_join_front_matter_tags() -> None:
    loaded = note(
        "---\ntags: [x]\n---\ntags:: #on/china #on/fp\n\ntext #literature and #x, not #123 or `#code`"
    )
    assert loaded.tags == ("x", "on/china", "on/fp", "literature")


def test_malformed_yaml_names_file_and_line_and_keeps_the_body() -> None:
    loaded = load(
        "---\ntitle: ok\nbad: [unclosed\nother: 1\n---\n# Body\n\ntext [[Link]]", "dir/Bad.md"
    )
    assert loaded.note is not None
    assert loaded.note.body == "# Body\n\ntext [[Link]]"
    assert loaded.note.title == "Bad"
    assert [ref.link.target for ref in loaded.note.links] == ["Link"]
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert (problem.path, problem.kind, problem.line) == ("dir/Bad.md", "yaml", 4)
    assert str(problem).startswith("dir/Bad.md:4: front matter is not valid YAML")


def test_yaml_that_is_not_a_mapping() -> None:
    loaded = load("---\n- a\n- b\n---\nbody")
    assert loaded.note is not None and loaded.note.meta == {} and loaded.note.body == "body"
    assert [str(p) for p in loaded.problems] == [
        "Note.md:2: front matter is a list, not a mapping of properties; it was ignored"
    ]


def test_non_utf8_is_reported_with_its_line_and_decoded() -> None:
    loaded = load("---\ntitle: Café\n---\nline two\ncaf\xe9 au lait".encode("latin-1"))
    assert loaded.note is not None
    assert "caf\N{REPLACEMENT CHARACTER} au lait" in loaded.note.body
    assert [str(p) for p in loaded.problems] == [
        "Note.md:2: is not valid UTF-8 (byte 0xE9); undecodable bytes are shown as \N{REPLACEMENT CHARACTER}"
    ]


def test_binary_file_named_md_gives_no_note() -> None:
    loaded = load(b"\x89PNG\r\n\x1a\n\0\0\0")
    assert loaded.note is None
    assert [p.kind for p in loaded.problems] == ["binary"]


def test_links_carry_file_line_numbers_and_origin() -> None:
    loaded = note(
        "---\nup: '[[Parent]]'\nrelated:\n  - '[[A]]'\n---\nsource:: [[Src]]\n\nText [[B#H|b]].\n"
    )
    assert [(ref.link.target, ref.line, ref.origin) for ref in loaded.links] == [
        ("Src", 6, "field"),
        ("B", 8, "body"),
        ("Parent", 2, "property"),
        ("A", 4, "property"),
    ]


def test_fields_and_block_ids() -> None:
    loaded = note("up:: \ndates:: 2022-01-27\n**Source**:: [[x]]\n\nPara ^abc-1\n\n`code ^no`\n")
    assert [(f.key, f.value) for f in loaded.fields] == [
        ("up", ""),
        ("dates", "2022-01-27"),
        ("Source", "[[x]]"),
    ]
    assert loaded.block_ids == {"abc-1"}


def test_publish_flags() -> None:
    assert note("---\npublish: false\n---\n").published is False
    assert note("---\ndraft: true\n---\n").published is False
    assert note("---\npublish: true\n---\n").published is True
    assert note("text").published is True


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout")
def test_every_seed_loads_without_problems() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        loaded = load(path.read_bytes(), path.stem + ".md")
        assert loaded.note is not None and loaded.problems == (), path.name


@pytest.mark.parametrize(
    ("line", "context"),
    [
        ("- [ ] a task with [[X]]", "a task with X"),
        ("> [!tip]- About [[X|x]]", "About x"),
        ("source:: [[X]]", "source: X"),
        ("| [[X\\|x]] | is a **cell** |", "x · is a cell"),
        ("Ends with a block id [[X]] ^abc-1", "Ends with a block id X"),
        ("[^note]: A footnote on [[X]]", "A footnote on X"),
        ("Some ==marked== `code` and <b>html</b> %%hidden%% [[X]]", "Some marked code and html X"),
    ],
)
def test_backlink_context_is_plain_text(line: str, context: str) -> None:
    assert plain_context(line) == context


def test_a_note_carries_the_hash_of_the_bytes_it_was_read_from() -> None:
    text = "---\ntags: [a]\n---\n# Title\n\nBody [[Link]].\n"
    first, again = note(text), note(text.encode("utf-8"))
    assert first.source == again.source and len(first.source) == 32
    # Any byte changes it, even one that parses the same (trailing whitespace).
    assert note(text + " ").source != first.source
    assert note(text, path="Other.md").source == first.source  # (the path is hashed beside it)
    canvas = load_canvas(VaultPath("Map.canvas"), b'{"nodes": [], "edges": []}').note
    assert canvas is not None and len(canvas.source) == 32
