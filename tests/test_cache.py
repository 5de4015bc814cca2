"""The build cache: a warm build, in a new process, writes the very site a cold build writes.

Each test starts from one cold build of a vault (its cache beside ``mkdocs.yml``), changes the
vault, the config, a template or notesite's version, builds again with a real ``mkdocs build``
and compares every file of that site with a build of the changed project made without the cache
(``NOTESITE_CACHE=off``). The warm build's log says how many pages it reused: each test checks
that it reused what it should, so that none passes by building everything anew.
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import yaml
from jinja2.bccache import bc_magic

from notesite.build.cache import KEYS, MADE, MADE_MAGIC, MAGIC, NOTES, PART, TEMPLATES
from tests.conftest import SEEDS, seed_files, write_vault
from tests.test_cite import BIB
from tests.test_live import RELOADED, UPDATED, Server, contents, first_difference, free_port

VAULT: dict[str, str | bytes] = {
    "Hub.md": "---\ntags: [topic]\nstatus: draft\n---\n# Hub\n\n## Part\n\nA block ^blk\n\n"
    "See [[Leaf]] and ![[pic.png]].\n",
    # Hub's panel quotes this line: with the link to Lonely as it leads (or not).
    "Leaf.md": "# Leaf\n\n## Section\n\nLeaf text about [[Hub#Part]] and [[Lonely]].\n",
    "Chain/Top.md": "Top embeds:\n\n![[Middle]]\n",
    "Chain/Middle.md": "Middle embeds:\n\n![[Bottom]]\n",
    "Chain/Bottom.md": "Bottom words, first version.\n",
    "Folder/Other.md": "Other links [[Hub#^blk]] and #topic\n",
    "Quiet.md": "No links here, but [[Leafy]].\n",
    "Lonely.md": "A link to [[Nowhere yet]].\n",
    "Hidden-Diary.md": "---\npublish: false\n---\nzanzibar marker words, linking [[Hub]]\n",
    "Broken.md": "A [markdown link](missing.md) and ![[Leaf#No such heading]].\n",
    "pic.png": b"\x89PNG\r\n\x1a\nfirst",
    # A canvas showing a note at the end of the chain of embeds, and a card linking to another.
    "Map.canvas": json.dumps(
        {
            "nodes": [
                {
                    "id": "f",
                    "type": "file",
                    "file": "Chain/Bottom.md",
                    "x": 0,
                    "y": 0,
                    "width": 200,
                    "height": 100,
                },
                {
                    "id": "t",
                    "type": "text",
                    "text": "See [[Leaf]]",
                    "x": 300,
                    "y": 0,
                    "width": 200,
                    "height": 100,
                },
            ],
            "edges": [],
        }
    ),
    # Pages that show the whole vault: query results, a base and its embed, citations.
    "Queries.md": "# Queries\n\n```dataview\nTABLE status FROM #topic SORT file.name\n```\n\n"
    "Linked from `= length(this.file.inlinks)` notes.\n",
    "Reading.base": "filters: 'file.hasTag(\"topic\")'\nviews:\n  - type: table\n    name: All\n"
    "    order: [file.name, status]\n",
    "Shelf.md": "The base: ![[Reading.base#All]]\n",
    # A note showing query results, embedded whole: the embedding page shows the vault too.
    "Dashboard.md": "The queries, embedded:\n\n![[Queries]]\n",
    "refs.bib": BIB,
    "Cites.md": "---\nbibliography: refs.bib\n---\nAs [@wang2021china, p. 3] argues.\n",
}
#: The pages above that show the whole vault: made again after any change of the vault.
WHOLE_VAULT = 5
#: What the warm build's log says it reused.
REUSED = re.compile(r"build cache: (\d+) of (\d+) pages reused, (\d+) to render")


def mkdocs(
    project: Path, *args: str, cache: bool = True, python: str = "", fails: bool = False
) -> str:
    """A real ``mkdocs build`` of a project (in a new process); its log. It must succeed (unless
    ``--strict``, or it ``fails``)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if not cache:
        env["NOTESITE_CACHE"] = "off"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", *args]
    if python:  # code run before MkDocs, in its process
        command = [sys.executable, "-c", f"{python}\nfrom mkdocs.__main__ import cli\ncli()"]
        command += ["build", "-f", "mkdocs.yml", *args]
    result = subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=env, timeout=600
    )
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    if fails:
        assert result.returncode != 0, log
    elif "--strict" not in args:
        assert result.returncode == 0, log
    return log


