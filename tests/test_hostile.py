"""Broken and hostile vaults: every case builds, says what is wrong and where, and publishes
every other note unchanged; the broken ones fail ``mkdocs build --strict``."""

from __future__ import annotations

import os

import pytest

from tests.conftest import BuildSite

GOOD = {"Good.md": "# Good\n\nA good note linking [[Target]].\n", "Target.md": "target text\n"}

BROKEN: list[tuple[str, dict[str, str | bytes], str]] = [
    (
        "invalid yaml",
        {"Bad.md": "---\ntitle: [x\n---\nbody"},
        "Bad.md:3: front matter is not valid YAML",
    ),
    (
        "yaml not a mapping",
        {"Bad.md": "---\njust a string\n---\nbody"},
        "Bad.md:2: front matter is a str",
    ),
    ("non-utf-8", {"Bad.md": b"ok\n\xff\xfe bad"}, "Bad.md:2: is not valid UTF-8 (byte 0xFF)"),
    ("binary named .md", {"Bad.md": b"\x00\x01\x02PNG"}, "Bad.md: is not a text file"),
    (
        "embed cycle",
        {"Bad.md": "![[Loop]]", "Loop.md": "![[Bad]]"},
        "the embed chain Bad.md -> Loop.md -> Bad.md is a cycle",
    ),
    ("self-embed", {"Bad.md": "x\n\n![[Bad]]"}, "the embed chain Bad.md -> Bad.md is a cycle"),
    (
        "duplicate file names",
        {"a/Twin.md": "", "b/Twin.md": "", "Bad.md": "[[Twin]]"},
        "Bad.md:1: links to '[[Twin]]', which could be",
    ),
    (
        "link to a missing heading",
        {"Bad.md": "[[Target#Nope]]"},
        "Bad.md:1: links to '[[Target#Nope]]', but 'Target.md' has no heading 'Nope'",
    ),
    (
        "missing attachment",
        {"Bad.md": "![[gone.png]]"},
        "Bad.md:1: links to '![[gone.png]]', but there is no file 'gone.png'",
    ),
]


@pytest.mark.parametrize(("case", "files", "warning"), BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_input_warns_and_loses_nothing_else(
    build_site: BuildSite, case: str, files: dict[str, str | bytes], warning: str
) -> None:
    site = build_site({**GOOD, **files})
    assert site.returncode == 0, site.log
    assert any(warning in line for line in site.warnings()), site.log
    good = site.article("Good.md")
    assert good.css_first("a.ns-wikilink").attributes["href"] == "../Target/"
    assert "A good note linking Target." in good.text()
    assert build_site({**GOOD, **files}, strict=True).returncode == 1


HANDLED: list[tuple[str, dict[str, str | bytes]]] = [
    ("empty file", {"Empty.md": ""}),
    ("unclosed code fence", {"Fence.md": "text\n\n```python\n[[Target]] is code\n"}),
    ("deep callouts", {"Deep.md": "".join("> " * i + "[!note] level\n" for i in range(1, 60))}),
    ("deep lists", {"Deep.md": "\n".join("    " * i + f"- item {i}" for i in range(60))}),
    ("10,000 links", {"Many.md": " ".join(f"[[Target|t{i}]]" for i in range(10_000))}),
    (
        "odd file names",
        {
            "Ünïcödé 名前.md": "[[Target]]",
            "With space & ampersand.md": "x",
            "Hash # sign.md": "x",
            "Per%cent.md": "x",
            ".hidden.md": "dot files stay out, as in Obsidian",
        },
    ),
]


@pytest.mark.parametrize(("case", "files"), HANDLED, ids=[c[0] for c in HANDLED])
def test_odd_but_valid_input_builds_strict(
    build_site: BuildSite, case: str, files: dict[str, str | bytes]
) -> None:
    site = build_site({**GOOD, **files}, strict=True)
    assert site.returncode == 0, site.log
    for name in files:
        if not name.startswith("."):
            assert site.output_path(name).is_file(), name
    assert not (site.site / ".hidden").exists()


def test_a_20_mb_note_builds(build_site: BuildSite) -> None:
    paragraph = (
        "A long line of research prose with a [[Target]] link and #tag in it. " * 20 + "\n\n"
    )
    big = paragraph * (20_000_000 // len(paragraph))
    site = build_site({**GOOD, "Big.md": big}, strict=True)
    assert site.returncode == 0, site.log
    assert site.output_path("Big.md").stat().st_size > 20_000_000


def test_nothing_outside_the_vault_is_read_or_linked(
    build_site: BuildSite, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text("outside-canary", encoding="utf-8")
    (outside / "secret.png").write_bytes(b"outside-canary")
    files = {**GOOD, "Escape.md": "[[../../outside/secret]] ![[../secret.png]]"}
    site = build_site(files)
    os.symlink(outside, site.vault / "linked-folder")
    os.symlink(outside / "secret.md", site.vault / "linked.md")
    site = build_site(files)
    assert site.returncode == 0, site.log
    assert "linked-folder: is a link to a folder outside the vault; skipped" in site.log
    assert "linked.md: is a link to a file outside the vault; skipped" in site.log
    for path in site.site.rglob("*"):
        if path.is_file():
            assert b"outside-canary" not in path.read_bytes(), path
    assert [s.text() for s in site.article("Escape.md").css("span.ns-unresolved")] == [
        "../../outside/secret",
        "../secret.png",
    ]
