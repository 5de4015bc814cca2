"""``%%comments%%`` are removed before anything else reads the note.

Registered as the first preprocessor (priority 40, above whitespace normalisation at 30), so a
comment never reaches a later extension, the table of contents, the search index or the page.
Comments inside code are code, and stay.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from notesite.syntax.mask import strip_comments


class CommentPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "%%" not in text:
            return lines
        return strip_comments(text).split("\n")


class CommentExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(CommentPreprocessor(md), "notesite-comments", 40)


def makeExtension(**kwargs: Any) -> CommentExtension:
    return CommentExtension(**kwargs)
