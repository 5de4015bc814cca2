"""The Markdown of a site's pages: the extensions MkDocs converts notes with, and the theme's
templates notesite adds."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from pymdownx.slugs import slugify as unicode_slugify
from pymdownx.superfences import fence_code_format

from notesite.config import NotesiteConfig
from notesite.markdown.bases import BaseExtension
from notesite.markdown.blockids import BlockIdExtension
from notesite.markdown.callouts import CalloutExtension
from notesite.markdown.canvas import CanvasExtension
from notesite.markdown.citations import CitationExtension
from notesite.markdown.comments import CommentExtension
from notesite.markdown.context import RenderContext
from notesite.markdown.dataview import DataviewExtension
from notesite.markdown.embeds import EmbedExtension
from notesite.markdown.fields import FieldExtension
from notesite.markdown.listing import LinkListExtension
from notesite.markdown.lists import ListSpacingExtension
from notesite.markdown.mdlinks import MarkdownLinkExtension
from notesite.markdown.sanitize import SanitizeExtension
from notesite.markdown.tags import TagExtension
from notesite.markdown.wikilinks import WikilinkExtension
from notesite.markdown.youtube import YoutubeExtension
from notesite.theme import templates_dir

#: Python-Markdown extensions an Obsidian vault needs, added when mkdocs.yml does not list them.
REQUIRED_EXTENSIONS = (
    "toc",
    "tables",
    "attr_list",
    "md_in_html",
    "footnotes",
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.saneheaders",
    "pymdownx.mark",
    "pymdownx.arithmatex",
)


def add_extensions(config: MkDocsConfig, options: NotesiteConfig, context: RenderContext) -> None:
    """The extensions a vault needs (configured as notes need them) and notesite's own, which
    render with ``context``; notesite's templates among the theme's."""
    names = [e for e in config.markdown_extensions if isinstance(e, str)]
    for name in REQUIRED_EXTENSIONS:
        if name not in names:
            config.markdown_extensions.append(name)
    if not options.strict_line_breaks and "nl2br" not in names:
        config.markdown_extensions.append("nl2br")
    # $math$ and $$math$$ kept as TeX for KaTeX; ```mermaid fences as material's diagrams.
    config.mdx_configs.setdefault("pymdownx.arithmatex", {}).setdefault("generic", True)
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    custom = fences.setdefault("custom_fences", [])
    if not any(f.get("name") == "mermaid" for f in custom):
        custom.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})
    toc = config.mdx_configs.setdefault("toc", {})
    # Headings keep their letters in anchors (Obsidian links to '#見出し'); Python-Markdown's
    # default slugify would drop every non-ASCII character.
    toc.setdefault("slugify", unicode_slugify(case="lower"))
    extensions: list[Any] = config.markdown_extensions
    extensions.extend(
        [
            CommentExtension(),
            CanvasExtension(context=context),
            BaseExtension(context=context, sources=context.file_texts),
            EmbedExtension(context=context),
            FieldExtension(context=context),
            ListSpacingExtension(),
            LinkListExtension(context=context),
            CalloutExtension(),
            WikilinkExtension(context=context),
            TagExtension(context=context),
            BlockIdExtension(),
            YoutubeExtension(context=context),
            MarkdownLinkExtension(context=context),
            DataviewExtension(context=context, placeholders=options.dynamic_views),
            CitationExtension(context=context),
        ]
    )
    if options.sanitize:
        extensions.append(SanitizeExtension())
    templates = str(templates_dir())
    if templates not in config.theme.dirs:
        # After the user's own custom_dir (which may override ours), before the theme's.
        at = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(at, templates)
