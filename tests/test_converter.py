"""One Python-Markdown instance converts every page of a build, and the site is the same, byte
for byte, as with a new instance a page (MkDocs' way, which a site with an extension not known
to reset its state keeps)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown.extensions import Extension

from notesite.build.converter import unknown_extension
from notesite.markdown.wikilinks import WikilinkExtension
from tests.conftest import write_vault
from tests.test_farm import build as farm_build
from tests.test_farm import contents, said, vault_files

#: A Markdown extension that does nothing, and that notesite does not know.
NOOP = """\
from markdown.extensions import Extension


class Noop(Extension):
    def extendMarkdown(self, md):
        pass


def makeExtension(**kwargs):
    return Noop(**kwargs)
"""

ONE = "one Markdown instance converts every page"
EACH = "each page gets a new Markdown instance: extension noop_extension may keep state"


def more_syntax() -> dict[str, str | bytes]:
    """Notes whose conversions keep state a next page must not see: footnotes, abbreviations,
    reference links, tabbed base views, citations' lists, a video's timestamps."""
    base = (
        "filters: 'file.hasTag(\"kept\")'\n"
        "views:\n"
        "  - type: table\n    name: First\n"
        "  - type: cards\n    name: Second\n"
    )
    files: dict[str, str | bytes] = {"Kept.base": base}
    for i in range(12):
        video = "---\nvideoId: dQw4w9WgXcQ\n---\n" if i % 3 == 0 else ""
        files[f"State/State {i:02}.md"] = (
            f"{video}# State {i:02}\n\n#kept A claim[^n{i}] about HTML and [a ref][r{i % 2}].\n\n"
            f"[^n{i}]: Footnote {i}.\n\n[r{i % 2}]: https://example.org/{i}\n\n"
            "*[HTML]: Hyper Text Markup Language\n\n"
            f"At [00:0{i % 10}:1{i % 6}] something happens.\n\n"
            "![[Kept.base]]\n\n![[Kept.base]]\n"
        )
    return files


def build(tmp_path: Path, name: str, *extensions: str) -> tuple[dict[str, bytes], str]:
    """The vault built in one process, with ``abbr`` and ``extensions``; its files and log."""
    site, log, returncode = farm_build(
        tmp_path, name, 1, "--verbose", extensions=["abbr", *extensions]
    )
    assert returncode == 0, log
    return contents(site), log


def test_one_instance_makes_the_site_a_new_instance_a_page_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_vault(tmp_path / "vault", {**vault_files(), **more_syntax()})
    (tmp_path / "ext").mkdir()
    (tmp_path / "ext" / "noop_extension.py").write_text(NOOP, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "ext"))

    reused, reused_log = build(tmp_path, "reused")
    fresh, fresh_log = build(tmp_path, "fresh", "noop_extension")

    assert ONE in reused_log and EACH not in reused_log
    assert EACH in fresh_log and ONE not in fresh_log
    assert sorted(reused) == sorted(fresh)
    assert [p for p in reused if reused[p] != fresh[p]] == []
    debug = ("DEBUG", ONE, "each page gets")
    assert [line for line in said(reused_log) if not line.startswith(debug)] == [
        line for line in said(fresh_log) if not line.startswith(debug)
    ]
    # The state that could leak did not: each page has its own footnote, the tab sets of its
    # two base embeds are numbered from 1, and the abbreviation is explained on every page.
    for i in (0, 11):
        page = reused[f"State/State {i:02}/index.html"].decode()
        assert f"Footnote {i}." in page and page.count("Footnote ") == 1
        assert 'id="__tabbed_base_1_1"' in page and 'id="__tabbed_base_2_1"' in page
        assert 'id="__tabbed_base_3_1"' not in page
        assert page.count('title="Hyper Text Markup Language"') == 1


class Unknown(Extension):
    pass


def test_only_extensions_known_to_reset_share_an_instance() -> None:
    assert unknown_extension(["toc", "markdown.extensions.tables", "pymdownx.superfences"]) is None
    assert unknown_extension(["footnotes", WikilinkExtension(), "notesite.callouts"]) is None
    assert unknown_extension(["toc", "pymdownx.blocks.tab", "tables"]) == "pymdownx.blocks.tab"
    assert unknown_extension(["my_extension:MyExtension"]) == "my_extension:MyExtension"
    assert unknown_extension([Unknown()]) == "Unknown"
