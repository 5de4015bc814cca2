"""``notesite check``: what it reports, how it prints it, its exit status and mkdocs.yml."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from notesite import __version__
from notesite.cli import CheckOptions, check_vault, main, read_config
from notesite.problems import Level, Problem
from tests.conftest import REPO, write_vault

VAULT: dict[str, str | bytes] = {
    "Home.md": "# Home\n\nSee [[Topic]] and [[Later]].\n",
    "Topic.md": "A topic, linked from [[Home]].\n\nStill thinking about [[Hidden]].\n",
    "Embedder.md": "Links [[Topic#Nowhere]].\n\n![[Secret draft]]\n",
    "Alone.md": "Nobody links here and I link to no note.\n",
    "Self.md": "# Top\n\nOnly [[Self]] and [[#Top]].\n",
    "Via private only.md": "Linked only from a private note.\n",
    "Picture only.md": "![[pic.png]]\n",
    "Broken.md": "---\ntitle: [unclosed\n---\nlinks [[Home]]\n",
    "private/Hidden.md": "---\npublish: false\n---\nSee [[Via private only]].\n",
    "private/Secret draft.md": "---\ndraft: true\n---\nSecret.\n",
    "templates/Template.md": "[[Nothing here]]\n",
    "pic.png": b"\x89PNG\r\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    write_vault(root, VAULT)
    return root


def kinds(problems: tuple[Problem, ...], kind: str) -> list[Problem]:
    return [p for p in problems if p.kind == kind]


def test_check_reports_core_and_own_problems(vault: Path) -> None:
    result = check_vault(vault)
    assert result.notes == 11
    found = {(p.path, p.line, p.kind, p.level) for p in result.problems}
    assert ("Home.md", 3, "unresolved", Level.INFO) in found
    assert ("Broken.md", 3, "yaml", Level.WARNING) in found
    assert ("Embedder.md", 1, "anchor", Level.WARNING) in found
    assert ("templates/Template.md", 1, "unresolved", Level.INFO) in found
    # Sorted by path, then line.
    keys = [(p.path, p.line or 0) for p in result.problems]
    assert keys == sorted(keys)


def test_private_links_name_only_what_the_link_says(vault: Path) -> None:
    private = kinds(check_vault(vault).problems, "private-link")
    assert [(p.path, p.line, p.level) for p in private] == [
        ("Embedder.md", 3, Level.WARNING),
        ("Topic.md", 3, Level.WARNING),
    ]
    embed, link = private
    assert embed.message == "embeds '![[Secret draft]]', which is not published (draft: true)"
    assert link.message == "links to '[[Hidden]]', which is not published (publish: false)"
    # Private notes' own links are not checked, and their paths are never printed.
    assert not any("private/" in p.message or p.path.startswith("private/") for p in private)


def test_private_globs_and_opt_in_make_notes_private_as_in_a_build(vault: Path) -> None:
    result = check_vault(vault, CheckOptions(private=("Topic.md",)))
    private = kinds(result.problems, "private-link")
    assert [(p.path, p.line, p.message) for p in private][:2] == [
        ("Embedder.md", 1, "links to '[[Topic#Nowhere]]', which is not published (private in mkdocs.yml)"),
        ("Embedder.md", 3, "embeds '![[Secret draft]]', which is not published (draft: true)"),
    ]  # fmt: skip
    # A private note's own links are not checked: Topic's link to Hidden is no longer reported.
    assert not any(p.path == "Topic.md" for p in result.problems)
    opt_in = check_vault(vault, CheckOptions(opt_in=True))
    # Nothing says publish: true, so nothing is published: nothing links anywhere.
    assert not kinds(opt_in.problems, "unresolved") and not kinds(opt_in.problems, "orphan")


def test_orphans(vault: Path) -> None:
    orphans = {p.path for p in kinds(check_vault(vault).problems, "orphan")}
    # A self-link, an attachment or a link from a private note does not connect a note.
    assert orphans == {
        "Alone.md",
        "Self.md",
        "Via private only.md",
        "Picture only.md",
        "templates/Template.md",
    }
    assert all(
        p.level == Level.INFO and p.line is None
        for p in kinds(check_vault(vault).problems, "orphan")
    )


def test_ignore_and_unresolved_level(vault: Path) -> None:
    result = check_vault(vault, CheckOptions(ignore=("templates",), unresolved_links="warn"))
    assert result.notes == 10
    unresolved = kinds(result.problems, "unresolved")
    assert [p.path for p in unresolved] == ["Home.md"]
    assert unresolved[0].level == Level.WARNING


def test_text_output_and_exit_status(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(vault)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "Topic.md:3: WARNING private-link: links to '[[Hidden]]', which is not published" in (
        "\n".join(lines)
    )
    assert (
        "Alone.md: INFO orphan: is an orphan: no note links to it and it links to no other note"
        in (lines)
    )
    result = check_vault(vault)
    counts = result.counts()
    assert lines[-1] == f"11 notes, {counts['warning']} warnings, {counts['info']} infos"
    assert len(lines) == len(result.problems) + 1
    assert main(["check", str(vault), "--fail-on", "never"]) == 0


@pytest.mark.parametrize(
    ("fail_on", "status"), [("info", 1), ("warning", 0), ("never", 0)], ids=str
)
def test_fail_on_with_infos_only(
    tmp_path: Path, fail_on: str, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {"A.md": "[[B]] [[Not yet]]", "B.md": "[[A]]"})
    assert main(["check", str(tmp_path), "--fail-on", fail_on]) == status
    assert capsys.readouterr().out.splitlines()[-1] == "2 notes, 0 warnings, 1 info"


def test_json_output(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["check", str(vault), "--format", "json", "--ignore", "templates", "Broken.md"]) == 1
    )
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == 9
    assert set(data["counts"]) == {"warning", "info"}
    assert sum(data["counts"].values()) == len(data["problems"])
    assert {
        "path": "Topic.md",
        "line": 3,
        "level": "warning",
        "kind": "private-link",
        "message": "links to '[[Hidden]]', which is not published (publish: false)",
    } in data["problems"]
    assert {"path": "Alone.md", "line": None, "level": "info", "kind": "orphan"}.items() <= (
        data["problems"][0].items()
    )
    assert not any(p["path"].startswith(("templates/", "Broken")) for p in data["problems"])
    assert all(set(p) == {"path", "line", "level", "kind", "message"} for p in data["problems"])


MKDOCS_YML = """\
site_name: Test
docs_dir: not-the-vault
site_dir: !ENV [NOTESITE_TEST_SITE_DIR, vault/out]
markdown_extensions:
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds: {case: lower}
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - notesite:
      vault: vault
      ignore: [templates]
      unresolved_links: warn
