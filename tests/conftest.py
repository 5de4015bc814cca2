"""Shared helpers: build a real site from a small vault with a real ``mkdocs build``."""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

REPO = Path(__file__).resolve().parents[1]
#: The user's real notes (beside the checkout, or where NOTESITE_SEEDS says).
SEEDS = Path(os.environ.get("NOTESITE_SEEDS") or REPO.parent / "shared" / "seeds")


@dataclass
class Site:
    """A built site: its folder, what the build printed, and helpers to read pages."""

    vault: Path
    site: Path
    log: str
    returncode: int
    use_directory_urls: bool

    def output_path(self, vault_path: str) -> Path:
        if vault_path.endswith(".html"):
            return self.site / vault_path
        stem = vault_path[:-3] if vault_path.endswith(".md") else vault_path
        if stem == "index" or stem.endswith("/index"):
            return self.site / (stem + ".html")
        if self.use_directory_urls:
            return self.site / stem / "index.html"
        return self.site / (stem + ".html")

    def page(self, vault_path: str) -> LexborHTMLParser:
        return LexborHTMLParser(self.output_path(vault_path).read_text(encoding="utf-8"))

    def article(self, vault_path: str) -> Any:
        article = self.page(vault_path).css_first("article")
        assert article is not None, f"no <article> in the page of {vault_path}"
        return article

    def resolve_href(self, vault_path: str, href: str) -> Path:
        """The file a relative href on a note's page points at."""
        page_dir = self.output_path(vault_path).relative_to(self.site).parent.as_posix()
        relative = unquote(href.split("#", 1)[0])
        target = posixpath.normpath(posixpath.join(page_dir, relative))
        assert not target.startswith(".."), f"{href} leaves the site"
        path = self.site / target
        return path / "index.html" if path.is_dir() else path

    def html_pages(self) -> list[Path]:
        return sorted(p for p in self.site.rglob("*.html") if p.name != "404.html")

    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("WARNING")]


BuildSite = Callable[..., Site]


def write_vault(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def run_mkdocs(config_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture
def build_site(tmp_path: Path) -> BuildSite:
    """``build_site(files, strict=False, plugin={...}, config={...})`` -> :class:`Site`."""

    def build(
        files: Mapping[str, str | bytes],
        *,
        strict: bool = False,
        plugin: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
    ) -> Site:
        vault = tmp_path / "vault"
        site = tmp_path / "site"
        write_vault(vault, files)
        settings: dict[str, Any] = {
            "site_name": "Test vault",
            "docs_dir": str(vault),
            "site_dir": str(site),
            "theme": {"name": "material", "font": False},
            "plugins": [{"notesite": dict(plugin or {})}],
        }
        settings.update(config or {})
        config_file = tmp_path / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
        result = run_mkdocs(config_file, *(["--strict"] if strict else []))
        return Site(
            vault=vault,
            site=site,
            log=result.stdout + result.stderr,
            returncode=result.returncode,
            use_directory_urls=settings.get("use_directory_urls", True),
        )

    return build


def seed_files() -> dict[str, bytes]:
    """The user's real notes, as ``.md`` files of a vault."""
    return {f"{path.stem}.md": path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test of the run."""
    from tests.browsing import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def outside() -> list[str]:
    """The requests a page made to other hosts (refused, and recorded here)."""
    return []


def notesite_extensions() -> list[str]:
    """The names every notesite Markdown extension is registered under (entry points)."""
    from importlib.metadata import entry_points

    return sorted(
        e.name for e in entry_points(group="markdown.extensions") if e.name.startswith("notesite.")
    )
