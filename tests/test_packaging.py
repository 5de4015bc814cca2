"""The wheel as a user installs it: built, installed into a fresh virtual environment (never
editable), and used to build this repository's own notes, so that no package data a site needs
(templates, their assets, the workflow ``notesite init`` writes) can be left out of it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path | None = None) -> str:
    """Run a command; its output, or a failure that shows it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def parse(page: Path) -> LexborHTMLParser:
    return LexborHTMLParser(page.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtual environment with the wheel built from this checkout."""
    tmp = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist", ROOT)
    (wheel,) = (tmp / "dist").glob("notesite-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "notesite/templates/main.html" in names
    assert "notesite/scaffold/publish.yml" in names
    assert "notesite/py.typed" in names
    # A fresh environment, with pip's own configuration (its index, its cache) for the
    # dependencies: the same command a user types.
    run(sys.executable, "-m", "venv", tmp / "venv")
    bin_dir = tmp / "venv" / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel)
    return bin_dir


def vault_copy(tmp: Path) -> Path:
    """notes/ and a mkdocs.yml for it, away from the checkout (its ``templates/`` folder, which
    the project's own mkdocs.yml names as the theme's custom folder, is not there to fall back
    on: the site's templates must come from the installed package)."""
    shutil.copytree(ROOT / "notes", tmp / "notes")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  custom_dir: templates\n" in config
    (tmp / "mkdocs.yml").write_text(config.replace("  custom_dir: templates\n", ""), "utf-8")
    return tmp


def test_the_installed_wheel_builds_the_notes(installed: Path, tmp_path: Path) -> None:
    where = run(installed / "python", "-c", "import notesite; print(notesite.__file__)")
    assert Path(where.strip()).is_relative_to(installed.parent), where
    vault = vault_copy(tmp_path / "vault")
    out = run(installed / "mkdocs", "build", "--strict", "--site-dir", tmp_path / "site", cwd=vault)
    # (How many: the dev install builds the same vault below, and the two sites are compared.)
    assert re.search(r"published \d+ notes", out), out
    run(installed / "notesite", "check", cwd=vault)

    # The same site, file for file, as this checkout's own install builds from the same vault.
    run(Path(sys.executable).parent / "mkdocs", "build", "--strict", "--site-dir", tmp_path / "dev",
        cwd=vault)  # fmt: skip
    built = sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*"))
    expected = sorted(p.relative_to(tmp_path / "dev") for p in (tmp_path / "dev").rglob("*"))
    assert built == expected
    for path in built:
        if (tmp_path / "site" / path).is_file():
            assert (tmp_path / "site" / path).read_bytes() == (tmp_path / "dev" / path).read_bytes()
    # (Both from the package's templates: the scripts, and the backlinks panel's partial.)
    assert (tmp_path / "site" / "assets" / "notesite" / "notesite.js").is_file()
    panels = [
        page
        for page in (tmp_path / "site").rglob("*.html")
        if parse(page).css_first("#notesite-backlinks-title") is not None
    ]
    assert panels


def test_init_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    vault = tmp_path / "my-vault"
    (vault / ".git").mkdir(parents=True)
    (vault / "Hello.md").write_text("# Hello\n\nSee [[World]].\n", "utf-8")
    (vault / "World.md").write_text("The world.\n", "utf-8")
    run(installed / "notesite", "init", ".", cwd=vault)
    workflow = (vault / ".github" / "workflows" / "publish.yml").read_text("utf-8")
    assert "pip install" in workflow
    run(installed / "mkdocs", "build", "--strict", cwd=vault)
    page = parse(vault / "site" / "Hello" / "index.html")
    assert [a.attributes["href"] for a in page.css("article a.ns-wikilink")] == ["../World/"]


def test_the_readme_installs_from_a_checkout(tmp_path: Path) -> None:
    """The README's first step, ``pip install /path/to/notesite``, with a checkout's path, into a
    fresh environment; ``notesite init`` then has the workflow install the checkout's repository
    at its commit (a release on PyPI is not needed)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Publish your own vault", 1)[1]
    first = section.split("```sh\n", 1)[1].splitlines()[0]
    assert first == "pip install /path/to/notesite"
    checkout = tmp_path / "notesite"
    top = {".git", ".venv", "site", "dist", "build", ".pytest_cache", ".mypy_cache", ".ruff_cache"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        """What a clone would not have: the checkout's own environment, caches and output."""
        here = Path(folder)
        return {
            n
            for n in names
            if n == "__pycache__"
            or (here == ROOT and n in top)
            or (here == ROOT / "bench" and n == "out")
        }

    shutil.copytree(ROOT, checkout, ignore=ignore)
    git = ("git", "-C", checkout, "-c", "user.name=t", "-c", "user.email=t@t")
    run(*git, "init", "-q")
    run(*git, "add", "-A")
    run(*git, "commit", "-q", "-m", "notesite")
    run(*git, "remote", "add", "origin", "https://example.org/you/notesite.git")
    commit = run("git", "-C", checkout, "rev-parse", "HEAD").strip()

    run(sys.executable, "-m", "venv", tmp_path / "venv")
    bin_dir = tmp_path / "venv" / "bin"
    command = first.replace("/path/to/notesite", str(checkout)).split()
    run(bin_dir / "python", "-m", *command, "--quiet")
    where = run(bin_dir / "python", "-c", "import notesite; print(notesite.__file__)")
    assert Path(where.strip()).is_relative_to(tmp_path / "venv"), where

    vault = tmp_path / "my-vault"
    (vault / ".git").mkdir(parents=True)
    (vault / "A.md").write_text("a\n", "utf-8")
    said = run(bin_dir / "notesite", "init", ".", cwd=vault)
    pinned = f"pip install git+https://example.org/you/notesite.git@{commit}"
    assert f"  it installs notesite with: {pinned} (--install to change it)" in said.splitlines()
    run(bin_dir / "mkdocs", "build", "--strict", cwd=vault)
