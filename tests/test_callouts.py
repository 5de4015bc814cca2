"""Golden tests for Obsidian callouts rendered as mkdocs-material admonitions."""

from __future__ import annotations

import subprocess
import sys
from textwrap import dedent

import markdown
import pytest

from notesite.markdown.callouts import (
    CALLOUT_TYPES,
    CalloutExtension,
    CalloutHeader,
    css_name,
    parse_header,
)


def render(src: str) -> str:
    return markdown.markdown(src, extensions=[CalloutExtension(), "tables", "fenced_code"])


def html(text: str) -> str:
    return dedent(text).strip()


def test_default_title() -> None:
    assert render("> [!info]\n> Body.") == html(
        """
        <div class="admonition callout info" data-callout="info">
        <p class="admonition-title">Info</p>
        <p>Body.</p>
        </div>
        """
    )


def test_alias_default_title_is_the_alias() -> None:
    assert render("> [!faq]\n> Body.") == html(
        """
        <div class="admonition callout question faq" data-callout="faq">
        <p class="admonition-title">Faq</p>
        <p>Body.</p>
        </div>
        """
    )


def test_custom_title_with_inline_markdown() -> None:
    assert render("> [!tip] A **bold** `[[code]]` title  \n> Body.") == html(
        """
        <div class="admonition callout tip" data-callout="tip">
        <p class="admonition-title">A <strong>bold</strong> <code>[[code]]</code> title</p>
        <p>Body.</p>
        </div>
        """
    )


def test_folded() -> None:
    assert render("> [!warning]- Careful *now*\n> Body.") == html(
        """
        <details class="callout warning" data-callout="warning">
        <summary>Careful <em>now</em></summary>
        <p>Body.</p>
        </details>
        """
    )


def test_foldable_open_with_default_title() -> None:
    assert render("> [!bug]+\n> Body.") == html(
        """
        <details class="callout bug" data-callout="bug" open="open">
        <summary>Bug</summary>
        <p>Body.</p>
        </details>
        """
    )


@pytest.mark.parametrize(
    ("obsidian", "material"),
    [
        ("note", "note"),
        ("abstract", "abstract"),
        ("summary", "abstract"),
        ("tldr", "abstract"),
        ("info", "info"),
        ("todo", "info"),
        ("tip", "tip"),
        ("hint", "tip"),
        ("important", "tip"),
        ("success", "success"),
        ("check", "success"),
        ("done", "success"),
        ("question", "question"),
        ("help", "question"),
        ("faq", "question"),
        ("warning", "warning"),
        ("caution", "warning"),
        ("attention", "warning"),
        ("failure", "failure"),
        ("fail", "failure"),
        ("missing", "failure"),
        ("danger", "danger"),
        ("error", "danger"),
        ("bug", "bug"),
        ("example", "example"),
        ("quote", "quote"),
        ("cite", "quote"),
    ],
)
def test_type_mapping(obsidian: str, material: str) -> None:
    classes = material if obsidian == material else f"{material} {obsidian}"
    assert render(f"> [!{obsidian}]\n> Body.") == html(
        f"""
        <div class="admonition callout {classes}" data-callout="{obsidian}">
        <p class="admonition-title">{obsidian.capitalize()}</p>
        <p>Body.</p>
        </div>
        """
    )


def test_mapping_table_is_complete() -> None:
    assert len(CALLOUT_TYPES) == 27


def test_unknown_type() -> None:
    assert render("> [!theorem]\n> Body.") == html(
        """
        <div class="admonition callout note theorem" data-callout="theorem">
        <p class="admonition-title">Theorem</p>
        <p>Body.</p>
        </div>
        """
    )


def test_unknown_type_foldable_with_title() -> None:
    assert render("> [!proof]- Of the lemma\n> Body.") == html(
        """
        <details class="callout note proof" data-callout="proof">
        <summary>Of the lemma</summary>
        <p>Body.</p>
        </details>
        """
    )


def test_type_is_case_insensitive() -> None:
    assert render("> [!WARNING]\n> Body.") == html(
        """
        <div class="admonition callout warning" data-callout="warning">
        <p class="admonition-title">Warning</p>
        <p>Body.</p>
        </div>
        """
    )


