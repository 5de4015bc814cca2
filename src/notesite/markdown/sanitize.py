"""Raw HTML in notes, sanitized the way Obsidian sanitizes it, with nh3.

Notes hold HTML clipped from the web. The rendered note is cleaned as a whole, after every other
extension has run (postprocessor priority 5, after raw HTML is put back at 30 and escapes are
undone at 10): scripts, styles, event handlers, ``javascript:`` URLs, forms and iframes from
anywhere but a video player's embed address are removed; the markup notesite itself makes
(callouts, players, panels, embeds, math, diagrams) and what notes commonly hold (``<br>``,
``<a class="yt-timestamp" data-t>``, ``<details>``, ``<kbd>``, tables) are kept.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

TAGS = nh3.ALLOWED_TAGS | {
    "audio", "video", "source", "track", "iframe", "input", "label",
    "svg", "path", "rect", "circle", "g", "section", "tfoot",
}  # fmt: skip

ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex"},
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading", "title"},
    "details": {"open"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {*nh3.ALLOWED_ATTRIBUTES["td"], "style"},
    "th": {*nh3.ALLOWED_ATTRIBUTES["th"], "style"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "video": {
        "src",
        "controls",
        "preload",
        "loop",
        "muted",
        "poster",
        "width",
        "height",
        "playsinline",
    },
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label"},
    "iframe": {"src", "width", "height", "loading", "allow", "allowfullscreen", "referrerpolicy"},
    "input": {"type", "checked", "disabled", "name"},
    "label": {"for"},
    "svg": {"viewBox", "viewbox", "width", "height", "focusable", "xmlns", "fill"},
    "path": {"d", "fill"},
    "rect": {"x", "y", "width", "height", "rx", "ry", "fill"},
    "circle": {"cx", "cy", "r", "fill"},
    "div": {"style"},
    "g": {"style"},
}

#: Iframes may show a PDF of the site itself or a video player, nothing else.
_IFRAME_SOURCES = re.compile(
    r"^(?![a-z][a-z0-9+.-]*:|//)|^https://(?:www\.youtube-nocookie\.com|www\.youtube\.com)/embed/"
    r"|^https://player\.vimeo\.com/video/",
    re.IGNORECASE,
)


#: The inline style a canvas's boxes and curves hold: where each goes, its size and its color.
#: Nothing else passes (a color cannot be a ``url()``).
_CANVAS_STYLE = re.compile(r"--ns-(?:[xywh]:\s*-?\d+(?:\.\d+)?px|color:\s*#[0-9a-fA-F]{3,8})")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style" and tag in ("div", "g"):
        kept = [d.strip() for d in value.split(";") if _CANVAS_STYLE.fullmatch(d.strip())]
        return ";".join(kept) or None
    if tag == "iframe" and attribute == "src":
        return value if _IFRAME_SOURCES.match(value) else None
    if tag == "input" and attribute == "name":  # only a tab set's radio buttons are named
        return value if value.startswith("__tabbed_") else None
    if tag == "input" and attribute == "type":
        # (radio buttons: the tabs of a base's views, switched by the theme's stylesheet)
        return value if value in ("checkbox", "radio") else None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style"},
    attributes=ATTRIBUTES,
    generic_attribute_prefixes={"data-", "aria-"},
    attribute_filter=_filter,
    filter_style_properties={"text-align", "--ns-x", "--ns-y", "--ns-w", "--ns-h", "--ns-color"},
    link_rel=None,
    strip_comments=True,
)


#: What the cleaner changes in text without markup: entities and the ``<``, ``>`` around them,
#: what its HTML parser drops or rewrites (carriage returns, NULs, a leading byte order mark) and
#: what its serializer spells out (a no-break space as ``&nbsp;``).
_CLEANED = re.compile("[<>&\r\0\xa0\ufeff]")


def sanitize(html: str) -> str:
    """Clean one rendered note's HTML.

    Text holding none of :data:`_CLEANED` comes out of the cleaner as it went in, and is returned
    as it is: the table of contents runs every postprocessor on each heading's text, and most
    headings are words alone.
    """
    if _CLEANED.search(html) is None:
        return html
    return _CLEANER.clean(html)


class SanitizePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return sanitize(text)


class SanitizeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(SanitizePostprocessor(md), "notesite-sanitize", 5)


def makeExtension(**kwargs: Any) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
