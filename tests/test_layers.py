"""The package's layering, read from its source: imports flow one way.

Every module of ``src/notesite`` is parsed with :mod:`ast` (nothing is imported), and each
``import`` and ``from ... import`` of a notesite module (those under ``TYPE_CHECKING`` too: a
cycle of type hints is a cycle still) becomes an edge of the package's import graph.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

#: The core: what renders notes without MkDocs (a future host runs it as it is).
CORE = ("syntax", "loader", "graph", "paths", "problems", "vault", "markdown")
#: Packages of the core that may come (each under its own name).
FUTURE_CORE = ("query", "canvas", "cite")


def module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every module ``path`` (the module ``name``) imports, absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            # `from notesite.build import live` imports the module notesite.build.live
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def import_graph(src: Path) -> dict[str, set[str]]:
    """Each module of the package -> the modules of the package it imports."""
    modules = {module_name(p, src): p for p in sorted((src / "notesite").rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported = imports_of(path, name)
        graph[name] = {m for m in imported if m in modules and m != name}
    return graph


def external_imports(src: Path) -> dict[str, set[str]]:
    """Each module of the package -> every module it imports (of any package)."""
    return {
        module_name(p, src): imports_of(p, module_name(p, src))
        for p in sorted((src / "notesite").rglob("*.py"))
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of imports (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def in_layer(module: str, layers: Iterable[str]) -> bool:
    return any(module == f"notesite.{x}" or module.startswith(f"notesite.{x}.") for x in layers)


def test_the_package_has_no_import_cycle() -> None:
    assert find_cycle(import_graph(SRC)) is None


def test_the_core_imports_nothing_from_mkdocs() -> None:
    wrong = {
        module: sorted(m for m in imported if m == "mkdocs" or m.startswith("mkdocs."))
        for module, imported in external_imports(SRC).items()
        if in_layer(module, CORE + FUTURE_CORE)
    }
    assert {m: found for m, found in wrong.items() if found} == {}


def test_markdown_imports_no_higher_layer() -> None:
    higher = ("build", "site", "plugin", "cli", "init", "config")
    wrong = {
        module: sorted(m for m in imported if in_layer(m, higher))
        for module, imported in import_graph(SRC).items()
        if in_layer(module, ("markdown",))
    }
    assert {m: found for m, found in wrong.items() if found} == {}


def test_the_core_imports_no_build_site_or_plugin() -> None:
    higher = ("build", "site", "plugin", "cli", "init")
    wrong = {
        module: sorted(m for m in imported if in_layer(m, higher))
        for module, imported in import_graph(SRC).items()
        if in_layer(module, CORE + FUTURE_CORE)
    }
    assert {m: found for m, found in wrong.items() if found} == {}


# -- the checks themselves ----------------------------------------------------------------------


def _package(tmp_path: Path, modules: dict[str, str]) -> Path:
    for name, text in modules.items():
        path = tmp_path / "notesite" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_cycle_is_found(tmp_path: Path) -> None:
    """The cycle the package once had: the plugin and the live preview importing each other
    (one of them only for type hints), and relative imports counted too."""
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "plugin.py": "from notesite.live import LiveSite\n",
            "live.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from .plugin import NotesitePlugin\n"
            ),
            "graph.py": "import notesite.paths\n",
            "paths.py": "",
        },
    )
    assert find_cycle(import_graph(src)) == ["notesite.live", "notesite.plugin", "notesite.live"]
    del_cycle = _package(src, {"live.py": "from notesite import graph\n"})
    assert find_cycle(import_graph(del_cycle)) is None
    assert import_graph(del_cycle)["notesite.live"] == {"notesite", "notesite.graph"}


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("from notesite.site.home import escape_markdown\n", ["notesite.site.home"]),
        ("from ..build import live\n", ["notesite.build", "notesite.build.live"]),
        ("from notesite.markdown.context import RenderContext\n", []),
    ],
)
def test_a_markdown_module_importing_higher_is_found(
    tmp_path: Path, text: str, wrong: list[str]
) -> None:
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "markdown/__init__.py": "",
            "markdown/embeds.py": text,
            "markdown/context.py": "",
            "site/__init__.py": "",
            "site/home.py": "",
            "build/__init__.py": "",
            "build/live.py": "",
        },
    )
    imported = import_graph(src)["notesite.markdown.embeds"]
    assert sorted(m for m in imported if in_layer(m, ("build", "site"))) == wrong
