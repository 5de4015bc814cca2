"""Hostile HTML in notes is cleaned; the markup notes and notesite need survives."""

from __future__ import annotations

import pytest

from notesite.markdown.sanitize import _CLEANER, sanitize
from tests.conftest import BuildSite

HOSTILE = [
    ('<script>alert("x")</script>ok', "ok"),
    ('<p onclick="steal()">text</p>', "<p>text</p>"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe></iframe>"),
    ("<style>body{display:none}</style>kept", "kept"),
    ('<form action="/"><input type="text" name="q"></form>', "<input>"),
    ('<object data="x.swf"></object><embed src="y">', ""),
    ('<svg onload="alert(1)"><path d="M0"/></svg>', '<svg><path d="M0"></path></svg>'),
    ('<td style="text-align: right; position: fixed">', ""),
    # A canvas's places and colors are the only inline style a div keeps; a color is no url().
    (
        '<div style="position: fixed; --ns-x: 1px; --ns-color: url(https://evil.example/)">a</div>',
        '<div style="--ns-x:1px">a</div>',
    ),
    ('<div style="--ns-w: calc(100vw); top: 0">a</div>', "<div>a</div>"),
    (
        '<svg><g style="--ns-color: red; --ns-x: 1px"></g></svg>',
        '<svg><g style="--ns-x:1px"></g></svg>',
    ),
]

KEPT = [
    '<a class="yt-timestamp" data-t="00:36:01">[00:36:01]</a>',
    "<br>",
    '<iframe src="https://www.youtube-nocookie.com/embed/cQ48rP_Rs4g?start=5"></iframe>',
    '<details class="callout tip" data-callout="tip" open=""><summary>T</summary><p>b</p></details>',
    '<div class="admonition callout note theorem" data-callout="theorem"><p class="admonition-title">T</p></div>',
    '<span class="arithmatex">\\(x^2\\)</span>',
    '<pre class="mermaid"><code>graph LR</code></pre>',
    '<input type="checkbox" disabled="" checked="">',
    '<audio src="a.mp3" controls="" preload="metadata"><a href="a.mp3">a.mp3</a></audio>',
    '<iframe class="ns-pdf" src="../paper.pdf#page=2" title="paper.pdf" loading="lazy"></iframe>',
    '<svg viewBox="0 0 68 48" width="68" focusable="false"><rect class="ns-video__button" rx="12"></rect></svg>',
    "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
    '<p id="^blk">block</p>',
    '<div class="ns-canvas__node" style="--ns-x:-10px;--ns-y:2.5px;--ns-w:250px;--ns-h:60px;--ns-color:#ff8800">x</div>',
    '<svg><g class="ns-canvas__edge" style="--ns-color:#0f0"><path d="M0 0C1 1 2 2 3 3"></path></g></svg>',
]


@pytest.mark.parametrize(("html", "clean"), HOSTILE)
def test_hostile_html_is_cleaned(html: str, clean: str) -> None:
    assert sanitize(html) == clean


@pytest.mark.parametrize("html", KEPT)
def test_markup_notes_need_is_kept(html: str) -> None:
    assert sanitize(html) == html


#: Text the cleaner changes though it holds no tag, beside words it leaves alone.
TEXT = [
    "A heading of words",
    "Ünïcödé 見出し, \"quotes\" and 'apostrophes' = `ticks` / slashes\tand\nlines",
    "a\u00a0no-break space",
    "\ufeffa byte order mark",
    "a\rcarriage return",
    "a\0NUL",
    "Tom & Jerry",
    "caf&eacute; &amp; &#169;",
    "a > b",
    "a < b",
    "",
]


@pytest.mark.parametrize("text", TEXT)
def test_text_without_markup_is_cleaned_as_the_cleaner_cleans_it(text: str) -> None:
    # Text that cannot change skips the cleaner: it must come out as the cleaner makes it.
    assert sanitize(text) == _CLEANER.clean(text)


def test_built_pages_are_sanitized_unless_turned_off(build_site: BuildSite) -> None:
    note = {
        "Clip.md": 'Clipped <b onmouseover="x()">bold</b> <script>alert(1)</script> [[Other]]\n',
        "Other.md": "",
    }
    site = build_site(note)
    assert site.returncode == 0, site.log
    html = site.output_path("Clip.md").read_text(encoding="utf-8")
    assert "onmouseover" not in html and "alert(1)" not in html
    assert site.article("Clip.md").css_first("b").text() == "bold"
    assert site.article("Clip.md").css_first("a.ns-wikilink").attributes["href"] == "../Other/"
    raw = build_site(note, plugin={"sanitize": False})
    assert 'onmouseover="x()"' in raw.output_path("Clip.md").read_text(encoding="utf-8")
