"""The element an embedded file becomes: an image, a PDF viewer, an audio or video player."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.util import AtomicString

IMAGE = frozenset({"png", "jpg", "jpeg", "gif", "bmp", "svg", "webp", "avif", "ico", "tif", "tiff"})
AUDIO = frozenset({"mp3", "wav", "m4a", "ogg", "oga", "flac", "3gp", "aac", "opus"})
VIDEO = frozenset({"mp4", "webm", "ogv", "mov", "mkv", "m4v"})
_SIZE = re.compile(r"^(?P<w>\d+)(?:x(?P<h>\d+))?$")


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].casefold() if "." in name else ""


def media_element(
    href: str, path: str, label: str | None, fragment: str = "", *, src: str | None = None
) -> etree.Element:
    """An element showing the file at ``href`` (a vault ``path``) in the page.

    ``label`` is what follows ``|`` in an embed: a size (``300`` or ``300x200``) or alt text.
    ``fragment`` (``page=3``) is passed on to a PDF viewer. ``src`` is the page-relative link
    that players and viewers need (``href`` is file-relative, for ``<a>`` and ``<img>``).
    """
    src = src or href
    kind = extension(path)
    name = path.rsplit("/", 1)[-1]
    size = _SIZE.match(label or "")
    text = None if size else label
    if kind in IMAGE:
        el = etree.Element("img", {"src": href, "alt": text or name, "loading": "lazy"})
    elif kind in AUDIO:
        el = etree.Element("audio", {"src": src, "controls": "", "preload": "metadata"})
    elif kind in VIDEO:
        el = etree.Element("video", {"src": src, "controls": "", "preload": "metadata"})
    elif kind == "pdf":
        src = f"{src}#{fragment}" if fragment else src
        el = etree.Element(
            "iframe", {"src": src, "class": "ns-pdf", "title": text or name, "loading": "lazy"}
        )
    else:
        el = etree.Element("a", {"href": href, "class": "ns-wikilink ns-attachment"})
        el.text = AtomicString(text or name)
        return el
    if kind not in IMAGE:
        # Players and viewers say what they show, and offer the file where they cannot play it.
        fallback = etree.SubElement(el, "a", {"href": href})
        fallback.text = AtomicString(text or name)
    if size:
        el.set("width", size.group("w"))
        if size.group("h"):
            el.set("height", size.group("h"))
    return el