def test_type_is_sanitised() -> None:
    out = render('> [!<script>alert("x")</script>]\n> Body.')
    assert "<script" not in out
    assert out == html(
        """
        <div class="admonition callout note scriptalertxscript" data-callout="scriptalertxscript">
        <p class="admonition-title">&lt;script&gt;alert("x")&lt;/script&gt;</p>
        <p>Body.</p>
        </div>
        """
    )


def test_attribute_injection_in_type() -> None:
    assert render('> [!a" onclick="x]') == html(
        """
        <div class="admonition callout note a-onclickx" data-callout="a-onclickx">
        <p class="admonition-title">A" onclick="x</p>
        </div>
        """
    )


def test_metadata() -> None:
    assert render("> [!note|wide] Title\n> Body.") == html(
        """
        <div class="admonition callout note" data-callout="note" data-callout-metadata="wide">
        <p class="admonition-title">Title</p>
        <p>Body.</p>
        </div>
        """
    )


def test_real_input_with_quote_blank_line_and_list() -> None:
    src = (
        "> [!info] Learning from China\n"
        ">\n"
        "> Countries can consider adopting or adapting China's strategies, such as:\n"
        "> - Encouraging inter-city competition.\n"
        "> - Establishing governmental funds.\n"
    )
    # The list needs a blank line before it in Python-Markdown; that is another extension's job.
    assert render(src) == html(
        """
        <div class="admonition callout info" data-callout="info">
        <p class="admonition-title">Learning from China</p>
        <p>Countries can consider adopting or adapting China's strategies, such as:
        - Encouraging inter-city competition.
        - Establishing governmental funds.</p>
        </div>
        """
    )


def test_paragraphs_separated_by_quote_blank_lines() -> None:
    assert render("> [!note] T\n> One.\n>\n> Two.\n>   \n> Three.") == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">T</p>
        <p>One.</p>
        <p>Two.</p>
        <p>Three.</p>
        </div>
        """
    )


def test_list() -> None:
    assert render("> [!todo] Tasks\n>\n> - one\n> - two") == html(
        """
        <div class="admonition callout info todo" data-callout="todo">
        <p class="admonition-title">Tasks</p>
        <ul>
        <li>one</li>
        <li>two</li>
        </ul>
        </div>
        """
    )


def test_code_fence() -> None:
    src = "> [!example] Code\n> ```python\n> x = 1\n>\n> y = '<b>'\n> ```\n> After."
    assert render(src) == html(
        """
        <div class="admonition callout example" data-callout="example">
        <p class="admonition-title">Code</p>
        <pre><code class="language-python">x = 1

        y = '&lt;b&gt;'
        </code></pre>
        <p>After.</p>
        </div>
        """
    )


def test_code_fence_at_the_end_of_a_nested_callout() -> None:
    assert render("> [!note]\n> > [!tip]\n> > ```\n> > x\n> > ```") == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">Note</p>
        <div class="admonition callout tip" data-callout="tip">
        <p class="admonition-title">Tip</p>
        <pre><code>x
        </code></pre>
        </div>
        </div>
        """
    )


def test_table() -> None:
    assert render("> [!abstract]\n> | a | b |\n> |---|---|\n> | 1 | 2 |") == html(
        """
        <div class="admonition callout abstract" data-callout="abstract">
        <p class="admonition-title">Abstract</p>
        <table>
        <thead>
        <tr>
        <th>a</th>
        <th>b</th>
        </tr>
        </thead>
        <tbody>
        <tr>
        <td>1</td>
        <td>2</td>
        </tr>
        </tbody>
        </table>
        </div>
        """
    )


def test_nested_callout() -> None:
    src = "> [!note] Outer\n> Text.\n>\n> > [!tip]- Inner\n> > Inner body.\n>\n> Outer again."
    assert render(src) == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">Outer</p>
        <p>Text.</p>
        <details class="callout tip" data-callout="tip">
        <summary>Inner</summary>
        <p>Inner body.</p>
        </details>
        <p>Outer again.</p>
        </div>
        """
    )


def test_nested_callout_right_under_a_line() -> None:
    src = "> [!note] Outer\n> Text.\n> > [!tip] Inner\n> > Inner body."
    assert render(src) == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">Outer</p>
        <p>Text.</p>
        <div class="admonition callout tip" data-callout="tip">
        <p class="admonition-title">Inner</p>
        <p>Inner body.</p>
        </div>
        </div>
        """
    )


