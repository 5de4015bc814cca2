"""Pages converted and rendered by worker processes make the same site, and the same warnings,
as one process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, run_mkdocs, seed_files, write_vault


def vault_files() -> dict[str, str | bytes]:
    """The user's notes, this project's notes, and notes whose conversion warns, spread so that
    some of them fall to each process."""
    files: dict[str, str | bytes] = dict(seed_files())
    for path in (REPO / "notes").rglob("*"):
        if path.is_file():
            files[path.relative_to(REPO / "notes").as_posix()] = path.read_bytes()
    for i in range(40):
        # A note that embeds itself (a warning of notesite's) and has a link MkDocs reports.
        files[f"Loops/Loop {i:02}.md"] = (
            f"Loop {i} links [[Loop {(i + 1) % 40:02}]] and [away](/elsewhere/{i}).\n\n"
            f"![[Loop {i:02}]]\n"
        )
    return files


def build(
    tmp_path: Path, name: str, workers: int, *args: str, extensions: Sequence[str] = ()
) -> tuple[Path, str, int]:
    """The vault of ``tmp_path`` built with ``workers`` (and the Markdown ``extensions``)."""
    site = tmp_path / f"site-{name}"
    settings: dict[str, Any] = {
        "site_name": "Farm",
        "docs_dir": str(tmp_path / "vault"),
        "site_dir": str(site),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"notesite": {"workers": workers}}],
    }
    if extensions:
        settings["markdown_extensions"] = list(extensions)
    config = tmp_path / f"mkdocs-{name}.yml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    result = run_mkdocs(config, *args)
    return site, result.stdout + result.stderr, result.returncode


def contents(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def warnings(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("WARNING")]


def said(log: str) -> list[str]:
    """Every line of a build's log but the ones that differ from run to run."""
    varying = (
        "Building documentation to",
        "Documentation built in",
        "notesite: read ",
        "converting",
    )
    return [line for line in log.splitlines() if not any(v in line for v in varying)]


def test_workers_make_the_same_site_and_warnings(tmp_path: Path) -> None:
    write_vault(tmp_path / "vault", vault_files())
    one, one_log, one_code = build(tmp_path, "one", 1)
    two, two_log, two_code = build(tmp_path, "two", 2)
    assert one_code == two_code == 0, two_log
    assert "notesite: converting" not in one_log
    assert "notesite: converting" in two_log and "in 2 processes" in two_log
    loops = [w for w in warnings(one_log) if "Loops/Loop" in w and "is a cycle" in w]
    assert len(loops) == 40  # every loop page warns, whichever process converted it
    absolute = [line for line in one_log.splitlines() if "absolute link '/elsewhere/" in line]
    assert len(absolute) == 40  # MkDocs' own messages, whichever process converted the page
    assert said(two_log) == said(one_log)
    expected, actual = contents(one), contents(two)
    assert sorted(actual) == sorted(expected)
    differing = [name for name in expected if actual[name] != expected[name]]
    assert differing == []


def test_a_warning_found_by_a_worker_fails_a_strict_build(tmp_path: Path) -> None:
    write_vault(tmp_path / "vault", vault_files())
    _, log, code = build(tmp_path, "strict", 2, "--strict")
    assert "in 2 processes" in log
    assert code != 0
    assert "Aborted with" in log and "in strict mode" in log


def test_a_plugin_that_may_keep_state_keeps_one_process(tmp_path: Path) -> None:
    write_vault(tmp_path / "vault", {"a.md": "[[b]]", "b.md": "#tag"})
    settings: dict[str, Any] = {
        "site_name": "Farm",
        "docs_dir": str(tmp_path / "vault"),
        "site_dir": str(tmp_path / "site"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "tags", {"notesite": {"workers": 2}}],
    }
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    result = run_mkdocs(config)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "pages converted in one process: plugin material/tags may keep state" in log
    assert "notesite: converting" not in log