def settings(**plugin: object) -> dict[str, object]:
    return {
        "site_name": "Cached vault",
        "site_url": "https://example.org/",
        "docs_dir": "vault",
        "site_dir": "site",
        "theme": {"name": "material", "font": False, "custom_dir": "overrides"},
        "plugins": ["search", {"notesite": dict(plugin)}],
    }


def make_project(folder: Path, files: Mapping[str, str | bytes], **plugin: object) -> Path:
    write_vault(folder / "vault", files)
    write_vault(folder / "overrides", {"partials/copyright.html": "<div>Footer one</div>\n"})
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(settings(**plugin)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once, its cache made."""
    project = make_project(tmp_path_factory.mktemp("cold"), {**VAULT, **seed_files()})
    log = mkdocs(project)
    found = REUSED.search(log)
    assert found is not None and found[1] == "0", log
    assert (project / ".cache" / "notesite").is_dir()
    return project


def rebuilt(
    cold: Path, tmp_path: Path, change: Callable[[Path], None], python: str = ""
) -> tuple[str, int, int]:
    """Copy the cold project, ``change`` it, build it warm and without the cache, and check
    that both sites are the same, file for file: ``(warm log, pages reused, pages rendered)``."""
    project = tmp_path / "project"
    shutil.copytree(cold, project)
    change(project)
    log = mkdocs(project, python=python)
    mkdocs(project, "-d", "cold-site", cache=False, python=python)
    same(contents(project / "site"), contents(project / "cold-site"), log)
    found = REUSED.search(log)
    assert found is not None, log
    return log, int(found[1]), int(found[3])


def same(warm: dict[str, bytes], cold: dict[str, bytes], log: str) -> None:
    """Both sites have the same files, byte for byte (else the first difference is shown)."""
    assert sorted(warm) == sorted(cold), log
    differ = [p for p in cold if warm[p] != cold[p]]
    assert differ == [], log + "\n" + first_difference(warm, cold, differ[0])


def edit(files: Mapping[str, str | bytes | None]) -> Callable[[Path], None]:
    """A change of the vault: path -> new text, or None to delete the file."""

    def change(project: Path) -> None:
        for name, text in files.items():
            path = project / "vault" / name
            if text is None:
                path.unlink()
            elif isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")

    return change


pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout"
)

#: A change of the vault: path -> new text (None deletes the file).
CHANGES: dict[str, dict[str, str | bytes | None]] = {
    "body text, at the end of a chain of embeds": {
        "Chain/Bottom.md": "Bottom words, second version.\n"
    },
    "title": {"Leaf.md": "---\ntitle: Leaf renamed\n---\n" + str(VAULT["Leaf.md"])},
    "alias, which a link now resolves to": {
        "Leaf.md": "---\naliases: [Leafy]\n---\n" + str(VAULT["Leaf.md"])
    },
    "tag": {"Quiet.md": "No links here, but [[Leafy]]. #newtag\n"},
    "property": {"Hub.md": str(VAULT["Hub.md"]).replace("draft", "done")},
    "link added (a backlink elsewhere)": {
        "Quiet.md": "No links here, but [[Leafy]] and [[Lonely]].\n"
    },
    "link removed (a backlink elsewhere)": {"Folder/Other.md": "Other links and #topic\n"},
    "heading renamed (links into it elsewhere)": {
        "Hub.md": str(VAULT["Hub.md"]).replace("## Part", "## Portion")
    },
    "note added (a page no longer unwritten)": {"Nowhere yet.md": "Written now.\n"},
    "note renamed": {"Quiet.md": None, "Calm.md": str(VAULT["Quiet.md"])},
    "note deleted (a quote elsewhere links to it)": {"Lonely.md": None},
    "note made private": {"Leaf.md": "---\npublish: false\n---\n" + str(VAULT["Leaf.md"])},
    "note made public": {"Hidden-Diary.md": "zanzibar marker words, linking [[Hub]]\n"},
    "attachment changed": {"pic.png": b"\x89PNG\r\n\x1a\nsecond"},
    "a query's results (a note gains the tag it lists)": {
        "Quiet.md": "No links here, but [[Leafy]]. #topic\n"
    },
    "a base's text (its page and the note embedding it)": {
        "Reading.base": str(VAULT["Reading.base"]).replace("status]", "status, tags]")
    },
    "a bibliography (the page citing from it)": {
        "refs.bib": BIB.replace("China’s {Sputnik} Moment", "China’s Second Moment")
    },
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_warm_build_after_a_change_is_the_cold_build(
    cold: Path, tmp_path: Path, name: str
) -> None:
    log, reused, rendered = rebuilt(cold, tmp_path, edit(CHANGES[name]))
    assert reused > rendered, log
    # Every page the build made is kept, under the hash of what it was made from.
    kept = page_files(tmp_path / "project")  # (beside the notes read, the generated pages)
    assert len(kept) == reused + rendered, log
    # What it kept is whole: the next build makes nothing, and writes the same site.
    project = tmp_path / "project"
    again = mkdocs(project)
    found = REUSED.search(again)
    assert found is not None and found[3] == "0", again
    same(contents(project / "site"), contents(project / "cold-site"), again)


def test_a_warm_build_parses_only_the_notes_whose_files_changed(cold: Path, tmp_path: Path) -> None:
    log, _, _ = rebuilt(cold, tmp_path, edit({"Quiet.md": "No links here, but [[Leaf]].\n"}))
    found = re.search(r"build cache: (\d+) of (\d+) public notes unchanged since it read them", log)
    assert found is not None, log
    assert int(found[1]) == int(found[2]) - 1, log


def test_a_warm_build_of_an_unchanged_vault_renders_nothing(cold: Path, tmp_path: Path) -> None:
    log, reused, rendered = rebuilt(cold, tmp_path, lambda p: None)
    assert rendered == 0 and reused > 20, log
    assert "pages kept" not in log


def test_a_one_note_edit_renders_that_page_and_the_pages_showing_it(
    cold: Path, tmp_path: Path
) -> None:
    log, _, rendered = rebuilt(
        cold, tmp_path, edit({"Chain/Top.md": "Top embeds, reworded:\n\n![[Middle]]\n"})
    )
    # Top's page (nothing links to it or embeds it), the home page's recent notes, and the
    # pages showing the whole vault.
    assert 1 <= rendered <= 2 + WHOLE_VAULT, log


@pytest.mark.parametrize(
    "change",
    [
        lambda p: (p / "mkdocs.yml").write_text(
            (p / "mkdocs.yml").read_text().replace("Cached vault", "Renamed vault")
        ),
        lambda p: (p / "overrides" / "partials" / "copyright.html").write_text(
            "<div>Footer two</div>\n"
        ),
    ],
    ids=["mkdocs.yml changed", "a template of custom_dir changed"],
)
def test_what_every_page_is_made_with_changing_renders_every_page(
    cold: Path, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    log, reused, _ = rebuilt(cold, tmp_path, change)
    assert reused == 0, log
    assert "none yet for this configuration" in log


def test_another_notesite_version_renders_every_page(cold: Path, tmp_path: Path) -> None:
    log, reused, _ = rebuilt(
        cold, tmp_path, lambda p: None, python="import notesite\nnotesite.__version__ = '99.0'"
    )
    assert reused == 0, log


def page_head(data: bytes) -> tuple[bytes, int]:
    """A kept page's file: its head (as :mod:`marshal` wrote it), and where its search entries
    start (its HTML follows them)."""
    at = len(MAGIC)
    assert data.startswith(MAGIC)
    size = int.from_bytes(data[at : at + 8], "big")
    return data[at + 8 : at + 8 + size], at + 8 + size


def cache_files(project: Path) -> list[Path]:
    """The cache's files: its pages' (head, search entries, HTML), the notes memo and the
    generated pages."""
    return sorted(p for p in (project / ".cache" / "notesite").rglob("*") if p.is_file())


def page_files(project: Path) -> list[Path]:
    """The cache's pages' files."""
    return [
        p
        for p in cache_files(project)
        if p.name not in (NOTES, MADE, KEYS) and p.parent.name != TEMPLATES
    ]


def test_a_build_drops_the_files_it_did_not_use_and_parts_of_files_left_long_ago(
    cold: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(cold, project)
    folder = page_files(project)[0].parent
    unused, old_part, new_part = folder / ("0" * 32), folder / f"{PART}old", folder / f"{PART}new"
    for path in (unused, old_part, new_part):
        path.write_bytes(b"left here")
    two_hours_ago = time.time() - 7200
    os.utime(old_part, (two_hours_ago, two_hours_ago))
    mkdocs(project)
    assert not unused.exists() and not old_part.exists()
    assert new_part.exists()  # (another build may be writing it)


def test_compiled_templates_are_kept_and_a_damaged_one_is_compiled_again(
    cold: Path, tmp_path: Path
) -> None:
    assert [p for p in cache_files(cold) if p.parent.name == TEMPLATES]

    def damage(project: Path) -> None:
        for path in cache_files(project):
            if path.parent.name == TEMPLATES:  # (cut short after jinja's header)
                path.write_bytes(path.read_bytes()[: len(bc_magic) + 2])

    log, reused, _ = rebuilt(cold, tmp_path, damage)
    assert reused > 0, log


def test_a_corrupt_cache_is_ignored_and_the_build_goes_on(cold: Path, tmp_path: Path) -> None:
    def corrupt(project: Path) -> None:
        for path in cache_files(project):
            path.write_bytes(b"not a page of the cache")

    log, reused, _ = rebuilt(cold, tmp_path, corrupt)
    assert reused == 0, log
    assert re.search(r"INFO +- +notesite: build cache: \d+ unreadable pages ignored", log), log
    assert "build cache: the notes it holds cannot be read; every note is read" in log
    assert "build cache: the generated pages it holds cannot be read; they are made again" in log
    assert "build cache: its pages' hashes cannot be read; all are hashed" in log


def test_a_truncated_page_of_the_cache_is_made_again(cold: Path, tmp_path: Path) -> None:
    def truncate(project: Path) -> None:
        files = page_files(project)
        for path in files[:3]:
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
        files[3].write_bytes(files[3].read_bytes() + b"more")

    log, _, rendered = rebuilt(cold, tmp_path, truncate)
    assert rendered == 4, log
    assert "build cache: 4 unreadable pages ignored" in log


def test_a_page_altered_in_place_is_made_again(cold: Path, tmp_path: Path) -> None:
    def alter(project: Path) -> None:
        # A bit of one page's search entries, and of another one's HTML, each file as long as it was.
        pages = page_files(project)
        for path, at in ((pages[0], "entries"), (pages[-1], "html")):
            data = bytearray(path.read_bytes())
            head, start = page_head(bytes(data))
            start += 0 if at == "entries" else marshal.loads(head)["entries"]
            data[start + 5] ^= 1
            path.write_bytes(bytes(data))

    log, _, rendered = rebuilt(cold, tmp_path, alter)
    assert rendered == 2, log
    assert "build cache: 2 unreadable pages ignored" in log


def test_a_page_missing_from_the_cache_is_made_again(cold: Path, tmp_path: Path) -> None:
    def remove(project: Path) -> None:
        page_files(project)[0].unlink()

    log, _, rendered = rebuilt(cold, tmp_path, remove)
    assert rendered == 1, log
    assert "unreadable" not in log
    assert "Page skipped" not in log  # (the pages copied into place from the cache)


def test_a_read_ahead_that_fails_leaves_the_pages_to_be_read_one_by_one(
    cold: Path, tmp_path: Path
) -> None:
    # (its process given a script that is not there: it ends at once, and says why)
    fails = "import notesite.build.cachefiles as f\nf.__file__ = '/nowhere/cachefiles.py'"
    log, reused, rendered = rebuilt(cold, tmp_path, lambda p: None, python=fails)
    assert "reading its pages ahead failed" in log and "nowhere" in log, log
    assert rendered == 0 and reused > 20, log


def test_the_offline_plugin_copies_the_whole_search_index(tmp_path: Path) -> None:
    # The offline plugin copies the search index into a script as the build ends (listed
    # before notesite, it could run first): after the kept pages' entries were written into it.
    project = make_project(tmp_path / "project", VAULT)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", "offline", {"notesite": {}}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    mkdocs(project)
    edit(CHANGES["body text, at the end of a chain of embeds"])(project)
    log = mkdocs(project)
    found = REUSED.search(log)
    assert found is not None and int(found[1]) > int(found[3]) > 0, log
    mkdocs(project, "-d", "cold-site", cache=False)
    script = (project / "site" / "search" / "search_index.js").read_text(encoding="utf-8")
    index = (project / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert script == f"var __index = {index}" and '"location":"Leaf.html' in index
    same(contents(project / "site"), contents(project / "cold-site"), log)


def test_a_warm_build_takes_the_generated_pages_from_the_cache(cold: Path, tmp_path: Path) -> None:
    # What the cache holds of them is used as it is when what they were made from is the same:
    # altered there, the tags page shows it.
    project = tmp_path / "project"
    shutil.copytree(cold, project)
    path = next(p for p in cache_files(project) if p.name == MADE)
    made = pickle.loads(path.read_bytes()[len(MADE_MAGIC) + 4 :])
    digest, pages = made["tags"]
    made["tags"] = (digest, {**pages, "tags/index.md": pages["tags/index.md"] + "\nAltered.\n"})
    packed = pickle.dumps(made)
    path.write_bytes(MADE_MAGIC + zlib.crc32(packed).to_bytes(4, "big") + packed)
    log = mkdocs(project)
    assert "Altered." in (project / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert "cannot be read" not in log


def once_pages_are_found(action: str) -> str:
    """Code run in the build's process (see :func:`mkdocs`): ``action``, just after the build
    found the pages it reuses."""
    return (
        "import logging, pathlib, shutil\n"
        "class Act(logging.Handler):\n"
        "    def emit(self, record):\n"
        '        if "pages reused" in record.getMessage():\n'
        f"            {action}\n"
        'logging.getLogger("mkdocs").addHandler(Act())\n'
    )


def failed_build(cold: Path, tmp_path: Path, action: str, error: str) -> str:
    """The log of a warm build that ``action`` made fail with the ERROR line ``error`` (a
    regular expression)."""
    project = tmp_path / "project"
    shutil.copytree(cold, project)
    log = mkdocs(project, python=once_pages_are_found(action), fails=True)
    assert re.search(rf"ERROR +- +build cache: {error}", log), log
    assert "Aborted with a BuildError" in log
    return log


def test_a_build_whose_cache_is_dropped_meanwhile_stops_and_says_so(
    cold: Path, tmp_path: Path
) -> None:
    # Another build sharing the cache drops every page of it.
    action = 'shutil.rmtree(".cache/notesite")'
    failed_build(cold, tmp_path, action, r"\S+ changed while this build used it; build again")
    # The next build makes every page.
    found = REUSED.search(mkdocs(tmp_path / "project"))
    assert found is not None and found[1] == "0"


def test_a_kept_page_that_cannot_be_put_in_place_fails_the_build_and_says_why(
    cold: Path, tmp_path: Path
) -> None:
    # A file stands where a kept page's folder goes in the site.
    action = 'pathlib.Path("site/Leaf").write_text("in the way")'
    failed_build(cold, tmp_path, action, r"copying kept pages into the site failed: \w*Error")


def test_a_dirty_warm_build_writes_the_pages_mkdocs_writes(cold: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(cold, project)
    shutil.rmtree(project / "site")  # (--dirty writes a page whose file is not there)
    log = mkdocs(project, "--dirty")
    found = REUSED.search(log)
    assert found is not None and found[3] == "0", log
    assert "Page skipped" not in log
    mkdocs(project, "-d", "cold-site", cache=False)
    same(contents(project / "site"), contents(project / "cold-site"), log)


def test_a_foreign_folder_in_the_cache_is_dropped(cold: Path, tmp_path: Path) -> None:
    def foreign(project: Path) -> None:
        folders = {f"{n}{n}{n}/page": "not the cache's" for n in range(3)}
        write_vault(project / ".cache" / "notesite", {**folders, "stray-file": "x"})

    log, _, rendered = rebuilt(cold, tmp_path, foreign)
    assert rendered == 0, log
    # The configuration of this build, and the most recent other one.
    cache = tmp_path / "project" / ".cache" / "notesite"
    folders = [p.name for p in cache.iterdir() if p.is_dir()]
    assert len(folders) == 2 and any(len(name) == 32 for name in folders), folders


def test_no_private_note_reaches_the_cache(cold: Path) -> None:
    secrets = (b"zanzibar", b"Hidden-Diary", b"Hidden Diary")
    notes = [p for p in cache_files(cold) if p.name == NOTES]
    assert len(notes) == 1 and b"Leaf text about" in notes[0].read_bytes()  # (kept as written)
    made = [p for p in cache_files(cold) if p.name == MADE]
    assert len(made) == 1 and b"Leaf" in made[0].read_bytes()  # (the tag pages list it)
    for path in [*notes, *made]:  # (their strings kept as written)
        for secret in secrets:
            assert secret not in path.read_bytes(), path
    for path in page_files(cold):  # (head, search entries and HTML keep strings as written)
        data = path.read_bytes()
        assert data.startswith(MAGIC), path
        for secret in secrets:
            assert secret not in data, path


def test_a_strict_warm_build_fails_as_the_cold_one_does(cold: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(cold, project)
    warm = mkdocs(project, "--strict")
    cold_log = mkdocs(project, "--strict", "-d", "cold-site", cache=False)
    found = REUSED.search(warm)
    assert found is not None and found[3] == "0", warm

    def warnings(log: str) -> list[str]:
        return [line for line in log.splitlines() if line.startswith("WARNING")]

    assert (
        warnings(warm)
        == warnings(cold_log)
        == [
            "WARNING -  notesite: Broken.md:1: links to '![[Leaf#No such heading]]', "
            "but 'Leaf.md' has no heading 'No such heading'",
            "WARNING -  notesite: refs.bib:11: bibliography entry 'broken' is broken; it was "
            "left out",
        ]
    )
    assert "Aborted with 2 warnings in strict mode!" in warm
    assert "Aborted with 2 warnings in strict mode!" in cold_log


def test_cache_false_builds_cold_and_keeps_no_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path, VAULT, cache=False)
    log = mkdocs(project)
    again = mkdocs(project)
    assert "build cache" not in log + again
    assert not (project / ".cache").exists()


def test_pages_converted_and_rendered_in_workers_are_kept_and_reused(tmp_path: Path) -> None:
    project = make_project(tmp_path, VAULT, workers=2)
    first = mkdocs(project)
    assert "in 2 processes" in first, first
    edit({"Chain/Bottom.md": "Bottom words, third version.\n"})(project)
    log = mkdocs(project)
    mkdocs(project, "-d", "cold-site", cache=False)
    same(contents(project / "site"), contents(project / "cold-site"), log)
    found = REUSED.search(log)
    # Bottom's page, those of the notes embedding it (Middle, and Top embedding Middle), and
    # the home page's recent notes.
    assert found is not None and int(found[1]) > int(found[3]) >= 3, log
    # What the workers made is kept whole: the next build reuses every page.
    log = mkdocs(project)
    found = REUSED.search(log)
    assert found is not None and found[3] == "0", log
    same(contents(project / "site"), contents(project / "cold-site"), log)


def test_the_first_build_of_mkdocs_serve_uses_the_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", VAULT)
    port = free_port()
    sites = []
    for run in (1, 2):
        server = Server(project / "mkdocs.yml", port, tmp_path / f"serve-{run}")
        try:
            server.wait_for("Serving on", 1)
            said = "\n".join(server.lines)
            sites.append(contents(server.site))
        finally:
            server.stop()
        found = REUSED.search(said)
        assert found is not None, said
        # The second server's first build reuses every page the first one kept.
        assert found[1] == ("0" if run == 1 else found[2]), said
    same(sites[1], sites[0], said)


def test_an_edit_served_after_a_warm_start_ends_as_a_cold_server_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live preview of a server whose first build took its pages from the cache re-renders
    an edit from them: its site (the search index with the kept pages' entries included) is
    the one a server started without the cache serves."""
    project = make_project(tmp_path / "project", VAULT)
    port = free_port()
    # (Middle's page is kept, and embedded before; Lonely's is embedded for the first time.)
    edit = {
        "Quiet.md": "Now it links to [[Leaf]], and [[Hub#Part]] too.\n\n![[Middle]]\n\n"
        "![[Lonely]]\n"
    }
    sites = []
    for run in ("fill", "warm", "cold"):
        if run == "cold":
            monkeypatch.setenv("NOTESITE_CACHE", "off")
        server = Server(project / "mkdocs.yml", port, tmp_path / f"serve-{run}")
        try:
            server.wait_for("Serving on", 1)
            said = "\n".join(server.lines)
            found = REUSED.search(said)
            if run == "warm":
                assert found is not None and found[1] == found[2] != "0", said
                write_vault(project / "vault", edit)
                server.wait_for(RELOADED, 1)
                said = "\n".join(server.lines)
                assert UPDATED in said and "Traceback" not in said, said
                sites.append(contents(server.site))
            elif run == "cold":
                assert found is None, said
                sites.append(contents(server.site))
        finally:
            server.stop()
    warm, cold = sites
    index = json.loads(warm["search/search_index.json"])
    assert {"Leaf/", "Hub/", "Quiet/"} <= {doc["location"] for doc in index["docs"]}
    assert sorted(warm) == sorted(cold)
    differ = [path for path in cold if warm[path] != cold[path]]
    assert differ == [], first_difference(warm, cold, differ[0])