"""


def test_check_reads_citations_as_a_build_does(tmp_path: Path) -> None:
    write_vault(
        tmp_path / "vault",
        {
            "refs.bib": "@book{known,\n  title = {T},\n  year = {2020},\n}\n@book{broken,\n",
            "Paper.md": "Cites [@known] and\n[@unknown].\n",
            "known.md": "The literature note: cited, so no orphan.\n",
        },
    )
    options = CheckOptions(bibliography=("vault/refs.bib",), config_dir=tmp_path)
    result = check_vault(tmp_path / "vault", options)
    assert [str(p) for p in kinds(result.problems, "cite")] == [
        "Paper.md:2: cites '@unknown', but no bibliography of the note holds that key",
        "vault/refs.bib:5: bibliography entry 'broken' is broken; it was left out",
    ]
    assert kinds(result.problems, "orphan") == []


def test_read_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTESITE_TEST_SITE_DIR", raising=False)
    config = tmp_path / "mkdocs.yml"
    rules = "      private: [Journal/**]\n      publish: opt-in\n"
    config.write_text(MKDOCS_YML + rules, encoding="utf-8")
    vault, options = read_config(config)
    assert vault == tmp_path / "vault"
    assert options == CheckOptions(
        ignore=("templates",),
        unresolved_links="warn",
        exclude_dirs=(tmp_path / "vault/out",),
        private=("Journal/**",),
        opt_in=True,
        config_dir=tmp_path,
    )


def test_read_config_falls_back_to_docs_dir(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: T\ndocs_dir: notes\nplugins: [search, notesite]\n")
    assert read_config(config) == (
        tmp_path / "notes",
        CheckOptions(exclude_dirs=(tmp_path / "site",), config_dir=tmp_path),
    )


def test_this_repository_config() -> None:
    vault, _ = read_config(REPO / "mkdocs.yml")
    assert vault == REPO / "notes"


def test_config_from_the_current_folder(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (vault.parent / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (vault / "out").mkdir()
    (vault / "out" / "Built.md").write_text("[[Nowhere]]")
    monkeypatch.delenv("NOTESITE_TEST_SITE_DIR", raising=False)
    monkeypatch.chdir(vault.parent)
    assert main(["check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == 10  # templates/ is ignored and out/, the site folder, skipped
    unresolved = [p for p in data["problems"] if p["kind"] == "unresolved"]
    assert {p["level"] for p in unresolved} == {"warning"}
    assert [p["path"] for p in unresolved] == ["Home.md"]


def test_site_dir_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {"A.md": "[[B]]", "B.md": "[[A]]", "site/Copy.md": "[[Nowhere]]"})
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  notesite:\n    vault: .\n")
    assert main(["check", "--config", str(tmp_path / "mkdocs.yml")]) == 0
    assert capsys.readouterr().out == "2 notes, 0 warnings, 0 infos\n"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["lint"],
        ["check", "--format", "xml"],
        ["check", "--fail-on", "error"],
        ["check", "/no/such/vault"],
        ["check", "--config", "/no/such/mkdocs.yml"],
    ],
    ids=str,
)
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage: notesite" in capsys.readouterr().err


def test_bad_config_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - notesite:\n      unresolved_links: loud\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--config", str(config)])
    assert exit_info.value.code == 2
    assert "unresolved_links must be 'info' or 'warn'" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"notesite {__version__}\n"


def test_runs_as_a_program(vault: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "notesite.cli", "check", str(vault), "--fail-on", "never"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(" infos\n")


def test_check_lists_dataviewjs_and_queries_that_cannot_be_parsed(tmp_path: Path) -> None:
    write_vault(
        tmp_path,
        {
            "Views.md": (
                "---\ntitle: Views\n---\nA `$= dv.current().x` value.\n\n```dataviewjs\ndv.list([1])\n```\n\n"
                "> ```dataview\n> LIST\n> WHERE (\n> ```\n\n```dataview\nTABLE x FROM #a\n```\n"
                "\n````md\n```dataviewjs\nshown as code\n```\n````\n"
            ),
            "Hidden.md": "---\npublish: false\n---\n```dataviewjs\nx\n```\n",
        },
    )
    found = [
        (p.path, p.line, p.kind, p.level, p.message)
        for p in check_vault(tmp_path).problems
        if p.kind in ("dataviewjs", "query")
    ]
    js = "which only Obsidian runs: the site shows a placeholder"
    assert found == [
        ("Views.md", 4, "dataviewjs", Level.INFO, f"holds an inline DataviewJS query, {js}"),
        ("Views.md", 6, "dataviewjs", Level.INFO, f"holds a DataviewJS view, {js}"),
        ("Views.md", 10, "query", Level.WARNING, "Dataview query: the query ends too early"),
    ]


def test_check_reads_every_base(tmp_path: Path) -> None:
    write_vault(
        tmp_path,
        {
            "Good.base": "views:\n  - type: map\n    name: Places\n",
            "Bad.base": "formulas:\n  x: 'price >'\n",
            "Note.md": "text",
        },
    )
    found = [(str(p), p.level) for p in kinds(check_vault(tmp_path).problems, "base")]
    assert found == [
        ("Bad.base:2: base formula 'x': 'price >' ends too early", Level.WARNING),
        ("Good.base:2: base view 'Places': a map view is shown as a table", Level.INFO),
    ]
