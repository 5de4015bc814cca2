"""``notesite init`` on real vaults, the README's publishing walk-through, and the workflow."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from notesite.init import WORKFLOW, _git_checkout, init, install_command, workflow_text
from tests.conftest import REPO, SEEDS, seed_files, write_vault

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV, timeout=600)


def seeds_vault(root: Path) -> Path:
    write_vault(
        root,
        {
            **seed_files(),
            ".obsidian/app.json": '{"strictLineBreaks": true}',
            "templates/T.md": "{{date}}",
        },
    )
    return root


needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout"
)


@needs_seeds
def test_vault_at_the_repository_root(tmp_path: Path) -> None:
    vault = seeds_vault(tmp_path / "my-vault")
    (vault / ".git").mkdir()
    result = init(vault, vault)
    assert sorted(p.relative_to(vault).as_posix() for p in result.written) == [
        ".github/workflows/publish.yml",
        ".gitignore",
        ".notesite/README.md",
        "mkdocs.yml",
    ]
    config = (vault / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'ignore: ["templates"]' in config and "strict_line_breaks: true" in config
    assert (vault / ".gitignore").read_text(encoding="utf-8").splitlines() == ["/site/", ".cache/"]
    for reused in (0, 1):  # the second build must not read the first one's site (or cache)
        built = run(str(BIN / "mkdocs"), "build", "--strict", cwd=vault)
        assert built.returncode == 0, built.stderr
        assert "read 4 notes" in built.stderr
        # The second build reuses every page the first one kept in .cache/notesite.
        pages = int(re.findall(r"build cache: \d+ of (\d+) pages reused", built.stderr)[0])
        assert f"build cache: {pages * reused} of {pages} pages reused" in built.stderr
    assert sorted(p.name for p in (vault / "site").iterdir() if p.name.startswith("00")) == [
        "000_ffa97317a3ed214f",
        "001_ba8902ac82c605ac",
        "002_7cc84e104f871c44",
        "003_fea8d033c896a01c",
    ]
    assert not (vault / "site" / "templates").exists()
    assert run(str(BIN / "notesite"), "check", cwd=vault).returncode == 0


@needs_seeds
def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    vault = seeds_vault(tmp_path / "v")
    (vault / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    result = init(vault, vault, workflow=False)
    assert [p.name for p in result.skipped] == ["mkdocs.yml"]
    assert (vault / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    init(vault, vault, force=True, workflow=False)
    assert "notesite" in (vault / "mkdocs.yml").read_text(encoding="utf-8")
    assert (vault / ".gitignore").read_text(encoding="utf-8").count("/site/") == 1
    init(vault, vault, force=True, workflow=False)
    assert (vault / ".gitignore").read_text(encoding="utf-8").count("/site/") == 1


@needs_seeds
def test_vault_in_a_subfolder_with_nested_folders_and_attachments(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_vault(
        repo / "notes",
        {
            "Projects/Alpha/Plan.md": "See ![[diagram.png]] and [[Beta plan]].",
            "Projects/Beta/Beta plan.md": "Back to [[Plan]].",
            "assets/diagram.png": b"\x89PNG\r\n\x1a\n",
            "Inbox.md": "# Inbox\n",
        },
    )
    cli = run(str(BIN / "notesite"), "init", "notes", cwd=repo)
    assert cli.returncode == 0, cli.stderr
    assert 'docs_dir: "notes"' in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    built = run(str(BIN / "mkdocs"), "build", "--strict", cwd=repo)
    assert built.returncode == 0, built.stderr
    plan = LexborHTMLParser(
        (repo / "site/Projects/Alpha/Plan/index.html").read_text(encoding="utf-8")
    )
    assert plan.css_first("article img").attributes["src"] == "../../../assets/diagram.png"
    assert (repo / "site/assets/diagram.png").is_file()
    assert not (repo / ".github").exists()  # not a git repository: no workflow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}")


@needs_seeds
def test_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Publish your own vault", 1)[1]
    commands = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert commands is not None
    lines = commands.group(1).strip().splitlines()
    # Installing from a checkout (tests/test_packaging.py runs it); this test runs in the
    # environment it set up.
    assert lines[0] == "pip install /path/to/notesite"
    assert lines[1] == "cd my-vault"
    vault = seeds_vault(tmp_path / "my-vault")
    run("git", "init", "-q", cwd=vault)
    for line in lines[2:]:
        if line == "mkdocs serve":
            serve_and_edit(vault)
        elif line.startswith("git add"):
            # Everything but the push, which needs a remote.
            staged = run(
                "sh",
                "-c",
                line.split(" && git push")[0].replace(
                    "git commit", "git -c user.name=t -c user.email=t@t commit"
                ),
                cwd=vault,
            )
            assert staged.returncode == 0, staged.stdout + staged.stderr
        else:
            done = run(*(str(BIN / line.split()[0]), *line.split()[1:]), cwd=vault)
            assert done.returncode == 0, (line, done.stdout, done.stderr)


def serve_and_edit(vault: Path) -> None:
    """``mkdocs serve`` shows the vault, and an edit shows up with its backlinks updated."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=vault,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_for(base + "002_7cc84e104f871c44/", "technological self-sufficiency")
        (vault / "New thought.md").write_text(
            "Builds on [[002_7cc84e104f871c44]].\n", encoding="utf-8"
        )
        page = wait_for(base + "002_7cc84e104f871c44/", "New thought")
        assert 'class="backlinks' in page
        (vault / "New thought.md").unlink()
        wait_for(base + "002_7cc84e104f871c44/", "technological")
        deadline = time.monotonic() + 60
        while "New thought" in fetch(base + "002_7cc84e104f871c44/"):
            assert time.monotonic() < deadline, "the deleted note's backlink stayed"
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_workflows_are_valid_and_run_our_own_checks() -> None:
    ours = REPO / ".github/workflows/publish.yml"
    assert ours.read_text(encoding="utf-8") == workflow_text(
        install="pip install -e .", cache_dependency_path="pyproject.toml"
    ).replace(
        "# Written by `notesite init`. ",
        "# The same file `notesite init` writes for a vault, installing notesite from this checkout.\n# ",
    )
    generated = ours.parent.parent.parent / "generated-publish.yml"
    checker = shutil.which("check-jsonschema", path=str(BIN))
    assert checker, "check-jsonschema is a dev dependency"
    try:
        pinned = install_command("git+https://github.com/you/notesite.git@v0.1.0")
        generated.write_text(workflow_text(pinned), encoding="utf-8")
        for workflow in (ours, generated):
            result = run(
                checker, "--builtin-schema", "vendor.github-workflows", str(workflow), cwd=REPO
            )
            assert result.returncode == 0, result.stdout
    finally:
        generated.unlink()
    steps = workflow_text()
    assert "run: notesite check" in steps and "run: mkdocs build --strict" in steps
    build = yaml.safe_load(steps)["jobs"]["build"]["steps"]
    (cache,) = [s for s in build if s.get("uses", "").startswith("actions/cache@")]
    assert (
        build.index(cache)
        == build.index(next(s for s in build if s.get("run") == "mkdocs build --strict")) - 1
    )
    key = cache["with"]["key"]
    # Keyed on notesite (what installs it) and mkdocs.yml; a new commit restores the last cache.
    assert cache["with"]["path"] == ".cache/notesite"
    assert key.startswith("notesite-0.1.0-") and "hashFiles('mkdocs.yml')" in key
    assert key.endswith("-${{ github.sha }}")
    assert cache["with"]["restore-keys"] == key.removesuffix("${{ github.sha }}")
    other = yaml.safe_load(workflow_text("pip install notesite==0.2.0"))["jobs"]["build"]["steps"]
    assert cache["with"]["key"] not in str(other)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/notesite check" in makefile and "$(BIN)/mkdocs build --strict" in makefile


