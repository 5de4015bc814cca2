"""``#tags`` in text as links to their tag pages.

Registered at priority 115: after links and autolinks (160-120), so a ``#`` in a URL or a
link's target is never a tag, and after code spans, which hide their text from every pattern.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from notesite.markdown.context import RenderContext
from notesite.markdown.inline import use_fast_inline
from notesite.paths import VaultPath, relative_href
from notesite.syntax.tags import TAG_RE, normalize_tag

DEFAULT_TAGS_FOLDER = "tags"


def tag_page(tag: str, folder: str = DEFAULT_TAGS_FOLDER) -> VaultPath:
    """The vault path of a tag's page: tags are case-insensitive, as in Obsidian."""
    return VaultPath(f"{folder}/{normalize_tag(tag).casefold()}.md")


class TagInlineProcessor(InlineProcessor):
    def __init__(self, md: Markdown, context: RenderContext, folder: str) -> None:
        super().__init__(TAG_RE.pattern, md)
        self.compiled_re = re.compile(TAG_RE.pattern, re.MULTILINE)
        self.context = context
        self.folder = folder

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        tag = normalize_tag(m.group("tag"))
        if not tag:
            return None, None, None
        href = relative_href(self.context.path, tag_page(tag, self.folder))
        el = etree.Element("a", {"href": href, "class": "ns-tag"})
        el.text = AtomicString("#" + tag)
        return el, m.start(0), m.end(0)


class TagExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.context = context or RenderContext()
        self.config = {"folder": [DEFAULT_TAGS_FOLDER, "the folder of the tag pages"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        use_fast_inline(md)
        processor = TagInlineProcessor(md, self.context, self.getConfig("folder"))
        md.inlinePatterns.register(processor, "notesite-tag", 115)


def makeExtension(**kwargs: Any) -> TagExtension:
    return TagExtension(**kwargs)
