"""One Python-Markdown instance converts every page of a build, and the site is the same, byte
for byte, as with a new instance a page (MkDocs' way, which a site with an extension not known
to reset its state keeps)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from markdown.extensions import Extension
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import _RelativePathTreeprocessor

from notesite.build.converter import _RelativePaths, unknown_extension
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


#: The site's files for the relative links' test; `Hidden.md` is excluded from the site.
SITE_FILES = [
    "Top.md",
    "index.md",
    "Hidden.md",
    "Deep/er/C++ & t.md",
    "Sub/index.md",
    "Sub/README.md",
    "日本/見出し.md",
    "Percent 100%.md",
    "img/a b.png",
    "tags/a/b.md",
]
#: Links as pages hold them: the plain relative paths taken at once, and everything else.
HREFS = [
    *[f"{prefix}{path}" for prefix in ("", "../", "../../", "./") for path in SITE_FILES],
    "Top.md#heading",
    "Top.md#",
    "../Top.md#a#b",
    "Deep/er/C%2B%2B%20%26%20t.md",
    "Percent%20100%25.md#x",
    "%E6%97%A5%E6%9C%AC/%E8%A6%8B%E5%87%BA%E3%81%97.md",
    "img/a%20b.png",
    "%2FTop.md",
    "Sub/",
    "Sub",
    "Top.html",
    "Top",
    "Missing.md",
    "Missing.md#x",
    "/Top.md",
    "//example.com/Top.md",
    "https://example.com/Top.md",
    "mailto:someone@example.com",
    "someone@example.com",
    "Top.md?q=1",
    "#only-anchor",
    "?only-query",
    ".",
    "",
    " Top.md",
    "Top.md ",
    "To\tp.md",
    "Top.md#a:b",
    "C:/Top.md",
    "\\Top.md",
]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_links_are_the_urls_mkdocs_gives(
    tmp_path: Path, directory_urls: bool, caplog: pytest.LogCaptureFixture
) -> None:
    config = MkDocsConfig()
    config.load_dict(
        {"site_name": "Links", "docs_dir": str(tmp_path), "use_directory_urls": directory_urls}
    )
    assert config.validate() == ([], [])
    files = Files(
        [File(path, str(tmp_path), str(tmp_path / "site"), directory_urls) for path in SITE_FILES]
    )
    hidden = files.get_file_from_path("Hidden.md")
    assert hidden is not None
    hidden.inclusion = InclusionLevel.EXCLUDED
    warned = 0
    for source in ("Top.md", "index.md", "Deep/er/C++ & t.md", "Sub/index.md", "tags/a/b.md"):
        page = files.get_file_from_path(source)
        assert page is not None
        mkdocs = _RelativePathTreeprocessor(page, files, config)
        ours = _RelativePaths(page, files, config)
        for href in HREFS:
            caplog.clear()
            with caplog.at_level(logging.DEBUG, logger="mkdocs"):
                expected = mkdocs.path_to_url(href)
            told = [(r.levelno, r.getMessage()) for r in caplog.records]
            caplog.clear()
            with caplog.at_level(logging.DEBUG, logger="mkdocs"):
                assert ours.path_to_url(href) == expected, (source, href)
            assert [(r.levelno, r.getMessage()) for r in caplog.records] == told, (source, href)
            warned += bool(told)
        assert ours.links_to_anchors == mkdocs.links_to_anchors, source
        assert ours.links_to_anchors, source
    assert warned > 20  # (the links MkDocs tells of were told of, the same way)


def test_plain_relative_links_skip_mkdocs_lookup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = MkDocsConfig()
    config.load_dict({"site_name": "Links", "docs_dir": str(tmp_path)})
    assert config.validate() == ([], [])
    files = Files([File(path, str(tmp_path), str(tmp_path / "site"), True) for path in SITE_FILES])
    page = files.get_file_from_path("Deep/er/C++ & t.md")
    assert page is not None
    asked: list[str] = []
    original = _RelativePathTreeprocessor.path_to_url

    def counted(self: _RelativePathTreeprocessor, url: str) -> str:
        asked.append(url)
        return original(self, url)

    monkeypatch.setattr(_RelativePathTreeprocessor, "path_to_url", counted)
    ours = _RelativePaths(page, files, config)
    assert ours.path_to_url("../../Top.md#h") == "../../../Top/#h"
    assert ours.path_to_url("../../Sub/index.md") == "../../../Sub/"
    assert ours.path_to_url("../../img/a%20b.png") == "../../../img/a%20b.png"
    assert asked == []  # all three found at once
    assert ours.path_to_url("../../Missing.md") == "../../Missing.md"
    assert ours.path_to_url("../../Top.md?q=1") == "../../../Top/?q=1"
    assert asked == ["../../Missing.md", "../../Top.md?q=1"]