KILL_A_WORKER = """
import os, sys
import notesite.build.farm as farm
step = getattr(farm, sys.argv[2])
def dying(run: int):
    if run == 3:
        os._exit(1)  # as if the system killed the worker
    return step(run)
setattr(farm, sys.argv[2], dying)
os.environ["NOTESITE_CACHE"] = "off"  # (every page to make again, not to take from the cache)
from mkdocs.__main__ import cli
cli(["build", "-f", sys.argv[1]])
"""


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("_convert_run", "its pages are converted in this one"),
        ("_render_run", "its pages are rendered in this one"),
    ],
    ids=["converting", "rendering templates"],
)
def test_a_worker_that_dies_leaves_its_pages_to_mkdocs(
    tmp_path: Path, step: str, said: str
) -> None:
    write_vault(tmp_path / "vault", vault_files())
    one, _, _ = build(tmp_path, "one", 1)
    config = tmp_path / "mkdocs-two.yml"
    build(tmp_path, "two", 2)  # writes the config; its site is replaced below
    shutil.rmtree(tmp_path / "site-two")
    result = run_script(KILL_A_WORKER, str(config), step)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert f"a worker process ended early; {said}" in log
    assert contents(tmp_path / "site-two") == contents(one)


# In a process of their own: a test run has threads of its own (browsers, servers), and nothing
# forks while another thread runs.
LEFT_AS_THEY_WERE = """
import gc, json, sys
import jinja2
from mkdocs.commands.build import build
from mkdocs.config import load_config
from notesite.build.farm import CHUNK, TemplateFarm

farms, metas = [], {}
start = TemplateFarm.start
def started(farm):
    farms.append(farm)
    metas.update({page.file.src_uri: page.meta for page in farm.pages})
    start(farm)
TemplateFarm.start = started
config = load_config(sys.argv[1])
config.plugins.on_startup(command="serve", dirty=False)  # keeps the pages after the build
build(config)
gc.unfreeze()
[farm] = farms
print(json.dumps({
    "worker_pages": sum(1 for i, _ in enumerate(farm.pages) if (i // CHUNK) % farm.processes),
    "changed": [p.file.src_uri for p in farm.pages if p.meta is not metas[p.file.src_uri]],
    "loader": type(farm.env.loader).__name__,
}))
"""


def test_pages_rendered_in_workers_are_left_as_they_were(tmp_path: Path) -> None:
    """The stand-in template and search setting of the workers' pages last only as long as the
    build: a page rendered again later (as ``mkdocs serve`` does after an edit) is its own."""
    write_vault(tmp_path / "vault", vault_files())
    build(tmp_path, "two", 2)  # writes the configuration
    found = in_a_process(LEFT_AS_THEY_WERE, tmp_path / "mkdocs-two.yml")
    assert found["worker_pages"] > 20
    assert found["changed"] == []
    assert found["loader"] != "ChoiceLoader"


NO_FORK_BESIDE_A_THREAD = """
import json, logging, sys, threading
from mkdocs.commands.build import build
from mkdocs.config import load_config

said = []
class Keep(logging.Handler):
    def emit(self, record):
        said.append(record.getMessage())
logging.getLogger("mkdocs").addHandler(Keep())
logging.getLogger("mkdocs").setLevel(logging.INFO)
forked = []
for threads in (0, 1):
    config = load_config(sys.argv[1])
    config.plugins.on_startup(command="build", dirty=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    if threads:
        other.start()
    said.clear()
    try:
        build(config)
    finally:
        stop.set()
        if threads:
            other.join()
    forked.append(any("pages in 2 processes" in line for line in said))
print(json.dumps(forked))
"""


def test_nothing_forks_while_another_thread_runs(tmp_path: Path) -> None:
    """A fork copies only the thread that forks: a lock another thread held would stay locked
    in the child. With a thread running (a server's, an application's), all is done here."""
    write_vault(tmp_path / "vault", {f"Note {i}.md": f"[[Note {i + 1}]]\n" for i in range(30)})
    build(tmp_path, "two", 2)  # writes the configuration
    assert in_a_process(NO_FORK_BESIDE_A_THREAD, tmp_path / "mkdocs-two.yml") == [True, False]


def run_script(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``script`` run with ``args`` in a fresh Python."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip


def in_a_process(script: str, config: Path) -> Any:
    """What ``script`` (run on ``config`` in a fresh Python) prints last, as JSON."""
    result = run_script(script, str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