def test_empty_body() -> None:
    assert render("> [!success] Done it") == html(
        """
        <div class="admonition callout success" data-callout="success">
        <p class="admonition-title">Done it</p>
        </div>
        """
    )


def test_empty_foldable_body() -> None:
    assert render("> [!quote]-") == html(
        """
        <details class="callout quote" data-callout="quote">
        <summary>Quote</summary>
        </details>
        """
    )


def test_two_consecutive_callouts() -> None:
    assert render("> [!note] A\n> a\n\n> [!danger] B\n> b") == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">A</p>
        <p>a</p>
        </div>
        <div class="admonition callout danger" data-callout="danger">
        <p class="admonition-title">B</p>
        <p>b</p>
        </div>
        """
    )


def test_quote_block_after_blank_line_continues_the_callout() -> None:
    # As Python-Markdown does for plain blockquotes (Obsidian would start a new quote).
    assert render("> [!note] A\n> a\n\n> b") == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">A</p>
        <p>a</p>
        <p>b</p>
        </div>
        """
    )


def test_lines_before_the_quote_in_the_same_block() -> None:
    assert render("Intro.\n> [!info]\n> Body.") == html(
        """
        <p>Intro.</p>
        <div class="admonition callout info" data-callout="info">
        <p class="admonition-title">Info</p>
        <p>Body.</p>
        </div>
        """
    )


def test_lazy_continuation_line() -> None:
    assert render("> [!info]\n> Body\nlazy.") == html(
        """
        <div class="admonition callout info" data-callout="info">
        <p class="admonition-title">Info</p>
        <p>Body
        lazy.</p>
        </div>
        """
    )


@pytest.mark.parametrize(
    "src",
    [
        "> plain\n> quote",
        "> not [!note] at the start",
        "> [!] empty type",
        "> [! ] blank type",
    ],
)
def test_not_a_callout(src: str) -> None:
    out = render(src)
    plain = markdown.markdown(src, extensions=["tables", "fenced_code"])
    assert out == plain
    assert "callout" not in out


def test_callout_in_plain_blockquote() -> None:
    assert render("> > [!note] Inner") == html(
        """
        <blockquote>
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">Inner</p>
        </div>
        </blockquote>
        """
    )


def test_type_with_nothing_safe_in_it() -> None:
    assert render("> [!<>]") == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">&lt;&gt;</p>
        </div>
        """
    )


def test_plain_blockquote_untouched() -> None:
    assert render("> plain\n>\n> quote") == html(
        """
        <blockquote>
        <p>plain</p>
        <p>quote</p>
        </blockquote>
        """
    )


def test_plain_blockquote_after_callout_and_other_block() -> None:
    assert render("> [!note]\n> a\n\nPara.\n\n> plain") == html(
        """
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">Note</p>
        <p>a</p>
        </div>
        <p>Para.</p>
        <blockquote>
        <p>plain</p>
        </blockquote>
        """
    )


def test_indented_is_code_not_callout() -> None:
    assert render("    > [!note] x") == html(
        """
        <pre><code>&gt; [!note] x
        </code></pre>
        """
    )


def test_callout_in_list_item() -> None:
    assert render("- a\n- b\n\n    > [!note] x\n    > y") == html(
        """
        <ul>
        <li>a</li>
        <li>
        <p>b</p>
        <div class="admonition callout note" data-callout="note">
        <p class="admonition-title">x</p>
        <p>y</p>
        </div>
        </li>
        </ul>
        """
    )


def test_by_name() -> None:
    out = markdown.markdown("> [!hint] x", extensions=["notesite.markdown.callouts"])
    assert out == html(
        """
        <div class="admonition callout tip hint" data-callout="hint">
        <p class="admonition-title">x</p>
        </div>
        """
    )


def test_parse_header() -> None:
    assert parse_header("> [!FAQ|wide]- *Why?* ") == CalloutHeader("FAQ", "wide", "-", "*Why?*")
    assert parse_header("   >[!note]") == CalloutHeader("note", "", "", "")
    assert parse_header("    > [!note]") is None
    assert parse_header("> text") is None


def test_css_name() -> None:
    assert css_name(" My Type ") == "my-type"
    assert css_name("Théorème_2") == "thorme_2"
    assert css_name("<>") == ""


def test_does_not_import_mkdocs() -> None:
    code = "import sys, notesite.markdown.callouts; assert 'mkdocs' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
