"""``mkdocs serve`` after edits: the served site is, file for file, the one a fresh build makes.

A real ``mkdocs serve`` runs on a vault; the test edits, adds, renames and deletes notes on
disk, waits for the server to say it reloaded the browsers, and compares every file it serves
with a fresh ``mkdocs build`` of the vault as it now is. The server's log says whether an edit
was shown by re-rendering the pages it changed or by a full build: both are checked.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from mkdocs.livereload import LiveReloadServer
from selectolax.lexbor import LexborHTMLParser

from notesite.build.watch import watch_at_once
from tests.conftest import run_mkdocs, write_vault

VAULT: dict[str, str] = {
    "Hub.md": "---\ntags: [topic]\n---\n# Hub\n\n## Part\n\nA block ^blk\n\nSee [[Leaf]].\n",
    "Leaf.md": "# Leaf\n\n## Section\n\nLeaf text about [[Hub#Part]].\n",
    "Chain/Top.md": "Top embeds:\n\n![[Middle]]\n",
    "Chain/Middle.md": "Middle embeds:\n\n![[Bottom]]\n",
    "Chain/Bottom.md": "Bottom words, first version.\n",
    "Folder/Other.md": "Other links [[Hub#^blk]] and #topic\n",
    "Quiet.md": "No links here.\n",
    "Lonely.md": "A link to [[Nowhere yet]].\n",
    "Secret.md": "---\npublish: false\nstatus: hidden\n---\nSecret links [[Hub]]\n",
    "Reading.md": '```dataview\nTABLE status FROM "" WHERE status SORT file.name\n```\n',
    # A base's page: its results may change with any edit of any note.
    "Overview.base": (
        "formulas:\n  cited: file.backlinks.length\nviews:\n  - type: table\n    name: Notes\n"
        "    order: [file.name, mood, file.tags, formula.cited]\n  - type: list\n    name: Folders\n"
        "    groupBy: file.folder\n"
    ),
}
UPDATED = "Documentation updated in"
BUILT = "Building documentation"
RELOADED = "Reloading browsers"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``mkdocs serve`` in its own process group, its output collected line by line."""

    def __init__(self, config: Path, port: int, tmp: Path) -> None:
        tmp.mkdir()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)}
        self.tmp = tmp
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            with self._changed:
                self.lines.append(raw.decode("utf-8", "replace").rstrip())
                self._changed.notify_all()
        self.process.stdout.close()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, text: str, count: int, timeout: float = 120) -> None:
        """Until ``text`` has been printed ``count`` times."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while sum(text in line for line in self.lines) < count:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"no {text!r} #{count}:\n" + "\n".join(self.lines))
                self._changed.wait(min(left, 0.5))

    @property
    def site(self) -> Path:
        (found,) = self.tmp.glob("mkdocs_*")
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._reader.join(timeout=20)


def contents(site: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":  # the gzip header holds the time it was written
            data = gzip.decompress(data)
        found[path.relative_to(site).as_posix()] = data
    return found


Served = tuple[Server, Path, Path]
"""The server, the vault it serves and its mkdocs.yml."""


@pytest.fixture(
    scope="module", params=[1, 2], ids=["first build in one process", "first build in workers"]
)
def served(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Served]:
    """A server whose first build ran in one process, or converted and rendered pages in
    workers (later builds are all in one process): its edits must end the same way."""
    tmp = tmp_path_factory.mktemp("live")
    vault = tmp / "vault"
    write_vault(vault, VAULT)
    port = free_port()
    settings = {
        "site_name": "Live vault",
        "site_url": f"http://127.0.0.1:{port}/",
        "docs_dir": str(vault),
        "site_dir": str(tmp / "unused"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"notesite": {"workers": request.param}}],
    }
    config = tmp / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    server = Server(config, port, tmp / "serve")
    Steps.reloads = 0
    try:
        server.wait_for("Serving on", 1)
        workers = f"in {request.param} processes" in "\n".join(server.lines)
        assert workers == (request.param > 1), "\n".join(server.lines)
        yield server, vault, config
    finally:
        server.stop()


class Steps:
    """Counts the reloads, so that each step waits for its own; what the last step logged."""

    reloads = 0
    said = ""


def change(served: Served, how: str, edit: dict[str, str | None]) -> Path:
    """Apply ``edit`` (path -> new text, None to delete), wait for the server, check that it
    took the ``how`` way ("updated" or "built"), and compare its site with a fresh build."""
    server, vault, config = served
    before = len(server.lines)
    for path, text in edit.items():
        if text is None:
            (vault / path).unlink()
        else:
            write_vault(vault, {path: text})
    Steps.reloads += 1
    server.wait_for(RELOADED, Steps.reloads)
    said = Steps.said = "\n".join(server.lines[before:])
    assert (UPDATED if how == "updated" else BUILT) in said, said
    assert "Traceback" not in said and "could not update" not in said, said

    fresh = config.parent / f"fresh-{Steps.reloads}"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["site_dir"] = str(fresh)
    fresh_config = config.parent / f"fresh-{Steps.reloads}.yml"
    fresh_config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    result = run_mkdocs(fresh_config)
    assert result.returncode == 0, result.stderr
    served_files, fresh_files = contents(server.site), contents(fresh)
    assert sorted(served_files) == sorted(fresh_files)
    differ = [p for p in fresh_files if served_files[p] != fresh_files[p]]
    assert differ == [], said + "\n" + first_difference(served_files, fresh_files, differ[0])
    return server.site


def first_difference(served: dict[str, bytes], fresh: dict[str, bytes], path: str) -> str:
    """The first lines where the served file and the fresh one part (tags on lines of their own)."""
    lines = [
        files[path].decode("utf-8", "replace").replace("><", ">\n<").replace(',"', ',\n"')
        for files in (served, fresh)
    ]
    diff = difflib.unified_diff(
        lines[0].splitlines(), lines[1].splitlines(), "served", "fresh", lineterm=""
    )
    return f"{path}:\n" + "\n".join(list(diff)[:40])


def text_of(site: Path, page: str) -> str:
    html = LexborHTMLParser((site / page).read_text(encoding="utf-8"))
    node = html.css_first("article")
    assert node is not None
    return node.text()


def backlinks_of(site: Path, page: str) -> list[str]:
    html = LexborHTMLParser((site / page).read_text(encoding="utf-8"))
    return [a.text().strip() for a in html.css("section.backlinks a")]


# The steps run in order on one server: each starts from the vault the last one left.


def test_an_edit_rerenders_the_note_and_the_backlinks_it_changes(served: Served) -> None:
    site = change(served, "updated", {"Quiet.md": "Now it links to [[Leaf]].\n"})
    assert "Now it links to" in text_of(site, "Quiet/index.html")
    assert "Quiet" in backlinks_of(site, "Leaf/index.html")
    # The log says what the edit brought up; what it did not touch is only counted.
    assert "Lonely.md" not in Steps.said
    assert "1 notice" in Steps.said


def query_rows(site: Path, page: str) -> list[list[str]]:
    html = LexborHTMLParser((site / page).read_text(encoding="utf-8"))
    return [
        [td.text() for td in tr.css("td")] for tr in html.css("table[data-ns-sortable] tbody tr")
    ]


def test_a_property_edit_updates_the_queries_of_other_pages(served: Served) -> None:
    site = change(
        served, "updated", {"Quiet.md": "Now it links to [[Leaf]].\n\nstatus:: reading\n"}
    )
    assert query_rows(site, "Reading/index.html") == [["Quiet", "reading"]]
    site = change(served, "updated", {"Quiet.md": "Now it links to [[Leaf]].\n\nstatus:: done\n"})
    assert query_rows(site, "Reading/index.html") == [["Quiet", "done"]]
    site = change(served, "updated", {"Quiet.md": "Now it links to [[Leaf]].\n"})
    assert query_rows(site, "Reading/index.html") == []
    assert "No results" in text_of(site, "Reading/index.html")


def test_a_renamed_heading_updates_the_links_into_it(served: Served) -> None:
    site = change(
        served,
        "updated",
        {"Hub.md": "---\ntags: [topic]\n---\n# Hub\n\n## Whole\n\nA block ^blk\n\nSee [[Leaf]].\n"},
    )
    leaf = (site / "Leaf/index.html").read_text(encoding="utf-8")
    assert 'href="../Hub/#part"' not in leaf
    assert "Leaf.md:5: links to '[[Hub#Part]]', but 'Hub.md' has no heading 'Part'" in Steps.said


def test_an_edit_reaches_every_note_that_embeds_it(served: Served) -> None:
    site = change(served, "updated", {"Chain/Bottom.md": "Bottom words, second version.\n"})
    assert "second version" in text_of(site, "Chain/Top/index.html")


def test_a_note_embedded_for_the_first_time_shows_its_page(served: Served) -> None:
    site = change(served, "updated", {"Quiet.md": "No links here.\n\n![[Lonely]]\n"})
    page = LexborHTMLParser((site / "Quiet/index.html").read_text(encoding="utf-8"))
    embed = page.css_first("article div.ns-embed")
    assert embed is not None and "A link to" in embed.text()
    site = change(served, "updated", {"Quiet.md": "No links here.\n"})
    assert "A link to" not in text_of(site, "Quiet/index.html")


def test_a_new_title_and_tag_update_the_generated_pages(served: Served) -> None:
    site = change(
        served, "updated", {"Leaf.md": "---\ntitle: Green leaf\ntags: [topic]\n---\n# Leaf\n"}
    )
    assert "Green leaf" in text_of(site, "tags/topic/index.html")
    assert "Green leaf" not in backlinks_of(site, "Hub/index.html")  # it no longer links there


def test_a_new_tag_gets_a_page_until_no_note_has_it(served: Served) -> None:
    site = change(served, "updated", {"Chain/Top.md": "Top embeds:\n\n![[Middle]]\n\n#brandnew\n"})
    assert "Top" in text_of(site, "tags/brandnew/index.html")
    site = change(served, "updated", {"Chain/Top.md": "Top embeds:\n\n![[Middle]]\n"})
    assert not (site / "tags" / "brandnew").exists()


def test_an_added_note_is_linked_from_the_notes_that_named_it(served: Served) -> None:
    # A link to a note not written yet gives it a page saying so, and the link leads there.
    site = change(served, "updated", {"Quiet.md": "Links to [[Leaf]] and [[Fresh]].\n"})
    assert "Not written yet" in text_of(site, "Fresh/index.html")
    site = change(served, "updated", {"Quiet.md": "Links to [[Leaf]].\n"})
    assert not (site / "Fresh").exists()
    change(served, "updated", {"Quiet.md": "Links to [[Leaf]] and [[Fresh]].\n"})
    site = change(served, "updated", {"Fresh.md": "A new note.\n"})
    assert "Quiet" in backlinks_of(site, "Fresh/index.html")


def test_a_renamed_note_leaves_no_stale_page_or_link(served: Served) -> None:
    (served[1] / "Fresh.md").rename(served[1] / "Renamed.md")
    site = change(served, "updated", {})
    assert not (site / "Fresh" / "index.html").read_text(encoding="utf-8").count("A new note")
    assert "Quiet" not in backlinks_of(site, "Renamed/index.html")


def test_a_deleted_note_leaves_no_page(served: Served) -> None:
    site = change(served, "updated", {"Renamed.md": None})
    assert not (site / "Renamed").exists()


def test_a_canvas_added_then_edited_is_a_page_linking_where_it_says(served: Served) -> None:
    def board(text: str) -> str:
        node = {"id": "t", "type": "text", "text": text, "x": 0, "y": 0, "width": 200, "height": 80}
        return json.dumps({"nodes": [node], "edges": []})

    site = change(served, "updated", {"Board.canvas": board("Points at [[Leaf]].")})
    assert "Points at Leaf." in text_of(site, "Board.canvas/index.html")
    assert "Board" in backlinks_of(site, "Leaf/index.html")
    site = change(served, "updated", {"Board.canvas": board("Points at [[Hub]] now.")})
    assert "Points at Hub now." in text_of(site, "Board.canvas/index.html")
    assert "Board" not in backlinks_of(site, "Leaf/index.html")
    site = change(served, "updated", {"Board.canvas": None})
    assert not (site / "Board.canvas").exists()


def test_an_attachment_edit_is_copied(served: Served) -> None:
    change(served, "updated", {"Leaf.md": "![[pic.svg]]\n", "pic.svg": "<svg/>"})
    site = change(served, "updated", {"pic.svg": "<svg><title>two</title></svg>"})
    assert re.search("two", (site / "pic.svg").read_text(encoding="utf-8"))


def test_citations_follow_their_bibliography_and_literature_notes(served: Served) -> None:
    bib = "@book{smith2020,\n  title = {Gardens},\n  author = {Smith, Ann},\n  year = {2020},\n}\n"
    cites = "---\nbibliography: refs.bib\n---\nAs [@smith2020, p. 4] shows.\n"
    # A note naming a bibliography the site did not read: the whole site is built again.
    site = change(served, "built", {"refs.bib": bib, "Cites.md": cites})
    assert "a bibliography, or a note's bibliography or citation style, changed" in Steps.said
    assert "(Smith 2020, 4)" in text_of(site, "Cites/index.html")
    site = change(served, "updated", {"smith2020 Gardens.md": "My notes on the book.\n"})
    assert "Cites" in backlinks_of(site, "smith2020 Gardens/index.html")
    assert "Smith, Ann. 2020. Gardens." in text_of(site, "smith2020 Gardens/index.html")
    site = change(served, "updated", {"Cites.md": cites.replace("p. 4", "p. 5")})
    assert "(Smith 2020, 5)" in text_of(site, "Cites/index.html")
    site = change(served, "built", {"refs.bib": bib.replace("Gardens", "Orchards")})
    assert "Smith, Ann. 2020. Orchards." in text_of(site, "Cites/index.html")


def test_a_file_that_is_not_text_leaves_the_other_edits_in_place(served: Served) -> None:
    change(served, "built", {"Broken.md": "\x00\x01\x02 not text\n"})
    warned = re.search(r"warnings: (.*?);", Steps.said)
    assert warned and warned[1] != "none" and "Broken.md" in Steps.said
    site = change(served, "updated", {"Quiet.md": "Quiet again.\n"})
    assert "Quiet again" in text_of(site, "Quiet/index.html")
    # Not said again (the save did not touch it), but still counted.
    assert "Broken.md" not in Steps.said and f"warnings: {warned[1]};" in Steps.said


def test_a_base_page_follows_an_edited_property(served: Served) -> None:
    site = change(served, "updated", {"Quiet.md": "---\nmood: calm\n---\nQuiet again.\n"})
    assert "calm" in text_of(site, "Overview/index.html")
    # A note embedding the base, added: the base's page stays its only page (no copied file).
    site = change(served, "updated", {"Shows.md": "![[Overview.base#Notes]]\n"})
    assert "calm" in text_of(site, "Shows/index.html")
    assert not (site / "Overview.base").exists()


def test_an_edited_base_builds_the_whole_site(served: Served) -> None:
    base = "views:\n  - type: list\n    name: Moods\n    order: [mood]\n"
    site = change(served, "built", {"Overview.base": base})
    assert "Moods" not in text_of(site, "Overview/index.html")  # one view: no tab label
    assert "calm" in text_of(site, "Overview/index.html")


def test_a_changed_config_builds_the_whole_site(served: Served) -> None:
    config = served[2]
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    config.write_text(yaml.safe_dump({**settings, "site_name": "Renamed vault"}), encoding="utf-8")
    site = change(served, "built", {})
    assert "mkdocs.yml or the theme changed" in Steps.said
    assert "Renamed vault" in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({}, None),
        ({"strict": True}, "--strict"),
        (
            {"plugins": ["search", "tags", "notesite"]},
            "plugin material/tags may depend on every page",
        ),
    ],
)
def test_what_keeps_every_save_a_full_build(
    tmp_path: Path, extra: dict[str, object], why: str | None
) -> None:
    from mkdocs.config import load_config

    from notesite.build.live import unsupported

    write_vault(tmp_path / "vault", {"Note.md": "text"})
    settings = {
        "site_name": "Vault",
        "docs_dir": str(tmp_path / "vault"),
        "theme": {"name": "material"},
        "plugins": ["search", "notesite"],
        **extra,
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_config(config)
    assert unsupported(config) == why


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_save_is_heard_as_it_happens_and_dot_folders_are_not(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write_vault(vault, {"Note.md": "text\n", ".git/index": "x", ".obsidian/app.json": "{}"})
    server = LiveReloadServer(
        builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path / "site")
    )
    server.watch(str(vault))
    observer = watch_at_once(server, [str(vault)])
    assert observer is not None
    try:
        assert str(vault) not in server._watched_paths  # MkDocs no longer polls the vault
        # Reading a note, and writing in dot-folders (git, Obsidian's settings), change no page.
        (vault / "Note.md").read_text(encoding="utf-8")
        (vault / ".git" / "index").write_text("y", encoding="utf-8")
        (vault / ".obsidian" / "workspace.json").write_text("{}", encoding="utf-8")
        assert not wait_for(lambda: server._want_rebuild, seconds=1.0)
        (vault / "Note.md").write_text("new text\n", encoding="utf-8")
        assert wait_for(lambda: server._want_rebuild)
        server._want_rebuild = False
        (vault / "Folder").mkdir()
        (vault / "Folder" / ".Draft.md.swp").write_text("x", encoding="utf-8")
        (vault / "Folder" / ".Draft.md.swp").rename(vault / "Folder" / "Draft.md")  # atomic save
        assert wait_for(lambda: server._want_rebuild)
    finally:
        observer.stop()
        observer.join()
        server.server_close()