def install_step(workflow: Path) -> str:
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    (step,) = [s for s in steps if s.get("name") == "Install notesite"]
    return str(step["run"])


@pytest.mark.parametrize(
    ("requirement", "command"),
    [
        ("notesite==0.1.0", "pip install notesite==0.1.0"),
        (
            "git+https://github.com/you/notesite.git@v0.1.0",
            "pip install git+https://github.com/you/notesite.git@v0.1.0",
        ),
        (
            "notesite @ git+https://example.org/notesite.git",
            "pip install 'notesite @ git+https://example.org/notesite.git'",
        ),
    ],
)
def test_the_workflow_installs_what_init_is_told(
    tmp_path: Path, requirement: str, command: str
) -> None:
    write_vault(tmp_path, {"A.md": "a"})
    result = init(tmp_path, tmp_path, workflow=True, install=requirement)
    assert result.install == command
    assert install_step(tmp_path / WORKFLOW) == command


def test_init_says_how_the_workflow_installs_notesite(tmp_path: Path) -> None:
    write_vault(tmp_path, {"A.md": "a", ".git/HEAD": "ref: refs/heads/main"})
    done = run(str(BIN / "notesite"), "init", ".", "--install", "notesite==0.1.0", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        "  it installs notesite with: pip install notesite==0.1.0 (--install to change it)"
        in done.stdout.splitlines()
    )
    assert install_step(tmp_path / WORKFLOW) == "pip install notesite==0.1.0"


def test_a_checkout_installs_from_its_origin_at_its_commit(tmp_path: Path) -> None:
    git = ("git", "-c", "user.name=t", "-c", "user.email=t@t")
    assert run(*git, "init", "-q", str(tmp_path), cwd=tmp_path).returncode == 0
    assert _git_checkout(tmp_path) is None  # no commit, no origin
    run(*git, "commit", "-q", "--allow-empty", "-m", "x", cwd=tmp_path)
    commit = run("git", "rev-parse", "HEAD", cwd=tmp_path).stdout.strip()
    assert _git_checkout(tmp_path) is None  # no origin
    for origin, expected in [
        ("https://github.com/you/notesite.git", "https://github.com/you/notesite.git"),
        ("git@github.com:you/notesite.git", "https://github.com/you/notesite.git"),
        ("/somewhere/on/this/machine", None),
    ]:
        run("git", "remote", "remove", "origin", cwd=tmp_path)
        run("git", "remote", "add", "origin", origin, cwd=tmp_path)
        found = _git_checkout(tmp_path)
        assert found == (f"git+{expected}@{commit}" if expected else None), origin
